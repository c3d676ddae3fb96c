// What poscust puts on the wire, for comparing two builds byte for byte: a restructuring must not
// change a single request. Runs the built binary through a fixed script of commands against a
// sandbox of each backend and prints the sandbox's request log, normalised (times, durations and
// the IDs the server invents replaced by placeholders), one JSON line per request.
//
//   npm run build && node scripts/wire-log.mjs > before.ndjson
//   ... change the code ...
//   npm run build && node scripts/wire-log.mjs > after.ndjson && diff before.ndjson after.ndjson
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'poscust.cjs');
const dir = mkdtempSync(join(tmpdir(), 'poscust-wire-'));

async function startSandbox(backend) {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--backend', backend, '--seed', '12', '--port', '0', '--format', 'json', '--random-seed', '7'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  return { info: JSON.parse(line), child };
}

function env(info) {
  const vars = { PATH: process.env.PATH, HOME: dir, POSCUST_CONFIG_DIR: join(dir, `cfg-${info.backend}`), POSCUST_BACKEND: info.backend, POSCUST_BASE_URL: info.baseUrl };
  // The sandbox's credential slots (clientId, password, ...) as their POSCUST_* variables.
  for (const slot of ['clientId', 'clientSecret', 'username', 'password', 'deviceName']) {
    if (typeof info[slot] === 'string') vars[`POSCUST_${slot.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`] = info[slot];
  }
  return vars;
}

function run(info, args, input = '') {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: env(info), input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function control(info, path) {
  return (await fetch(`${info.origin}${path}`)).json();
}

/** The commands of the script, per backend (a failing one is fine: its requests are what counts). */
async function script(info) {
  const customers = await control(info, '/_sandbox/customers');
  const id = (c) => c.ID ?? c.customerId ?? c.id;
  const code = (c) => c.Code ?? c.customerCode;
  const [a, b, c] = customers;
  const file = join(dir, `${info.backend}.csv`);
  const steps = [
    ['count'],
    ['list', '--page-size', '5'],
    ['list', '--all', '--format', 'ndjson'],
    ['get', '--id', id(a)],
    ['get', '--id', id(a), '--id', id(b)],
    ['export', '--output', join(dir, `${info.backend}-export.csv`)],
  ];
  if (info.backend === 'dealpos') {
    steps.push(
      ['get', '--code', code(a)],
      ['get', '--email', a.Email ?? 'x@y.z'],
      ['create', '--name', 'Wire Test', '--email', 'wire@test.id', '--mobile', '0812999000', '--code', 'WIRE-1'],
      ['update-by', 'code', 'WIRE-1', '--group', 'Gold', '--loyalty-point', '7'],
      ['update-by', 'email', 'wire@test.id', '--set', 'Address=Jl. Wire 1'],
      ['suspend', '--code', 'WIRE-1'],
      ['unsuspend', '--email', 'wire@test.id'],
      ['verify', 'email', '--code', 'WIRE-1'],
      ['app-signin', '--code', 'WIRE-1'],
      ['new-code'],
      ['merge', '--into', code(a), code(b), '--yes'],
      ['delete', '--code', 'WIRE-1', '--yes'],
    );
    writeFileSync(file, `Code,Name,Email,Group\n${code(c)},${c.Name},${c.Email ?? ''},Silver\nWIRE-2,Wire Two,wire2@test.id,Gold\nBAD,Bad,not-an-email,\n`);
    steps.push(['import', file, '--key', 'code']);
  } else if (info.backend === 'mypos') {
    steps.push(
      ['get', '--code', code(a)],
      ['create', '--first-name', 'Wire', '--last-name', 'Test', '--email', 'wire@test.id'],
      ['update-by', 'code', code(b), '--note', 'wired'],
      ['suspend', '--code', code(b)],
      ['unsuspend', '--id', id(b)],
      ['delete', '--code', code(c), '--yes'],
    );
    writeFileSync(file, `customerCode,firstName,lastName,emailAddress\n${code(a)},${a.firstName},Changed,${a.emailAddress ?? ''}\n,New,Person,new@test.id\n`);
    steps.push(['import', file, '--key', 'code']);
  } else {
    steps.push(
      ['list', '--search', 'a', '--filter', 'DiscountRate=gt:0'],
      ['create', '--first-name', 'Wire', '--last-name', 'Test', '--set', 'externalId=W-1', '--set', 'address.city=Nitra'],
      ['update-by', 'id', id(a), '--note', 'wired', '--set', 'credit.amount=3'],
      ['suspend', '--id', id(b)],
      ['unsuspend', '--id', id(b)],
      ['delete', '--id', id(c), '--yes'],
    );
    writeFileSync(file, `externalId,firstName,lastName,address.city\nW-1,Wire,Again,Trnava\nW-2,New,One,Nitra\n`);
    steps.push(['import', file, '--key', 'externalId']);
  }
  steps.push(['--verbose', 'doctor']);
  const logs = [];
  for (const args of steps) {
    await fetch(`${info.origin}/_sandbox/requests`, { method: 'DELETE' });
    run(info, args);
    logs.push({ step: args.join(' '), requests: await control(info, '/_sandbox/requests') });
  }
  return logs;
}

const today = new Date().toISOString().slice(0, 10);
const out = [];
for (const backend of ['dealpos', 'mypos', 'portos']) {
  const { info, child } = await startSandbox(backend);
  try {
    const steps = await script(info);
    // IDs the server invents differ run to run: number them in order of appearance.
    const invented = new Map();
    const norm = (text) =>
      text
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, (u) => {
          if (!invented.has(u)) invented.set(u, `<id${invented.size + 1}>`);
          return invented.get(u);
        })
        .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
        .replace(/\/tmp\/poscust-wire-\w+/g, '<dir>')
        // Times the server stamps now (MYPOS lastEditDate) and echoes back in a read-merge-PUT.
        .replace(new RegExp(`${today}T\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?`, 'g'), '<now>');
    for (const { step, requests } of steps) {
      // Requests of one command may be concurrent (import, export): compare them as a set.
      const lines = requests.map((r) => {
        const { time: _t, durationMs: _d, seq: _s, ...rest } = r;
        rest.headers = Object.fromEntries(Object.entries(rest.headers).filter(([k]) => !['host', 'content-length'].includes(k)));
        return norm(JSON.stringify({ backend, step, ...rest }));
      });
      out.push(...lines.sort());
    }
  } finally {
    child.kill('SIGTERM');
  }
}
process.stdout.write(`${out.join('\n')}\n`);
