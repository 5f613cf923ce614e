#!/usr/bin/env node
// The executable @vscode/test-electron starts in place of VS Code where VS Code cannot be
// downloaded: the compiled harness does the work (npm test compiles it first).
require('../out/test/harness/code-shim.js');
