// Hovers and completion details are Markdown that quotes a hostile repository's text: a fields
// file's names and types, a definition's values, the engine's messages quoting them. Quoted raw,
// `![x](http://…)` is an image the hover loads as soon as it shows. Every quoted piece must stay
// text: outside code spans, no image, link or HTML syntax survives, and no command link is trusted.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { markdownCode, markdownMessage, markdownText } from '../../src/extension/markdown-text';
import { workspaceFile } from './util';

/** Where the hostile Markdown points; nothing listens there, the URL only has to be recognisable. */
const IMG = 'http://127.0.0.1:9/leak';

/**
 * What could act in `markdown` under CommonMark: `![`, `](` and `<` outside code spans and not
 * backslash-escaped. Code spans follow CommonMark: a run of n backticks up to the next run of
 * exactly n; a run with no partner is literal text.
 */
function activeMarkdown(markdown: string): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < markdown.length) {
    const c = markdown[i] as string;
    if (c === '\\' && /[!-/:-@[-`{-~]/.test(markdown[i + 1] ?? '')) {
      i += 2;
      continue;
    }
    if (c === '`') {
      let n = 0;
      while (markdown[i + n] === '`') n++;
      const closing = new RegExp(`(?<!\`)\`{${n}}(?!\`)`, 'g');
      closing.lastIndex = i + n;
      const close = closing.exec(markdown);
      i = close ? close.index + n : i + n;
      continue;
    }
    const two = markdown.slice(i, i + 2);
    if (two === '![' || two === '](' || c === '<') found.push(markdown.slice(Math.max(0, i - 20), i + 30));
    i++;
  }
  return found;
}

function assertInert(markdown: vscode.MarkdownString | string | undefined, what: string): string {
  assert.ok(markdown instanceof vscode.MarkdownString, `${what}: not a MarkdownString`);
  assert.notEqual(markdown.isTrusted, true, `${what}: trusted`);
  assert.notEqual(markdown.supportHtml, true, `${what}: HTML allowed`);
  assert.deepEqual(activeMarkdown(markdown.value), [], `${what}: ${markdown.value}`);
  return markdown.value;
}

describe('hover and completion: quoted text stays text', () => {
  const folder = 'hover-hostile';
  const definition = workspaceFile(`${folder}/h.webhook.jsonc`);

  before(async () => {
    const fields = {
      success: true,
      result: [
        {
          displayName: `Evil ![d](${IMG}/display.png)`, dataType: `string ![t](${IMG}/type.png)`, length: 40,
          rest: { name: `evil\` ![r](${IMG}/rest.png) \`x` }, soap: { name: 'Evil_c' },
        },
        // No SOAP name: the engine's reason names its display name outside backticks.
        { displayName: `Other ![w](${IMG}/which.png)`, dataType: 'string', rest: { name: 'otherRest' } },
      ],
    };
    await vscode.workspace.fs.writeFile(workspaceFile(`${folder}/marketo-fields.json`), new TextEncoder().encode(JSON.stringify(fields)));
    await vscode.workspace.fs.writeFile(definition, new TextEncoder().encode(JSON.stringify({
      name: 'Hostile', url: 'https://api.example.com/x', responseType: 'JSON',
      responseMappings: [
        { responseAttribute: 'a', marketoField: `x\` ![m](${IMG}/mapping.png) \`y` },
        { responseAttribute: 'a', marketoField: 'Evil_c' },
        { responseAttribute: 'a', marketoField: 'otherRest' },
        { responseAttribute: 'a', marketoField: '' },
      ],
    }, null, 2)));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(workspaceFile(folder), { recursive: true });
  });

  async function hoverOver(document: vscode.TextDocument, target: string): Promise<vscode.MarkdownString | string | undefined> {
    const offset = document.getText().indexOf(target);
    assert.ok(offset >= 0, `"${target}" is not in the document`);
    // Until the catalog of the folder is loaded, the hover shows the standard fields: wait for the custom one.
    for (let attempt = 0; attempt < 100; attempt++) {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(offset + 2));
      const contents = hovers.flatMap((h) => h.contents);
      const text = contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
      if (contents.length === 1 && (text.includes('127.0.0.1') || attempt === 99)) return contents[0] as vscode.MarkdownString;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return undefined;
  }

  it('a marketoField hover: the engine\'s reason, the field\'s names and type', async () => {
    const document = await vscode.workspace.openTextDocument(definition);
    await vscode.window.showTextDocument(document);
    const reason = assertInert(await hoverOver(document, '"x`'), 'an unknown field with backticks');
    assert.ok(reason.includes('mapping.png'), reason);
    const field = assertInert(await hoverOver(document, '"Evil_c"'), 'a custom field');
    for (const part of ['display.png', 'type.png', 'rest.png']) assert.ok(field.includes(part), field);
    const which = assertInert(await hoverOver(document, '"otherRest"'), 'a field without a SOAP name');
    assert.ok(which.includes('which.png'), which);
  });

  it('a marketoField completion: the field\'s documentation', async () => {
    const document = await vscode.workspace.openTextDocument(definition);
    const text = document.getText();
    const position = document.positionAt(text.indexOf('"marketoField": ""') + '"marketoField": "'.length);
    let item: vscode.CompletionItem | undefined;
    for (let attempt = 0; attempt < 100 && !item; attempt++) {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
      item = list.items.find((i) => i.label === 'Evil_c');
      if (!item) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(item, 'no completion for the custom field');
    const docs = assertInert(item.documentation, 'the completion documentation');
    assert.ok(docs.includes('display.png') && docs.includes('rest.png'), docs);
  });

  it('the quoting rules on their own', () => {
    for (const hostile of [`![a](${IMG}/a.png)`, `[c](command:workbench.action.openSettings)`, '<img src=x>', `<${IMG}>`, 'a`b``c', '`', '\\![x](y)', '[r]: http://x\n\n[r]']) {
      for (const markdown of [markdownText(hostile), markdownCode(hostile), markdownMessage(`No field \`${hostile}\`, see \`${hostile}\` (of ${hostile})`)]) {
        assert.deepEqual(activeMarkdown(markdown), [], markdown);
      }
    }
    // The engine's backticked names stay code spans; plain prose is left as written.
    assert.equal(markdownMessage('`firstName` is the REST API name; use `FirstName`.'), '`firstName` is the REST API name; use `FirstName`.');
    assert.equal(markdownMessage('the file does not exist.'), 'the file does not exist.');
    assert.equal(markdownMessage('odd ` one'), 'odd \\` one');
  });
});
