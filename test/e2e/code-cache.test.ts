// Issue 15: bin/load.cjs runs the built chunks with a V8 code cache. The cache is written after a
// successful run, owner-only; it is keyed by each chunk's content, so an edited chunk (even one of
// the same length: V8 itself checks only the length) never runs from a stale cache; a damaged,
// truncated, foreign or linked cache is ignored and replaced; a cache folder that cannot be
// written means no cache, and nothing is ever written into the install.
import { spawnSync } from 'node:child_process';
import { chownSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/e2e.js';
import { tempDir } from '../helpers/harness.js';

/** A copy of the install (bin/, dist/, package.json) whose chunks a test may edit. */
function install(): string {
  const dir = tempDir('poscust-install-');
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  return dir;
}

function run(home: string, args: string[], cache: string) {
  return spawnSync(process.execPath, [join(home, 'bin', 'poscust.cjs'), ...args], {
    env: { PATH: process.env.PATH, HOME: tempDir(), XDG_CACHE_HOME: cache },
    encoding: 'utf8',
  });
}

function packOf(cache: string): string | undefined {
  const root = join(cache, 'poscust');
  if (!existsSync(root)) return undefined;
  const [v8dir] = readdirSync(root);
  return v8dir ? join(root, v8dir, 'chunks.pack') : undefined;
}

/** The keys of the pack's index. */
function keysOf(pack: string): string[] {
  const bytes = readFileSync(pack);
  return Object.keys(JSON.parse(bytes.subarray(8, 8 + bytes.readUInt32LE(4)).toString('utf8')));
}

const TOPIC = ['help', 'exit-codes'];

describe('the code cache of the built chunks', () => {
  it('is written after a successful run, owner-only, and used as is by the next run', () => {
    const home = install();
    const cache = tempDir();
    const first = run(home, TOPIC, cache);
    expect(first.status, first.stderr).toBe(0);
    const pack = packOf(cache)!;
    expect(readFileSync(pack).subarray(0, 4).toString()).toBe('PCC1');
    expect(statSync(pack).mode & 0o777).toBe(0o600);
    expect(statSync(join(cache, 'poscust')).mode & 0o777).toBe(0o700);
    expect(keysOf(pack).length).toBeGreaterThan(3);
    const before = statSync(pack).mtimeMs;
    const second = run(home, TOPIC, cache);
    expect(second.stdout).toBe(first.stdout);
    // Every chunk found its cache: nothing to add, the pack is not rewritten.
    expect(statSync(pack).mtimeMs).toBe(before);
    // Nothing is written into the install (a read-only one works the same).
    expect(readdirSync(join(home, 'dist')).sort()).toEqual(readdirSync(join(ROOT, 'dist')).sort());
  });

  it('never runs a chunk from the cache of its old content, even when the edit keeps its length', () => {
    const home = install();
    const cache = tempDir();
    const first = run(home, TOPIC, cache);
    expect(first.stdout).toContain('Scripts can trust these');
    // The topic's text lives in one chunk: change a word, keeping the file's length.
    const chunks = join(home, 'dist', 'chunks');
    const file = readdirSync(chunks).find((f) => f.endsWith('.js') && readFileSync(join(chunks, f), 'utf8').includes('Scripts can trust these'))!;
    const size = statSync(join(chunks, file)).size;
    const text = readFileSync(join(chunks, file), 'utf8');
    writeFileSync(join(chunks, file), text.replace('Scripts can trust these', 'SCRIPTS CAN TRUST THESE'));
    expect(statSync(join(chunks, file)).size).toBe(size);
    const second = run(home, TOPIC, cache);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain('SCRIPTS CAN TRUST THESE');
    expect(second.stdout).not.toContain('Scripts can trust these');
  });

  it('ignores and replaces a damaged, truncated or foreign cache', () => {
    const home = install();
    const cache = tempDir();
    const want = run(home, TOPIC, cache).stdout;
    const pack = packOf(cache)!;
    const good = readFileSync(pack);
    const cases: [string, () => void][] = [
      ['random bytes', () => writeFileSync(pack, Buffer.from('not a pack at all, just bytes'), { mode: 0o600 })],
      ['truncated', () => writeFileSync(pack, good.subarray(0, Math.floor(good.length / 3)), { mode: 0o600 })],
      ['an index pointing past the end', () => {
        const index = Buffer.from(JSON.stringify(Object.fromEntries(keysOf(pack).map((k) => [k, [0, 1e9]]))));
        const size = Buffer.alloc(4);
        size.writeUInt32LE(index.length);
        writeFileSync(pack, Buffer.concat([Buffer.from('PCC1'), size, index]), { mode: 0o600 });
      }],
      ['writable by others', () => writeFileSync(pack, good, { mode: 0o666 })],
    ];
    for (const [what, damage] of cases) {
      damage();
      if (what === 'writable by others') spawnSync('chmod', ['666', pack]);
      const r = run(home, TOPIC, cache);
      expect(r.status, `${what}: ${r.stderr}`).toBe(0);
      expect(r.stdout, what).toBe(want);
      expect(readFileSync(pack).subarray(0, 4).toString(), what).toBe('PCC1');
      expect(statSync(pack).mode & 0o777, what).toBe(0o600);
      expect(keysOf(pack).length, what).toBeGreaterThan(3);
    }
    // Another user's pack (root can hand it over) or a link to one is never read.
    if (process.getuid?.() === 0) {
      chownSync(pack, 4321, 4321);
      const r = run(home, TOPIC, cache);
      expect(r.stdout).toBe(want);
      expect(lstatSync(pack).uid).toBe(0);
    }
    const elsewhere = join(tempDir(), 'planted.pack');
    writeFileSync(elsewhere, good, { mode: 0o600 });
    spawnSync('rm', ['-f', pack]);
    symlinkSync(elsewhere, pack);
    const linked = run(home, TOPIC, cache);
    expect(linked.stdout).toBe(want);
    expect(lstatSync(pack).isSymbolicLink()).toBe(false);
  });

  it('ignores the entries of another build of a chunk', () => {
    const home = install();
    const cache = tempDir();
    const want = run(home, TOPIC, cache).stdout;
    const pack = packOf(cache)!;
    const bytes = readFileSync(pack);
    const indexLength = bytes.readUInt32LE(4);
    // The same chunks under other content hashes: what an earlier build left.
    const index = JSON.parse(bytes.subarray(8, 8 + indexLength).toString('utf8')) as Record<string, [number, number]>;
    const other = Object.fromEntries(Object.entries(index).map(([k, v]) => [k.replace(/\.[0-9a-f]{16}$/, '.0123456789abcdef'), v]));
    const head = Buffer.from(JSON.stringify(other));
    const size = Buffer.alloc(4);
    size.writeUInt32LE(head.length);
    writeFileSync(pack, Buffer.concat([Buffer.from('PCC1'), size, head, bytes.subarray(8 + indexLength)]), { mode: 0o600 });
    const r = run(home, TOPIC, cache);
    expect(r.stdout).toBe(want);
    expect(keysOf(pack).some((k) => k.endsWith('.0123456789abcdef'))).toBe(false);
  });

  it('runs uncached, silently, when the cache folder cannot be made', () => {
    const home = install();
    const blocked = join(tempDir(), 'file-not-folder');
    writeFileSync(blocked, 'x');
    for (const cache of [blocked, '/proc/1']) {
      const r = run(home, TOPIC, cache);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Scripts can trust these');
    }
  });

  it('leaves the chunks to Node with source maps on, and the composed maps point into src/', async () => {
    const home = install();
    const cache = tempDir();
    const r = spawnSync(process.execPath, ['--enable-source-maps', join(home, 'bin', 'poscust.cjs'), ...TOPIC], {
      env: { PATH: process.env.PATH, HOME: tempDir(), XDG_CACHE_HOME: cache },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Scripts can trust these');
    // Node's own loader ran the chunks: no code cache.
    expect(packOf(cache)).toBeUndefined();
    // A position in the CommonJS entry maps back to the line of src/cli.ts it came from.
    const { TraceMap, originalPositionFor } = await import('@jridgewell/trace-mapping');
    const code = readFileSync(join(ROOT, 'dist', 'cli.js'), 'utf8');
    const at = code.indexOf('unexpected error');
    const before = code.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n') - 1;
    const map = new TraceMap(readFileSync(join(ROOT, 'dist', 'cli.js.map'), 'utf8'));
    const original = originalPositionFor(map, { line, column });
    expect(original.source).toMatch(/src\/cli\.ts$/);
    const srcLine = readFileSync(join(ROOT, 'src', 'cli.ts'), 'utf8').split('\n')[original.line! - 1]!;
    expect(srcLine).toContain('unexpected error');
  });
});

describe('one start-up path on every Node line', () => {
  it("uses the V8 code cache of this Node's V8, and never Node's compile cache (measured slower on 22 and 24)", () => {
    const home = install();
    const cache = tempDir();
    const dir = tempDir();
    const hook = join(dir, 'compile-cache-hook.cjs');
    const out = join(dir, 'calls.txt');
    // Records every call of module.enableCompileCache (where this Node has it) and of vm.Script with cachedData.
    writeFileSync(
      hook,
      "const fs = require('fs'); const calls = [];\n" +
        "const m = require('module'); if (typeof m.enableCompileCache === 'function') { const real = m.enableCompileCache; m.enableCompileCache = function (...a) { calls.push('compile-cache'); return real.apply(this, a); }; }\n" +
        "const vm = require('vm'); const Script = vm.Script; vm.Script = function (src, o) { if (o && o.cachedData) calls.push('code-cache'); return new Script(src, o); };\n" +
        `process.on('exit', () => fs.writeFileSync(${JSON.stringify(out)}, calls.join('\\n')));\n`,
    );
    const env = { PATH: process.env.PATH, HOME: tempDir(), XDG_CACHE_HOME: cache };
    const first = spawnSync(process.execPath, ['-r', hook, join(home, 'bin', 'poscust.cjs'), ...TOPIC], { env, encoding: 'utf8' });
    expect(first.status, first.stderr).toBe(0);
    expect(readdirSync(join(cache, 'poscust'))).toEqual([`v8-${process.versions.v8}`]);
    const second = spawnSync(process.execPath, ['-r', hook, join(home, 'bin', 'poscust.cjs'), ...TOPIC], { env, encoding: 'utf8' });
    expect(second.status, second.stderr).toBe(0);
    const calls = readFileSync(out, 'utf8').split('\n');
    expect(calls).toContain('code-cache');
    expect(calls).not.toContain('compile-cache');
  });
});
