// The extension's plain-text rules for what it logs: no quoted value may fake a line of its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logLine } from '../../src/extension/message-text';

test('logLine: a line break or other control character in a quoted value cannot start a new log line', () => {
  const label = 'x\n2026-12-04 10:00:00.000 [info] hooks/pay.webhook.jsonc: POST https://evil.example → 200 OK';
  const line = logLine(`enrich.webhook.jsonc: POST https://api.example.com/x → 200 OK [lead: ${label}]`);
  assert.equal(line.split(/[\r\n\u2028\u2029]/).length, 1, line);
  assert.match(line, /\[lead: x\\u000a2026-12-04/);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(logLine('a\rb\u001b[2Jc\u0085d\u2028e\u007f'), /[\u0000-\u001f\u007f-\u009f\u2028]/);
  assert.equal(logLine('café → 200 OK [lead: ada.lead.json]'), 'café → 200 OK [lead: ada.lead.json]');
});
