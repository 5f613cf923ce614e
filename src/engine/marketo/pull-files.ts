// What `pull` writes, for the command line and the editor alike (contracts §5): the default file
// name of each pull, the file's text, and how one typed answer names a lead or a program. No
// HTTP here, so the editor reads it from the engine's main entry.
import { FIELDS_FILE_NAME } from '../catalog/field-catalog';
import type { LeadKey } from './operations';

export type { LeadKey };

export type PullTarget = { what: 'fields' } | { what: 'lead'; lead: LeadKey } | { what: 'tokens'; program: number };

/** The line a .gitignore needs so that no pulled lead (personal data) is committed. */
export const LEAD_FILES_PATTERN = '*.lead.json';

/** The default file of a pull: marketo-fields.json, `<local part>.lead.json` / `lead-<id>.lead.json`, `program-<id>.tokens.json`. */
export function pullFileName(target: PullTarget): string {
  if (target.what === 'fields') return FIELDS_FILE_NAME;
  if (target.what === 'tokens') return `program-${target.program}.tokens.json`;
  if ('id' in target.lead) return `lead-${target.lead.id}.lead.json`;
  // A file name in one folder, whatever the address holds: no separators, no leading dot.
  const email = target.lead.email;
  const local = email.slice(0, email.lastIndexOf('@')).replace(/[^\w.+-]/g, '_').replace(/^\.+/, '');
  return `${local === '' ? 'lead' : local}.lead.json`;
}

/** A pulled document as written: Marketo's JSON, indented, one final newline. */
export function pullFileText(content: unknown): string {
  return JSON.stringify(content, null, 2) + '\n';
}

/** One email address (trimmed), or undefined. Get Leads takes a comma-separated list: a comma would ask for two leads. */
export function oneEmailAddress(text: string): string | undefined {
  const address = text.trim();
  return /^[^\s@,]+@[^\s@,]+$/.test(address) ? address : undefined;
}

/** A positive whole number (a lead or program id), or undefined. */
export function positiveId(text: string): number | undefined {
  const trimmed = text.trim();
  const n = Number(trimmed);
  return /^\d+$/.test(trimmed) && n >= 1 && Number.isSafeInteger(n) ? n : undefined;
}

/** A lead named by one typed answer: an email address or a lead id; else why not. */
export function leadKeyFrom(text: string): LeadKey | { problem: string } {
  if (text.includes('@')) {
    const email = oneEmailAddress(text);
    return email !== undefined ? { email } : { problem: `"${text.trim()}" is not one email address.` };
  }
  const id = positiveId(text);
  return id !== undefined ? { id } : { problem: 'Enter an email address or a lead id (a positive whole number).' };
}
