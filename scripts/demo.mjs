#!/usr/bin/env node
// `npm run demo`: a guided tour of real poscust commands against the built-in sandbox. Builds if
// needed, starts `poscust sandbox` on a free port with a throwaway config directory, runs the tour,
// and stops the sandbox. Touches nothing of the user's own profiles.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'poscust.cjs');
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (color ? `\u001b[1m${s}\u001b[22m` : s);
const dim = (s) => (color ? `\u001b[2m${s}\u001b[22m` : s);

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const built = join(root, 'dist', 'cli.js');
if (!existsSync(built) || statSync(built).mtimeMs < newest(join(root, 'src'))) {
  console.log(dim('building poscust ...'));
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const work = mkdtempSync(join(tmpdir(), 'poscust-demo-'));
const env = { ...process.env, POSCUST_CONFIG_DIR: join(work, 'config') };
for (const k of Object.keys(env)) if (k.startsWith('POSCUST_') && k !== 'POSCUST_CONFIG_DIR') delete env[k];

const sandbox = spawn(process.execPath, [bin, 'sandbox', '--format', 'json', '--port', '0', '--seed', '200', '--data', join(work, 'sandbox.json')], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env,
});
const info = JSON.parse(
  await new Promise((resolve, reject) => {
    const rl = createInterface({ input: sandbox.stdout });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    sandbox.once('exit', (c) => reject(new Error(`the sandbox exited (${c}) before it started`)));
  }),
);

let failures = 0;
/** Runs one poscust command as a user would type it, showing the command and what it printed. */
function step(title, args, { input, expectCode = 0, head } = {}) {
  console.log(`\n${bold(`# ${title}`)}`);
  console.log(`$ poscust ${args.map((a) => (/[\s"'$]/.test(a) ? `'${a}'` : a)).join(' ')}${input !== undefined ? dim('   (secret piped on stdin)') : ''}`);
  const r = spawnSync(process.execPath, [bin, ...args], { env, input: input ?? '', stdio: ['pipe', head ? 'pipe' : 'inherit', 'inherit'] });
  if (head) {
    const lines = r.stdout.toString().trimEnd().split('\n');
    console.log(lines.slice(0, head).join('\n'));
    if (lines.length > head) console.log(dim(`… ${lines.length - head} more lines`));
  }
  if (r.status !== expectCode) {
    failures++;
    console.log(`!! expected exit ${expectCode}, got ${r.status}`);
  } else if (expectCode !== 0) {
    console.log(dim(`(exit ${r.status}, as documented)`));
  }
}

try {
  console.log(bold(`poscust demo: a DealPOS sandbox is running at ${info.baseUrl}`));
  step('Store a profile once; the secret comes from stdin, never from the command line', [
    'profile', 'add', 'demo-shop', '--backend', 'dealpos', '--base-url', info.baseUrl, '--client-id', info.clientId, '--client-secret-stdin',
  ], { input: `${info.clientSecret}\n` });
  step('Profiles, secrets masked', ['profile', 'show', 'demo-shop']);
  step('How many customers?', ['count']);
  step('The first page, for people', ['list', '--page-size', '5']);
  step('A filtered list as CSV, for spreadsheets', ['list', '--name', 'sari', '--format', 'csv', '--fields', 'Code,Name,Email,SignUpOutlet']);
  step('One customer, every field', ['get', '--code', 'C-00007']);
  step('The same as JSON, for scripts', ['get', '--code', 'C-00007', '--format', 'json', '--fields', 'Code,Name,LoyaltyPoint,Status']);
  step('Every customer, streamed page by page as NDJSON (first lines)', ['list', '--all', '--page-size', '100', '--format', 'ndjson', '--fields', 'Code,Name'], { head: 4 });
  step('A customer that does not exist: a clear message and exit code 3', ['get', '--code', 'NO-SUCH'], { expectCode: 3 });
  const email = 'dewi.lestari@contoh.co.id';
  step('Add a customer (the sandbox assigns the next code; the new ID is printed)', [
    'create', '--name', 'Dewi Lestari', '--email', email, '--mobile', '081298765432', '--group', 'Gold', '--birthdate', '1991-08-17',
  ]);
  step('Preview a change: the request that would be sent, nothing sent', ['update-by', 'email', email, '--loyalty-point', '150', '--dry-run']);
  step('Make it', ['update-by', 'email', email, '--loyalty-point', '150']);
  step('Suspend, and look', ['suspend', '--email', email]);
  step('The customer now', ['get', '--email', email, '--fields', 'Code,Name,LoyaltyPoint,Status']);
  step('An invalid value is refused before anything is sent (exit 2)', ['update-by', 'email', email, '--birthdate', '1991-02-30'], { expectCode: 2 });
  step('Deleting from a script needs --yes (no terminal to ask on)', ['delete', '--email', email, '--yes']);

  // The bulk job, on a copy of the sample so the journal and rejects land in the demo's folder.
  const csv = join(work, 'customers.csv');
  copyFileSync(join(root, 'examples', 'customers.csv'), csv);
  step('Import 300 customers (a few dirty rows on purpose): exit 7 says some were rejected', ['import', csv], { expectCode: 7 });
  console.log(dim(`rejects file (${join(work, 'customers.rejects.csv')}):`));
  console.log(readFileSync(join(work, 'customers.rejects.csv'), 'utf8').trimEnd().split('\n').map((l) => `  ${l.slice(0, 110)}`).join('\n'));
  step('Run it again: nothing has changed, so nothing is written', ['import', csv, '--format', 'json'], { expectCode: 7 });
  step('Export everyone as CSV that imports back as is', ['export', '--output', join(work, 'all.csv')]);
  const exported = readFileSync(join(work, 'all.csv'), 'utf8').trimEnd().split('\n');
  console.log(exported.slice(0, 3).map((l) => `  ${l.slice(0, 110)}…`).join('\n'));
  console.log(dim(`  (${exported.length - 1} customers in all.csv)`));
  step('Count after the import', ['count']);
  console.log(`\n${bold('That was poscust against the sandbox.')} Try it yourself: ${dim('poscust sandbox')} in one terminal, then follow what it prints.`);
} finally {
  sandbox.kill('SIGTERM');
  await new Promise((r) => sandbox.once('exit', r));
  rmSync(work, { recursive: true, force: true });
}
if (failures) {
  console.error(`\ndemo: ${failures} step(s) did not behave as expected`);
  process.exitCode = 1;
}
