// Bundles src/ into dist/ with esbuild. One ESM entry plus code-split chunks: the heavy modules
// (conf, inquirer, csv, the sandbox) sit behind `await import()` in the commands that use them, so
// `poscust --version` and the read commands start close to bare Node.
import { build } from 'esbuild';
import { rmSync, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
const entry = join(root, 'src', 'cli.ts');

if (!existsSync(entry)) {
  console.error('build: src/cli.ts not found; nothing to build');
  process.exit(0);
}
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
rmSync(outdir, { recursive: true, force: true });
/**
 * Start-up trims (each measured here, see the shims for why they are safe): undici's `node:http2`
 * becomes a stand-in, commander's `node:child_process` loads on first use.
 */
const shims = {
  name: 'startup-shims',
  setup(b) {
    // Our sources import Node built-ins as ES modules; in an ESM bundle that makes Node build each
    // built-in's namespace, evaluating every lazy getter (`import {readFileSync} from 'node:fs'`
    // loads fs/promises, readline, watchers...). Through require() only what is used loads.
    b.onResolve({ filter: /^node:/ }, (args) =>
      args.importer.startsWith(join(root, 'src')) && args.kind === 'import-statement'
        ? { path: args.path, namespace: 'node-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
    b.onResolve({ filter: /^node:http2$/ }, (args) =>
      /undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/.test(args.importer)
        ? { path: join(root, 'scripts', 'shims', 'http2.cjs') }
        : undefined,
    );
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /commander[\\/]lib[\\/]command\.js$/.test(args.importer)
        ? { path: join(root, 'scripts', 'shims', 'child-process.cjs') }
        : undefined,
    );
  },
};

await build({
  entryPoints: { cli: entry },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  plugins: [shims],
  define: { __POSCUST_VERSION__: JSON.stringify(version) },
  // commander and other CommonJS dependencies call require() for Node built-ins; an ESM bundle
  // has no require, so give it one.
  banner: {
    js: "import { createRequire as __poscustCreateRequire } from 'node:module'; const require = __poscustCreateRequire(import.meta.url);",
  },
});
