// The run panel's page and its safety rules, inside the real extension host: the HTML shell (CSP,
// nonce, no inline code or data), the webview URIs, the checks on messages from the webview, the
// cut of large bodies, and static guards on the page (src/panel, bundled as dist/panel/panel.js)
// and media/panel.css. The end-to-end panel
// (a run shown in the workbench) is tested with the run command.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CatalogService } from '../../src/extension/catalog-service';
import { plainMessage } from '../../src/extension/message-text';
import {
  RESPONSE_EDITOR_LANGUAGES, RunPanels, newNonce, openBehaviourDocs, openResponseInEditor, panelHtml, panelMessage, parsePanelRequest, responseLanguage,
  restoredDefinition, resultFileName, webviewHtml, recipeText,
} from '../../src/extension/run-panel';
import type { PanelState, RunRecord } from '../../src/extension/run-records';
import type { Services } from '../../src/extension/services';
import type { RunResult } from '../../src/engine/types';
import { PANEL_BODY_CHARS } from '../../src/engine/limits';
import { EXTENSION_ID, waitFor, workspaceFile } from './util';

function extensionUri(): vscode.Uri {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.extensionUri;
}

function mediaText(name: string): string {
  return readFileSync(vscode.Uri.joinPath(extensionUri(), 'media', name).fsPath, 'utf8');
}

/** The page's TypeScript sources (src/panel), one text. */
function pageSources(): string {
  const folder = vscode.Uri.joinPath(extensionUri(), 'src', 'panel').fsPath;
  return readdirSync(folder).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(folder, f), 'utf8')).join('\n');
}

/** The page's bundle, as the webview loads it. */
function pageBundle(): string {
  return readFileSync(vscode.Uri.joinPath(extensionUri(), 'dist', 'panel', 'panel.js').fsPath, 'utf8');
}

/** The Content-Security-Policy the page declares. */
function cspOf(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match?.[1], 'no CSP meta tag');
  return match[1];
}

function nonceOf(html: string): string {
  const match = /'nonce-([^']+)'/.exec(cspOf(html));
  assert.ok(match?.[1], 'no nonce in the CSP');
  return match[1];
}

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const SCRIPT = `${CSP_SOURCE}/ext/dist/panel/panel.js`;
const STYLE = `${CSP_SOURCE}/ext/media/panel.css`;
const NONCE = 'q1w2e3r4t5y6u7i8o9p0aA==';

function result(body: string): RunResult {
  return {
    definition: { name: 'Enrich', file: '/w/enrich.webhook.jsonc' },
    request: { method: 'POST', url: 'https://api.example.com/x', headers: {}, body: '{}', sent: true },
    response: { status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' }, body, bytes: body.length, truncated: false, durationMs: 12 },
    classification: { code: 200, category: 'success', errorType: null, standardPhrase: null, title: '200 OK', network: null, mappingsApplied: true },
    mappings: [],
    handling: { summary: 's', steps: [] },
    assumptions: [],
    diagnostics: [],
  };
}

function stateWith(body: string): PanelState {
  return {
    definition: 'file:///w/enrich.webhook.jsonc',
    fileName: 'enrich.webhook.jsonc',
    running: false,
    current: { id: 'r1', at: '2026-01-01T00:00:00.000Z', lead: 'blank lead', result: result(body) },
    history: [{ id: 'r1', at: '2026-01-01T00:00:00.000Z', code: 200, category: 'success', title: '200 OK' }],
  };
}

describe('run panel: the page', () => {
  const html = panelHtml(CSP_SOURCE, SCRIPT, STYLE, NONCE);

  it('declares a CSP that allows nothing but the extension\'s stylesheet and the one nonce script', () => {
    const directives = cspOf(html).split(';').map((d) => d.trim()).filter(Boolean);
    assert.deepEqual(directives, [
      `default-src 'none'`,
      `style-src ${CSP_SOURCE}`,
      `script-src 'nonce-${NONCE}'`,
      `img-src ${CSP_SOURCE} data:`,
      `font-src ${CSP_SOURCE}`,
    ]);
    assert.ok(!/unsafe-inline|unsafe-eval|\*/.test(cspOf(html).replace(CSP_SOURCE, '')), 'no wildcards or unsafe sources');
  });

  it('loads exactly one script, from the extension, carrying the nonce; no inline script, style or handler', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]?.[1], ` nonce="${NONCE}" src="${SCRIPT}"`);
    assert.equal(scripts[0]?.[2], '', 'the script element has no inline code');
    assert.ok(html.includes(`<link rel="stylesheet" href="${STYLE}">`));
    assert.ok(!/\son[a-z]+\s*=/i.test(html), 'no on* attributes');
    assert.ok(!/\sstyle\s*=/i.test(html), 'no style attributes');
    assert.ok(!/<style\b/i.test(html), 'no style elements');
    assert.ok(!/javascript:/i.test(html));
  });

  it('is a static shell: only the URIs, the CSP source and the nonce are filled in', () => {
    const other = panelHtml('https://other.example', 'https://other.example/s.js', 'https://other.example/s.css', 'bm9uY2U=');
    const blank = (text: string, values: string[]) => values.reduce((t, v) => t.split(v).join('@'), text);
    assert.equal(blank(html, [SCRIPT, STYLE, NONCE, CSP_SOURCE]), blank(other, ['https://other.example/s.js', 'https://other.example/s.css', 'bm9uY2U=', 'https://other.example']));
    assert.ok(!html.includes('${'), 'no template left unfilled');
  });

  it('has a real heading for every section, and every element the script looks up', () => {
    for (const heading of ['Summary', 'Actions', 'Mapped fields', 'Next step', 'Response', 'Request', 'Suggested handling', 'Assumptions', 'Run details', 'History']) {
      assert.ok(new RegExp(`<h2 id="[a-z-]+"[^>]*>${heading}</h2>`).test(html), `no h2 ${heading}`);
    }
    // Every section is a landmark named by its heading.
    for (const section of html.matchAll(/<section\b[^>]*>/g)) assert.match(section[0], /aria-labelledby="[a-z-]+-heading"/);
    assert.ok(/<div id="summary-content" role="status" aria-live="polite"[^>]*>/.test(html), 'the status line is announced');
    const script = pageSources();
    const ids = new Set([...script.matchAll(/byId\('([a-z-]+)'\)/g)].map((m) => m[1]));
    for (const section of script.matchAll(/section\('([a-z-]+)'/g)) ids.add(section[1]).add(`${section[1]}-content`);
    assert.ok(ids.size > 5);
    for (const id of ids) assert.ok(html.includes(`id="${id}"`), `the page has no #${id}`);
    for (const button of html.matchAll(/<button\b[^>]*>/g)) assert.ok(button[0].includes('type="button"'), button[0]);
  });

  it('quotes what it fills into attributes', () => {
    const odd = panelHtml('https://x', 'https://x/a.js?"><script>', 'https://x/a.css', 'n');
    assert.ok(!odd.includes('"><script>'));
    assert.equal([...odd.matchAll(/<script\b/g)].length, 1);
  });

  it('gets a new 16-byte nonce and webview URIs under media/ on each load; the script runs under that CSP', async () => {
    const nonces = new Set(Array.from({ length: 50 }, () => newNonce()));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);

    const media = vscode.Uri.joinPath(extensionUri(), 'media');
    const bundle = vscode.Uri.joinPath(extensionUri(), 'dist', 'panel');
    const panel = vscode.window.createWebviewPanel('marketoWebhookTest.panelHtml', 'panel html test', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true, localResourceRoots: [media, bundle],
    });
    try {
      const first = webviewHtml(panel.webview, extensionUri());
      const second = webviewHtml(panel.webview, extensionUri());
      assert.notEqual(nonceOf(first), nonceOf(second));
      assert.ok(first.includes(`<script nonce="${nonceOf(first)}" src="${panel.webview.asWebviewUri(vscode.Uri.joinPath(bundle, 'panel.js')).toString()}">`));
      assert.ok(first.includes(`href="${panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString()}"`));
      assert.ok(cspOf(first).includes(`style-src ${panel.webview.cspSource}`));

      // The real page in a real webview: panel.js loads from dist/panel/ under the nonce and says so.
      const messages: unknown[] = [];
      const listener = panel.webview.onDidReceiveMessage((m: unknown) => messages.push(m));
      try {
        panel.webview.html = second;
        await waitFor('panel.js to post "ready"', () => (messages.some((m) => parsePanelRequest(m)?.type === 'ready') ? true : undefined), 20_000);
        assert.equal(await panel.webview.postMessage(panelMessage(stateWith('{"a":1}'))), true);
      } finally {
        listener.dispose();
      }
    } finally {
      panel.dispose();
    }
  });

  it('is the view type the serializer restores', () => {
    assert.equal(RunPanels.viewType, 'marketoWebhook.runResult');
  });
});

describe('run panel: messages from the webview are checked', () => {
  it('accepts the known requests and keeps only their own fields', () => {
    assert.deepEqual(parsePanelRequest({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parsePanelRequest({ type: 'runAgain' }), { type: 'runAgain' });
    assert.deepEqual(parsePanelRequest({ type: 'showProblems' }), { type: 'showProblems' });
    for (const type of ['select', 'copyCurl', 'openResponse', 'saveResult']) {
      assert.deepEqual(parsePanelRequest({ type, id: 'r1', command: 'x' }), { type, id: 'r1' });
    }
    assert.deepEqual(parsePanelRequest({ type: 'copyRecipe', id: 'r1' }), { type: 'copyRecipe', id: 'r1' });
    // The rest of a long body, by the key of the state it belongs to (the host answers only its last key, once).
    assert.deepEqual(parsePanelRequest({ type: 'rest', key: 'k1', slot: 'x' }), { type: 'rest', key: 'k1' });
  });

  it('refuses anything else', () => {
    for (const bad of [
      undefined, null, 'runAgain', 42, [], ['runAgain'], {}, { type: 'RUNAGAIN' }, { type: 'eval', code: 'x' },
      { type: 'select' }, { type: 'select', id: 7 }, { type: 'select', id: '' }, { type: 'select', id: 'x'.repeat(300) },
      { type: 'copyRecipe' }, { type: 'copyRecipe', id: { toString: 'x' } }, { type: 'copyText', text: 'the page may not choose clipboard text' },
      { type: '__proto__' }, { type: 'constructor' },
      { type: 'rest' }, { type: 'rest', key: 1 }, { type: 'rest', key: '' }, { type: 'rest', key: 'k'.repeat(300) },
    ]) {
      assert.equal(parsePanelRequest(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('run panel: the assumptions link opens the behaviour docs, nothing else', () => {
  const markdownPreviews = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('markdown.preview'));

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('accepts openDocs only with an anchor of docs/marketo-behaviour.md, and keeps nothing else of the message', () => {
    for (const anchor of ['booleans', 'error-type', 'xml-arrays', 'clearing-fields', 'empty-body', 'datetimes', 'read-only-fields']) {
      assert.deepEqual(parsePanelRequest({ type: 'openDocs', anchor, path: '/etc/passwd', uri: 'command:x' }), { type: 'openDocs', anchor });
    }
    for (const forged of [
      { type: 'openDocs' }, { type: 'openDocs', anchor: '' }, { type: 'openDocs', anchor: 'nope' }, { type: 'openDocs', anchor: 'Booleans' },
      { type: 'openDocs', anchor: '../../../etc/passwd' }, { type: 'openDocs', anchor: 'booleans/../../x' }, { type: 'openDocs', anchor: '#booleans' },
      { type: 'openDocs', anchor: 'docs/marketo-behaviour.md#booleans' }, { type: 'openDocs', anchor: 'command:workbench.action.terminal.sendSequence' },
      { type: 'openDocs', anchor: ['booleans'] }, { type: 'openDocs', anchor: { toString: () => 'booleans' } },
      { type: 'openDocs', anchor: '__proto__' }, { type: 'openDocs', anchor: 'constructor' }, { type: 'openDocs', path: 'README.md' },
    ]) {
      assert.equal(parsePanelRequest(forged), undefined, JSON.stringify(forged));
    }
  });

  it('opens the shipped docs file in the Markdown preview, at the anchor', async () => {
    const uri = await openBehaviourDocs(extensionUri(), 'booleans');
    assert.equal(uri.fragment, 'booleans');
    assert.equal(uri.path, vscode.Uri.joinPath(extensionUri(), 'docs', 'marketo-behaviour.md').path);
    // The file the extension ships holds the heading the anchor names.
    assert.match(readFileSync(uri.fsPath, 'utf8'), /^#{2,4} Booleans$/m);
    const tab = await waitFor('the Markdown preview of marketo-behaviour.md', () => markdownPreviews().find((t) => t.label.includes('marketo-behaviour.md')), 20_000);
    assert.ok(tab.label.startsWith('Preview'), tab.label);
  });

  it('refuses an anchor the docs do not have, and opens nothing', async () => {
    for (const anchor of ['nope', '../../../etc/passwd', 'booleans?x']) {
      await assert.rejects(openBehaviourDocs(extensionUri(), anchor), /marketo-behaviour\.md has no section/);
    }
    // Refused before any command runs: nothing was opened.
    assert.deepEqual(markdownPreviews().map((t) => t.label), []);
  });

  it('posts the run\'s assumptions to the page with their docs links', () => {
    const state = stateWith('{"a":1}');
    const assumptions = [{ id: 'booleans', text: 'yes/no …', doc: 'docs/marketo-behaviour.md#booleans' }];
    const withAssumptions: PanelState = { ...state, current: { ...state.current!, result: { ...state.current!.result, assumptions } } };
    const run = panelMessage(withAssumptions).view.run;
    assert.ok('id' in run);
    // Each with the anchor the host checked against the docs: the page opens nothing else.
    assert.deepEqual(run.assumptions, [{ ...assumptions[0], anchor: 'booleans' }]);
    // The page reads them and writes them as text; its link posts the anchor, not a path.
    const script = pageSources();
    assert.match(script, /renderAssumptions\(run\?\.assumptions/);
    assert.match(script, /post\(\{ type: 'openDocs', anchor \}\)/);
  });
});

describe('run panel: large bodies', () => {
  /** The response body the page gets for `state`. */
  const bodyOf = (state: PanelState, limit?: number) => {
    const run = panelMessage(state, limit).view.run;
    assert.ok('id' in run && run.response?.kind === 'response', 'no response in the view');
    return run.response.body;
  };

  it('posts a small body as it is', () => {
    const state = stateWith('{"a":1}');
    const body = bodyOf(state);
    assert.equal(body.raw, '{"a":1}');
    assert.equal(body.cut, null);
    assert.equal(body.formatted, '{\n  "a": 1\n}');
  });

  it('cuts a 10 MB body to the start the page shows, and says how much there is', () => {
    const body = `{"x":"${'y'.repeat(10 * 1024 * 1024)}"}`;
    const state = stateWith(body);
    const message = panelMessage(state);
    const shown = bodyOf(state);
    assert.equal(shown.raw.length, PANEL_BODY_CHARS);
    assert.deepEqual(shown.cut, { chars: PANEL_BODY_CHARS, totalChars: body.length });
    assert.equal(shown.heading, 'Formatted JSON (the start only)');
    // The start, raw and laid out: nothing near 10 MB is posted.
    assert.ok(JSON.stringify(message).length < 2 * PANEL_BODY_CHARS + 10_000);
    // The store's record is left whole (the editor gets the whole body).
    assert.equal(state.current?.result.response?.body.length, body.length);
  });

  it('never cuts inside a surrogate pair', () => {
    const body = bodyOf(stateWith(`${'a'.repeat(9)}😀${'b'.repeat(20)}`), 10);
    assert.equal(body.raw, 'a'.repeat(9));
    assert.equal(body.cut?.chars, 9);
  });
});

describe('run panel: actions', () => {
  it('opens a response in the editor language its Content-Type or first character says', () => {
    assert.equal(responseLanguage({ headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: 'x' }), 'json');
    assert.equal(responseLanguage({ headers: { 'content-type': 'application/problem+json' }, body: '' }), 'json');
    assert.equal(responseLanguage({ headers: { 'content-type': 'text/xml' }, body: '{' }), 'xml');
    assert.equal(responseLanguage({ headers: { 'content-type': 'application/soap+xml' }, body: '' }), 'xml');
    assert.equal(responseLanguage({ headers: {}, body: '  [1]' }), 'json');
    assert.equal(responseLanguage({ headers: { 'content-type': 'text/plain' }, body: '<a/>' }), 'xml');
    assert.equal(responseLanguage({ headers: { 'content-type': 'text/html' }, body: 'hello' }), 'plaintext');
  });

  it('names the saved result after the definition', () => {
    assert.equal(resultFileName('enrich-company.webhook.jsonc'), 'enrich-company.result.json');
    assert.equal(resultFileName('Enrich.WEBHOOK.JSONC'), 'Enrich.result.json');
    assert.equal(resultFileName('notes.jsonc'), 'notes.result.json');
    assert.equal(resultFileName('Untitled-1'), 'Untitled-1.result.json');
  });
});

describe('run panel: static guards on the page script and stylesheet', () => {
  it('the page never builds HTML or code from text, in its sources or its bundle', () => {
    for (const [name, script] of [['src/panel', pageSources()], ['dist/panel/panel.js', pageBundle()]] as const) {
      for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'setAttribute(\'on', 'srcdoc', 'DOMParser', 'createContextualFragment']) {
        assert.ok(!script.includes(sink), `${name} uses ${sink}`);
      }
      assert.ok(script.includes('textContent'), name);
      assert.ok(script.includes('acquireVsCodeApi()'), name);
    }
  });

  it('the page imports nothing but its own modules and types', () => {
    const imports = [...pageSources().matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)];
    assert.ok(imports.length > 5);
    for (const [line, type, from] of imports) assert.ok(from?.startsWith('./') || type !== undefined, line);
    // Not a module of the engine or the extension, even for types: the host computes, the page shows.
    for (const [line, , from] of imports) assert.ok(!from?.includes('..'), line);
  });

  it('panel.css takes every colour from the theme', () => {
    const css = mediaText('panel.css').replace(/\/\*[\s\S]*?\*\//g, '');
    assert.ok(!/#[0-9a-f]{3,8}\b/i.test(css), 'no hex colours');
    assert.ok(!/\b(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/i.test(css), 'no colour functions');
    assert.ok(!/:\s*(white|black|red|green|blue|gray|grey|yellow|orange|transparent)\b/i.test(css), 'no named colours');
    const variables = [...css.matchAll(/var\((--[a-zA-Z0-9-]+)/g)].map((m) => m[1] ?? '');
    assert.ok(variables.length > 20);
    for (const v of variables) assert.ok(v.startsWith('--vscode-') || v === '--badge-colour', `${v} is not a theme variable`);
    assert.ok(css.includes('var(--vscode-editor-font-family)'));
    assert.ok(css.includes(':focus-visible'));
  });
});

describe('run panel: copy recipe', () => {
  it('builds the recipe from the stored run, the exact Error Type first', () => {
    const text = recipeText({
      definition: { name: 'Enrich', file: '/x.webhook.jsonc' },
      request: null,
      response: null,
      classification: { code: 429, category: 'client-error', errorType: 'Too Many Requests', standardPhrase: null, title: '429 Too Many Requests: slow down', network: null, mappingsApplied: false },
      mappings: [],
      handling: { summary: 'Wait and call again.', steps: ['Add a Wait step.', 'Call Webhook again.'] },
      assumptions: [],
      diagnostics: [],
    });
    assert.equal(text, 'Webhook "Enrich": 429 Too Many Requests: slow down\nError Type (Webhook is Called): Too Many Requests\n\nWait and call again.\n\n1. Add a Wait step.\n2. Call Webhook again.\n');
  });
});

/** VS Code 1.100's pattern for links in notification and input box text (src/vs/base/common/linkedText.ts). */
const VSCODE_LINKED_TEXT = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

describe('notifications: quoted text makes no link', () => {
  it('quote hostile text without making a link VS Code would follow', () => {
    const hostile = [
      'cannot open [Fix it](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20x%7Csh%5Cn%22%7D)',
      '[a](https://evil.example/ "title") and [b](file:///etc/passwd) [c](COMMAND:x)',
      '[x](command:a) [y](command:b "title") [[z](command:c)',
    ];
    for (const text of hostile) {
      assert.ok([...text.matchAll(VSCODE_LINKED_TEXT)].length > 0, `the oracle finds no link in ${text}`);
      const shown = plainMessage(text);
      assert.deepEqual([...shown.matchAll(VSCODE_LINKED_TEXT)], [], shown);
      assert.equal(shown.replace(/\] \(/g, ']('), text, 'only the link syntax is changed');
    }
    assert.equal(plainMessage('cannot read x.lead.json (no such file)'), 'cannot read x.lead.json (no such file)');
  });
});

/** A LogOutputChannel that keeps its lines, for a panel of the test's own. */
function recordingLog(lines: string[]): vscode.LogOutputChannel {
  const keep = (level: string) => (message: string) => { lines.push(`${level} ${message}`); };
  return { info: keep('info'), warn: keep('warn'), error: keep('error'), debug: keep('debug'), trace: keep('trace') } as unknown as vscode.LogOutputChannel;
}

describe('run panel: the state a panel is restored from is untrusted', () => {
  const lines: string[] = [];
  let panels: RunPanels;
  let catalogs: CatalogService;
  // A folder named like a definition, outside the workspace (whose watchers would read it).
  const scratch = mkdtempSync(join(tmpdir(), 'mww-restore-'));
  const folder = vscode.Uri.file(join(scratch, 'folder.webhook.jsonc'));

  before(() => {
    const log = recordingLog(lines);
    catalogs = new CatalogService(log);
    const services = { catalogs, log } as unknown as Services;
    // A panel of the test's own: the extension's one registered the serializer for this view type.
    panels = new RunPanels({ extensionUri: extensionUri() } as vscode.ExtensionContext, services, {
      state: (definition) => ({ definition: definition.toString(), fileName: definition.path.split('/').pop() ?? '', running: false, history: [] }),
      record: () => undefined,
    });
    mkdirSync(folder.fsPath);
  });

  after(() => {
    panels.dispose();
    catalogs.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Restores a fresh panel of the run panel's view type from `state`; whether it was closed. */
  async function restore(state: unknown): Promise<{ panel: vscode.WebviewPanel; closed: boolean; logged: string[] }> {
    const panel = vscode.window.createWebviewPanel(RunPanels.viewType, 'restored', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
    let closed = false;
    panel.onDidDispose(() => { closed = true; });
    const before = lines.length;
    await panels.deserializeWebviewPanel(panel, state);
    return { panel, closed, logged: lines.slice(before) };
  }

  it('closes the panel, with one line in the log, for every state that does not name a definition file', async () => {
    const definition = workspaceFile('good.webhook.jsonc');
    const forged: unknown[] = [
      undefined, null, 42, definition.toString(), [definition.toString()], {}, { definition: 42 }, { definition: '' },
      { definition: `${definition.toString()}${'/x'.repeat(3000)}.webhook.jsonc` },
      { definition: 'no scheme at all.webhook.jsonc' },
      { definition: 'command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22x%22%7D' },
      { definition: 'command:marketoWebhook.run?x.webhook.jsonc' },
      { definition: 'https://evil.example/x.webhook.jsonc' },
      { definition: 'untitled:Untitled-1.webhook.jsonc' },
      { definition: 'vscode-userdata:/User/settings.json' },
      { definition: `${definition.toString()}?query` },
      { definition: `${definition.toString()}#fragment` },
      // real files and folders that are not definitions, and a definition that does not exist
      { definition: workspaceFile('hover-ada.lead.json').toString() },
      { definition: 'file:///etc/passwd' },
      { definition: workspaceFile('nowhere.webhook.jsonc').toString() },
      { definition: folder.toString() },
    ];
    for (const state of forged) {
      const { closed, logged } = await restore(state);
      assert.ok(closed, `a panel was restored from ${JSON.stringify(state)?.slice(0, 200)}`);
      assert.equal(logged.length, 1, JSON.stringify(logged));
      assert.match(logged[0] ?? '', /^warn Run panel: not restored after the reload: .+\.$/);
      // The log does not repeat what the state holds.
      assert.ok(!(logged[0] ?? '').includes('sendSequence') && !(logged[0] ?? '').includes('evil.example'), logged[0]);
    }
  });

  it('restores the panel of a definition file of the workspace', async () => {
    const definition = workspaceFile('good.webhook.jsonc');
    assert.deepEqual(restoredDefinition({ definition: definition.toString() }, new Set(['file'])), { uri: vscode.Uri.parse(definition.toString(), true) });
    const { panel, closed, logged } = await restore({ definition: definition.toString() });
    assert.equal(closed, false);
    assert.deepEqual(logged, []);
    assert.equal(panel.title, 'Run: good.webhook.jsonc');
    assert.match(panel.webview.html, /<h1 id="panel-title">/);
    // One panel per definition: a second saved panel for it is closed.
    const second = await restore({ definition: definition.toString() });
    assert.equal(second.closed, true);
    panel.dispose();
  });

  it('accepts the scheme of a workspace folder (e.g. vscode-remote), only with it', () => {
    const remote = 'vscode-remote://ssh-remote%2Bbox/home/me/w/enrich.webhook.jsonc';
    assert.ok('problem' in restoredDefinition({ definition: remote }, new Set(['file'])));
    assert.ok('uri' in restoredDefinition({ definition: remote }, new Set(['file', 'vscode-remote'])));
    assert.ok('uri' in restoredDefinition({ definition: 'file:///w/Enrich.WEBHOOK.JSONC' }, new Set(['file'])));
  });
});

describe('run panel: a response opened in an editor fetches nothing', () => {
  let server: Server;
  let origin = '';
  const requested: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      requested.push(path);
      if (path.endsWith('schema.json')) {
        res.setHeader('Content-Type', 'application/schema+json');
        res.end(JSON.stringify({ type: 'object', properties: { leak: { type: 'string' } } }));
        return;
      }
      if (path === '/answer.json') {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ $schema: `${origin}/schema.json`, company: { name: 'Acme' } }, null, 2));
        return;
      }
      if (path === '/answer.xml') {
        res.setHeader('Content-Type', 'application/xml');
        res.end(`<?xml version="1.0"?>\n<!DOCTYPE lead SYSTEM "${origin}/lead.dtd">\n<lead xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:x ${origin}/lead.xsd"><score>42</score></lead>`);
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    server.closeAllConnections();
    server.close();
  });

  /** Runs a definition against the test's server through the run command: the record the panel would show. */
  async function runAgainst(name: string, path: string, responseType: string): Promise<RunRecord> {
    const uri = workspaceFile(`${name}.webhook.jsonc`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({ name, url: `${origin}${path}`, requestType: 'GET', responseType, test: { lead: {} } })));
    const record = await vscode.commands.executeCommand<RunRecord | undefined>('marketoWebhook.run', uri);
    assert.ok(record?.result.response, `no response: ${JSON.stringify(record?.result.classification)}`);
    return record;
  }

  /** Waits (bounded) for a request to `path`; whether it came. */
  async function requestFor(path: string, ms: number): Promise<boolean> {
    try {
      await waitFor(`a request for ${path}`, () => (requested.includes(path) ? true : undefined), ms);
      return true;
    } catch {
      return false;
    }
  }

  it('opens in languages of the extension\'s own, which no language server knows', async () => {
    const languages = await vscode.languages.getLanguages();
    for (const id of [RESPONSE_EDITOR_LANGUAGES.json, RESPONSE_EDITOR_LANGUAGES.xml]) assert.ok(languages.includes(id), `${id} is not contributed`);
    const ids: readonly string[] = Object.values(RESPONSE_EDITOR_LANGUAGES);
    for (const id of ['json', 'jsonc', 'xml']) assert.ok(!ids.includes(id), id);
  });

  // The control: in this VS Code, a `json` document's $schema is fetched. Without it the test
  // below could pass because nothing fetches at all.
  it('(control) a json document here fetches the URL in its $schema', async () => {
    const setting = vscode.workspace.getConfiguration('json').get<boolean>('schemaDownload.enable');
    assert.equal(setting, true, 'json.schemaDownload.enable is off: the test below would prove nothing');
    const document = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify({ $schema: `${origin}/control-schema.json`, a: 1 }) });
    await vscode.window.showTextDocument(document, { preview: false });
    assert.ok(await requestFor('/control-schema.json', 20_000), 'the JSON language service did not fetch the schema');
  });

  it('a JSON response with a $schema: opened through the panel\'s action, nothing is fetched', async () => {
    const record = await runAgainst('open-json', '/answer.json', 'JSON');
    assert.ok(record.result.response?.body.includes('/schema.json'));
    const editor = await openResponseInEditor(record.result.response!);
    assert.equal(editor.document.languageId, RESPONSE_EDITOR_LANGUAGES.json);
    assert.equal(editor.document.getText(), record.result.response?.body);
    // As long as the control took at most, with a margin: the schema service is running by now.
    assert.equal(await requestFor('/schema.json', 5_000), false, `the editor fetched the body's $schema: ${requested.join(', ')}`);
  });

  it('an XML response with a DTD and a schema location: opened in the XML look-alike, nothing is fetched', async () => {
    const record = await runAgainst('open-xml', '/answer.xml', 'XML');
    const editor = await openResponseInEditor(record.result.response!);
    assert.equal(editor.document.languageId, RESPONSE_EDITOR_LANGUAGES.xml);
    assert.equal(await requestFor('/lead.dtd', 2_000) || requested.includes('/lead.xsd'), false, requested.join(', '));
  });
});
