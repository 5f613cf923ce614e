// Bundles the extension, the run panel's page and the command line with esbuild. Types are checked by `tsc` separately.
//
// undici and the XML parser are bundled into files of their own under dist/vendor/ and required
// from there on the first run or XML body: activation then reads only the editor's code
// (issue 6's budget: dist/extension.js under 200 KB), and `validate` never loads the HTTP client.
import * as esbuild from 'esbuild';
import { chmod, rm, writeFile } from 'node:fs/promises';

const production = process.argv.includes('--production');
/** The packages kept out of the main bundles, each bundled alone as dist/vendor/<name>.js. */
const LAZY_PACKAGES = ['undici', 'fast-xml-parser'];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // jsonc-parser's UMD build hides its requires from esbuild; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  metafile: true,
  // `import()` becomes `require()`, so a lazy package loads through one loader, in one cache.
  supported: { 'dynamic-import': false },
};

/** Resolves each lazy package to its vendor file, relative to the bundle (both live in dist/). */
const vendorFiles = {
  name: 'vendor-files',
  setup(build) {
    const filter = new RegExp(`^(${LAZY_PACKAGES.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
  },
};

/**
 * The extension loads the run engine (src/engine/run-engine.ts) on the first run, from a bundle of
 * its own: sending, reading the answer, mappings, outcomes and masking stay out of activation.
 */
const lazyRunEngine = {
  name: 'lazy-run-engine',
  setup(build) {
    build.onResolve({ filter: /\/engine\/run-engine(\.js)?$/ }, () => ({ path: './run-engine.js', external: true }));
  },
};

/**
 * The Marketo commands (src/extension/marketo-commands.ts) load on the first of them, from a bundle
 * of their own: Connect and the pulls stay out of activation too.
 */
const lazyMarketoCommands = {
  name: 'lazy-marketo-commands',
  setup(build) {
    build.onResolve({ filter: /\/marketo-commands(\.js)?$/ }, () => ({ path: './marketo-commands.js', external: true }));
  },
};

/**
 * "Run Against Lead List…" (src/extension/lead-list-command.ts) loads on the first list run, from
 * a bundle of its own (lead-list-loader.ts registers it at activation).
 */
const lazyLeadListCommand = {
  name: 'lazy-lead-list-command',
  setup(build) {
    build.onResolve({ filter: /\/lead-list-command(\.js)?$/ }, () => ({ path: './lead-list-command.js', external: true }));
  },
};

await rm('dist', { recursive: true, force: true });
const results = await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    plugins: [vendorFiles, lazyRunEngine, lazyMarketoCommands, lazyLeadListCommand],
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/extension/lead-list-command.ts'],
    outfile: 'dist/lead-list-command.js',
    external: ['vscode'],
    plugins: [vendorFiles, lazyRunEngine],
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/extension/marketo-commands.ts'],
    outfile: 'dist/marketo-commands.js',
    external: ['vscode'],
    plugins: [vendorFiles, lazyRunEngine],
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/engine/run-engine.ts'],
    outfile: 'dist/run-engine.js',
    plugins: [vendorFiles],
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [vendorFiles],
  }),
  // The run panel's page: a browser script, loaded by the webview under its CSP nonce.
  esbuild.build({
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    mainFields: ['browser', 'module', 'main'],
    entryPoints: ['src/panel/main.ts'],
    outfile: 'dist/panel/panel.js',
  }),
  ...LAZY_PACKAGES.map((name) =>
    esbuild.build({
      ...common,
      // `require` gives the whole module, for an ESM package too, under one CommonJS export.
      stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: process.cwd(), loader: 'js' },
      // the CommonJS build: fast-xml-parser's ESM build is not what `require` would load
      mainFields: ['main'],
      conditions: ['require'],
      outfile: `dist/vendor/${name}.js`,
      sourcemap: false,
    }),
  ),
]);
await chmod('dist/cli.js', 0o755);

// What went into each bundle, for the size-budget tests; kept out of the package.
const inputs = Object.fromEntries(
  results.flatMap((r) => Object.entries(r.metafile.outputs).map(([out, meta]) => [out, { bytes: meta.bytes, inputs: Object.keys(meta.inputs) }])),
);
await writeFile('dist/bundles.json', `${JSON.stringify(inputs, null, 2)}\n`);
