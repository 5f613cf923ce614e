// Secret token values never leave the engine: every string of a run result is masked, including
// what the service echoes back and the encoded forms the value took on the wire.
import { formUrlEncode } from './token-encoding';

export const MASK = '••••';

/** The forms a secret can take in a request or a response. */
export function secretForms(secret: string): string[] {
  if (secret === '') return [];
  const forms = new Set([secret, formUrlEncode(secret), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  // Longest first, so a form that contains another is masked whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

export function maskText(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
  return out;
}

/** A JSON-shaped value with every string masked (keys too: a header could be named after a secret); a copy, unless there is nothing to mask. */
export function maskDeep<T>(value: T, forms: readonly string[]): T {
  if (forms.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskText(v, forms);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [maskText(k, forms), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
