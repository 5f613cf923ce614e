// The maps of the source tree (README's "Where things are" and src/engine/README.md) name real
// files and folders, and every room of the engine is on them: a map that has drifted fails here.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from './helpers';

const root = projectRoot();

/** The paths of README's tree: an indented entry lives under the last entry above it with less indent. */
function readmeTreePaths(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /### Where things are\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'README has a "Where things are" tree');
  const paths: string[] = [];
  const parents: { indent: number; path: string }[] = [];
  for (const line of block.split('\n').filter((l) => l.trim())) {
    const indent = line.length - line.trimStart().length;
    const names = line.trimStart().split(/ {2,}/)[0]!.split(' ').filter((n) => /[./]/.test(n));
    while (parents.length && parents[parents.length - 1]!.indent >= indent) parents.pop();
    const base = parents[parents.length - 1]?.path ?? '';
    for (const name of names) paths.push(base + name);
    if (names.length === 1 && names[0]!.endsWith('/')) parents.push({ indent, path: base + names[0] });
  }
  return paths;
}

describe('the maps of the source tree', () => {
  it("README's tree names only what exists", () => {
    const paths = readmeTreePaths();
    assert.ok(paths.length > 20, `the tree was read (${paths.length} entries)`);
    for (const path of paths) assert.ok(existsSync(join(root, path)), `${path} exists`);
  });

  it("README's tree and src/engine/README.md show every room of the engine", () => {
    const rooms = readdirSync(join(root, 'src/engine')).filter((n) => statSync(join(root, 'src/engine', n)).isDirectory());
    const tree = readmeTreePaths();
    const engineMap = readFileSync(join(root, 'src/engine/README.md'), 'utf8');
    for (const room of rooms) {
      assert.ok(tree.includes(`src/engine/${room}/`), `README's tree shows src/engine/${room}/`);
      assert.ok(engineMap.includes(`[\`${room}/\`](${room}/)`), `src/engine/README.md has a row for ${room}/`);
    }
  });

  it('src/engine/README.md names only modules that exist', () => {
    const engineMap = readFileSync(join(root, 'src/engine/README.md'), 'utf8');
    let named = 0;
    for (const line of engineMap.split('\n')) {
      // A row of the rooms table names files inside its room; elsewhere paths start at src/engine.
      const room = /^\| \[`([a-z-]+\/)`\]/.exec(line)?.[1] ?? '';
      for (const m of line.matchAll(/`((?:[a-z-]+\/){0,2}[a-z-]*(?:\.ts)?)`/g)) {
        const path = m[1]!;
        if (!path.includes('/') && !path.endsWith('.ts')) continue;
        if (path === room) continue;
        named++;
        assert.ok(existsSync(join(root, 'src/engine', room, path)) || existsSync(join(root, 'src/engine', path)), `src/engine/${room}${path} exists`);
      }
    }
    assert.ok(named > 15, `modules were read (${named})`);
  });
});
