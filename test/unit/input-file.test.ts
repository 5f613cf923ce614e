// The shared reader of input files (src/node/input-file.ts) on real files: symbolic links, a FIFO
// made with mkfifo, /dev/zero, a /proc file that says it is empty and never ends. Every read that
// could hang is raced against a guard that releases it (a writer opens the FIFO) and fails.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FileRefusedError, describeFsError, isInside, liesInside, readInputText, type Confinement } from '../../src/node/input-file';
import { MAX_INPUT_FILE_BYTES } from '../../src/engine/limits';

const posix = process.platform !== 'win32';
const GUARD_MS = 10_000;

/** `read` must settle on its own; if it is still waiting on `fifo` after the guard, a writer releases it and the test fails. */
async function settles<T>(read: Promise<T>, fifo?: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (fifo) {
        // A reader blocked in open() is released by a writer; closing at once gives it end of file.
        try { closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK)); } catch { /* no reader waiting */ }
      }
      reject(new Error(`the read did not settle within ${GUARD_MS} ms: it waited on the file`));
    }, GUARD_MS);
  });
  try {
    return await Promise.race([read, guard]);
  } finally {
    clearTimeout(timer);
  }
}

async function refusal(read: Promise<unknown>, fifo?: string): Promise<unknown> {
  try {
    await settles(read, fifo);
  } catch (error) {
    return error;
  }
  assert.fail('the file was read');
}

void describe('input files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marketo-webhook-input-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const ws = join(dir, 'ws');
  const outside = join(dir, 'outside');
  mkdirSync(join(ws, 'hooks'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(ws, 'ada.lead.json'), '\uFEFF{ "email": "ada@example.com" }');
  writeFileSync(join(outside, 'credentials.json'), '{ "private_key": "-----BEGIN" }');
  const confined: Confinement = { roots: [ws], refusal: 'it is outside the workspace folder; a definition may only name files inside it.' };

  void test('a regular file: its text, the byte order mark dropped', async () => {
    assert.equal(await readInputText(join(ws, 'ada.lead.json'), { maxBytes: MAX_INPUT_FILE_BYTES }), '{ "email": "ada@example.com" }');
    assert.equal(await readInputText(join(ws, 'ada.lead.json'), { maxBytes: MAX_INPUT_FILE_BYTES, within: confined }), '{ "email": "ada@example.com" }');
  });

  void test('the limit: a file of exactly maxBytes is read, one byte more is refused with its size', async () => {
    writeFileSync(join(ws, 'at.json'), 'x'.repeat(1000));
    writeFileSync(join(ws, 'over.json'), 'x'.repeat(1001));
    assert.equal((await readInputText(join(ws, 'at.json'), { maxBytes: 1000 })).length, 1000);
    const error = await refusal(readInputText(join(ws, 'over.json'), { maxBytes: 1000 }));
    assert.ok(error instanceof FileRefusedError);
    assert.equal(error.reason, 'too-large');
    assert.equal(error.bytes, 1001);
  });

  void test('a 3 GB file (sparse) is refused from its size, unread', async () => {
    const path = join(ws, 'giant.lead.json');
    closeSync(openSync(path, 'w'));
    truncateSync(path, 3 * 1024 * 1024 * 1024);
    const error = await refusal(readInputText(path, { maxBytes: MAX_INPUT_FILE_BYTES }));
    assert.ok(error instanceof FileRefusedError);
    assert.equal(error.message, 'it is 3072.0 MB; a file over 5 MB is not read');
  });

  void test('a FIFO is refused at once: neither opened for a writer nor waited on', { skip: !posix }, async () => {
    const fifo = join(ws, 'lead.fifo');
    execFileSync('mkfifo', [fifo]);
    const error = await refusal(readInputText(fifo, { maxBytes: MAX_INPUT_FILE_BYTES }), fifo);
    assert.ok(error instanceof FileRefusedError, String(error));
    assert.equal(error.reason, 'not-a-file');
    assert.equal(error.message, 'it is a FIFO (named pipe), not a regular file');
    // The same through a link inside the allowed folder.
    symlinkSync(fifo, join(ws, 'fifo.lead.json'));
    const linked = await refusal(readInputText(join(ws, 'fifo.lead.json'), { maxBytes: MAX_INPUT_FILE_BYTES, within: confined }), fifo);
    assert.equal((linked as Error).message, 'it is a FIFO (named pipe), not a regular file');
  });

  void test('/dev/zero (size 0, endless) is refused as a device, nothing read', { skip: !existsSync('/dev/zero') }, async () => {
    const error = await refusal(readInputText('/dev/zero', { maxBytes: MAX_INPUT_FILE_BYTES }));
    assert.ok(error instanceof FileRefusedError);
    assert.equal(error.message, 'it is a character device, not a regular file');
  });

  void test('a regular file that says it is empty and grows as it is read (/proc/self/pagemap) stops at the limit', { skip: !existsSync('/proc/self/pagemap') }, async () => {
    const error = await refusal(readInputText('/proc/self/pagemap', { maxBytes: 64 * 1024 }));
    assert.ok(error instanceof FileRefusedError, String(error));
    assert.equal(error.reason, 'too-large');
    assert.equal(error.bytes, undefined);
    assert.equal(error.message, 'it is more than 0.1 MB; a file over 0.1 MB is not read');
  });

  void test('a folder, a missing file: the reason in words', async () => {
    assert.equal(describeFsError(await refusal(readInputText(ws, { maxBytes: 100 }))), 'it is a folder, not a file');
    assert.equal(describeFsError(await refusal(readInputText(join(ws, 'nowhere.json'), { maxBytes: 100 }))), 'no such file');
    assert.equal(describeFsError(await refusal(readInputText(join(ws, 'nowhere.json'), { maxBytes: 100, within: confined }))), 'no such file');
  });

  void describe('a file the definition names stays inside the roots', () => {
    void test('`..` out of the root is refused with the caller\'s reason, and the file is not opened', async () => {
      const path = join(ws, 'hooks', '..', '..', 'outside', 'credentials.json');
      const error = await refusal(readInputText(path, { maxBytes: MAX_INPUT_FILE_BYTES, within: confined }));
      assert.ok(error instanceof FileRefusedError);
      assert.equal(error.reason, 'outside');
      assert.equal(error.message, confined.refusal);
      // Named by the user, the same file is read.
      assert.match(await readInputText(path, { maxBytes: MAX_INPUT_FILE_BYTES }), /private_key/);
    });

    void test('an absolute path outside is refused', async () => {
      const error = await refusal(readInputText(join(outside, 'credentials.json'), { maxBytes: MAX_INPUT_FILE_BYTES, within: confined }));
      assert.equal((error as FileRefusedError).reason, 'outside');
    });

    void test('a symbolic link inside that leads outside is refused (links are resolved first)', { skip: !posix }, async () => {
      symlinkSync(join(outside, 'credentials.json'), join(ws, 'hooks', 'linked.lead.json'));
      symlinkSync(outside, join(ws, 'linked-folder'));
      for (const path of [join(ws, 'hooks', 'linked.lead.json'), join(ws, 'linked-folder', 'credentials.json')]) {
        const error = await refusal(readInputText(path, { maxBytes: MAX_INPUT_FILE_BYTES, within: confined }));
        assert.equal((error as FileRefusedError).reason, 'outside', path);
      }
      // /dev/zero through a link inside is outside too.
      symlinkSync('/dev/zero', join(ws, 'zero.lead.json'));
      assert.equal(((await refusal(readInputText(join(ws, 'zero.lead.json'), { maxBytes: MAX_INPUT_FILE_BYTES, within: confined }))) as FileRefusedError).reason, 'outside');
    });

    void test('a root reached through a symbolic link, and a link that stays inside, are fine', { skip: !posix }, async () => {
      symlinkSync(ws, join(dir, 'ws-link'));
      symlinkSync(join(ws, 'ada.lead.json'), join(ws, 'hooks', 'ada-link.lead.json'));
      const viaLinkedRoot: Confinement = { roots: [join(dir, 'ws-link')], refusal: 'outside' };
      assert.match(await readInputText(join(ws, 'hooks', 'ada-link.lead.json'), { maxBytes: 1000, within: viaLinkedRoot }), /ada@example\.com/);
      assert.match(await readInputText(join(dir, 'ws-link', 'ada.lead.json'), { maxBytes: 1000, within: confined }), /ada@example\.com/);
    });

    void test('liesInside, for lists to pick from: a link that leads out is not inside, a missing file neither', { skip: !posix }, async () => {
      symlinkSync(join(outside, 'credentials.json'), join(ws, 'planted.lead.json'));
      assert.equal(await liesInside(join(ws, 'planted.lead.json'), [ws]), false);
      assert.equal(await liesInside(join(ws, 'ada.lead.json'), [ws]), true);
      assert.equal(await liesInside(join(ws, 'missing.lead.json'), [ws]), false);
      assert.equal(await liesInside(join(outside, 'credentials.json'), [ws, outside]), true);
    });

    void test('one root of several is enough', async () => {
      const two: Confinement = { roots: [ws, outside], refusal: 'outside' };
      assert.match(await readInputText(join(outside, 'credentials.json'), { maxBytes: 1000, within: two }), /private_key/);
    });
  });

  void test('isInside: the folder itself and below; not a sibling whose name starts the same', () => {
    const root = join(dir, 'ws');
    assert.equal(isInside(root, root), true);
    assert.equal(isInside(join(root, 'a', 'b.json'), root), true);
    assert.equal(isInside(join(root, '..foo.json'), root), true);
    assert.equal(isInside(join(dir, 'ws2', 'x.json'), root), false);
    assert.equal(isInside(join(dir, 'x.json'), root), false);
    assert.equal(isInside(dir, root), false);
  });
});
