// The boundaries of eslint.config.mjs: the engine imports neither vscode nor its hosts, and the
// hosts reach the engine only through its two public entries. Linted here with the project's own
// config, so a rule that stopped firing (a renamed folder, a widened pattern) fails a test.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { projectRoot } from './helpers';

async function restrictedImports(file: string, code: string): Promise<string[]> {
  // Only the boundary rule runs, without type information: the probe is not a file of the project.
  const eslint = new ESLint({
    cwd: projectRoot(),
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  });
  const [result] = await eslint.lintText(code, { filePath: join(projectRoot(), file) });
  assert.deepEqual(result?.messages.filter((m) => m.fatal), [], 'the probe parses');
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('module boundaries', () => {
  it('keep vscode out of the engine, at any depth', async () => {
    assert.equal((await restrictedImports('src/engine/http/probe.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n")).length, 1);
    assert.equal((await restrictedImports('src/engine/probe.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n")).length, 1);
  });

  it('keep the hosts out of the engine', async () => {
    for (const host of ['../../cli/args', '../../extension/services', '../../node/input-file', '../../panel/main']) {
      assert.equal((await restrictedImports('src/engine/tokens/probe.ts', `import * as m from '${host}';\nexport const v = m;\n`)).length, 1, host);
    }
  });

  it('let the hosts import the public entries only', async () => {
    for (const host of ['cli', 'extension', 'node']) {
      const file = `src/${host}/probe.ts`;
      assert.equal((await restrictedImports(file, "import { scanTokens } from '../engine/tokens/scan';\nexport const v = scanTokens;\n")).length, 1, host);
      assert.equal((await restrictedImports(file, "import { validateDefinition } from '../engine/validate/validate';\nexport const v = validateDefinition;\n")).length, 1, host);
      assert.deepEqual(await restrictedImports(file, "import { scanTokens } from '../engine';\nexport const v = scanTokens;\n"), [], host);
      assert.deepEqual(await restrictedImports(file, "import { runDefinition } from '../engine/run-engine';\nexport const v = runDefinition;\n"), [], host);
    }
  });

  it('leave the engine free to import its own rooms', async () => {
    assert.deepEqual(await restrictedImports('src/engine/http/probe.ts', "import { scanTokens } from '../tokens/scan';\nexport const v = scanTokens;\n"), []);
  });
});
