#!/usr/bin/env node
// The installed `poscust` command. CommonJS on purpose: `poscust --version` is answered here
// without loading the command tree; everything else goes to the bundled CLI in dist/, loaded with
// a V8 code cache (load.cjs).
'use strict';
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else if (args.length === 1 && (args[0] === '--help' || args[0] === '-h') && !process.env.POSCUST_NO_FAST_HELP && !require('node:tty').isatty(1)) {
  // Off a terminal the help is the build's own text (dist/help.txt, 80 columns); on a terminal it
  // is made for the terminal's width.
  let text;
  try {
    text = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', 'dist', 'help.txt'), 'utf8');
  } catch {
    require('./load.cjs').start();
  }
  if (text !== undefined) process.stdout.write(text);
} else {
  require('./load.cjs').start();
}
