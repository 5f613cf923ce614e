// The code cites docs/marketo-behaviour.md by anchor wherever it applies a Marketo rule; the run
// result carries anchors to it too. Every cited anchor must be a heading of that file, or the
// link from a comment or from the panel leads nowhere.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ASSUMPTIONS, BEHAVIOUR_ANCHORS } from '../../src/engine/outcome/assumptions';
import { projectRoot } from './helpers';

const DOC = 'docs/marketo-behaviour.md';

/** GitHub's and VS Code's markdown slug of a heading: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : /\.(ts|js|json)$/.test(name) ? [path] : [];
  });
}

describe(DOC, () => {
  const doc = readFileSync(join(projectRoot(), DOC), 'utf8');
  const anchors = new Set([...doc.matchAll(/^#{2,4} (.+)$/gm)].map((m) => slug(m[1] as string)));

  it('has no two headings with the same anchor', () => {
    const headings = [...doc.matchAll(/^#{2,4} (.+)$/gm)].map((m) => slug(m[1] as string));
    assert.equal(anchors.size, headings.length, `repeated: ${headings.filter((h, i) => headings.indexOf(h) !== i).join(', ')}`);
  });

  it('has every anchor that the source and the panel cite', () => {
    const cited = new Map<string, string>();
    for (const file of [...filesUnder(join(projectRoot(), 'src')), ...filesUnder(join(projectRoot(), 'media'))]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/marketo-behaviour\.md#([a-z0-9-]+)/g)) cited.set(m[1] as string, file);
    }
    assert.ok(cited.size >= 3, `only ${cited.size} anchors cited: the search for citations is broken`);
    const missing = [...cited].filter(([anchor]) => !anchors.has(anchor)).map(([anchor, file]) => `#${anchor} (${file})`);
    assert.deepEqual(missing, []);
  });

  it('has every anchor the panel may open, and every assumption\'s anchor', () => {
    const named = [...BEHAVIOUR_ANCHORS, ...Object.values(ASSUMPTIONS).map((a) => a.anchor)];
    assert.deepEqual(named.filter((anchor) => !anchors.has(anchor)), []);
    assert.deepEqual([...anchors].filter((anchor) => !BEHAVIOUR_ANCHORS.includes(anchor)), [], 'a section the panel cannot open');
  });

  it('links only to files that exist', () => {
    for (const m of doc.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)) {
      const target = m[1] as string;
      if (/^[a-z]+:/.test(target)) continue;
      assert.ok(statSync(join(projectRoot(), 'docs', target), { throwIfNoEntry: false }), `${target} does not exist`);
    }
  });
});
