import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { RunRecord } from '../../src/extension/run-records';
import { bundleLoaded, EXTENSION_ID, waitFor, workspaceFile } from './util';

/** Whether the extension host has loaded dist/vendor/<name>.js (the build's lazily loaded bundles). */
function vendorLoaded(name: string): boolean {
  return bundleLoaded('vendor', `${name}.js`);
}


describe('activation', () => {
  it('activates for definitions: on opening one, and in a workspace that has them', async () => {
    const extension = vscode.extensions.getExtension<unknown>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    const events = (extension.packageJSON as { activationEvents: string[] }).activationEvents;
    // The panel's serializer needs the last one to restore the panel after a window reload.
    assert.deepEqual(events, ['onLanguage:marketo-webhook', 'workspaceContains:**/*.webhook.jsonc', 'onWebviewPanel:marketoWebhook.runResult']);
    const document = await vscode.workspace.openTextDocument(workspaceFile('good.webhook.jsonc'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'marketo-webhook');
    await waitFor('activation', () => (extension.isActive ? true : undefined));
  });

  it('keeps Run Against Lead List… and the Marketo commands out of activation', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, 'the extension is active');
    assert.deepEqual([bundleLoaded('lead-list-command.js'), bundleLoaded('marketo-commands.js')], [false, false]);
  });

  // Issue 6's activation budget: the HTTP client and the XML parser are not read until needed.
  // This runs before any other suite's run (files load in name order), so nothing has loaded them.
  it('loads the run engine, undici and the XML parser on the first run, not at activation', async () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, 'the extension is active');
    assert.deepEqual([bundleLoaded('run-engine.js'), vendorLoaded('undici'), vendorLoaded('fast-xml-parser')], [false, false, false]);
    const server = createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/xml');
      res.end('<lead><score>42</score></lead>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const uri = workspaceFile('lazy-load.webhook.jsonc');
      const definition = {
        name: 'Lazy load',
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/score`,
        requestType: 'GET',
        responseType: 'XML',
        responseMappings: [{ responseAttribute: 'lead.score', marketoField: 'LeadScore' }],
        test: { lead: { Email: 'ada@example.com' } },
      };
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(definition)));
      const record = await vscode.commands.executeCommand<RunRecord | undefined>('marketoWebhook.run', uri);
      assert.deepEqual(record?.result.mappings.map((m) => [m.marketoField, m.status, m.value]), [['LeadScore', 'applied', 42]]);
      assert.deepEqual([bundleLoaded('run-engine.js'), vendorLoaded('undici'), vendorLoaded('fast-xml-parser')], [true, true, true]);
      await vscode.workspace.fs.delete(uri);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('lists broken definitions in the Problems panel without opening them', async () => {
    const uri = workspaceFile('malformed-token.webhook.jsonc');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the test needs it unopened');
    const found = await waitFor('background diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length > 0 ? d : undefined;
    });
    assert.deepEqual(found.map((d) => d.code), ['token-default-syntax']);
  });

  it('contributes the language under its name', async () => {
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes('marketo-webhook'));
    const document = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content: '{}' });
    assert.equal(document.languageId, 'marketo-webhook');
  });
});
