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
      "fs.readFileSync = function (file, ...rest) { if (String(file).includes('/dist/') && String(file).endsWith('.js')) chunks.push(String(file)); return read.call(this, file, ...rest); };\n" +
      "process.on('exit', () => fs.writeFileSync(process.env.MODULES_OUT, [...process.moduleLoadList, ...chunks.map((c) => 'Chunk ' + c)].join('\\n')));\n",
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
  undici: 'UND_ERR_HEADERS_TIMEOUT',
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

it('answers --version without starting the ES module loader', () => {
  const loaded = modulesOf(['--version']);
  expect(loaded.some((m) => m.includes('internal/modules/esm/module_job'))).toBe(false);
});
