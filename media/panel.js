/* global acquireVsCodeApi, window, document */
// The run result panel's page script. It receives the run as data ({ type: 'state', state }) and
// writes every piece of it with textContent and createElement: no HTML is ever built from request,
// response or definition text (a response body is hostile input). Buttons post requests back to
// the extension, which checks them. Plain browser JavaScript, no framework.
(function () {
  'use strict';

  const vscode = acquireVsCodeApi();

  /** Characters of any one text block the page renders (the extension cuts bodies to this too). */
  const SHOWN_CHARS = 256 * 1024;
  /** Characters of a mapped value shown in its table cell. */
  const VALUE_CHARS = 2000;
  /** Deeper nesting is not indented further (keeps the formatted text linear in the input). */
  const MAX_INDENT = 32;
  /** A formatted body longer than this is not shown formatted (the raw body still is). */
  const MAX_FORMATTED_CHARS = 2 * 1024 * 1024;

  const CATEGORY_LABELS = {
    success: 'success',
    marketo: 'Marketo code',
    redirect: 'redirect (not followed)',
    'client-error': 'client error',
    'server-error': 'server error',
    network: 'network failure',
  };

  /** the state last shown, for the buttons */
  let shown = null;

  const byId = (id) => document.getElementById(id);

  // ---- building nodes: text only ------------------------------------------------------------

  /**
   * An element with fixed attributes (names from this file only) and children: strings become
   * text nodes, never markup.
   */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (/^on/i.test(name) || name === 'style' || name === 'href' || name === 'src') throw new Error(`refused attribute ${name}`);
      if (name === 'className') node.className = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      if (Array.isArray(child)) append(node, child);
      else if (typeof child === 'string' || typeof child === 'number') node.appendChild(document.createTextNode(String(child)));
      else node.appendChild(child);
    }
  }

  function button(label, onClick, attrs) {
    const node = el('button', { type: 'button', className: 'secondary', ...(attrs || {}) }, label);
    node.addEventListener('click', onClick);
    return node;
  }

  function note(...children) {
    return el('p', { className: 'note' }, ...children);
  }

  /** A two-column table of facts, one `th scope="row"` per row. */
  function factsTable(label, rows) {
    return el('table', { className: 'facts', 'aria-label': label },
      el('tbody', null, rows.filter(Boolean).map(([name, value]) => el('tr', null, el('th', { scope: 'row' }, name), el('td', null, value)))));
  }

  function headersTable(label, headers) {
    const entries = Object.entries(isObject(headers) ? headers : {});
    if (entries.length === 0) return el('p', null, 'No headers.');
    return el('table', { className: 'grid' },
      el('caption', { className: 'visually-hidden' }, label),
      el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Name'), el('th', { scope: 'col' }, 'Value'))),
      el('tbody', null, entries.map(([name, value]) => el('tr', null, el('td', { className: 'mono' }, name), el('td', { className: 'mono wrap' }, text(value))))));
  }

  /** A scrollable, focusable code block holding `value` as text. */
  function codeBlock(value, label) {
    const code = el('code');
    code.textContent = clip(value, SHOWN_CHARS);
    return el('pre', { className: 'code', tabindex: '0', 'aria-label': label }, code);
  }

  /** Raw text inside a closed <details>, filled only when opened (no cost until then). */
  function rawDetails(value, label) {
    const pre = el('pre', { className: 'code', tabindex: '0', 'aria-label': label }, el('code'));
    const details = el('details', { className: 'raw' }, el('summary', null, 'Raw'), pre);
    details.addEventListener('toggle', () => {
      const code = pre.firstChild;
      if (details.open && code.textContent === '' && value !== '') code.textContent = clip(value, SHOWN_CHARS);
    });
    return details;
  }

  // ---- small helpers ------------------------------------------------------------------------

  function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  function text(value) {
    return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  }

  function clip(value, max) {
    const s = text(value);
    return s.length <= max ? s : `${s.slice(0, max)}…`;
  }

  function headerValue(headers, name) {
    if (!isObject(headers)) return '';
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    return key === undefined ? '' : text(headers[key]);
  }

  function formatBytes(bytes) {
    if (typeof bytes !== 'number' || !isFinite(bytes)) return '—';
    const exact = `${bytes.toLocaleString('en-US')} bytes`;
    if (bytes < 1024) return exact;
    const size = bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    return `${size} (${exact})`;
  }

  function formatDuration(ms) {
    if (typeof ms !== 'number' || !isFinite(ms)) return '—';
    return ms < 1000 ? `${Math.round(ms * 10) / 10} ms` : `${(ms / 1000).toFixed(2)} s`;
  }

  function formatTime(iso) {
    const date = new Date(text(iso));
    return isNaN(date.getTime()) ? text(iso) : date.toLocaleString();
  }

  function categoryOf(value) {
    return Object.prototype.hasOwnProperty.call(CATEGORY_LABELS, value) ? value : 'unknown';
  }

  /** What the badge says: the code, the kind of network failure, or "not sent". */
  function codeLabel(classification) {
    if (!isObject(classification)) return 'not sent';
    if (classification.code !== null && classification.code !== undefined) return String(classification.code);
    return text(classification.network) || 'no response';
  }

  function badge(classification) {
    const category = isObject(classification) ? categoryOf(classification.category) : 'invalid';
    return el('span', { className: `badge badge-${category}` }, codeLabel(classification));
  }

  /**
   * The Error Type exactly as received ('' when the status line had no reason phrase), with the
   * standard phrase beside it when it is empty or differs: never the standard phrase in its place.
   */
  function errorTypeView(c) {
    const standard = standardBeside(c);
    if (c.errorType === null || c.errorType === undefined) return 'none';
    if (c.errorType === '') return el('span', null, 'empty: the status line had no reason phrase', standard);
    return el('span', null, el('code', { className: 'value' }, text(c.errorType)), standard);
  }

  function standardBeside(c) {
    return typeof c.standardPhrase === 'string' && c.standardPhrase !== ''
      ? el('span', { className: 'muted' }, ` (standard phrase: ${c.standardPhrase})`) : null;
  }

  // ---- formatting bodies (text in, text out: the result is only ever set as textContent) ------

  function isSpace(ch) {
    return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
  }

  function indent(depth) {
    return '  '.repeat(Math.min(depth, MAX_INDENT));
  }

  /**
   * JSON with a 2-space indent, token by token: strings and numbers keep their exact text (no
   * precision lost to parsing), and a body cut short is still laid out. Null when too long.
   */
  function formatJson(source) {
    const s = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
    const out = [];
    let size = 0;
    let depth = 0;
    let i = 0;
    const push = (chunk) => { out.push(chunk); size += chunk.length; };
    while (i < s.length) {
      if (size > MAX_FORMATTED_CHARS) return null;
      const ch = s[i];
      if (ch === '"') {
        let j = i + 1;
        while (j < s.length) {
          const c = s[j];
          if (c === '\\') j += 2;
          else if (c === '"') { j++; break; } else j++;
        }
        push(s.slice(i, Math.min(j, s.length)));
        i = j;
      } else if (ch === '{' || ch === '[') {
        let j = i + 1;
        while (j < s.length && isSpace(s[j])) j++;
        if (s[j] === (ch === '{' ? '}' : ']')) {
          push(ch + s[j]);
          i = j + 1;
        } else {
          depth++;
          push(`${ch}\n${indent(depth)}`);
          i = j;
        }
      } else if (ch === '}' || ch === ']') {
        depth = Math.max(0, depth - 1);
        push(`\n${indent(depth)}${ch}`);
        i++;
      } else if (ch === ',') {
        push(`,\n${indent(depth)}`);
        i++;
      } else if (ch === ':') {
        push(': ');
        i++;
      } else if (isSpace(ch)) {
        i++;
      } else {
        let j = i + 1;
        while (j < s.length && !'{}[],:" \t\r\n'.includes(s[j])) j++;
        push(s.slice(i, j));
        i = j;
      }
    }
    return out.join('');
  }

  /** Where the tag starting at `start` ends (after its `>`), skipping quoted attribute values. */
  function tagEnd(s, start) {
    let quote = '';
    for (let i = start + 1; i < s.length; i++) {
      const c = s[i];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === '\'') {
        quote = c;
      } else if (c === '>') {
        return i + 1;
      }
    }
    return s.length;
  }

  /** `<a:b x="1">` and `</a:b >` → `a:b` */
  function tagName(tag) {
    const match = /^<\/?([^\s/>]*)/.exec(tag);
    return match ? match[1] : '';
  }

  function markupEnd(s, start, terminator) {
    const at = s.indexOf(terminator, start);
    return at < 0 ? s.length : at + terminator.length;
  }

  /**
   * XML one element a line, children indented, `<a>text</a>` kept on one line. A scanner over the
   * text (no parser, no DOM): every character is read once, malformed input is laid out as far
   * as it goes. Null when too long.
   */
  function formatXml(s) {
    const lines = [];
    let size = 0;
    let depth = 0;
    let i = 0;
    const line = (value, level) => { const l = indent(level) + value; lines.push(l); size += l.length + 1; };
    while (i < s.length) {
      if (size > MAX_FORMATTED_CHARS) return null;
      const next = s[i + 1] || '';
      if (s[i] !== '<' || !/[A-Za-z_:/!?\u00c0-\uffff]/.test(next)) {
        // text up to the next tag (a `<` that starts no tag is text)
        let end = s.indexOf('<', i + 1);
        if (end < 0) end = s.length;
        const t = s.slice(i, end).trim();
        if (t) line(t, depth);
        i = end;
        continue;
      }
      let end;
      if (s.startsWith('<!--', i)) end = markupEnd(s, i + 4, '-->');
      else if (s.startsWith('<![CDATA[', i)) end = markupEnd(s, i + 9, ']]>');
      else if (s.startsWith('<?', i)) end = markupEnd(s, i + 2, '?>');
      else end = tagEnd(s, i);
      const tag = s.slice(i, end);
      i = end;
      if (tag.startsWith('</')) {
        depth = Math.max(0, depth - 1);
        line(tag, depth);
      } else if (tag.startsWith('<!') || tag.startsWith('<?') || tag.endsWith('/>') || !tag.endsWith('>')) {
        line(tag, depth);
      } else {
        // an opening tag: on one line with its text when only text and its closing tag follow
        let textEnd = s.indexOf('<', i);
        if (textEnd < 0) textEnd = s.length;
        if (s.startsWith('</', textEnd)) {
          const closeEnd = tagEnd(s, textEnd);
          const inner = s.slice(i, textEnd).trim();
          if (!inner.includes('\n') && tagName(tag) === tagName(s.slice(textEnd, closeEnd))) {
            line(tag + inner + s.slice(textEnd, closeEnd), depth);
            i = closeEnd;
            continue;
          }
        }
        line(tag, depth);
        depth++;
      }
    }
    return lines.join('\n');
  }

  function bodyKind(contentType, body) {
    const type = contentType.toLowerCase();
    if (/\bjson\b/.test(type)) return 'json';
    if (/\bxml\b/.test(type)) return 'xml';
    const start = body.trimStart().charAt(0);
    if (start === '{' || start === '[') return 'json';
    if (start === '<') return 'xml';
    return 'text';
  }

  /**
   * A body, formatted when it is JSON or XML, with the raw text beside it. `partial`: the text is
   * only the start of the body (cut), so JSON cannot be checked by parsing it.
   */
  function bodyView(body, contentType, partial, label) {
    const view = document.createDocumentFragment();
    if (body === '') {
      view.appendChild(el('p', null, '(empty body)'));
      return view;
    }
    const kind = bodyKind(contentType, body);
    let formatted = null;
    let heading = '';
    if (kind === 'json') {
      let valid = partial;
      if (!partial) {
        try {
          JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
          valid = true;
        } catch (error) {
          view.appendChild(note(`Not valid JSON (${error instanceof Error ? error.message : 'parse error'}): shown as received.`));
        }
      }
      if (valid) {
        formatted = formatJson(body);
        heading = partial ? 'Formatted JSON (the start only)' : 'Formatted JSON';
      }
    } else if (kind === 'xml') {
      formatted = formatXml(body);
      heading = partial ? 'Formatted XML (the start only)' : 'Formatted XML';
    }
    if (formatted === null || formatted === body) {
      view.appendChild(codeBlock(body, `${label}, as received`));
      return view;
    }
    view.appendChild(el('p', { className: 'label' }, heading));
    view.appendChild(codeBlock(formatted, `${label}, formatted`));
    view.appendChild(rawDetails(body, `${label}, as received`));
    return view;
  }

  // ---- sections -------------------------------------------------------------------------------

  function section(id, visible) {
    const node = byId(id);
    node.hidden = !visible;
    return byId(`${id}-content`);
  }

  function post(message) {
    vscode.postMessage(message);
  }

  function renderSummary(record, state) {
    const box = byId('summary-content');
    if (!record) {
      box.replaceChildren(el('p', null, state.running
        ? 'The first run of this definition is under way.'
        : 'No runs yet: run the definition to see what Marketo would make of the answer.'));
      return;
    }
    const result = isObject(record.result) ? record.result : {};
    const c = isObject(result.classification) ? result.classification : null;
    const request = isObject(result.request) ? result.request : null;
    const response = isObject(result.response) ? result.response : null;
    const diagnostics = Array.isArray(result.diagnostics) ? result.diagnostics : [];

    const received = response
      ? `${text(response.status)} ${text(response.statusText)}`.trim()
      : request && request.sent === false ? 'not sent (batch campaign)'
        : c && c.network === 'protocol' ? 'no valid HTTP answer (protocol)'
          : c && c.category === 'network' ? `no response (${text(c.network) || 'network failure'})` : '—';
    const head = el('p', { className: 'headline' },
      badge(c),
      c && c.code === 1001 && response ? el('span', { className: 'received' }, `HTTP ${received}`) : null,
      el('span', { className: 'title' }, c ? text(c.title) : 'Not sent: the definition has errors'));

    const rows = [
      ['Code', codeLabel(c)],
      ['Category', c ? CATEGORY_LABELS[categoryOf(c.category)] || text(c.category) : 'definition has errors'],
      ['Error Type', c ? errorTypeView(c) : '—'],
      ['HTTP status received', received],
      ['Duration', response ? formatDuration(response.durationMs) : '—'],
      ['Size', response ? formatBytes(response.bytes) + (response.truncated ? ', cut off at the size limit' : '') : '—'],
      c ? ['Response mappings', c.mappingsApplied ? 'evaluated (a 2xx with a body)'
        : c.category === 'success' ? 'not applied: the body cannot be read as the Response Type, so nothing was written'
          : 'not applied: Marketo ignores them for this outcome'] : null,
      ['Sample lead', text(record.lead)],
      ['Run at', formatTime(record.at)],
    ];
    const parts = [head, factsTable('Outcome', rows)];
    if (c) parts.push(note('Error Type is what the "Webhook is Called" trigger\'s Error Type constraint matches for this call.'));

    if (request && request.sent === false) {
      parts.push(note('Not sent: a batch campaign cannot call a webhook, so Marketo answers 1000 without calling the service. The Request section shows what a trigger campaign would send.'));
    }
    if (!c) {
      const errors = diagnostics.filter((d) => isObject(d) && d.severity === 'error');
      parts.push(el('h3', null, 'Why nothing was sent'));
      parts.push(el('p', null, 'The definition has errors; fix them and run again.'));
      parts.push(el('ul', { className: 'diagnostics' }, (errors.length ? errors : diagnostics).map(diagnosticItem)));
      parts.push(el('div', { className: 'buttons' }, button('Show Problems', () => post({ type: 'showProblems' }))));
    } else if (diagnostics.length > 0) {
      parts.push(el('p', null, `The definition has ${diagnostics.length} ${diagnostics.length === 1 ? 'finding' : 'findings'} (warnings or hints). `,
        button('Show Problems', () => post({ type: 'showProblems' }))));
    }
    box.replaceChildren(...parts);
  }

  function diagnosticItem(d) {
    if (!isObject(d)) return el('li', null, text(d));
    const start = isObject(d.range) && isObject(d.range.start) ? d.range.start : null;
    const where = start && typeof start.line === 'number' ? `line ${start.line + 1}, column ${(Number(start.character) || 0) + 1}: ` : '';
    return el('li', null,
      el('span', { className: `severity severity-${d.severity === 'error' ? 'error' : 'other'}` }, text(d.severity)),
      ` ${where}${text(d.message)} `,
      el('span', { className: 'code-name' }, `(${text(d.code)})`));
  }

  function renderRequest(result) {
    const request = isObject(result.request) ? result.request : null;
    const box = section('request', request !== null);
    if (!request) return;
    const body = request.body === null || request.body === undefined ? null : text(request.body);
    // The URL sent differs from the URL written: show both, and why (docs/marketo-behaviour.md#url-as-written).
    const written = typeof request.urlAsWritten === 'string' ? request.urlAsWritten : null;
    box.replaceChildren(
      factsTable('Request', [
        ['Method', text(request.method)],
        ['URL', el('span', { className: 'mono wrap' }, text(request.url))],
        written !== null && ['As written', [el('span', { className: 'mono wrap' }, written), el('div', { className: 'muted' }, text(request.urlNote))]],
        ['Sent', request.sent ? 'yes' : 'no (batch campaign: nothing is sent)'],
      ]),
      el('h3', null, 'Headers'),
      headersTable('Request headers', request.headers),
      el('h3', null, 'Body'),
      body === null ? el('p', null, 'No body.') : bodyView(body, headerValue(request.headers, 'content-type'), false, 'Request body'));
  }

  function renderResponse(result, bodyCut) {
    const response = isObject(result.response) ? result.response : null;
    const c = isObject(result.classification) ? result.classification : null;
    const request = isObject(result.request) ? result.request : null;
    const box = section('response', c !== null);
    if (!c) return;
    if (!response) {
      box.replaceChildren(el('p', null, request && request.sent === false
        ? 'Nothing was sent, so nothing came back.'
        : c.network === 'protocol'
          ? 'The request was sent, but what came back is not valid HTTP (protocol): there is no status, no headers and no body to show.'
          : `Nothing came back (${text(c.network) || 'network failure'}): there is no status, no headers and no body.`));
      return;
    }
    let body = text(response.body);
    let cut = isObject(bodyCut) && typeof bodyCut.totalChars === 'number' && typeof bodyCut.chars === 'number' ? bodyCut : null;
    if (!cut && body.length > SHOWN_CHARS) {
      // The extension cuts long bodies; should a whole one arrive, the page still shows only the start.
      cut = { chars: SHOWN_CHARS, totalChars: body.length };
      body = body.slice(0, SHOWN_CHARS);
    }
    const parts = [
      el('p', { className: 'status-line mono' }, `HTTP ${text(response.status)} ${text(response.statusText)}`.trim()),
      factsTable('Response', [
        ['Status', text(response.status)],
        ['Reason phrase', text(response.statusText) || '(none)'],
        c && typeof c.standardPhrase === 'string' && c.standardPhrase !== '' ? ['Standard phrase', text(c.standardPhrase)] : null,
        ['Duration', formatDuration(response.durationMs)],
        ['Size', formatBytes(response.bytes)],
      ]),
      el('h3', null, 'Headers'),
      headersTable('Response headers', response.headers),
      el('h3', null, 'Body'),
    ];
    if (response.truncated) {
      parts.push(note(el('strong', null, 'Truncated: '), 'the body was larger than the size limit, so only its start was kept. This is not a network failure.'));
    }
    if (cut) {
      parts.push(note(`Showing the first ${cut.chars.toLocaleString('en-US')} of ${cut.totalChars.toLocaleString('en-US')} characters. `,
        button('Open response in an editor', () => openResponse())));
    }
    parts.push(bodyView(body, headerValue(response.headers, 'content-type'), Boolean(cut) || Boolean(response.truncated), 'Response body'));
    box.replaceChildren(...parts);
  }

  function mappedValue(value) {
    if (value === undefined) return '(no value)';
    let s;
    try {
      s = JSON.stringify(value);
    } catch {
      s = String(value);
    }
    return clip(s === undefined ? String(value) : s, VALUE_CHARS);
  }

  function renderMappings(result, displayNames) {
    const mappings = Array.isArray(result.mappings) ? result.mappings.filter(isObject) : [];
    const c = isObject(result.classification) ? result.classification : null;
    const box = section('mappings', c !== null);
    if (!c) return;
    if (mappings.length === 0) {
      box.replaceChildren(el('p', null, 'The definition has no response mappings.'));
      return;
    }
    const applied = mappings.filter((m) => m.status === 'applied').length;
    box.replaceChildren(
      el('p', null, `${applied} of ${mappings.length} ${mappings.length === 1 ? 'mapping' : 'mappings'} would write a value to the person.`),
      el('table', { className: 'grid' },
        el('caption', { className: 'visually-hidden' }, 'Response mappings'),
        el('thead', null, el('tr', null,
          el('th', { scope: 'col' }, 'Response attribute'),
          el('th', { scope: 'col' }, 'Marketo field'),
          el('th', { scope: 'col' }, 'Value'),
          el('th', { scope: 'col' }, 'Result'))),
        el('tbody', null, mappings.map((m) => el('tr', null,
          el('td', { className: 'mono' }, text(m.responseAttribute)),
          el('td', null,
            el('span', { className: 'mono' }, text(m.marketoField)),
            typeof displayNames[m.marketoField] === 'string' ? el('span', { className: 'muted' }, ` (${text(displayNames[m.marketoField])})`) : null),
          el('td', { className: 'mono wrap' }, mappedValue(m.value)),
          el('td', null,
            el('span', { className: `status status-${m.status === 'applied' ? 'applied' : 'skipped'}` }, m.status === 'applied' ? 'applied' : 'skipped'),
            m.reason ? ` ${text(m.reason)}` : null,
            m.note ? el('span', { className: 'mapping-note' }, ` ${text(m.note)}`) : null))))));
  }

  /** `docs/marketo-behaviour.md#booleans` → `booleans`; null for anything else (the extension checks it again). */
  function docAnchor(doc) {
    const match = /^docs\/marketo-behaviour\.md#([a-z0-9-]{1,64})$/.exec(text(doc));
    return match ? match[1] : null;
  }

  function renderAssumptions(result) {
    const assumptions = Array.isArray(result.assumptions) ? result.assumptions.filter(isObject) : [];
    const box = section('assumptions', assumptions.length > 0);
    if (assumptions.length === 0) return;
    box.replaceChildren(
      el('p', null, 'This outcome rests on rules Marketo does not document. Each is the workbench\'s assumption, explained in the docs:'),
      el('ul', { className: 'assumptions' }, assumptions.map((a) => {
        const anchor = docAnchor(a.doc);
        return el('li', { className: 'note', 'data-assumption': text(a.id) },
          text(a.text), ' ',
          anchor ? button(`Why: ${text(a.doc)}`, () => post({ type: 'openDocs', anchor }), { className: 'link', title: `Open ${text(a.doc)} in the Markdown preview` }) : null);
      })));
  }

  function renderHandling(result, record) {
    const handling = isObject(result.handling) ? result.handling : null;
    const box = section('handling', handling !== null);
    if (!handling) return;
    const c = isObject(result.classification) ? result.classification : {};
    const steps = Array.isArray(handling.steps) ? handling.steps : [];
    box.replaceChildren(
      el('p', null, text(handling.summary)),
      el('p', null, 'Error Type to match in "Webhook is Called": ',
        c.errorType ? errorTypeView(c)
          : c.errorType === '' ? el('span', null, el('em', null, 'empty'), ' (the status line had no reason phrase): it cannot be picked; match on Response instead.', standardBeside(c))
            : el('em', null, 'none for this outcome')),
      el('h3', null, 'Steps'),
      el('ol', { className: 'steps' }, steps.map((step) => el('li', null, text(step)))),
      el('div', { className: 'buttons' }, button('Copy recipe', () => post({ type: 'copyRecipe', id: record ? text(record.id) : '' }))));
  }

  function renderHistory(state, record) {
    const history = Array.isArray(state.history) ? state.history.filter(isObject) : [];
    const box = section('history', history.length > 0);
    if (history.length === 0) return;
    box.replaceChildren(
      el('p', null, `The last ${history.length} ${history.length === 1 ? 'run' : 'runs'}, newest first. Choose one to show it.`),
      el('ol', { className: 'history' }, history.map((h) => {
        const current = record && record.id === h.id;
        const code = h.code !== null && h.code !== undefined ? String(h.code) : h.category === 'network' ? 'no response' : h.category ? text(h.category) : 'not sent';
        const item = button('', () => post({ type: 'select', id: text(h.id) }), { className: 'history-item', 'aria-current': current ? 'true' : false });
        append(item, [
          el('span', { className: 'when' }, formatTime(h.at)),
          el('span', { className: `badge badge-${h.category ? categoryOf(h.category) : 'invalid'}` }, code),
          el('span', { className: 'what' }, text(h.title)),
        ]);
        return el('li', null, item);
      })));
  }

  function render(state, bodyCut) {
    shown = state;
    vscode.setState({ definition: text(state.definition) });
    const title = `Run: ${text(state.fileName)}`;
    byId('panel-title').textContent = title;
    document.title = title;
    byId('running').hidden = !state.running;
    byId('panel').setAttribute('aria-busy', state.running ? 'true' : 'false');

    const record = isObject(state.current) ? state.current : null;
    const result = record && isObject(record.result) ? record.result : {};
    byId('run-again').disabled = Boolean(state.running);
    byId('copy-curl').disabled = !isObject(result.request);
    byId('open-response').disabled = !isObject(result.response);
    byId('save-result').disabled = !record;

    renderSummary(record, state);
    renderHandling(result, record);
    renderMappings(result, isObject(state.fieldDisplayNames) ? state.fieldDisplayNames : {});
    renderAssumptions(result);
    renderRequest(result);
    renderResponse(result, bodyCut);
    renderHistory(state, record);
  }

  function currentId() {
    return shown && isObject(shown.current) ? text(shown.current.id) : '';
  }

  function openResponse() {
    const id = currentId();
    if (id) post({ type: 'openResponse', id });
  }

  byId('run-again').addEventListener('click', () => post({ type: 'runAgain' }));
  byId('copy-curl').addEventListener('click', () => {
    const id = currentId();
    if (id) post({ type: 'copyCurl', id });
  });
  byId('open-response').addEventListener('click', openResponse);
  byId('save-result').addEventListener('click', () => {
    const id = currentId();
    if (id) post({ type: 'saveResult', id });
  });

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!isObject(message) || message.type !== 'state' || !isObject(message.state)) return;
    try {
      render(message.state, message.bodyCut);
    } catch (error) {
      byId('summary-content').replaceChildren(el('p', { className: 'error' }, `This run cannot be shown: ${error instanceof Error ? error.message : String(error)}`));
    }
  });

  // The extension answers with the state: on first load, after a reload and when shown again.
  post({ type: 'ready' });
}());
