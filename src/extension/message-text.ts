// VS Code turns `[label](command:id?args)`, `[label](https://…)` and `[label](file:…)` in the text
// of a notification, a progress notification or an input box's prompt into a link, and a click on a
// command link runs that command with those arguments. A message that quotes a file or folder
// name, a definition's text, a fields file or a service's answer must not be able to make one.
// No `vscode` import: the rule is plain text in, plain text out.

/**
 * One line of the output channel: a line break (or any other control character) in a quoted name,
 * URL or reason would otherwise start what looks like a line of its own, so each is written as
 * `\uXXXX`, as a JSON string would write it.
 */
export function logLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `text` with every `](` written `] (`, so no link can form; the rest is left as it is. */
export function plainMessage(text: string): string {
  return text.replace(/\]\(/g, '] (');
}
