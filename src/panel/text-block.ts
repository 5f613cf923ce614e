// Long text without blocking the page: a code block gets its first slice at once (the first paint)
// and the rest in later slices, each in a task of its own, so that a body of hundreds of kilobytes
// never becomes one giant synchronous textContent. A long body arrives in two parts (the host posts
// its start with the state and the rest when the page asks, protocol.ts): the rest is appended to
// the same block. A new render cancels the slices still pending and forgets the blocks.
import { el } from './dom';
import { FIRST_PAINT_CHARS, type TextSlot } from './protocol';

/** Characters per later slice. */
const SLICE_CHARS = 64 * 1024;

/** Bumped by every render: slices of an older render stop. */
let generation = 0;

/** This render's blocks that may still get the rest of their text, by slot. */
const blocks = new Map<TextSlot, TextBlock>();

export function newRender(): void {
  generation++;
  blocks.clear();
}

/** Appends the rest of a slot's text, which the host sent after the first paint. */
export function appendRest(slot: TextSlot, rest: string): void {
  blocks.get(slot)?.append(rest);
}

/** How far back from a slice's end a line break is looked for, to end the slice there. */
const LINE_END_WINDOW = 4 * 1024;

/**
 * Where a slice of `text` from `from` ends, at most `chars` on: after a line break near that point
 * when there is one (each slice is a block of its own, which starts a new line), and never between
 * the halves of a surrogate pair.
 */
function sliceEnd(text: string, from: number, chars: number): number {
  let end = Math.min(text.length, from + chars);
  if (end >= text.length) return end;
  const lineEnd = text.lastIndexOf('\n', end - 1);
  if (lineEnd >= from && lineEnd >= end - LINE_END_WINDOW) return lineEnd + 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return end;
}

/**
 * A later slice, as a block the browser lays out only when it scrolls into view (`.slice` has
 * `content-visibility: auto`): appending to a long body then costs nothing until it is seen, not
 * a new layout of the hundreds of kilobytes before it, and the webview (whose renderer the
 * workbench shares) is not held up. The first slice is plain text, laid out at once: it is the
 * first screen. (A slice out of view has no innerText until it is seen; its textContent is whole.)
 */
function sliceNode(text: string): HTMLElement {
  return el('span', { className: 'slice' }, text);
}

/** The text of one code element, written slice by slice once shown. */
class TextBlock {
  private readonly mine = generation;
  /** characters of `text` already in the element */
  private written = 0;
  private pending = false;
  private shown = false;

  constructor(private readonly code: HTMLElement, private text: string) {}

  /** Starts writing: the first slice now, the rest in later tasks. */
  show(): void {
    if (this.shown) return;
    this.shown = true;
    this.written = sliceEnd(this.text, 0, FIRST_PAINT_CHARS);
    this.code.textContent = this.text.slice(0, this.written);
    this.schedule();
  }

  append(rest: string): void {
    this.text += rest;
    this.schedule();
  }

  private schedule(): void {
    if (!this.shown || this.pending || this.written >= this.text.length) return;
    this.pending = true;
    this.code.parentElement?.setAttribute('aria-busy', 'true');
    setTimeout(() => this.more(), 0);
  }

  private more(): void {
    this.pending = false;
    if (this.mine !== generation || !this.code.isConnected) return;
    const end = sliceEnd(this.text, this.written, SLICE_CHARS);
    this.code.appendChild(sliceNode(this.text.slice(this.written, end)));
    this.written = end;
    if (this.written < this.text.length) this.schedule();
    else this.code.parentElement?.setAttribute('aria-busy', 'false');
  }
}

function block(code: HTMLElement, text: string, slot: TextSlot | undefined): TextBlock {
  const made = new TextBlock(code, text);
  if (slot) blocks.set(slot, made);
  return made;
}

/** A scrollable, focusable code block holding `text` (and the rest of `slot`'s text, when it comes). */
export function codeBlock(text: string, label: string, slot?: TextSlot): HTMLPreElement {
  const code = el('code');
  const pre = el('pre', { className: 'code', tabindex: '0', 'aria-label': label }, code);
  block(code, text, slot).show();
  return pre;
}

/** Raw text inside a closed <details>, written only when opened (no cost until then). */
export function rawDetails(text: string, label: string, slot?: TextSlot): HTMLDetailsElement {
  const code = el('code');
  const pre = el('pre', { className: 'code', tabindex: '0', 'aria-label': label }, code);
  const details = el('details', { className: 'raw' }, el('summary', null, 'Raw'), pre);
  const raw = block(code, text, slot);
  details.addEventListener('toggle', () => {
    if (details.open) raw.show();
  });
  return details;
}
