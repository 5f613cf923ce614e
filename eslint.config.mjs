// Typed ESLint config: the recommended type-checked rules of typescript-eslint.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.vscode-test/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // node:test's describe/it/test report their own failures; awaiting them is not needed.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
    },
  },
  {
    // The engine is pure: no editor API, and nothing of the hosts built on it.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The engine never imports vscode: the editor layer (src/extension) calls it.' }],
        patterns: [{
          group: ['**/cli', '**/cli/**', '**/extension', '**/extension/**', '**/node', '**/node/**', '**/panel', '**/panel/**'],
          message: 'The engine does not import its hosts (src/cli, src/extension, src/node, src/panel): they import it.',
        }],
      }],
    },
  },
  {
    // The hosts use the engine's two public entries only, so its rooms can change behind them.
    files: ['src/cli/**/*.ts', 'src/extension/**/*.ts', 'src/node/**/*.ts', 'src/panel/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['**/engine/*', '!**/engine/run-engine', '!**/engine/run-engine.js', '!**/engine/index'],
          message: "Import the engine's public entry ('../engine', or '../engine/run-engine' for a run), not a module behind it.",
        }],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      // Plain JavaScript is not part of the TypeScript project: no type information for it.
      parserOptions: { projectService: false, project: false, program: null },
      globals: {
        require: 'readonly', process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', performance: 'readonly', AbortController: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly',
      },
    },
  },
  {
    // CommonJS entry points load the compiled harness with require().
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
