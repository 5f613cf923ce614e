// Where a text may be cut short: never between the two halves of a surrogate pair (an emoji cut in
// two shows as garbage, and a lone half is not valid UTF-16 for whoever receives it).

/** The end of the start of `text` at most `limit` characters long: `limit`, or one less when that would split a pair. */
export function cutEnd(text: string, limit: number): number {
  if (text.length <= limit) return text.length;
  if (limit <= 0) return 0;
  const last = text.charCodeAt(limit - 1);
  return last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit;
}
