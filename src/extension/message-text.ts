// VS Code turns `[label](command:id?args)`, `[label](https://…)` and `[label](file:…)` in the text
// of a notification, a progress notification or an input box's prompt into a link, and a click on a
// command link runs that command with those arguments. A message that quotes a file or folder
// name, a definition's text, a fields file or a service's answer must not be able to make one.
// No `vscode` import: the rule is plain text in, plain text out.

/** `text` with every `](` written `] (`, so no link can form; the rest is left as it is. */
export function plainMessage(text: string): string {
  return text.replace(/\]\(/g, '] (');
}
