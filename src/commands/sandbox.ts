import { Option, type Command } from 'commander';
import type { AppContext } from '../context.js';
import { allCredentials } from '../backends/registry.js';
import { isLoopbackHost } from '../net/loopback.js';
import { writeOut } from '../deps.js';
import { GeneralError, InterruptedError, UsageError } from '../errors.js';
import { completeWith, words } from './completion-hints.js';
import { examples } from './examples.js';
import * as parse from './parse.js';
import { FAULT_KINDS, SANDBOX_BACKENDS, dialectsOf, emulatorTakes, type FaultKind, type SandboxBackend, type SandboxOptions } from '../sandbox/index.js';

export function registerSandbox(program: Command, app: AppContext): void {
  program
    .command('sandbox')
    .summary('run a local emulator of the vendor APIs')
    .description(
      'Run a local HTTP emulator of a vendor\'s customer API, with sandbox credentials, seeded\n' +
        'customers, and optional rate limits, latency and faults: for the demo, tests, and\n' +
        'rehearsing your own scripts before they touch a real shop. It prints the connection\n' +
        'settings (one JSON line with --format json) and runs until Ctrl-C.',
    )
    .addOption(new Option('--backend <backend>', 'vendor API to emulate').choices(SANDBOX_BACKENDS).default(SANDBOX_BACKENDS[0]))
    .option('--port <n>', 'port to listen on; 0 picks a free one (printed)', parse.nonNegativeInt, 0)
    .option('--host <address>', 'interface to listen on', '127.0.0.1')
    .option('--data <file>', 'keep the state in this file across restarts (loaded if present)')
    .option('--seed <n>', 'number of generated customers when there is no data file', parse.nonNegativeInt, 50)
    .option('--quota <n>', 'requests allowed per window (default: unlimited)', parse.positiveInt)
    .option('--window <seconds>', 'rate-limit window', parse.positiveInt, 180)
    .option('--latency <ms>', 'delay added to every answer', parse.nonNegativeInt, 0)
    .option('--faults <probability>', 'chance of a fault per request, 0 to 1', parse.probability, 0)
    .addOption(completeWith(new Option('--fault-kinds <kinds>', `faults to inject, from ${FAULT_KINDS.join(', ')}`).argParser(parse.list), words(FAULT_KINDS)))
    .option('--slow <ms>', 'delay of the "slow" fault', parse.nonNegativeInt, 2000)
    .option('--random-seed <n>', 'seed of the fault dice, for a reproducible run', parse.nonNegativeInt)
    .option('--token-ttl <seconds>', 'lifetime of issued tokens (default: DealPOS 3600, MYPOS 7200, PORTOS 3600)', parse.positiveInt)
    .option('--token-limit <n>', 'MYPOS: tokens per API user per UTC day (default 250)', parse.positiveInt)
    .option('--no-code-generator', 'DealPOS: behave as a shop without the customer code generator')
    .addOption(
      completeWith(
        new Option(
          '--dialect <name[,name...]>',
          `answer like a real server that differs from the contract (repeatable; all for every one): ${SANDBOX_BACKENDS.map((b) => `${b}: ${Object.keys(dialectsOf(b)).join(', ') || 'none'}`).join('; ')} (see docs/dialects.md)`,
        ).argParser(parse.collect),
        words(['all', ...new Set(SANDBOX_BACKENDS.flatMap((b) => Object.keys(dialectsOf(b))))]),
      ),
    )
    .addHelpText(
      'after',
      examples(
        'poscust sandbox --port 8080 --seed 500',
        'poscust sandbox --data ./rehearsal.json --quota 50 --window 180',
        'poscust sandbox --backend mypos --seed 200',
        'poscust sandbox --dialect all --seed 2000   # answer like the real servers that differ',
      ),
    )
    .action(async (o: Record<string, unknown>) => {
      const kinds = o.faultKinds as string[] | undefined;
      const badKind = kinds?.find((k) => !(FAULT_KINDS as readonly string[]).includes(k));
      if (badKind) throw new UsageError(`unknown fault kind '${badKind}'; use ${FAULT_KINDS.join(', ')}`);
      await runSandbox(app, {
        backend: o.backend as SandboxBackend,
        port: o.port as number,
        host: o.host as string,
        dataFile: o.data as string | undefined,
        seed: o.seed as number,
        quota: o.quota as number | undefined,
        windowSeconds: o.window as number,
        latencyMs: o.latency as number,
        faults: o.faults as number,
        faultKinds: kinds as FaultKind[] | undefined,
        slowMs: o.slow as number,
        randomSeed: o.randomSeed as number | undefined,
        tokenTtlSeconds: o.tokenTtl as number | undefined,
        dailyTokenLimit: o.tokenLimit as number | undefined,
        ...(o.codeGenerator === false ? { codeGenerator: false } : {}),
        ...(o.dialect !== undefined ? { dialects: o.dialect as string[] } : {}),
      });
    });
}

/** Starts the sandbox, prints how to connect, and runs until Ctrl-C or SIGTERM. */
export async function runSandbox(app: AppContext, o: SandboxOptions & { backend: SandboxBackend; host: string }): Promise<void> {
  const { backend } = o;
  const only = (option: 'dailyTokenLimit' | 'codeGenerator', flag: string) =>
    new UsageError(`${flag} applies to --backend ${SANDBOX_BACKENDS.filter((b) => emulatorTakes(b, option)).join(', ')} only`);
  if (o.dailyTokenLimit !== undefined && !emulatorTakes(backend, 'dailyTokenLimit')) throw only('dailyTokenLimit', '--token-limit');
  if (o.codeGenerator === false && !emulatorTakes(backend, 'codeGenerator')) throw only('codeGenerator', '--no-code-generator');
  const { startSandbox, SandboxInputError, DataFileError } = await import('../sandbox/index.js');
  const { io } = app.deps;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox({
      ...o,
      logger: {
        warn: (m) => app.warn(`sandbox: ${m}`),
        error: (m) => io.stderr.write(`poscust sandbox: ${m}\n`),
      },
    });
  } catch (err) {
    if (err instanceof SandboxInputError || err instanceof DataFileError) throw new UsageError((err as Error).message);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new GeneralError(`port ${String(o.port)} is already in use; pick another with --port, or --port 0`);
    throw err;
  }

  const creds = sandbox.credentials as unknown as Record<string, string | undefined>;
  const { host } = o;
  const listening = `${host.includes(':') ? `[${host}]` : host}:${sandbox.port}`;
  const info = {
    backend: sandbox.backend,
    baseUrl: sandbox.baseUrl,
    origin: sandbox.origin,
    port: sandbox.port,
    listening,
    ...creds,
    dataFile: sandbox.dataFile,
    customers: sandbox.stats().customers,
    dialects: sandbox.config().dialects,
  };
  if (app.globals.format === 'json' || app.globals.format === 'ndjson') {
    await writeOut(io.stdout, `${JSON.stringify(info)}\n`);
  } else {
    await writeOut(io.stdout, describe(info, creds));
  }
  if (!isLoopbackHost(host)) {
    app.warn(
      `the sandbox listens on ${listening}, reachable from other machines: its credentials are public, so anyone who ` +
        'can reach it can read and change its customers. Other machines must address it by IP address (host names are refused).',
    );
  }

  // Run until Ctrl-C / SIGTERM, then stop accepting, let in-flight requests finish, save.
  const unregister = app.deps.onExit(() => sandbox.flushSync());
  await new Promise<void>((resolve) => {
    if (app.deps.signal.aborted) resolve();
    else app.deps.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await sandbox.close();
  unregister();
  app.notice(`sandbox stopped${sandbox.dataFile ? `; state saved in ${sandbox.dataFile}` : ''}`);
  // Stopping is how a sandbox ends: exit 130 as the contract says for Ctrl-C, without an error line.
  throw new InterruptedError('sandbox stopped', { silent: true });
}

function describe(
  info: { backend: string; baseUrl: string; listening: string; customers: number; dataFile: string | null; dialects: string[] },
  creds: Record<string, string | undefined>,
): string {
  const envs = [`POSCUST_BACKEND=${info.backend}`, `POSCUST_BASE_URL=${info.baseUrl}`];
  const where = info.baseUrl.includes(`//${info.listening}`) ? info.baseUrl : `${info.listening} (from this machine: ${info.baseUrl})`;
  const lines = [`poscust sandbox: ${info.backend} emulator listening on ${where}`];
  for (const [key, value] of Object.entries(creds)) {
    if (value === undefined) continue;
    lines.push(`  ${key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`).padEnd(14)} ${value}`);
    const variable = allCredentials().find((c) => c.key === key)?.env;
    if (variable) envs.push(`${variable}=${value}`);
  }
  lines.push(`  customers      ${info.customers}${info.dataFile ? ` (kept in ${info.dataFile})` : ''}`);
  if (info.dialects.length) lines.push(`  dialects       ${info.dialects.join(', ')}`);
  lines.push('', 'Try it from another terminal:', `  export ${envs.join(' ')}`, '  poscust list', '', 'Ctrl-C stops the sandbox.');
  return `${lines.join('\n')}\n`;
}
