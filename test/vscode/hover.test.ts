import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { rangeOf, workspaceFile } from './util';

interface Shown {
  text: string;
  range: vscode.Range | undefined;
}

/** The hover over the first occurrence of `target` (at its `at`-th character), as Markdown text. */
async function hoverOver(document: vscode.TextDocument, target: string, at = 1): Promise<Shown> {
  const offset = document.getText().indexOf(target);
  assert.ok(offset >= 0, `"${target}" is not in the document`);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(offset + at));
  const ours = hovers.filter((h) => h.contents.length > 0);
  assert.equal(ours.length, 1, `expected one hover over "${target}", got ${ours.length}`);
  const hover = ours[0]!;
  const text = hover.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  return { text, range: hover.range };
}

async function open(name: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(document);
  return document;
}

describe('hover', () => {
  it('a lead token: the field\'s names and type, and its value in the sample lead', async () => {
    const document = await open('hover-lead.webhook.jsonc');
    const token = '{{lead.First Name:default=Friend}}';
    const hover = await hoverOver(document, token, 10);
    assert.ok(hover.range?.isEqual(rangeOf(document, token)), `range ${JSON.stringify(hover.range)}`);
    assert.equal(hover.text, [
      '`{{lead.First Name:default=Friend}}`: lead field',
      '',
      'Display name: **First Name**  ',
      'REST API name: `firstName`  ',
      'SOAP API name: `FirstName`  ',
      'Type: string, length 255',
      '',
      'Sample lead `hover-ada.lead.json`: `Ada`',
      '',
      'Sent as a JSON string under JSON encoding: quoted and escaped (`"Ada"`), so write it without quotes.',
    ].join('\n'));
  });

  it('a lead token the sample lead has no value for, and a company token', async () => {
    const document = await open('hover-lead.webhook.jsonc');
    const city = await hoverOver(document, '{{lead.City}}');
    assert.match(city.text, /Sample lead `hover-ada\.lead\.json`: no value, so Marketo sends it empty\.\n\nSent as a JSON string under JSON encoding/);
    const company = await hoverOver(document, '{{Company.City}}');
    assert.ok(company.range?.isEqual(rangeOf(document, '{{Company.City}}')));
    assert.match(company.text, /^`\{\{Company\.City\}\}`: company token, read from the lead field \*\*Billing City\*\*/);
    assert.match(company.text, /Sample lead `hover-ada\.lead\.json`: `London`\n\nSent as a JSON string under JSON encoding/);
  });

  it('my tokens: their test.tokens value, a secret masked', async () => {
    const document = await open('hover-lead.webhook.jsonc');
    const plain = await hoverOver(document, '{{my.Greeting Key}}');
    assert.match(plain.text, /Value in `test\.tokens`: `hello-42`\n\nSent as a JSON string under JSON encoding/);
    const secret = await hoverOver(document, '{{my.Hover API Key}}');
    assert.ok(secret.range?.isEqual(rangeOf(document, '{{my.Hover API Key}}')));
    assert.match(secret.text, /Value in `test\.tokens`: `••••` from secret storage \(`HOVER_API_KEY`, not set yet: a run asks for it\)$/);
  });

  it('a missing sample lead file is said, not thrown', async () => {
    const document = await open('hover-missing-lead.webhook.jsonc');
    const hover = await hoverOver(document, '{{lead.First Name}}');
    assert.match(hover.text, /Sample lead `hover-nowhere\.lead\.json`: the file does not exist\.$/);
  });

  it('a key: the Marketo editor field it mirrors and what it does', async () => {
    const document = await open('hover-lead.webhook.jsonc');
    const hover = await hoverOver(document, '"requestTokenEncoding"');
    assert.ok(hover.range?.isEqual(rangeOf(document, '"requestTokenEncoding"')));
    assert.equal(hover.text, [
      '**requestTokenEncoding** · Marketo editor field **Request Token Encoding**',
      '',
      'How token values are written into the template: `JSON` writes each as a JSON string with its quotes, `Form/Url` URL-encodes it, `None` inserts it raw.',
      '',
      'Values: `None`, `Form/Url`, `JSON` · default `None`',
    ].join('\n'));
    const lead = await hoverOver(document, '"lead"');
    assert.match(lead.text, /^\*\*test\.lead\*\* · not part of Marketo/);
  });

  it('a marketoField value: the lead field and its type, or what is wrong', async () => {
    const document = await open('hover-lead.webhook.jsonc');
    const hover = await hoverOver(document, '"Title"');
    assert.ok(hover.range?.isEqual(rangeOf(document, '"Title"')));
    assert.equal(hover.text, [
      '**Marketo Field** (the lead field this mapping writes)',
      '',
      'Display name: **Job Title**  ',
      'REST API name: `title`  ',
      'SOAP API name: `Title`  ',
      'Type: string, length 255',
    ].join('\n'));
    const wrong = await vscode.workspace.openTextDocument({
      language: 'marketo-webhook',
      content: '{ "name": "x", "url": "https://x.example", "responseType": "JSON", "responseMappings": [{ "responseAttribute": "a", "marketoField": "firstName" }] }',
    });
    const rest = await hoverOver(wrong, '"firstName"');
    assert.match(rest.text, /^\*\*Marketo Field\*\* `firstName`: `firstName` is the REST API name of a lead field; response mappings need its SOAP API name `FirstName`\./);
  });

  it('an enum value: what it means', async () => {
    const document = await open('hover-lead.webhook.jsonc');
    const hover = await hoverOver(document, '"JSON",\n  "headers"');
    assert.ok(hover.range?.isEqual(rangeOf(document, '"JSON"')));
    assert.match(hover.text, /^\*\*Request Token Encoding\*\* `JSON`\n\nEach text value is written as a JSON string literal, quotes included, and a number field's value \(Lead Score, Annual Revenue\) bare/);
  });

  it('a number-type token and a numeric My Token: sent as a JSON number under JSON encoding; the same token in the URL says nothing of it', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'marketo-webhook',
      content: JSON.stringify({
        name: 'x', url: 'https://x.example/?s={{lead.Lead Score}}', requestTokenEncoding: 'JSON',
        template: '{"s": {{lead.Lead Score:default=0}}, "n": {{my.Count}}}', test: { tokens: { 'my.Count': 5 } },
      }, null, 2),
    });
    const score = await hoverOver(document, '{{lead.Lead Score:default=0}}');
    assert.match(score.text, /Type: integer\n\n[^]*\n\nSent as a JSON number under JSON encoding: bare \(`87`\), and nothing at all when empty\.$/);
    const count = await hoverOver(document, '{{my.Count}}');
    assert.match(count.text, /Value in `test\.tokens`: `5`, a JSON number \(a Number or Score My Token\)\n\nSent as a JSON number under JSON encoding/);
    const inUrl = await hoverOver(document, '{{lead.Lead Score}}');
    assert.doesNotMatch(inUrl.text, /under JSON encoding/);
  });

  it('a name its namespace does not know, by what the namespace is', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'marketo-webhook',
      content: '{ "name": "x", "url": "https://x.example/?a={{Company.Nope}}&b={{system.nope}}&c={{lead.email}}&d={{campaign.nam}}&e={{trigger.Web Page}}" }',
    });
    const company = await hoverOver(document, '{{Company.Nope}}');
    assert.match(company.text, /^`\{\{Company\.Nope\}\}`: Marketo has no company token `Nope`\. Company tokens: `Company Name`, `Site`, /);
    const system = await hoverOver(document, '{{system.nope}}');
    assert.match(system.text, /\n\nMarketo has no system token `nope`: use `dateTime`, `date`, `time`\.$/);
    const rest = await hoverOver(document, '{{lead.email}}');
    assert.match(rest.text, /: no lead field has the display name `email`; lead tokens use display names: write `\{\{lead\.Email Address\}\}`\.$/);
    const campaign = await hoverOver(document, '{{campaign.nam}}');
    assert.match(campaign.text, /\n\nMarketo knows `campaign\.name`, `campaign\.id`, `campaign\.description`\.\n\nNo value in `test\.tokens`, so Marketo sends it empty\./);
    const trigger = await hoverOver(document, '{{trigger.Web Page}}');
    assert.match(trigger.text, /^`\{\{trigger\.Web Page\}\}`: Attributes of the trigger that started the campaign/);
    assert.match(trigger.text, /No value in `test\.tokens`, so Marketo sends it empty\. Add `"trigger\.Web Page": "…"` to `test\.tokens` to set one\.$/);
  });

  it('a custom field token and a system token', async () => {
    const custom = await open('custom/completion-custom.webhook.jsonc');
    const tier = await hoverOver(custom, '{{lead.Loyalty Tier}}');
    assert.match(tier.text, /^`\{\{lead\.Loyalty Tier\}\}`: lead field \(custom, from your Describe Lead response\)/);
    assert.match(tier.text, /SOAP API name: `Loyalty_Tier__c`/);
    const system = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content: '{ "name": "x", "url": "https://x.example/?d={{system.date}}" }' });
    const date = await hoverOver(system, '{{system.date}}');
    assert.match(date.text, /Now: `[A-Z][a-z]{2} \d{2}, \d{4}` \(Marketo's format, e\.g\. `Aug 08, 2013`/);
  });
});
