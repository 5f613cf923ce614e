// What a workspace can make the editor read: a sample lead or field catalog outside the workspace
// folder (directly, through `..` or a symbolic link), a FIFO, /dev/zero, and settings written into
// the workspace's .vscode/settings.json. Real files, a real FIFO (mkfifo) and a server on
// 127.0.0.1; a read that waits on a FIFO is released by the test (a writer opens it) and fails.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../src/extension/run-records';
import { waitFor, workspaceFile } from './util';

const posix = process.platform !== 'win32';
const GUARD_MS = 15_000;
const FOLDER = 'file-safety';
const encode = (text: string) => new TextEncoder().encode(text);

/** `work` must settle by itself; after the guard, a writer releases whatever waits on `fifos`, and the test fails. */
async function settles<T>(what: string, work: Thenable<T>, fifos: string[] = []): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      for (const fifo of fifos) {
        try { closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)); } catch { /* nobody waits on it */ }
      }
      reject(new Error(`${what} did not finish within ${GUARD_MS} ms: the extension host waited on a file`));
    }, GUARD_MS);
  });
  try {
    return await Promise.race([Promise.resolve(work), guard]);
  } finally {
    clearTimeout(timer);
  }
}

async function hoverText(uri: vscode.Uri, target: string): Promise<string> {
  const document = await vscode.workspace.openTextDocument(uri);
  const offset = document.getText().indexOf(target);
  assert.ok(offset >= 0, `"${target}" is not in ${uri.fsPath}`);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, document.positionAt(offset + 3));
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('what a workspace can make the editor read', () => {
  let server: Server;
  let origin = '';
  const received: string[] = [];
  let outside = '';

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push(body);
        const answer = () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
        // Slow enough that a 1 ms timeout would fire, fast enough for the default 30 s.
        if (req.url === '/slow') setTimeout(answer, 300);
        else answer();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A sibling of the workspace folder: what `../..` or a link could reach.
    outside = mkdtempSync(join(tmpdir(), 'mww-outside-'));
    writeFileSync(join(outside, 'credentials.lead.json'), JSON.stringify({ 'Email Address': 'leaked-key@example.com', 'First Name': 'Leaky' }));
    writeFileSync(join(outside, 'marketo-fields.json'), JSON.stringify({
      success: true,
      result: [{ id: 9101, displayName: 'Safety Tier', dataType: 'string', length: 255, rest: { name: 'safetyTier' }, soap: { name: 'Safety_Tier__c' } }],
    }));
  });

  after(async () => {
    server.closeAllConnections();
    server.close();
    rmSync(outside, { recursive: true, force: true });
    await vscode.workspace.fs.delete(workspaceFile(FOLDER), { recursive: true }).then(undefined, () => undefined);
  });

  /** Writes a definition under file-safety/ and returns its URI. */
  async function definition(name: string, fields: Record<string, unknown>): Promise<vscode.Uri> {
    const uri = workspaceFile(`${FOLDER}/${name}.webhook.jsonc`);
    await vscode.workspace.fs.writeFile(uri, encode(JSON.stringify({
      name, url: `${origin}/hook`, template: '{"email": {{lead.Email Address}}}', requestTokenEncoding: 'JSON',
      headers: { 'Content-Type': 'application/json' }, ...fields,
    }, null, 2)));
    return uri;
  }

  const run = (uri: vscode.Uri) => vscode.commands.executeCommand<RunRecord | undefined>('marketoWebhook.run', uri);
  const leadProblem = (record: RunRecord | undefined) => record?.result.diagnostics.find((d) => d.code === 'lead-unusable')?.message;

  it('a run refuses a test.lead outside the workspace folder, by path or through a link, and sends nothing', async () => {
    const uri = await definition('outside-lead', { test: { lead: relative(dirname(workspaceFile(`${FOLDER}/x`).fsPath), join(outside, 'credentials.lead.json')) } });
    const sentBefore = received.length;
    const record = await run(uri);
    assert.match(leadProblem(record) ?? '', /^Cannot read the sample lead \.\.\/.*credentials\.lead\.json: it is outside the workspace folder; a definition may only name files inside it\. To use it anyway, remove test\.lead and set the file in your user setting marketoWebhook\.defaultLead\.$/);
    assert.equal(record?.result.request, null);
    if (posix) {
      symlinkSync(join(outside, 'credentials.lead.json'), workspaceFile(`${FOLDER}/linked.lead.json`).fsPath);
      const linked = await run(await definition('linked-lead', { test: { lead: 'linked.lead.json' } }));
      assert.match(leadProblem(linked) ?? '', /^Cannot read the sample lead linked\.lead\.json: it is outside the workspace folder;/);
    }
    assert.equal(received.length, sentBefore, 'a request was sent');
  });

  it('the same lead in the user setting defaultLead is the user\'s choice: it is read and sent', async () => {
    const config = vscode.workspace.getConfiguration('marketoWebhook');
    await config.update('defaultLead', join(outside, 'credentials.lead.json'), vscode.ConfigurationTarget.Global);
    try {
      const record = await run(await definition('user-lead', { test: {} }));
      assert.equal(record?.result.classification?.code, 200, JSON.stringify(record?.result.diagnostics));
      assert.equal(received.at(-1), '{"email": "leaked-key@example.com"}');
    } finally {
      await config.update('defaultLead', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a FIFO or /dev/zero as the sample lead is refused at once, and the host goes on', async function () {
    if (!posix) this.skip();
    const fifo = workspaceFile(`${FOLDER}/lead.fifo`).fsPath;
    await vscode.workspace.fs.createDirectory(workspaceFile(FOLDER));
    execFileSync('mkfifo', [fifo]);
    const record = await settles('the run', run(await definition('fifo-lead', { test: { lead: 'lead.fifo' } })), [fifo]);
    assert.match(leadProblem(record) ?? '', /^Cannot read the sample lead lead\.fifo: it is a FIFO \(named pipe\), not a regular file/);

    const config = vscode.workspace.getConfiguration('marketoWebhook');
    await config.update('defaultLead', '/dev/zero', vscode.ConfigurationTarget.Global);
    try {
      const zero = await settles('the run', run(await definition('zero-lead', { test: {} })));
      assert.match(leadProblem(zero) ?? '', /^Cannot read the sample lead \/dev\/zero: it is a character device, not a regular file/);
    } finally {
      await config.update('defaultLead', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  describe('field catalogs', () => {
    /** A batch run (nothing sent) validates against the catalog it waited for: its diagnostics say which. */
    const tierCodes = async (folder: string, fifos: string[] = []) => {
      const uri = await definition(`${folder}/tier`, { template: '{"tier": {{lead.Safety Tier}}}', test: { campaign: 'batch', lead: {} } });
      const record = await settles('the run', run(uri), fifos);
      assert.ok(record, 'the run stopped');
      return record.result.diagnostics.map((d) => d.code);
    };

    it('a marketo-fields.json that links out of the workspace is not read: the standard fields', async function () {
      if (!posix) this.skip();
      // Control: a real copy inside the workspace is read.
      await vscode.workspace.fs.writeFile(workspaceFile(`${FOLDER}/copied/marketo-fields.json`), await vscode.workspace.fs.readFile(vscode.Uri.file(join(outside, 'marketo-fields.json'))));
      assert.deepEqual(await tierCodes('copied'), []);
      await vscode.workspace.fs.createDirectory(workspaceFile(`${FOLDER}/linked`));
      symlinkSync(join(outside, 'marketo-fields.json'), workspaceFile(`${FOLDER}/linked/marketo-fields.json`).fsPath);
      assert.deepEqual(await tierCodes('linked'), ['token-unknown-field']);
    });

    it('a marketo-fields.json linking to /dev/zero, or a FIFO by that name: refused at once, the standard fields', async function () {
      if (!posix) this.skip();
      await vscode.workspace.fs.createDirectory(workspaceFile(`${FOLDER}/zero`));
      symlinkSync('/dev/zero', workspaceFile(`${FOLDER}/zero/marketo-fields.json`).fsPath);
      assert.deepEqual(await tierCodes('zero'), ['token-unknown-field']);
      await vscode.workspace.fs.createDirectory(workspaceFile(`${FOLDER}/fifo`));
      const fifo = workspaceFile(`${FOLDER}/fifo/marketo-fields.json`).fsPath;
      execFileSync('mkfifo', [fifo]);
      assert.deepEqual(await tierCodes('fifo', [fifo]), ['token-unknown-field']);
    });

    it('the fieldsFile setting naming a FIFO or /dev/zero: refused at once, the standard fields', async function () {
      if (!posix) this.skip();
      const fifo = join(outside, 'fields.fifo');
      execFileSync('mkfifo', [fifo]);
      const config = vscode.workspace.getConfiguration('marketoWebhook');
      try {
        for (const file of [fifo, '/dev/zero']) {
          await config.update('fieldsFile', file, vscode.ConfigurationTarget.Global);
          assert.deepEqual(await tierCodes(`setting-${file === fifo ? 'fifo' : 'zero'}`, [fifo]), ['token-unknown-field'], file);
        }
        // Control: the setting's file is the user's, so one outside the workspace is read.
        await config.update('fieldsFile', join(outside, 'marketo-fields.json'), vscode.ConfigurationTarget.Global);
        assert.deepEqual(await tierCodes('setting-outside'), []);
      } finally {
        await config.update('fieldsFile', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });

  it('hover never shows the value of a lead outside the workspace folder', async () => {
    const uri = await definition('hover-outside', {
      template: '{"first": {{lead.First Name}}}',
      test: { lead: join(outside, 'credentials.lead.json') },
    });
    const text = await hoverText(uri, '{{lead.First Name}}');
    assert.match(text, /Sample lead `.*credentials\.lead\.json`: it is outside the workspace folder; a definition may only name files inside it\./);
    assert.ok(!text.includes('Leaky'), text);
    if (posix) {
      symlinkSync(join(outside, 'credentials.lead.json'), workspaceFile(`${FOLDER}/hover-linked.lead.json`).fsPath);
      const linked = await hoverText(await definition('hover-linked', { template: '{"first": {{lead.First Name}}}', test: { lead: 'hover-linked.lead.json' } }), '{{lead.First Name}}');
      assert.match(linked, /Sample lead `hover-linked\.lead\.json`: it is outside the workspace folder/);
      assert.ok(!linked.includes('Leaky'), linked);
    }
    // A lead inside still shows its value.
    await vscode.workspace.fs.writeFile(workspaceFile(`${FOLDER}/inside.lead.json`), encode('{ "First Name": "Insider" }'));
    const inside = await hoverText(await definition('hover-inside', { template: '{"first": {{lead.First Name}}}', test: { lead: 'inside.lead.json' } }), '{{lead.First Name}}');
    assert.match(inside, /Sample lead `inside\.lead\.json`: `Insider`/);
  });

  describe('settings that decide what a run reads or sends are not the workspace\'s', () => {
    const KEYS = ['defaultLead', 'timeoutMs', 'fieldsFile'] as const;
    const settingsFile = () => workspaceFile('.vscode/settings.json');

    after(async () => {
      await vscode.workspace.fs.delete(workspaceFile('.vscode'), { recursive: true }).then(undefined, () => undefined);
      await waitFor('the workspace settings to be gone', () => (vscode.workspace.getConfiguration('editor').inspect('rulers')?.workspaceValue === undefined ? true : undefined));
    });

    it('VS Code refuses to write them into the workspace settings', async () => {
      const config = vscode.workspace.getConfiguration('marketoWebhook');
      const values = { defaultLead: 'x.lead.json', timeoutMs: 1, fieldsFile: 'x.json' };
      for (const key of KEYS) {
        await assert.rejects(Promise.resolve(config.update(key, values[key], vscode.ConfigurationTarget.Workspace)), /can be written only into User settings/, key);
      }
    });

    it('written into .vscode/settings.json by hand, a run and hover ignore them', async () => {
      await vscode.workspace.fs.writeFile(workspaceFile(`${FOLDER}/ws-default.lead.json`), encode('{ "Email Address": "wendy@example.com", "First Name": "Wendy" }'));
      await vscode.workspace.fs.writeFile(workspaceFile(`${FOLDER}/ws-fields.json`), await vscode.workspace.fs.readFile(vscode.Uri.file(join(outside, 'marketo-fields.json'))));
      await vscode.workspace.fs.writeFile(settingsFile(), encode(JSON.stringify({
        'marketoWebhook.defaultLead': `${FOLDER}/ws-default.lead.json`,
        'marketoWebhook.timeoutMs': 1,
        'marketoWebhook.fieldsFile': `${FOLDER}/ws-fields.json`,
        // A setting a workspace may set: proof that VS Code has read this file.
        'editor.rulers': [91],
      })));
      await waitFor('VS Code to read the workspace settings', () => {
        const rulers = vscode.workspace.getConfiguration('editor').inspect<number[]>('rulers')?.workspaceValue;
        return rulers?.[0] === 91 ? true : undefined;
      });
      const config = vscode.workspace.getConfiguration('marketoWebhook', workspaceFile(FOLDER));
      assert.deepEqual(KEYS.map((key) => config.get(key)), ['', 30000, '']);

      // timeoutMs: 1 would time out a 300 ms answer.
      const slow = await definition('ws-timeout', { url: `${origin}/slow`, test: { lead: {} } });
      const record = await run(slow);
      assert.equal(record?.result.classification?.code, 200, JSON.stringify(record?.result.classification));
      // fieldsFile would make Safety Tier known.
      const tier = await run(await definition('ws-fields', { template: '{"tier": {{lead.Safety Tier}}}', test: { campaign: 'batch', lead: {} } }));
      assert.deepEqual(tier?.result.diagnostics.map((d) => d.code), ['token-unknown-field']);
      // defaultLead would give hover Wendy's first name.
      const hover = await hoverText(await definition('ws-lead', { template: '{"first": {{lead.First Name}}}' }), '{{lead.First Name}}');
      assert.match(hover, /No sample lead: set `test\.lead`/);
      assert.ok(!hover.includes('Wendy'), hover);
    });
  });
});
