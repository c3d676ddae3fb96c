#!/usr/bin/env node
// `npm run bench`: performance figures as ratios to bare Node measured in the same run, so a busy
// shared machine slows both sides alike. Never part of `npm test`.
//
//   start-up   `poscust --version`, `poscust --help`           target <= 1.3x `node -e 0`
//              `poscust get --code X --format json`            target <= 1.6x (local sandbox, cached token,
//                                                              code cache warm); <= 2.0x on the first run
//                                                              after a build (no code cache yet)
//              Each ratio is against bare node in the same run; the minimal environment (PATH and
//              HOME only, plus the connection) is the one that counts: an inherited variable such as
//              NODE_EXTRA_CA_CERTS slows bare node too and flatters every ratio.
//   import     scripts/bench-import.mjs (throughput, client CPU, quota windows, requests per row, memory)
//
// Options: --runs N (default 40), --quick (fewer runs, short import bench), --json (one JSON line),
// --startup-only (skip the import benchmarks).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'poscust.cjs');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonOnly = args.includes('--json');
const runsArg = args.indexOf('--runs');
const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : quick ? 15 : 40;
const log = (...m) => {
  if (!jsonOnly) console.log(...m);
};

if (!existsSync(join(root, 'dist', 'cli.js'))) {
  log('building dist/ ...');
  spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}

function timeOnce(argv, env, node = process.execPath) {
  const start = process.hrtime.bigint();
  const r = spawnSync(node, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function startSandbox() {
  const child = spawn(process.execPath, [bin, 'sandbox', '--format', 'json', '--port', '0', '--seed', '200'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    child.once('exit', (c) => reject(new Error(`sandbox exited ${c}`)));
  });
  return { child, info: JSON.parse(line) };
}

const { child: sandbox, info } = await startSandbox();
const configDir = mkdtempSync(join(tmpdir(), 'poscust-bench-'));
const connection = {
  POSCUST_CONFIG_DIR: configDir,
  POSCUST_BACKEND: info.backend,
  POSCUST_BASE_URL: info.baseUrl,
  POSCUST_CLIENT_ID: info.clientId,
  POSCUST_CLIENT_SECRET: info.clientSecret,
};
// Two environments: the one this bench inherits (what a user's shell gives every Node process on
// this machine, e.g. NODE_EXTRA_CA_CERTS, which costs ~50 ms per start here) and a minimal one
// (PATH and HOME only), where our own start-up cost is the largest share.
// The code cache of each environment is its own, in the bench's folder.
const environments = {
  minimal: { PATH: process.env.PATH, HOME: process.env.HOME, ...connection, XDG_CACHE_HOME: join(configDir, 'cache-minimal') },
  inherited: { ...process.env, ...connection, XDG_CACHE_HOME: join(configDir, 'cache-inherited') },
};

/** The Node binaries of other lines scripts/node-lines.sh fetched (newest per major), if any. */
function otherNodes() {
  const cache = process.env.POSCUST_NODE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? '/tmp', '.cache'), 'poscust-node');
  let names = [];
  try {
    names = readdirSync(cache).filter((n) => /^\d+\.\d+\.\d+$/.test(n));
  } catch {
    return [];
  }
  const newest = new Map();
  for (const n of names) {
    const [major] = n.split('.');
    const prev = newest.get(major);
    const cmp = (a, b) => a.split('.').map(Number).reduce((d, x, i) => d || x - b.split('.').map(Number)[i], 0);
    if (!prev || cmp(n, prev) > 0) newest.set(major, n);
  }
  return [...newest.values()].filter((v) => v.split('.')[0] !== process.versions.node.split('.')[0]).map((v) => join(cache, v, 'bin', 'node')).filter((p) => existsSync(p));
}

function measure(env, node = process.execPath) {
  const code = 'C-00042';
  const t = (argv, e = env) => timeOnce(argv, e, node);
  const compileCache = join(configDir, `compile-cache-${Math.random().toString(36).slice(2)}`);
  const withCompileCache = spawnSync(node, ['-p', "typeof require('node:module').enableCompileCache === 'function'"], { encoding: 'utf8' }).stdout.trim() === 'true';
  const cc = [join(root, 'scripts', 'bench-compile-cache.cjs'), 'get', '--code', code, '--format', 'json'];
  const ccEnv = { ...env, BENCH_COMPILE_CACHE_DIR: compileCache };
  // Warm-up: fills the token cache (the target is with a cached token) and the OS file cache.
  for (let i = 0; i < 3; i++) {
    t(['-e', '0']);
    t([bin, '--version']);
    t([bin, 'get', '--code', code, '--format', 'json']);
    if (withCompileCache) t(cc, ccEnv);
  }
  const samples = { node: [], version: [], help: [], get: [], getCold: [], getCompileCache: [] };
  // Interleaved, so load on the machine hits all of them alike. The cold run has a code cache
  // folder of its own, empty each time: the first run after a build.
  for (let i = 0; i < runs; i++) {
    samples.node.push(t(['-e', '0']));
    samples.version.push(t([bin, '--version']));
    samples.help.push(t([bin, '--help']));
    samples.get.push(t([bin, 'get', '--code', code, '--format', 'json']));
    const cold = mkdtempSync(join(configDir, 'cold-'));
    samples.getCold.push(t([bin, 'get', '--code', code, '--format', 'json'], { ...env, XDG_CACHE_HOME: cold }));
    rmSync(cold, { recursive: true, force: true });
    if (withCompileCache) samples.getCompileCache.push(t(cc, ccEnv));
  }
  const base = median(samples.node);
  const out = { node: spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim(), nodeMs: +base.toFixed(1) };
  for (const k of ['version', 'help', 'get', 'getCold', ...(withCompileCache ? ['getCompileCache'] : [])]) {
    out[`${k}Ms`] = +median(samples[k]).toFixed(1);
    out[`${k}Ratio`] = +(median(samples[k]) / base).toFixed(2);
  }
  return out;
}

try {
  const results = {};
  for (const [name, env] of Object.entries(environments)) results[name] = measure(env);
  // The other Node lines (scripts/node-lines.sh fetched them), each against its own bare node.
  for (const node of otherNodes()) {
    const major = node.split('/').at(-3).split('.')[0];
    results[`minimal-node${major}`] = measure(environments.minimal, node);
  }
  const mark = (ratio, target) => `${ratio.toFixed(2)}x  (target <= ${target}x) ${ratio <= target ? 'ok' : 'OVER'}`;
  for (const [name, r] of Object.entries(results)) {
    log(`start-up, ${name} environment, Node ${r.node} (median of ${runs} interleaved runs)`);
    log(`  node -e 0                               ${r.nodeMs.toFixed(1).padStart(7)} ms   1.00x`);
    log(`  poscust --version                       ${r.versionMs.toFixed(1).padStart(7)} ms   ${mark(r.versionRatio, 1.3)}`);
    log(`  poscust --help                          ${r.helpMs.toFixed(1).padStart(7)} ms   ${mark(r.helpRatio, 1.3)}`);
    log(`  poscust get --code X --format json      ${r.getMs.toFixed(1).padStart(7)} ms   ${mark(r.getRatio, 1.6)}`);
    log(`    the same, first run after a build     ${r.getColdMs.toFixed(1).padStart(7)} ms   ${mark(r.getColdRatio, 2.0)}`);
    if (r.getCompileCacheMs !== undefined) {
      log(`    with Node's compile cache instead      ${r.getCompileCacheMs.toFixed(1).padStart(7)} ms   ${r.getCompileCacheRatio.toFixed(2)}x  (${r.getCompileCacheMs < r.getMs ? 'FASTER than our code cache' : 'slower than our code cache'})`);
    }
  }
  console.log(JSON.stringify({ startup: { runs, targets: { versionRatio: 1.3, helpRatio: 1.3, getRatio: 1.6, getColdRatio: 2.0 }, ...results } }));
} finally {
  sandbox.kill('SIGTERM');
  rmSync(configDir, { recursive: true, force: true });
}

const importBench = join(root, 'scripts', 'bench-import.mjs');
if (existsSync(importBench) && !args.includes('--startup-only')) {
  log('');
  const r = spawnSync(process.execPath, [importBench, ...(quick ? ['--quick'] : []), ...(jsonOnly ? ['--json'] : [])], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
}
