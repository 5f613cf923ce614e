// Secret token values never leave the engine: every string of a run result is masked, including
// what the service echoes back and the encoded forms the value took on the wire or in an answer.
import { formUrlEncode } from './token-encoding';

export const MASK = '••••';

/** JSON's own escaping, then also `/` as `\/` (PHP's default) and every non-ASCII as `\uXXXX`. */
function jsonForms(secret: string): string[] {
  const plain = JSON.stringify(secret).slice(1, -1);
  const slashes = plain.replace(/\//g, '\\/');
  const ascii = plain.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // A secret echoed inside a JSON string that is itself inside a JSON string.
  const twice = JSON.stringify(plain).slice(1, -1);
  return [plain, slashes, ascii, ascii.replace(/\\u([0-9a-f]{4})/g, (_, h: string) => `\\u${h.toUpperCase()}`), twice];
}

/** Percent-encodings: as a form or a URL component encodes it, and as a URL parser leaves it. */
function urlForms(secret: string): string[] {
  const component = encodeURIComponent(secret);
  const form = formUrlEncode(secret);
  let parsed = secret;
  try {
    // What an HTTP client sends for a raw value in a query: only the unsafe characters encoded.
    parsed = new URL(`http://x/?${secret}`).search.slice(1);
  } catch {
    // not a possible query
  }
  const lower = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  return [component, form, parsed, encodeURI(secret), lower(component), lower(form)];
}

/** The forms a secret can take in a request or a response. */
export function secretForms(secret: string): string[] {
  if (secret === '') return [];
  // A run asks for the forms of the same few secrets again and again.
  let forms = recentForms.get(secret);
  if (!forms) {
    const all = new Set([secret, ...jsonForms(secret), ...urlForms(secret)]);
    all.delete('');
    // Longest first, so a form that contains another is masked whole.
    forms = [...all].sort((a, b) => b.length - a.length);
    if (recentForms.size >= 16) recentForms.clear();
    recentForms.set(secret, forms);
  }
  return [...forms];
}

const recentForms = new Map<string, readonly string[]>();

export function maskText(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
  return out;
}

/**
 * A copy of a JSON-shaped value with every string value masked; keys are kept, except inside
 * `headers` objects, whose names come from the definition or the service. Returns the value itself
 * when there is nothing to mask.
 */
export function maskDeep<T>(value: T, forms: readonly string[]): T {
  if (forms.length === 0) return value;
  const walk = (v: unknown, maskKeys: boolean): unknown => {
    if (typeof v === 'string') return maskText(v, forms);
    if (Array.isArray(v)) return v.map((x) => walk(x, false));
    if (v && typeof v === 'object') {
      const copy: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        const key = maskKeys ? maskText(k, forms) : k;
        const masked = walk((v as Record<string, unknown>)[k], k === 'headers');
        // A parsed response can hold an own "__proto__" key: keep it a key, never a prototype.
        if (key === '__proto__') Object.defineProperty(copy, key, { value: masked, enumerable: true, writable: true, configurable: true });
        else copy[key] = masked;
      }
      return copy;
    }
    return v;
  };
  return walk(value, false) as T;
}
