// "Did you mean …?" suggestions: the candidates closest to what was written.

/** Lower-cased with spaces, dashes and underscores removed: `FirstName` ~ `First Name`. */
export function looseKey(s: string): string {
  return s.toLowerCase().replace(/[\s_-]+/g, '');
}

/** Optimal string alignment distance (Levenshtein plus transpositions), capped for speed. */
export function editDistance(a: string, b: string, cap = 64): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i < rows; i++) {
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = v;
    }
  }
  return (d[rows - 1] as number[])[cols - 1] as number;
}

/**
 * Candidates close to `input`, best first: an exact match but for case and spacing comes first,
 * then those within an edit distance of about a third of the word.
 */
export function closest(input: string, candidates: Iterable<string>, max = 3): string[] {
  const key = looseKey(input);
  if (!key) return [];
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of candidates) {
    const ck = looseKey(candidate);
    if (ck === key) {
      scored.push({ candidate, score: -1 });
      continue;
    }
    const limit = Math.max(1, Math.floor(Math.max(key.length, ck.length) / 3));
    const dist = editDistance(key, ck, limit);
    if (dist <= limit) scored.push({ candidate, score: dist });
  }
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  return [...new Set(scored.map((s) => s.candidate))].slice(0, max);
}
