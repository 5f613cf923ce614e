// Building nodes from text only: strings become text nodes, never markup. A response body, a
// header or a field name is hostile input, so nothing here parses HTML.
import type { BadgeKind, ErrorTypeView, FactView, HeaderView, PanelSectionId } from './protocol';

export type Child = Node | string | null | undefined | false | Child[];

/** Attribute names this page uses; never an event handler, a style, a link or a source. */
type Attrs = Record<string, string | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === false) continue;
    if (/^on/i.test(name) || name === 'style' || name === 'href' || name === 'src') throw new Error(`refused attribute ${name}`);
    if (name === 'className') node.className = String(value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  append(node, children);
  return node;
}

export function append(node: Node, children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (typeof child === 'string') node.appendChild(document.createTextNode(child));
    else node.appendChild(child);
  }
}

export function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

export function button(label: Child, onClick: () => void, attrs?: Attrs): HTMLButtonElement {
  const node = el('button', { type: 'button', className: 'secondary', ...attrs }, label);
  node.addEventListener('click', onClick);
  return node;
}

export function note(...children: Child[]): HTMLParagraphElement {
  return el('p', { className: 'note' }, ...children);
}

/** A two-column table of facts, one `th scope="row"` per row. */
export function factsTable(label: string, facts: readonly FactView[]): HTMLTableElement {
  return el('table', { className: 'facts', 'aria-label': label },
    el('tbody', null, facts.map((f) => el('tr', null,
      el('th', { scope: 'row' }, f.name),
      el('td', null, f.mono ? el('span', { className: 'mono wrap' }, f.value) : f.value, f.note ? el('div', { className: 'muted' }, f.note) : null)))));
}

export function headersTable(label: string, headers: readonly HeaderView[]): HTMLElement {
  if (headers.length === 0) return el('p', null, 'No headers.');
  return el('table', { className: 'grid' },
    el('caption', { className: 'visually-hidden' }, label),
    el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Name'), el('th', { scope: 'col' }, 'Value'))),
    el('tbody', null, headers.map((h) => el('tr', null, el('td', { className: 'mono' }, h.name), el('td', { className: 'mono wrap' }, h.value)))));
}

export function badge(view: { text: string; kind: BadgeKind }): HTMLSpanElement {
  return el('span', { className: `badge badge-${view.kind}` }, view.text);
}

function standardBeside(standardPhrase: string | null): HTMLElement | null {
  return standardPhrase ? el('span', { className: 'muted' }, ` (standard phrase: ${standardPhrase})`) : null;
}

/**
 * The Error Type exactly as received ('' when the status line had no reason phrase), with the
 * standard phrase beside it when it is empty or differs: never the standard phrase in its place.
 */
export function errorTypeNode(view: ErrorTypeView): Child {
  switch (view.kind) {
    case 'none':
      return 'none';
    case 'empty':
      return el('span', null, 'empty: the status line had no reason phrase', standardBeside(view.standardPhrase));
    case 'value':
      return el('span', null, el('code', { className: 'value' }, view.value), standardBeside(view.standardPhrase));
  }
}

export function errorTypeToMatch(view: ErrorTypeView): Child {
  switch (view.kind) {
    case 'none':
      return el('em', null, 'none for this outcome');
    case 'empty':
      return el('span', null, el('em', null, 'empty'), ' (the status line had no reason phrase): it cannot be picked; match on Response instead.', standardBeside(view.standardPhrase));
    case 'value':
      return errorTypeNode(view);
  }
}

/** Shows a section and returns its content box. */
export function section(id: PanelSectionId, visible: boolean): HTMLElement {
  byId(id).hidden = !visible;
  return byId(`${id}-content`);
}

/** Replaces the children of `box` with `children` (text as text nodes). */
export function fill(box: HTMLElement, ...children: Child[]): void {
  box.replaceChildren();
  append(box, children);
}
