// For `npm run bench` only: runs the CLI with Node's own compile cache (module.enableCompileCache,
// Node 22.1+) instead of bin/load.cjs's V8 code cache, to compare the two on each Node line.
'use strict';
require('node:module').enableCompileCache(process.env.BENCH_COMPILE_CACHE_DIR);
require('../dist/cli.js');
