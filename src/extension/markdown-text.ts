// Hovers and completion details are Markdown, and much of what they quote is not ours: a
// definition's keys and values, a fields file's names and types, the engine's messages quoting
// them, a lead file's values, file names. Quoted as is, `![x](http://…)` would load an image from
// that address (as soon as the hover shows, telling it what was hovered) and `[x](…)` would be a
// link. Everything quoted goes through `markdownText` or `markdownCode`, and the strings are
// built with `untrustedMarkdown`: no command links, no HTML, no theme icons.
import * as vscode from 'vscode';

/** Longest quoted value shown in a code span. */
const MAX_CODE_CHARS = 200;

/**
 * Text shown as it is. Backslash-escaped (as CommonMark allows for any ASCII punctuation): every
 * character that opens or closes an inline construct, so no link, image, autolink, HTML, code span
 * or emphasis can form, and a quoted `[x]: url` cannot define a link reference. Characters that
 * only shape a line's start (`#`, `-`, `1.`) are left: a value with a line break can at most make
 * a heading or a list, and leaving them keeps prose as it was written.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_~[\]()!<>|&]/g, '\\$&');
}

/**
 * One of the engine's messages, which write names between single backticks (`FirstName`) and may
 * quote a definition's value that holds backticks itself: each backticked part becomes a code span
 * of its own (markdownCode), the rest text (markdownText). A hostile value can shift which parts
 * look like code, never make Markdown of its own.
 */
export function markdownMessage(message: string): string {
  const parts = message.split('`');
  // An odd number of backticks: the last one opens nothing, and what follows it is text.
  if (parts.length % 2 === 0) {
    const tail = parts.pop() ?? '';
    parts[parts.length - 1] += `\`${tail}`;
  }
  return parts.map((part, i) => (i % 2 === 0 ? markdownText(part) : part === '' ? markdownText('``') : markdownCode(part))).join('');
}

/**
 * A value in a code span: long values cut, line breaks shown as ↵, backticks fenced by a longer
 * run. A value with `<` is written as escaped text instead: an HTML tag or autolink that starts
 * inside a code span can end after it, and some parsers let it win over the span.
 */
export function markdownCode(value: string): string {
  let s = value.replace(/\r\n|\r|\n/g, '↵');
  if (s.length > MAX_CODE_CHARS) s = `${s.slice(0, MAX_CODE_CHARS - 1)}…`;
  if (s === '') return '*(empty)*';
  if (s.includes('<')) return markdownText(s);
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A MarkdownString for text quoted with the functions above: untrusted, without HTML or icons. */
export function untrustedMarkdown(value: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(value, false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}
