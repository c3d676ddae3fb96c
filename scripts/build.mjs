// Bundles src/ into dist/ with esbuild: one entry plus code-split chunks, the heavy modules (conf,
// inquirer, csv, the sandbox, each command) behind `await import()` where they are used, so
// `poscust --version` and the read commands start close to bare Node.
//
// esbuild splits code only for ES modules, and Node's ES module loader costs start-up (resolving,
// linking, one compile per chunk with no cache). So each chunk is then turned into CommonJS
// (esbuild's transform: imports become requires, with live bindings), and bin/load.cjs loads them
// with a V8 code cache. Each chunk's source map is composed with the transform's, so a stack trace
// (node --enable-source-maps) still points into src/. dist/manifest.json lists the build.
import { build, transform } from 'esbuild';
import remapping from '@jridgewell/remapping';
import { createHash } from 'node:crypto';
import { rmSync, existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join, relative } from 'node:path';

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

const result = await build({
  entryPoints: { cli: entry },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  sourcemap: 'external',
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  plugins: [shims],
  define: { __POSCUST_VERSION__: JSON.stringify(version) },
  write: false,
});

// ES module chunks to CommonJS, each with its composed source map.
const maps = new Map(result.outputFiles.filter((f) => f.path.endsWith('.map')).map((f) => [f.path.slice(0, -4), f.text]));
const files = {};
for (const file of result.outputFiles) {
  if (!file.path.endsWith('.js')) continue;
  const name = relative(outdir, file.path);
  // Dynamic imports become requires too (in a promise), so every chunk goes through bin/load.cjs.
  const cjs = await transform(file.text, { format: 'cjs', loader: 'js', target: 'node20.19', supported: { 'dynamic-import': false }, minify: true, sourcemap: 'external', sourcefile: basename(file.path) });
  const composed = remapping([cjs.map, maps.get(file.path)], () => null);
  composed.file = basename(file.path);
  const code = `${cjs.code}//# sourceMappingURL=${basename(file.path)}.map\n`;
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, code);
  writeFileSync(`${file.path}.map`, JSON.stringify(composed));
  files[name] = createHash('sha256').update(code).digest('hex').slice(0, 16);
}
// Node reads dist/*.js as CommonJS (the project itself is "type": "module").
writeFileSync(join(outdir, 'package.json'), '{"type":"commonjs"}\n');
const buildId = createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 16);
writeFileSync(join(outdir, 'manifest.json'), `${JSON.stringify({ version, buildId, files }, null, 1)}\n`);

// `poscust --help` off a terminal is the same text every time (80 columns): kept beside the build,
// so bin/poscust.cjs prints it without loading the command tree. Made by the build's own CLI.
const { spawnSync } = await import('node:child_process');
const help = spawnSync(process.execPath, [join(root, 'bin', 'poscust.cjs'), '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH, POSCUST_NO_CODE_CACHE: '1', POSCUST_NO_FAST_HELP: '1' } });
if (help.status !== 0 || !help.stdout.startsWith('Usage: poscust')) throw new Error(`build: poscust --help failed: ${help.stderr}`);
writeFileSync(join(outdir, 'help.txt'), help.stdout);

