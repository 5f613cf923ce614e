// Connect to Marketo, then Pull Sample Lead…, typed into VS Code's own prompts against the fake
// Marketo on 127.0.0.1; the notice says the file holds personal data, its button adds the
// .gitignore line. Screenshot pull-sample-lead.png: the pulled lead open beside the explorer, with
// the notice in its corner.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { findCommand, runCommand } from '../harness/browser';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, startFakeMarketo, type FakeMarketo } from '../unit/fake-marketo';
import { workbenchSession } from './session';

/** Types one answer into the open input box whose title has `title`, then Enter. */
async function answer(page: Page, title: string, text: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
  const input = widget.locator('.quick-input-box input');
  await input.fill(text);
  await page.keyboard.press('Enter');
}

function toast(page: Page, text: string | RegExp) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

describe('pull from Marketo', () => {
  let fake: FakeMarketo;
  const session = workbenchSession();
  const workspace = process.env.WORKSPACE ?? '';
  const folder = join(workspace, 'pulls-ui');

  before(async () => {
    fake = await startFakeMarketo();
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'crm-sync.webhook.jsonc'), JSON.stringify({
      name: 'CRM sync', url: 'https://crm.example.com/hooks/{{lead.Email Address}}', requestType: 'POST',
      template: '{"first": {{lead.First Name}}}', requestTokenEncoding: 'JSON', headers: { 'Content-Type': 'application/json' },
    }, null, 2));
  });

  after(async () => {
    await fake?.close();
    // The other UI tests share the workspace.
    rmSync(folder, { recursive: true, force: true });
    rmSync(join(workspace, '.gitignore'), { force: true });
  });

  it('connects, pulls a sample lead by email, says it is personal data and adds the .gitignore line on request', async () => {
    const { page } = session;
    // Opened from the explorer's folder: the lead is written next to the active definition.
    await page.keyboard.press('Control+P');
    const quick = page.locator('.quick-input-widget .quick-input-box input');
    await quick.fill('crm-sync.webhook.jsonc');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'crm-sync.webhook.jsonc' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: 'crm-sync.webhook.jsonc' }).waitFor();

    // Clicked, not runCommand(): the prompt that follows reuses the palette's widget, so it never hides.
    await (await findCommand(page, 'Marketo Webhook: Connect to Marketo')).click();
    await answer(page, 'REST base URL', fake.baseUrl);
    await answer(page, 'Client Id', FAKE_CLIENT_ID);
    await answer(page, 'Client Secret', FAKE_CLIENT_SECRET);
    await toast(page, 'Connected to Marketo').waitFor({ timeout: 30_000 });
    assert.equal(fake.identityRequests().length, 1);
    // Only the pull's notice in the screenshot.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await page.locator('.notification-toast').first().waitFor({ state: 'hidden', timeout: 10_000 });

    await (await findCommand(page, 'Marketo Webhook: Pull Sample Lead…')).click();
    await answer(page, 'which lead', 'jane.doe@example.com');
    const notice = toast(page, 'personal data');
    await notice.waitFor({ timeout: 30_000 });
    assert.match(await notice.innerText(), /Wrote lead 318581 with 8 fields to pulls-ui\/jane\.doe\.lead\.json/);
    const file = join(folder, 'jane.doe.lead.json');
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { result: { favoriteColor: string }[] }).result[0]?.favoriteColor, 'teal');

    // The pulled lead beside the explorer, the notice in its corner. Opened from the explorer: it
    // lists the new file at once, where Quick Open's file index may not have it yet.
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'jane.doe.lead.json' });
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await page.locator('.tabs-container .tab.active', { hasText: 'jane.doe.lead.json' }).waitFor();
    await page.locator('.monaco-editor .view-lines', { hasText: 'teal' }).first().waitFor({ timeout: 30_000 });
    await notice.waitFor({ timeout: 10_000 });
    await session.shot('pull-sample-lead');

    assert.ok(!existsSync(join(workspace, '.gitignore')), 'the .gitignore was written before the user agreed');
    await notice.getByRole('button', { name: 'Add "*.lead.json" to .gitignore' }).click();
    await toast(page, 'Added "*.lead.json"').waitFor({ timeout: 30_000 });
    assert.match(readFileSync(join(workspace, '.gitignore'), 'utf8'), /^\*\.lead\.json$/m);
    // The secret never reached the page.
    assert.ok(!(await page.content()).includes(FAKE_CLIENT_SECRET));
  });
});
