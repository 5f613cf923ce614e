// Long text without blocking the page: a code block gets its first slice at once (the first paint)
// and the rest in later slices, each in a task of its own, so that a body of hundreds of kilobytes
// never becomes one giant synchronous textContent. A new render cancels the slices still pending.
import { el } from './dom';

/** Characters written at once; enough to fill any panel, small enough to lay out in a few ms. */
export const FIRST_SLICE_CHARS = 16 * 1024;
/** Characters per later slice. */
const SLICE_CHARS = 64 * 1024;

/** Bumped by every render: slices of an older render stop. */
let generation = 0;

export function newRender(): void {
  generation++;
}

/** The start of `text` at most `chars` long, not ending inside a surrogate pair. */
function sliceEnd(text: string, from: number, chars: number): number {
  let end = Math.min(text.length, from + chars);
  const last = text.charCodeAt(end - 1);
  if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
  return end;
}

/** Writes `text` into `code`: the first slice now, the rest in later tasks. */
export function writeText(code: HTMLElement, text: string): void {
  const mine = generation;
  let at = sliceEnd(text, 0, FIRST_SLICE_CHARS);
  code.textContent = text.slice(0, at);
  if (at >= text.length) return;
  code.parentElement?.setAttribute('aria-busy', 'true');
  const more = (): void => {
    if (mine !== generation || !code.isConnected) return;
    const end = sliceEnd(text, at, SLICE_CHARS);
    code.appendChild(document.createTextNode(text.slice(at, end)));
    at = end;
    if (at < text.length) setTimeout(more, 0);
    else code.parentElement?.setAttribute('aria-busy', 'false');
  };
  setTimeout(more, 0);
}

/** A scrollable, focusable code block holding `text`. */
export function codeBlock(text: string, label: string): HTMLPreElement {
  const code = el('code');
  const pre = el('pre', { className: 'code', tabindex: '0', 'aria-label': label }, code);
  writeText(code, text);
  return pre;
}

/** Raw text inside a closed <details>, written only when opened (no cost until then). */
export function rawDetails(text: string, label: string): HTMLDetailsElement {
  const code = el('code');
  const pre = el('pre', { className: 'code', tabindex: '0', 'aria-label': label }, code);
  const details = el('details', { className: 'raw' }, el('summary', null, 'Raw'), pre);
  details.addEventListener('toggle', () => {
    if (details.open && code.textContent === '' && text !== '') writeText(code, text);
  });
  return details;
}
