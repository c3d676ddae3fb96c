// Start-up is measured by `npm run bench`, never by timed tests; this test guards what start-up
// loads. Each Node built-in below costs milliseconds on every command (measured when the bundle
// was tuned) and none is needed to look a customer up. A change that brings one back fails here.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, ROOT, startSandboxProcess, type SandboxProcess } from '../helpers/e2e.js';
import { tempDir } from '../helpers/harness.js';

const NOT_ON_THE_READ_PATH = ['crypto', 'http2', 'child_process', 'worker_threads', 'zlib', 'tls', 'fs/promises', 'readline'];

let sb: SandboxProcess;
const dir = tempDir();
const hook = join(dir, 'modules-hook.cjs');
beforeAll(async () => {
  sb = await startSandboxProcess(['--seed', '5']);
  // Node's built-ins from its module list, and the chunks of dist/ bin/load.cjs reads.
  writeFileSync(
    hook,
    "const fs = require('fs'); const read = fs.readFileSync; const chunks = [];\n" +
      // Node 22.15+/24: every specifier resolved for `import` (the ES module loader at work), which
      // the module list cannot show there (Node loads the loader's parts for every script).
      "const m = require('module'); if (m.registerHooks) m.registerHooks({ resolve(spec, ctx, next) { if (ctx.conditions && ctx.conditions.includes('import')) chunks.push('ESM ' + spec); return next(spec, ctx); } });\n" +
      "fs.readFileSync = function (file, ...rest) { if (String(file).includes('/dist/') && String(file).endsWith('.js')) chunks.push(String(file)); return read.call(this, file, ...rest); };\n" +
      "process.on('exit', () => fs.writeFileSync(process.env.MODULES_OUT, [...process.moduleLoadList, ...chunks.map((c) => (c.startsWith('ESM ') ? c : 'Chunk ' + c))].join('\\n')));\n",
  );
});
afterAll(async () => {
  await sb?.stop();
});

function modulesOf(args: string[]): string[] {
  const out = join(dir, `modules-${args[0]}.txt`);
  const r = spawnSync(process.execPath, ['-r', hook, BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...sb.env, MODULES_OUT: out },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(out, 'utf8').split('\n');
}

it('loads no heavy Node built-in to get a customer (cached token)', () => {
  modulesOf(['count']); // logs in and caches the token
  const loaded = modulesOf(['get', '--code', 'C-00001', '--format', 'json']);
  expect(loaded).toContain('NativeModule net');
  for (const name of NOT_ON_THE_READ_PATH) expect(loaded, name).not.toContain(`NativeModule ${name}`);
});

/** Markers of the heavy libraries and modules, each found in exactly the chunks that hold them. */
const HEAVY: Record<string, string> = {
  // A class only undici's own code defines (its error codes may be named by our failure mapping).
  undici: 'HeadersTimeoutError',
  inquirer: 'ExitPromptError',
  'csv-parse': 'CSV_QUOTE_NOT_CLOSED',
  conf: 'Config schema violation',
  'string-width': 'ambiguousIsNarrow',
  'libphonenumber-js': 'INVALID_COUNTRY',
  'iconv-lite': 'encodingExists',
  'read-excel-file': 'sharedStrings.xml',
  'the sandbox': '/_sandbox/',
  'the other commands': 'or an Excel workbook',
  'the import job': 'poscust-journal',
};

it('reads none of the heavy libraries to get a customer, and the bundle has each of them', () => {
  modulesOf(['count']);
  const chunks = modulesOf(['get', '--code', 'C-00001', '--format', 'json']).filter((l) => l.startsWith('Chunk ')).map((l) => l.slice(6));
  expect(chunks.length).toBeGreaterThan(5);
  const all = readdirSync(join(ROOT, 'dist', 'chunks')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(ROOT, 'dist', 'chunks', f), 'utf8'));
  for (const [name, marker] of Object.entries(HEAVY)) {
    expect(all.some((t) => t.includes(marker)), `${name} is in the bundle under the marker '${marker}'`).toBe(true);
    for (const file of chunks) expect(readFileSync(file, 'utf8').includes(marker), `${name} is read by get (${file})`).toBe(false);
  }
});

it('answers --version without starting the ES module loader (beyond what Node itself loads for an empty script)', () => {
  // Node 22.12+ and 24 load parts of the ES module loader for every CommonJS script (require(esm));
  // what matters is that --version adds none: compared with an empty script on the same Node.
  const empty = join(dir, 'empty.cjs');
  writeFileSync(empty, '');
  const out = join(dir, 'modules-empty.txt');
  const r = spawnSync(process.execPath, ['-r', hook, empty], { env: { PATH: process.env.PATH, HOME: process.env.HOME, MODULES_OUT: out }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const baseline = new Set(readFileSync(out, 'utf8').split('\n'));
  const added = modulesOf(['--version']).filter((m) => !baseline.has(m));
  expect(added.filter((m) => m.includes('internal/modules/esm/') || m.startsWith('ESM '))).toEqual([]);
  expect(added.some((m) => m.startsWith('Chunk '))).toBe(false);
  // The guard itself: a script that imports an ES module is seen doing so, on this Node too.
  const esm = join(dir, 'x.mjs');
  writeFileSync(esm, 'export default 1;\n');
  const importer = join(dir, 'imports.cjs');
  writeFileSync(importer, `import(${JSON.stringify(esm)});\n`);
  const seen = join(dir, 'modules-imports.txt');
  spawnSync(process.execPath, ['-r', hook, importer], { env: { PATH: process.env.PATH, HOME: process.env.HOME, MODULES_OUT: seen }, encoding: 'utf8' });
  const importing = readFileSync(seen, 'utf8').split('\n').filter((m) => !baseline.has(m));
  expect(importing.some((m) => m.includes('internal/modules/esm/') || m.startsWith('ESM '))).toBe(true);
});
