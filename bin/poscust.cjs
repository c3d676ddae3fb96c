#!/usr/bin/env node
// The installed `poscust` command. CommonJS on purpose: `poscust --version` is answered here
// without starting Node's ES module loader (~6 ms) or loading the command tree; everything else
// goes to the bundled CLI in dist/.
'use strict';
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  import('../dist/cli.js').catch((err) => {
    process.stderr.write(
      err && err.code === 'ERR_MODULE_NOT_FOUND'
        ? 'poscust: the build is missing (dist/cli.js); run `npm run build`\n'
        : `poscust: ${err && err.stack ? err.stack : err}\n`,
    );
    process.exitCode = 1;
  });
}
