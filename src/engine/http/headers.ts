// HTTP header names ignore case: one lookup for every place that reads a header by name.

/** The value of a header, whatever the case of its name; `name` is given in lower case. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
