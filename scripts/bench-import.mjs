#!/usr/bin/env node
// Benchmarks of `poscust import` (issue 4, "Performance"), run against the built binary (dist/)
// and `poscust sandbox` in its own process, over real HTTP on loopback:
//   1. throughput with no quota and 20 ms latency, against concurrency / latency
//   2. a quota (50 per 3 s): windows used against the minimum the requests need, and 429s
//   3. upsert: requests per changed row, beyond the count and the listing pages
//   4. peak memory (RSS high-water mark of the import process) for 500,000 rows against 10,000
//   5. against the naive way (one lookup plus one write per row, sequential)
//   6. real files: the same 100,000 rows from UTF-8 CSV, windows-1252 CSV and .xlsx (a dry run in
//      create mode: the file is read, scanned and every row typed, and nothing is sent), rows per
//      second and peak memory against UTF-8 in the same run
//   8. client CPU per 1,000 created rows at the margin (the difference between two sizes, so
//      start-up and the file scan cancel out), against scripts/bench-minimal-client.mjs, a minimal
//      undici Pool script doing the same POSTs to the same sandbox; and, at 20 ms latency and
//      concurrency 8, the rows per second of each
//   7. export of 20,000 customers from a sandbox whose list rows are narrow (`--dialect narrow-list`):
//      requests against the minimum (listing pages + ListID batches), wall time against the same
//      export from full rows
// Prints a table on stderr (not with --json) and one JSON line on stdout. `--quick` runs smaller
// sizes; `--only throughput,quota,upsert,memory,naive,files,narrow,cpu,history,duplicates,fanout,migrate` runs some of them.
//   node scripts/bench-import.mjs [--quick] [--json] [--only <parts>]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { Pool } from 'undici';
import { stringify } from 'csv-stringify/sync';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'poscust.cjs');
const RSS_HOOK = join(ROOT, 'scripts', 'bench-rss-hook.mjs');
const quick = process.argv.includes('--quick');
const jsonOnly = process.argv.includes('--json');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1].split(',')) : null;
const part = (name) => !only || only.has(name);
const work = mkdtempSync(join(tmpdir(), 'poscust-bench-'));

const SIZES = quick
  ? { throughput: 600, concurrency: [4, 8], quotaRows: 99, upsertBase: 3000, memorySmall: 10_000, memoryLarge: 100_000, naive: 200, files: 20_000, narrow: 5_000, cpu: [1000, 3000], history: 1000, duplicates: [10_000, 50_000], fanout: 2000, migrate: 5000 }
  : { throughput: 2000, concurrency: [4, 8, 16], quotaRows: 249, upsertBase: 20_000, memorySmall: 10_000, memoryLarge: 500_000, naive: 400, files: 100_000, narrow: 20_000, cpu: [2000, 8000], history: 3000, duplicates: [100_000, 500_000], fanout: 5000, migrate: 20_000 };

async function startSandbox(args) {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--format', 'json', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
  });
  const info = JSON.parse(line);
  const control = async (path, method = 'GET', body) => {
    const res = await fetch(`${info.origin}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json();
  };
  return {
    info,
    control,
    env: (dir) => ({
      PATH: process.env.PATH,
      POSCUST_BACKEND: 'dealpos',
      POSCUST_BASE_URL: info.baseUrl,
      POSCUST_CLIENT_ID: info.clientId,
      POSCUST_CLIENT_SECRET: info.clientSecret,
      POSCUST_CONFIG_DIR: join(dir, 'config'),
    }),
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))),
  };
}

/** Runs the built CLI; returns exit code, stdout, stderr, the peak RSS in MiB and the CPU time in ms. */
function poscust(args, env) {
  return node([BIN, ...args], env);
}

/** Runs a Node script with the RSS/CPU hook. */
function node(argv, env) {
  const rssFile = join(work, `rss-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', RSS_HOOK, ...argv], { env: { ...env, BENCH_RSS_FILE: rssFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      let rssMiB = null;
      let cpuMs = null;
      try {
        const [rss, cpu] = readFileSync(rssFile, 'utf8').split(' ').map(Number);
        rssMiB = rss / 1024;
        cpuMs = cpu / 1000;
      } catch {}
      resolve({ code, stdout, stderr, rssMiB, cpuMs, wallMs: performance.now() - started });
    });
  });
}

function summaryOf(run) {
  if (run.code !== 0) throw new Error(`poscust exited ${run.code}: ${run.stderr.slice(0, 500)}`);
  return JSON.parse(run.stdout);
}

/** Rows of customers; with `changed`, every fifth has another Group. */
function csv(n, from = 1, prefix = 'B', changed = false) {
  const lines = ['Code,Name,Email,Mobile,BirthDate,LoyaltyPoint,Group'];
  for (let i = from; i < from + n; i++) {
    const group = changed && i % 5 === 0 ? 'Silver' : i % 3 ? 'Regular' : 'Gold';
    lines.push(`${prefix}${i},Budi Santoso ${i},${prefix.toLowerCase()}${i}@contoh.co.id,08${String(1_000_000_000 + i)},19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10},${i % 500},${group}`);
  }
  return `${lines.join('\n')}\n`;
}

function file(name, text) {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

/** Windows the server opened, from the arrival times in its request log. */
function windowsIn(requests, windowMs) {
  let windows = 0;
  let start = -Infinity;
  for (const r of requests) {
    const t = Date.parse(r.time);
    if (t >= start + windowMs) {
      windows++;
      start = t;
    }
  }
  return windows;
}

const results = {};
const rows = [];
const say = (label, value, verdict = '') => rows.push([label, value, verdict]);

/**
 * What this machine can do at all: bare undici POSTs at the same concurrency against the same
 * sandbox (on 2 cores the sandbox and the client share the CPU, which caps high concurrency).
 */
async function ceiling(sb, concurrency, n) {
  const { info } = sb;
  const token = (await (await fetch(`${info.baseUrl}/Token/OAuth2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: info.clientId, client_secret: info.clientSecret }) })).json()).access_token;
  const pool = new Pool(info.origin, { connections: concurrency });
  const path = new URL(info.baseUrl).pathname + '/Customer';
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const res = await pool.request({ path, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ Code: `RAW${concurrency}-${i}`, Name: `Raw ${i}` }) });
        await res.body.text();
      }
    }),
  );
  const rate = (n * 1000) / (performance.now() - started);
  await pool.close();
  return rate;
}

// 1. Throughput: no quota, 20 ms of latency per request. The rate is that of the creates as the
// server saw them arrive (first to last), so start-up and login do not dilute it; the end-to-end
// rate (the summary's duration) is shown beside it, and bare undici's rate as the machine's ceiling.
if (part('throughput')) {
  const sb = await startSandbox(['--seed', '0', '--latency', '20']);
  results.throughput = [];
  for (const c of SIZES.concurrency) {
    await sb.control('/_sandbox/customers', 'PUT', []);
    await sb.control('/_sandbox/requests', 'DELETE');
    const dir = mkdtempSync(join(work, 'tp-'));
    const input = file(`tp-${c}.csv`, csv(SIZES.throughput, 1, `T${c}X`));
    const s = summaryOf(await poscust(['import', input, '--mode', 'create', '--concurrency', String(c), '--json'], sb.env(dir)));
    const creates = (await sb.control('/_sandbox/requests')).filter((r) => r.method === 'POST' && /\/Customer$/i.test(r.path));
    const spanMs = Date.parse(creates[creates.length - 1].time) - Date.parse(creates[0].time);
    const rate = ((creates.length - 1) * 1000) / spanMs;
    const endToEnd = (s.created * 1000) / s.durationMs;
    const ideal = (c * 1000) / 20;
    await sb.control('/_sandbox/customers', 'PUT', []);
    const bare = await ceiling(sb, c, Math.min(SIZES.throughput, 1000));
    results.throughput.push({ concurrency: c, latencyMs: 20, rows: s.created, rowsPerSecond: Math.round(rate), endToEndRowsPerSecond: Math.round(endToEnd), ideal, ratio: +(rate / ideal).toFixed(3), bareUndiciRowsPerSecond: Math.round(bare) });
    say(
      `throughput, concurrency ${c}, 20 ms`,
      `${Math.round(rate)} rows/s of ${ideal} (${Math.round((100 * rate) / ideal)}%; end to end ${Math.round(endToEnd)}/s; bare undici ${Math.round(bare)}/s)`,
      rate / ideal >= 0.9 ? 'ok (>= 90%)' : 'BELOW 90%',
    );
  }
  await sb.stop();
}

// 2. A quota of 50 requests per 3 s.
if (part('quota')) {
  const sb = await startSandbox(['--seed', '0', '--quota', '50', '--window', '3']);
  const dir = mkdtempSync(join(work, 'quota-'));
  const input = file('quota.csv', csv(SIZES.quotaRows, 1, 'Q'));
  const s = summaryOf(await poscust(['import', input, '--mode', 'create', '--json'], sb.env(dir)));
  const stats = await sb.control('/_sandbox/stats');
  const windows = windowsIn(await sb.control('/_sandbox/requests'), 3000);
  const minimum = Math.ceil(stats.requests / 50);
  results.quota = { rows: s.created, requests: stats.requests, windows, minimumWindows: minimum, rateLimited: stats.rateLimited, durationMs: s.durationMs };
  say('quota 50 per 3 s', `${stats.requests} requests in ${windows} windows (minimum ${minimum}), ${stats.rateLimited} x 429, ${(s.durationMs / 1000).toFixed(1)} s`, windows === minimum && stats.rateLimited === 0 ? 'ok' : 'NOT MINIMAL');
  await sb.stop();
}

// 3. Upsert: requests per changed row.
if (part('upsert')) {
  const base = SIZES.upsertBase;
  const sb = await startSandbox(['--seed', String(base)]);
  const dir = mkdtempSync(join(work, 'upsert-'));
  const exported = join(work, 'export.csv');
  const exp = await poscust(['export', '--output', exported], sb.env(dir));
  if (exp.code !== 0) throw new Error(exp.stderr);
  // Change the Group of every 10th customer, add 5% new ones.
  const [header, ...records] = parse(readFileSync(exported, 'utf8'), { bom: true });
  const group = header.indexOf('Group');
  let changed = 0;
  records.forEach((cells, i) => {
    if (i % 10 !== 9) return;
    cells[group] = cells[group] === 'Platinum' ? 'Gold' : 'Platinum';
    changed++;
  });
  const added = Math.round(base * 0.05);
  for (let i = 1; i <= added; i++) records.push(header.map((h) => (h === 'Code' ? `NEW${i}` : h === 'Name' ? `Baru ${i}` : '')));
  const input = file('upsert.csv', stringify([header, ...records]));
  const s = summaryOf(await poscust(['import', input, '--mode', 'upsert', '--key', 'code', '--json'], sb.env(dir)));
  const pages = Math.ceil(base / 1000);
  const overhead = 1 + pages; // the count and the listing pages (the token was cached by export)
  const perChanged = (s.requests - overhead) / (s.updated + s.created);
  const second = summaryOf(await poscust(['import', input, '--mode', 'upsert', '--key', 'code', '--json'], sb.env(dir)));
  results.upsert = { customers: base, changed, added, summary: s, listingPages: pages, requestsPerChangedRow: +perChanged.toFixed(3), secondRun: second };
  say(`upsert of ${base + added} rows (${changed} changed, ${added} new)`, `${s.requests} requests = ${overhead} count+pages + ${perChanged.toFixed(3)} per changed row`, perChanged <= 1.05 && s.updated === changed && s.created === added ? 'ok (<= 1.05)' : 'CHECK');
  say('  the same file again', `${second.requests} requests, ${second.updated + second.created} writes`, second.updated + second.created === 0 ? 'ok' : 'WRITES');
  await sb.stop();
}

// 4. Peak memory, 500,000 rows against 10,000 (create, sandbox without latency). The small run is
// repeated and its median taken: the V8 young generation alone moves a run's peak by 10 MiB or so.
if (part('memory')) {
  const measure = async (n) => {
    const sb = await startSandbox(['--seed', '0']);
    const dir = mkdtempSync(join(work, 'mem-'));
    const input = file(`mem-${n}.csv`, csv(n, 1, 'M'));
    const run = await poscust(['import', input, '--mode', 'create', '--json'], sb.env(dir));
    const s = summaryOf(run);
    rmSync(input);
    await sb.stop();
    return { rows: n, created: s.created, peakRssMiB: +run.rssMiB.toFixed(1), durationMs: s.durationMs };
  };
  const smalls = [];
  for (let i = 0; i < 3; i++) smalls.push(await measure(SIZES.memorySmall));
  smalls.sort((a, b) => a.peakRssMiB - b.peakRssMiB);
  const small = smalls[1];
  const large = await measure(SIZES.memoryLarge);
  results.memory = { small: smalls, large };
  const ratio = large.peakRssMiB / small.peakRssMiB;
  results.memoryRatio = +ratio.toFixed(3);
  say(`peak RSS, ${small.rows} rows (median of 3)`, `${small.peakRssMiB} MiB (runs: ${smalls.map((m) => m.peakRssMiB).join(', ')})`);
  say(`peak RSS, ${large.rows} rows`, `${large.peakRssMiB} MiB (${Math.round((large.rows * 1000) / large.durationMs)} rows/s)`, `${ratio.toFixed(2)}x ${ratio <= 1.2 ? 'ok (<= 1.2x)' : 'ABOVE 1.2x'}`);
}

// 5. Against the naive way: for each row, GET Detail?Code= then POST or PUT, one at a time.
if (part('naive')) {
  const sb = await startSandbox(['--seed', '0', '--latency', '20']);
  const n = SIZES.naive;
  const dir = mkdtempSync(join(work, 'naive-'));
  // Half the rows exist already, a fifth of those differ: a realistic nightly file.
  const seedFile = file('naive-seed.csv', csv(n / 2, 1, 'N'));
  summaryOf(await poscust(['import', seedFile, '--mode', 'create', '--json'], sb.env(dir)));
  const text = csv(n, 1, 'N', true);
  const input = file('naive.csv', text);
  const t0 = performance.now();
  const ours = summaryOf(await poscust(['import', input, '--json'], sb.env(dir)));
  const oursMs = performance.now() - t0;
  // The naive client: one token, then lookup + write per row, sequential, over keep-alive.
  await sb.control('/_sandbox/customers', 'PUT', (await sb.control('/_sandbox/customers')).filter((c) => !String(c.Code).startsWith('N') || Number(c.Code.slice(1)) <= n / 2));
  const { info } = sb;
  const token = (await (await fetch(`${info.baseUrl}/Token/OAuth2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: info.clientId, client_secret: info.clientSecret }) })).json()).access_token;
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const [head, ...body] = text.trimEnd().split('\n');
  const cols = head.split(',');
  const t1 = performance.now();
  let naiveRequests = 1;
  for (const line of body) {
    const record = Object.fromEntries(line.split(',').map((v, i) => [cols[i], cols[i] === 'LoyaltyPoint' ? Number(v) : v]));
    const found = await fetch(`${info.baseUrl}/Customer/Detail?Code=${encodeURIComponent(record.Code)}`, { headers: auth });
    await found.arrayBuffer();
    naiveRequests++;
    const res = await fetch(`${info.baseUrl}/Customer${found.status === 200 ? '/ByCode' : ''}`, { method: found.status === 200 ? 'PUT' : 'POST', headers: auth, body: JSON.stringify(record) });
    await res.arrayBuffer();
    naiveRequests++;
  }
  const naiveMs = performance.now() - t1;
  results.naive = { rows: n, ours: { ms: Math.round(oursMs), requests: ours.requests, summary: ours }, naive: { ms: Math.round(naiveMs), requests: naiveRequests }, speedup: +(naiveMs / oursMs).toFixed(1), requestRatio: +(naiveRequests / ours.requests).toFixed(1) };
  say(`naive (lookup + write per row, sequential), ${n} rows, 20 ms`, `${(naiveMs / 1000).toFixed(1)} s, ${naiveRequests} requests`);
  say('  poscust import (upsert)', `${(oursMs / 1000).toFixed(1)} s, ${ours.requests} requests`, `${results.naive.speedup}x faster, ${results.naive.requestRatio}x fewer requests`);
  await sb.stop();
}

// 6. Real files: one set of rows (accented names, so windows-1252 has bytes to transcode) as UTF-8
// CSV, windows-1252 CSV and an .xlsx workbook. Each is imported as a dry run in create mode (read,
// scanned, every row typed; no request but the login), three times, the median kept.
if (part('files')) {
  const n = SIZES.files;
  const sb = await startSandbox(['--seed', '0']);
  const header = ['Code', 'Name', 'Email', 'Mobile', 'BirthDate', 'LoyaltyPoint', 'Group'];
  const names = ['José Muñoz', 'Zoë Dürer', 'François Lefèvre', 'Budi Santoso', 'Ångström Ørsted'];
  const records = Array.from({ length: n }, (_, k) => {
    const i = k + 1;
    return [`F${i}`, `${names[i % names.length]} ${i}`, `f${i}@contoh.co.id`, `08${String(1_000_000_000 + i)}`, `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`, i % 500, i % 3 ? 'Regular' : 'Gold'];
  });
  const text = stringify([header, ...records]);
  const iconv = (await import('iconv-lite')).default;
  const { default: writeExcelFile } = await import('write-excel-file/node');
  const inputs = {
    'utf-8': { path: file('files-utf8.csv', text), args: [] },
    'windows-1252': { path: file('files-1252.csv', iconv.encode(text, 'windows-1252')), args: ['--encoding', 'windows-1252'] },
    xlsx: { path: join(work, 'files.xlsx'), args: [] },
  };
  writeFileSync(inputs.xlsx.path, await writeExcelFile([header, ...records]).toBuffer());
  const median3 = (xs) => [...xs].sort((a, b) => a - b)[1];
  results.files = { rows: n };
  for (const [name, input] of Object.entries(inputs)) {
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const dir = mkdtempSync(join(work, 'files-'));
      const run = await poscust(['import', input.path, '--mode', 'create', '--dry-run', ...input.args, '--json'], sb.env(dir));
      const s = summaryOf(run);
      if (s.created !== n) throw new Error(`${name}: ${s.created} of ${n} rows read`);
      runs.push({ rowsPerSecond: (n * 1000) / s.durationMs, peakRssMiB: run.rssMiB });
    }
    results.files[name] = { rowsPerSecond: Math.round(median3(runs.map((r) => r.rowsPerSecond))), peakRssMiB: +median3(runs.map((r) => r.peakRssMiB)).toFixed(1) };
  }
  const base = results.files['utf-8'];
  for (const name of Object.keys(inputs)) {
    const r = results.files[name];
    const slower = base.rowsPerSecond / r.rowsPerSecond;
    r.timeRatio = +slower.toFixed(2);
    r.memoryRatio = +(r.peakRssMiB / base.peakRssMiB).toFixed(2);
    const verdict = name === 'windows-1252' ? (slower <= 1.2 ? 'ok (<= 1.2x)' : 'ABOVE 1.2x') : name === 'xlsx' ? 'stated' : 'baseline';
    say(`read ${n} rows, ${name}`, `${r.rowsPerSecond} rows/s (${slower.toFixed(2)}x the time of UTF-8), peak RSS ${r.peakRssMiB} MiB (${r.memoryRatio}x)`, verdict);
  }
  await sb.stop();
}

// 7. Narrow list rows: the same export from full rows and from 14-field rows, in the same run.
if (part('narrow')) {
  const n = SIZES.narrow;
  results.narrow = { customers: n };
  for (const dialect of ['', 'narrow-list']) {
    const sb = await startSandbox(['--seed', String(n), ...(dialect ? ['--dialect', dialect] : [])]);
    const dir = mkdtempSync(join(work, 'narrow-'));
    const output = join(dir, 'all.csv');
    // Log in first, so the token is not counted.
    const login = await poscust(['count'], sb.env(dir));
    if (login.code !== 0) throw new Error(login.stderr);
    await sb.control('/_sandbox/requests', 'DELETE');
    const run = await poscust(['export', '--output', output], sb.env(dir));
    if (run.code !== 0) throw new Error(run.stderr);
    const requests = (await sb.control('/_sandbox/requests')).length;
    const lines = readFileSync(output, 'utf8').trimEnd().split('\n').length - 1;
    if (lines !== n) throw new Error(`export wrote ${lines} of ${n} customers`);
    const minimum = Math.ceil(n / 1000) + (dialect ? Math.ceil(n / 100) : 0);
    results.narrow[dialect || 'full'] = { requests, minimum, wallMs: Math.round(run.wallMs), peakRssMiB: +run.rssMiB.toFixed(1) };
    await sb.stop();
  }
  const { full, 'narrow-list': narrow } = results.narrow;
  results.narrow.timeRatio = +(narrow.wallMs / full.wallMs).toFixed(2);
  say(`export ${n} customers, full rows`, `${full.requests} requests (minimum ${full.minimum}), ${(full.wallMs / 1000).toFixed(1)} s`, full.requests === full.minimum ? 'ok' : 'ABOVE MINIMUM');
  say(
    `export ${n} customers, narrow rows`,
    `${narrow.requests} requests (minimum ${narrow.minimum}: pages + ListID batches of 100), ${(narrow.wallMs / 1000).toFixed(1)} s (${results.narrow.timeRatio}x full)`,
    narrow.requests === narrow.minimum ? 'ok' : 'ABOVE MINIMUM',
  );
}

// 8. Client CPU per row against a minimal client.
if (part('cpu')) {
  const MINIMAL = join(ROOT, 'scripts', 'bench-minimal-client.mjs');
  const [small, large] = SIZES.cpu;
  const tokenOf = async (info) =>
    (await (await fetch(`${info.baseUrl}/Token/OAuth2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: info.clientId, client_secret: info.clientSecret }) })).json()).access_token;
  /** Creates n rows with each client on a fresh store; returns CPU ms and the server-side rate. */
  const measure = async (sb, n, prefix) => {
    const input = file(`cpu-${prefix}-${n}.csv`, csv(n, 1, prefix));
    const out = {};
    for (const who of ['poscust', 'minimal']) {
      await sb.control('/_sandbox/customers', 'PUT', []);
      await sb.control('/_sandbox/requests', 'DELETE');
      const dir = mkdtempSync(join(work, 'cpu-'));
      const run =
        who === 'poscust'
          ? await poscust(['import', input, '--mode', 'create', '--concurrency', '8', '--json'], sb.env(dir))
          : await node([MINIMAL, sb.info.baseUrl, await tokenOf(sb.info), input, '8'], sb.env(dir));
      if (run.code !== 0) throw new Error(`${who}: ${run.stderr}`);
      const creates = (await sb.control('/_sandbox/requests')).filter((r) => r.method === 'POST' && /\/Customer$/i.test(r.path));
      if (creates.length < n) throw new Error(`${who} created ${creates.length} of ${n}`);
      const spanMs = Date.parse(creates.at(-1).time) - Date.parse(creates[0].time);
      out[who] = { cpuMs: run.cpuMs, rowsPerSecond: Math.round(((creates.length - 1) * 1000) / Math.max(1, spanMs)) };
    }
    return out;
  };
  const sb0 = await startSandbox(['--seed', '0']);
  const a = await measure(sb0, small, 'CA');
  const b = await measure(sb0, large, 'CB');
  await sb0.stop();
  const margin = (who) => ((b[who].cpuMs - a[who].cpuMs) * 1000) / (large - small);
  const ours = margin('poscust');
  const floor = margin('minimal');
  const sb20 = await startSandbox(['--seed', '0', '--latency', '20']);
  const at20 = await measure(sb20, small, 'CL');
  await sb20.stop();
  results.cpu = {
    rows: [small, large],
    cpuMsPer1000: { poscust: +ours.toFixed(1), minimal: +floor.toFixed(1), ratio: +(ours / floor).toFixed(2) },
    at20ms: { poscust: at20.poscust.rowsPerSecond, minimal: at20.minimal.rowsPerSecond, share: +(at20.poscust.rowsPerSecond / at20.minimal.rowsPerSecond).toFixed(3) },
  };
  say('client CPU per 1,000 created rows (margin)', `${ours.toFixed(0)} ms against ${floor.toFixed(0)} ms for a minimal undici script (${(ours / floor).toFixed(2)}x)`, ours / floor <= 1.3 ? 'ok (<= 1.3x)' : 'ABOVE 1.3x');
  say('  at 20 ms latency, concurrency 8', `${at20.poscust.rowsPerSecond} rows/s against ${at20.minimal.rowsPerSecond} (${Math.round((100 * at20.poscust.rowsPerSecond) / at20.minimal.rowsPerSecond)}%)`, at20.poscust.rowsPerSecond >= 0.95 * at20.minimal.rowsPerSecond ? 'ok (>= 95%)' : 'BELOW 95%');
}

// 10. History: an upsert with the history written against the same without it (POSCUST_HISTORY=off),
// interleaved, at 20 ms latency; then the undo of its updates, counting its requests.
if (part('history')) {
  const n = SIZES.history;
  const sb = await startSandbox(['--seed', String(n), '--latency', '20']);
  const dir = mkdtempSync(join(work, 'history-'));
  const exported = join(work, 'history-export.csv');
  if ((await poscust(['export', '--output', exported], sb.env(dir))).code !== 0) throw new Error('export failed');
  const [header, ...records] = parse(readFileSync(exported, 'utf8'), { bom: true });
  const points = header.indexOf('LoyaltyPoint');
  const runs = { on: [], off: [] };
  for (let round = 0; round < 3; round++) {
    // The last run keeps its history: the undo below reverts it.
    for (const mode of round % 2 ? ['on', 'off'] : ['off', 'on']) {
      // Every row changes (its points go up by one): n updates per run.
      for (const cells of records) cells[points] = String(Number(cells[points]) + 1);
      const input = file(`history-${round}-${mode}.csv`, stringify([header, ...records]));
      await sb.control('/_sandbox/requests', 'DELETE');
      const env = { ...sb.env(dir), ...(mode === 'off' ? { POSCUST_HISTORY: 'off' } : {}) };
      const run = await poscust(['import', input, '--key', 'code', '--concurrency', '8', '--json'], env);
      const s = summaryOf(run);
      if (s.updated !== n) throw new Error(`history ${mode}: updated ${s.updated} of ${n}`);
      const puts = (await sb.control('/_sandbox/requests')).filter((r) => r.method === 'PUT');
      const spanMs = Date.parse(puts.at(-1).time) - Date.parse(puts[0].time);
      runs[mode].push({ rowsPerSecond: ((puts.length - 1) * 1000) / Math.max(1, spanMs), cpuMs: run.cpuMs });
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const on = median(runs.on.map((r) => r.rowsPerSecond));
  const off = median(runs.off.map((r) => r.rowsPerSecond));
  const cpuOn = median(runs.on.map((r) => r.cpuMs));
  const cpuOff = median(runs.off.map((r) => r.cpuMs));
  // The undo of the last run with the history on: its updates, and the reads it needed.
  const list = JSON.parse((await poscust(['history', '--format', 'json'], sb.env(dir))).stdout);
  const job = list.find((j) => j.writes.updated === n);
  await sb.control('/_sandbox/requests', 'DELETE');
  const undo = await poscust(['undo', job.id, '--yes', '--json'], sb.env(dir));
  if (undo.code !== 0) throw new Error(`undo: ${undo.stderr}`);
  const undoRequests = (await sb.control('/_sandbox/requests')).length;
  const pages = Math.ceil(n / 1000);
  results.history = { rows: n, rowsPerSecond: { on: Math.round(on), off: Math.round(off), share: +(on / off).toFixed(3) }, cpuMs: { on: Math.round(cpuOn), off: Math.round(cpuOff) }, undo: { updates: n, requests: undoRequests, allowed: pages + n } };
  say(`upsert of ${n} changed rows, history on vs off (20 ms)`, `${Math.round(on)} against ${Math.round(off)} rows/s (${Math.round((100 * on) / off)}%), CPU ${Math.round(cpuOn)} against ${Math.round(cpuOff)} ms`, on >= 0.95 * off ? 'ok (within 5%)' : 'SLOWER');
  say(`  undo of its ${n} updates`, `${undoRequests} requests (listing pages + writes: ${pages + n})`, undoRequests <= pages + n ? 'ok' : 'OVER');
  await sb.stop();
}

// 11. duplicates over a large shop: requests, wall time, peak memory, memory per customer.
if (part('duplicates')) {
  const sizes = SIZES.duplicates;
  const runs = [];
  for (const n of sizes) {
    const sb = await startSandbox(['--seed', String(n)]);
    const dir = mkdtempSync(join(work, 'dup-'));
    await poscust(['count'], sb.env(dir)); // the login, cached
    await sb.control('/_sandbox/requests', 'DELETE');
    const before = (await sb.control('/_sandbox/stats')).requests;
    const run = await poscust(['duplicates', '--format', 'json'], sb.env(dir));
    if (run.code !== 0) throw new Error(`duplicates: ${run.stderr}`);
    const requests = (await sb.control('/_sandbox/stats')).requests - before;
    const groups = JSON.parse(run.stdout).length;
    runs.push({ customers: n, requests, pages: Math.ceil(n / 1000), groups, wallMs: Math.round(run.wallMs), rssMiB: +run.rssMiB.toFixed(1) });
    await sb.stop();
  }
  const [a, b] = runs;
  const perCustomer = ((b.rssMiB - a.rssMiB) * 1024 * 1024) / (b.customers - a.customers);
  results.duplicates = { runs, bytesPerCustomer: Math.round(perCustomer) };
  for (const r of runs) {
    say(`duplicates over ${r.customers} customers`, `${r.requests} requests (${r.pages} listing pages; ${r.groups} groups), ${(r.wallMs / 1000).toFixed(1)} s, peak ${r.rssMiB} MiB`, r.rssMiB < 500 ? 'ok (< 500 MiB)' : 'OVER 500 MiB');
  }
  say('  memory per customer', `${Math.round(perCustomer)} bytes (between the two sizes)`, '');
}

// 12. Many shops and migration: fan-out export over 4 shops at 20 ms against the slowest single
// export; migrate DealPOS -> PORTOS of n customers against an import of the same rows.
if (part('fanout')) {
  const n = SIZES.fanout;
  const shops = await Promise.all([0, 1, 2, 3].map((i) => startSandbox(['--seed', String(n + i * 100), '--latency', '20'])));
  const dir = mkdtempSync(join(work, 'fanout-'));
  const env = { PATH: process.env.PATH, POSCUST_CONFIG_DIR: join(dir, 'config') };
  for (const [i, sb] of shops.entries()) {
    const add = await new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'profile', 'add', `shop${i}`, '--backend', 'dealpos', '--base-url', sb.info.baseUrl, '--client-id', sb.info.clientId, '--client-secret-stdin', '--no-check'], { env, stdio: ['pipe', 'ignore', 'inherit'] });
      child.on('close', resolve);
      child.stdin.end(sb.info.clientSecret);
    });
    if (add !== 0) throw new Error('profile add failed');
    await poscust(['--profile', `shop${i}`, 'count'], env); // the login, cached
  }
  const singles = [];
  for (let i = 0; i < shops.length; i++) {
    const run = await poscust(['--profile', `shop${i}`, 'export', '--output', join(dir, `one-${i}.csv`)], env);
    if (run.code !== 0) throw new Error(run.stderr);
    singles.push(run.wallMs);
  }
  const all = await poscust(['--all-profiles', 'export', '--output', join(dir, 'all.csv')], env);
  if (all.code !== 0) throw new Error(all.stderr);
  // The same four exports started at once as plain processes: what this machine allows in parallel
  // (on 2 cores the sandboxes and the exports share the CPU).
  const t0 = performance.now();
  await Promise.all([0, 1, 2, 3].map((i) => poscust(['--profile', `shop${i}`, 'export', '--output', join(dir, `par-${i}.csv`)], env)));
  const parallelMs = performance.now() - t0;
  const slowest = Math.max(...singles);
  results.fanout = { shops: 4, customersPerShop: n, singleMs: singles.map(Math.round), fanoutMs: Math.round(all.wallMs), parallelPlainMs: Math.round(parallelMs), ratio: +(all.wallMs / slowest).toFixed(2), ratioToPlainParallel: +(all.wallMs / parallelMs).toFixed(2) };
  say(`export of 4 shops (${n} each, 20 ms) with --all-profiles`, `${(all.wallMs / 1000).toFixed(1)} s against ${(slowest / 1000).toFixed(1)} s for the slowest shop alone (${(all.wallMs / slowest).toFixed(2)}x)`, all.wallMs <= 1.3 * slowest ? 'ok (<= 1.3x)' : 'ABOVE 1.3x');
  say('  against the 4 plain exports run at once', `${(parallelMs / 1000).toFixed(1)} s (${(all.wallMs / parallelMs).toFixed(2)}x)`, '');
  await Promise.all(shops.map((s) => s.stop()));
}

if (part('migrate')) {
  const n = SIZES.migrate;
  const src = await startSandbox(['--seed', String(n)]);
  const dst = await startSandbox(['--backend', 'portos', '--seed', '0']);
  const dir = mkdtempSync(join(work, 'migrate-'));
  const env = { PATH: process.env.PATH, POSCUST_CONFIG_DIR: join(dir, 'config') };
  const addProfile = (name, args, secret) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'profile', 'add', name, ...args, '--no-check'], { env, stdio: ['pipe', 'ignore', 'inherit'] });
      child.on('close', resolve);
      child.stdin.end(secret);
    });
  await addProfile('src', ['--backend', 'dealpos', '--base-url', src.info.baseUrl, '--client-id', src.info.clientId, '--client-secret-stdin'], src.info.clientSecret);
  await addProfile('dst', ['--backend', 'portos', '--base-url', dst.info.baseUrl, '--username', dst.info.username, '--device-name', dst.info.deviceName, '--password-stdin', '--allow-insecure-http'], dst.info.password);
  await poscust(['--profile', 'src', 'count'], env);
  await poscust(['--profile', 'dst', 'count'], env);
  const before = (await dst.control('/_sandbox/stats')).requests;
  const m = await poscust(['migrate', '--from', 'src', '--to', 'dst', '--format', 'json'], env);
  const ms = summaryOf(m);
  const dstRequests = (await dst.control('/_sandbox/stats')).requests - before;
  // The same rows, imported: the target's own export of them, into an empty target.
  const exported = join(dir, 'migrated.csv');
  if ((await poscust(['--profile', 'dst', 'export', '--output', exported], env)).code !== 0) throw new Error('export failed');
  const [header, ...records] = parse(readFileSync(exported, 'utf8'), { bom: true });
  const keep = header.map((h, i) => (['id', 'status', 'fullName', '_v'].includes(h) ? -1 : i)).filter((i) => i >= 0);
  const input = file('migrate-as-import.csv', stringify([keep.map((i) => header[i]), ...records.map((r) => keep.map((i) => r[i]))]));
  await dst.control('/_sandbox/customers', 'PUT', []);
  const im = await poscust(['--profile', 'dst', 'import', input, '--mode', 'create', '--json'], env);
  const is = summaryOf(im);
  const mRate = (ms.created * 1000) / m.wallMs;
  const iRate = (is.created * 1000) / im.wallMs;
  results.migrate = { customers: n, created: ms.created, targetRequests: dstRequests, requestsPerCustomer: +(dstRequests / n).toFixed(3), rowsPerSecond: Math.round(mRate), importRowsPerSecond: Math.round(iRate), ratio: +(mRate / iRate).toFixed(2) };
  say(`migrate ${n} customers dealpos -> portos`, `${(dstRequests / n).toFixed(3)} target requests a customer; ${Math.round(mRate)} rows/s against ${Math.round(iRate)} for an import of the same rows (${Math.round((100 * mRate) / iRate)}%)`, '');
  await src.stop();
  await dst.stop();
}

const width = Math.max(...rows.map((r) => r[0].length));
const width2 = Math.max(...rows.map((r) => r[1].length));
if (!jsonOnly) {
  process.stderr.write(`\nposcust import benchmarks${quick ? ' (--quick)' : ''}\n\n`);
  for (const [a, b, c] of rows) process.stderr.write(`${a.padEnd(width)}  ${b.padEnd(width2)}  ${c}\n`);
  process.stderr.write('\n');
}
process.stdout.write(`${JSON.stringify({ bench: 'import', quick, ...results })}\n`);
rmSync(work, { recursive: true, force: true });
