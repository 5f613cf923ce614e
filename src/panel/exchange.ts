// The request sent and the response received: facts, headers, and the body laid out (by the host)
// with the raw text beside it. Long text is written in slices (text-block.ts).
import { button, el, factsTable, headersTable, note, section, fill } from './dom';
import type { AnswerStartView, BodyView, NoResponseView, RequestView, ResponseView } from './protocol';
import { codeBlock, rawDetails } from './text-block';

function bodyNodes(body: BodyView, side: 'request' | 'response', label: string, openResponse: () => void): Node[] {
  const nodes: Node[] = [];
  if (body.cut) {
    nodes.push(note(`Showing the first ${body.cut.chars.toLocaleString('en-US')} of ${body.cut.totalChars.toLocaleString('en-US')} characters. `,
      button('Open response in an editor', openResponse)));
  }
  if (body.raw === '') {
    nodes.push(el('p', null, '(empty body)'));
    return nodes;
  }
  if (body.note) nodes.push(note(body.note));
  if (body.formatted === null) {
    nodes.push(codeBlock(body.raw, `${label}, as received`, `${side}.raw`));
    return nodes;
  }
  nodes.push(el('p', { className: 'label' }, body.heading), codeBlock(body.formatted, `${label}, formatted`, `${side}.formatted`), rawDetails(body.raw, `${label}, as received`, `${side}.raw`));
  return nodes;
}

export function renderRequest(view: RequestView | null, openResponse: () => void): void {
  const box = section('request', view !== null);
  if (!view) return;
  fill(box, 
    factsTable('Request', view.facts),
    el('h3', null, 'Headers'),
    headersTable('Request headers', view.headers),
    el('h3', null, 'Body'),
    ...(view.body === null ? [el('p', null, 'No body.')] : bodyNodes(view.body, 'request', 'Request body', openResponse)));
}

/** A long answer while the rest of it arrives: its status line and the start of its body. */
export function renderAnswerStart(view: AnswerStartView, openResponse: () => void): void {
  fill(section('response', true),
    el('p', { className: 'status-code mono' }, view.statusLine),
    el('h3', null, 'Body'),
    ...bodyNodes(view.body, 'response', 'Response body', openResponse));
}

export function renderResponse(view: ResponseView | NoResponseView | null, openResponse: () => void): void {
  const box = section('response', view !== null);
  if (!view) return;
  if (view.kind === 'none') {
    fill(box, el('p', null, view.text));
    return;
  }
  fill(box, 
    el('p', { className: 'status-code mono' }, view.statusLine),
    factsTable('Response', view.facts),
    el('h3', null, 'Headers'),
    headersTable('Response headers', view.headers),
    el('h3', null, 'Body'),
    view.truncated ? note(el('strong', null, 'Truncated: '), 'the body was larger than the size limit, so only its start was kept. This is not a network failure.') : null,
    ...bodyNodes(view.body, 'response', 'Response body', openResponse));
}
