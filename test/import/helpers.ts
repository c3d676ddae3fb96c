// Helpers of the import tests: an in-process sandbox over real HTTP, CSV files, and the CLI run
// in-process with the real clock (the pacer and the sandbox's windows measure real time).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { systemClock } from '../../src/deps.js';
import type { DealposCustomer, RunningSandbox, SandboxOptions, SandboxStats } from '../../src/sandbox/index.js';
import { startCliSandbox } from '../helpers/cli-sandbox.js';
import { tempDir, type RunOptions, type RunResult } from '../helpers/harness.js';

const running: RunningSandbox[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sb) => sb.close()));
});

/** A sandbox of any backend for the import tests, closed after each test. */
export interface ImportShop {
  sb: RunningSandbox;
  /** Points poscust at the sandbox, with a config dir of its own. */
  env: Record<string, string>;
  dir: string;
  /** Runs poscust in-process against this sandbox. */
  run(argv: string[], options?: RunOptions): Promise<RunResult>;
  stats(): SandboxStats;
  /** Writes a file into the test's directory; returns its path. */
  file(name: string, text: string): string;
}

export async function importShop(options: SandboxOptions, dirPrefix: string): Promise<ImportShop> {
  const dir = tempDir(dirPrefix);
  const { backend = 'dealpos', ...rest } = options;
  const cli = await startCliSandbox(backend, { ...rest, configDir: join(dir, 'config') });
  running.push(cli.sb);
  return {
    sb: cli.sb,
    env: { ...cli.env, POSCUST_CONFIG_DIR: join(dir, 'config') },
    dir,
    // The real clock: the pacer and the sandbox's windows measure real time.
    run: async (argv, o = {}) => (await cli.run(argv, { clock: systemClock, ...o })).result,
    stats: () => cli.sb.stats(),
    file: (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

export interface Shop extends ImportShop {
  customers(): DealposCustomer[];
  byCode(): Map<string, DealposCustomer>;
}

/** A DealPOS shop (no customers unless `options.seed`). */
export async function shop(options: SandboxOptions = {}): Promise<Shop> {
  const s = await importShop({ seed: 0, ...options }, 'poscust-import-');
  const customers = () => s.sb.customers() as DealposCustomer[];
  return { ...s, customers, byCode: () => new Map(customers().map((c) => [c.Code ?? '', c])) };
}

export interface Person {
  Code: string;
  Name: string;
  Email: string;
  Mobile: string;
  BirthDate: string;
  LoyaltyPoint: number;
  Group: string;
}

const FIRST = ['Budi', 'Siti', 'Agus', 'Dewi', 'Rudi', 'Nurul', 'Eko', 'Ayu', 'Joko', 'Putri', 'Ngũyễn', 'Zoë', 'Łukasz'];
const LAST = ['Santoso', 'Rahayu', 'Wijaya', 'Lestari', 'Hidayat', 'Siregar', 'Pratama', 'Sari', 'Müller', 'Ōtsuka'];

export function people(n: number, from = 1, prefix = 'P'): Person[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      Code: `${prefix}${String(i).padStart(6, '0')}`,
      Name: `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]}`,
      Email: `${prefix.toLowerCase()}${i}@contoh.co.id`,
      Mobile: `08${[...prefix].reduce((n, ch) => (n * 31 + ch.charCodeAt(0)) % 90, 0) + 10}${String(i).padStart(8, '0')}`,
      BirthDate: `19${60 + (i % 40)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      LoyaltyPoint: i % 500,
      Group: i % 3 === 0 ? 'Gold' : 'Regular',
    };
  });
}

export const COLUMNS = ['Code', 'Name', 'Email', 'Mobile', 'BirthDate', 'LoyaltyPoint', 'Group'] as const;

export function csvOf(rows: readonly Person[], columns: readonly (keyof Person)[] = COLUMNS): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${columns.join(',')}\n${rows.map((r) => columns.map((c) => quote(String(r[c]))).join(',')).join('\n')}\n`;
}

/** The fields a Person sets, as the sandbox stores them. */
export function expectStored(stored: DealposCustomer | undefined, p: Person): void {
  if (!stored) throw new Error(`customer ${p.Code} is missing`);
  const got = {
    Code: stored.Code,
    Name: stored.Name,
    Email: stored.Email,
    Mobile: stored.Mobile,
    BirthDate: stored.BirthDate?.slice(0, 10),
    LoyaltyPoint: stored.LoyaltyPoint,
    Group: stored.Group,
  };
  const want = { ...p };
  if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`customer ${p.Code}: stored ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
}
