#!/usr/bin/env node
// The floor for bulk work (npm run bench, part "cpu"): what a minimal client spends to create the
// same customers on the same sandbox. undici's Pool, a JSON body per row, `concurrency` requests in
// flight, nothing else: no validation, no journal, no pacing, no retries. Run with the same
// --import hook as poscust (bench-rss-hook.mjs), which records its CPU time and peak memory.
//   node bench-minimal-client.mjs <baseUrl> <token> <csv file> <concurrency>
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

const [baseUrl, token, file, concurrencyArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg ?? 8);
const url = new URL(baseUrl);
const pool = new Pool(url.origin, { connections: concurrency, pipelining: 1 });
const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
const cols = header.split(',');
let next = 0;
let created = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < lines.length) {
      const cells = lines[next++].split(',');
      const record = Object.fromEntries(cells.map((v, i) => [cols[i], cols[i] === 'LoyaltyPoint' ? Number(v) : v]));
      const res = await pool.request({ path: `${url.pathname}/Customer`, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(record) });
      await res.body.text();
      if (res.statusCode === 200) created++;
    }
  }),
);
await pool.close();
process.stdout.write(`${JSON.stringify({ created, durationMs: Math.round(performance.now() - started) })}\n`);
