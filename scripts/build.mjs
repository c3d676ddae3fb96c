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
  define: { __POSCUST_VERSION__: JSON.stringify(version) },
  // commander and other CommonJS dependencies call require() for Node built-ins; an ESM bundle
  // has no require, so give it one.
  banner: {
    js: "import { createRequire as __poscustCreateRequire } from 'node:module'; const require = __poscustCreateRequire(import.meta.url);",
  },
});
