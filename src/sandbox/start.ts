// Starting a sandbox: check the options, build the vendor's emulator (loaded now), load or seed
// its state, and put the core server in front of it. Reached only through index.ts.
import { randomInt } from 'node:crypto';
import { DEFAULT_CORE_CONFIG, mergeCoreConfig, type CoreConfig } from './core/config.js';
import type { SandboxCredentials, SandboxLogger } from './core/emulator.js';
import { SandboxInputError } from './core/errors.js';
import type { FaultKind } from './core/faults.js';
import { SnapshotWriter, dataFileRestoreError, loadDataFile } from './core/persist.js';
import type { RecordedRequest } from './core/request-log.js';
import { SandboxServer, type SandboxStats } from './core/server.js';
import { EMULATORS, SANDBOX_BACKENDS, checkDialects, emulatorTakes, type SandboxBackend } from './emulators.js';

export const DEFAULT_SEED_COUNT = 50;
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;

export interface SandboxOptions {
  /** Vendor to emulate; default: the first of SANDBOX_BACKENDS. */
  backend?: SandboxBackend;
  /** Interface to bind; default 127.0.0.1 (loopback only). */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Persist the state in this JSON file: loaded if it exists, else seeded and created. */
  dataFile?: string;
  /** Number of seeded customers when there is no data file to load; default 50. */
  seed?: number;
  /** Requests per window, all API endpoints and the token endpoint together; unset = no limit. */
  quota?: number;
  /** Fixed-window length for `quota`; default 180. */
  windowSeconds?: number;
  /** Delay added to every API answer. */
  latencyMs?: number;
  /** Probability (0..1) of a fault per API request. */
  faults?: number;
  /** Fault kinds to pick from; default all. */
  faultKinds?: FaultKind[];
  /** Delay of the `slow` fault; default 2000. */
  slowMs?: number;
  /** Seed of the fault dice, for reproducible runs; default random (reported in stats). */
  randomSeed?: number;
  /** Let faults hit the token endpoint too; default false. */
  faultTokenEndpoint?: boolean;
  /** Token lifetime; default 3600. */
  tokenTtlSeconds?: number;
  /** DealPOS Customer Code Generator; default on. */
  codeGenerator?: boolean;
  /** Variants of the vendor's answers to play (`all` for every one the emulator has). */
  dialects?: string[];
  /** Capacity of the request log ring; default 10,000. */
  requestLogLimit?: number;
  clientId?: string;
  clientSecret?: string;
  /** MYPOS API user e-mail and password (default: the sandbox's fixed ones). */
  username?: string;
  password?: string;
  /** MYPOS: tokens per API user per UTC day; default 250. */
  dailyTokenLimit?: number;
  /** Server clock for dates the emulator stamps (JoinDate, AppLastSignIn). */
  clock?: () => Date;
  /** How long close() lets in-flight requests finish before cutting them; default 3000. */
  closeGraceMs?: number;
  /** Where the sandbox reports background problems (a failed snapshot write). Silent if absent. */
  logger?: SandboxLogger;
}

/** Settings changeable while running (`configure()` and `PUT /_sandbox/config`). */
export interface SandboxRuntimeConfig {
  faults?: number;
  faultKinds?: FaultKind[];
  slowMs?: number;
  latencyMs?: number;
  /** null or 0 turns the rate limit off. */
  quota?: number | null;
  windowSeconds?: number;
  faultTokenEndpoint?: boolean;
  codeGenerator?: boolean;
  tokenTtlSeconds?: number;
  /** MYPOS only. */
  dailyTokenLimit?: number;
  /** The dialects to play from now on (replaces the list; `all` for every one). */
  dialects?: string[];
}

export interface RunningSandbox {
  backend: SandboxBackend;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** origin + the vendor's base path, e.g. `http://127.0.0.1:PORT/api/v3`. */
  baseUrl: string;
  port: number;
  credentials: SandboxCredentials;
  /** Null when running without a data file. */
  dataFile: string | null;
  /** The request log (a live view, oldest first, capped at `requestLogLimit`). */
  requests: RecordedRequest[];
  stats(): SandboxStats;
  /** Copies of the customer records, in list order. */
  customers(): unknown[];
  /** Current runtime settings. */
  config(): Required<Omit<SandboxRuntimeConfig, 'quota'>> & { quota: number | null };
  /** Changes settings at run time; throws SandboxInputError (nothing changed) on a bad value. */
  configure(partial: SandboxRuntimeConfig): void;
  /** Writes the current state to the data file now (no-op without one). */
  flush(): Promise<void>;
  /** Synchronous last-resort write for a process 'exit' handler (no-op without a data file). */
  flushSync(): void;
  /** Stops the server (in-flight requests get a short grace) and writes the last state. */
  close(): Promise<void>;
}

function checkWhole(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw new SandboxInputError(`${name} must be a whole number, ${min} or more`);
  }
}

function originOf(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/**
 * Starts a sandbox. Rejects with SandboxInputError on a bad option, DataFileError when the data file
 * cannot be used, or the listen error (e.g. EADDRINUSE).
 */
export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const backendName: SandboxBackend = opts.backend ?? SANDBOX_BACKENDS[0]!;
  if (!Object.hasOwn(EMULATORS, backendName)) {
    throw new SandboxInputError(`unknown sandbox backend '${String(backendName)}'; use one of: ${SANDBOX_BACKENDS.join(', ')}`);
  }
  for (const option of ['dailyTokenLimit', 'codeGenerator'] as const) {
    if (opts[option] !== undefined && !emulatorTakes(backendName, option)) {
      throw new SandboxInputError(`${option} applies to the ${SANDBOX_BACKENDS.filter((b) => emulatorTakes(b, option)).join(', ')} emulator only`);
    }
  }
  const factory = await EMULATORS[backendName].load();
  checkWhole('port', opts.port, 0);
  if (opts.port !== undefined && opts.port > 65535) throw new SandboxInputError('port must be at most 65535');
  checkWhole('seed', opts.seed, 0);
  checkWhole('requestLogLimit', opts.requestLogLimit, 1);
  checkWhole('closeGraceMs', opts.closeGraceMs, 0);
  if (opts.randomSeed !== undefined && !Number.isInteger(opts.randomSeed)) {
    throw new SandboxInputError('randomSeed must be a whole number');
  }
  const coreConfig: CoreConfig = mergeCoreConfig(DEFAULT_CORE_CONFIG, {
    faults: opts.faults,
    faultKinds: opts.faultKinds,
    slowMs: opts.slowMs,
    latencyMs: opts.latencyMs,
    quota: opts.quota,
    windowSeconds: opts.windowSeconds,
    faultTokenEndpoint: opts.faultTokenEndpoint,
  });

  const backend = factory({
    ...(opts.clientId !== undefined ? { clientId: opts.clientId } : {}),
    ...(opts.clientSecret !== undefined ? { clientSecret: opts.clientSecret } : {}),
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    ...(opts.tokenTtlSeconds !== undefined ? { tokenTtlSeconds: opts.tokenTtlSeconds } : {}),
    ...(opts.dailyTokenLimit !== undefined ? { dailyTokenLimit: opts.dailyTokenLimit } : {}),
    ...(opts.codeGenerator !== undefined ? { codeGenerator: opts.codeGenerator } : {}),
    ...(opts.dialects !== undefined ? { dialects: checkDialects(backendName, opts.dialects) } : {}),
    ...(opts.clock !== undefined ? { clock: opts.clock } : {}),
  });

  let writer: SnapshotWriter | null = null;
  if (opts.dataFile !== undefined) {
    const file = opts.dataFile;
    const loaded = loadDataFile(file, backend.name);
    writer = new SnapshotWriter({
      file,
      backend: backend.name,
      snapshot: () => backend.snapshot(),
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
    if (loaded) {
      try {
        backend.restore(loaded.state);
      } catch (err) {
        throw dataFileRestoreError(file, err);
      }
    } else {
      backend.seed(opts.seed ?? DEFAULT_SEED_COUNT);
      await writer.writeNow(); // the file exists from the start, and a bad path fails now
    }
  } else {
    backend.seed(opts.seed ?? DEFAULT_SEED_COUNT);
  }

  const server = new SandboxServer({
    backend,
    config: coreConfig,
    randomSeed: opts.randomSeed ?? randomInt(0, 2 ** 31),
    requestLogLimit: opts.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT,
    persistence: writer,
    ...(opts.closeGraceMs !== undefined ? { closeGraceMs: opts.closeGraceMs } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  const host = opts.host ?? '127.0.0.1';
  const address = await server.listen(opts.port ?? 0, host);
  const origin = originOf(host, address.port);
  const activeWriter = writer;

  return {
    backend: backendName,
    origin,
    baseUrl: origin + backend.basePath,
    port: address.port,
    credentials: backend.credentials(),
    dataFile: opts.dataFile ?? null,
    requests: server.log.entries,
    stats: () => server.stats(),
    customers: () => backend.customers(),
    config: () => server.config() as ReturnType<RunningSandbox['config']>,
    configure: (partial) => server.configure({ ...partial }),
    flush: async () => {
      if (activeWriter) await activeWriter.flush();
    },
    flushSync: () => activeWriter?.flushSync(),
    close: () => server.close(),
  };
}
