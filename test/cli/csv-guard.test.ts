// The spreadsheet formula guard on every CSV poscust writes: list, get, export, import's rejects
// and report, doctor and profile list, header rows included (a column name is whatever the server
// or the input file said). A cell starting with = + - @ tab or CR that is not a plain number must
// start with an apostrophe.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealposEnv, runCli, strictAgent, tempDir } from '../helpers/harness.js';
import { startSandboxRun, type SandboxRun } from '../helpers/sandbox-run.js';

// The first non-blank character, full-width forms included (issue 10, item 9).
const TRIGGER = /^\s*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN_NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Every cell is safe to open in a spreadsheet; returns how many cells carried the guard. */
function expectGuarded(csv: string, what: string): number {
  const rows = parse(csv, { relax_column_count: true }) as string[][];
  expect(rows.length, `${what}: some CSV`).toBeGreaterThan(0);
  let guarded = 0;
  for (const cell of rows.flat()) {
    if (/^'\s*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell)) guarded++;
    expect(TRIGGER.test(cell) && !PLAIN_NUMBER.test(cell), `${what}: unguarded cell ${JSON.stringify(cell)}`).toBe(false);
  }
  return guarded;
}

const EVIL = {
  Code: 'EV1',
  Name: '=HYPERLINK("http://evil.test","click")',
  Email: 'evil@example.id',
  Address: '@SUM(1+1)',
  Phone: '+62 812 000',
  Mobile: '-5',
  Group: '\tTab',
  LoyaltyPoint: 5,
  Status: 'Active',
};

let s: SandboxRun;
beforeAll(async () => {
  s = await startSandboxRun();
  await s.reset([EVIL]);
});
afterAll(async () => {
  await s.sb.close();
});

/** Formulas behind blanks and in full-width forms: spreadsheets run these too. */
const HIDDEN = {
  Code: 'EV2',
  Name: ' =HYPERLINK("http://evil.test")',
  Email: 'evil2@example.id',
  Address: '\u00a0+cmd|/c calc',
  Phone: '\n@SUM(1)',
  Mobile: '\uFF1D1+1',
  Group: '\uFF20x',
  FirstName: '\uFF0Bx',
  LastName: '\uFF0D1+2',
  LoyaltyPoint: 6,
  Status: 'Active',
};

describe('CSV formula guard', () => {
  it('guards a formula behind spaces, NBSP or a line break, and the full-width = + - @; import takes it off again', async () => {
    await s.reset([EVIL, HIDDEN]);
    try {
      const r = await s.run(['list', '--format', 'csv', '--fields', 'Code,Name,Address,Phone,Mobile,Group,FirstName,LastName']);
      expect(r.code, r.stderr).toBe(0);
      expect(expectGuarded(r.stdout, 'hidden')).toBeGreaterThanOrEqual(7);
      const row = (parse(r.stdout) as string[][]).find((cells) => cells[0] === 'EV2')!;
      expect(row.slice(1)).toEqual([HIDDEN.Name, HIDDEN.Address, HIDDEN.Phone, HIDDEN.Mobile, HIDDEN.Group, HIDDEN.FirstName, HIDDEN.LastName].map((v) => `'${v}`));
      // Round trip: the exported file upserts as no change at all.
      const dir = tempDir();
      const file = join(dir, 'all.csv');
      const exported = await s.run(['export', '--output', file]);
      expect(exported.code, exported.stderr).toBe(0);
      const again = await s.run(['import', file, '--key', 'code', '--format', 'json']);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ unchanged: 2, updated: 0, created: 0 });
    } finally {
      await s.reset([EVIL]);
    }
  });

  it('list, get and export guard every dangerous cell and leave plain numbers alone', async () => {
    for (const argv of [['list', '--format', 'csv'], ['get', '--code', 'EV1', '--format', 'csv'], ['export']]) {
      const r = await s.run(argv);
      expect(r.code, r.stderr).toBe(0);
      expect(expectGuarded(r.stdout, argv[0]!), argv[0]).toBeGreaterThanOrEqual(3);
      expect(r.stdout).toContain(',-5,');
    }
  });

  it('guards header cells too: a key the server made up cannot become a formula', async () => {
    const agent = strictAgent();
    const pool = agent.get('https://shop.dealpos.test');
    pool.intercept({ path: '/api/v3/Token/OAuth2', method: 'POST' }).reply(200, { access_token: 'tok-1234567', expires_in: 3600 });
    pool.intercept({ path: /\/api\/v3\/Customer\/Detail/, method: 'GET' }).reply(200, { Code: 'X1', '=cmd|/c calc!A1': '=1+2' });
    const r = await runCli(['get', '--code', 'X1', '--format', 'csv'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/,'=cmd\|\/c calc!A1$/);
    expect(expectGuarded(r.stdout, 'get header')).toBe(2);
  });

  it("import's rejects and report files are guarded, header included", async () => {
    const dir = tempDir();
    const file = join(dir, 'in.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, ['Code,=Name,Email', 'N1,=1+1,not-an-email', 'N2,@ok,n2@example.id', '=EV,+x,bad@'].join('\n') + '\n');
    const report = join(dir, 'report.csv');
    const r = await s.run(['import', file, '--map', '=Name=Name', '--mode', 'create', '--report', report]);
    expect(r.code, r.stderr).toBe(7);
    const rejects = readFileSync(join(dir, 'in.rejects.csv'), 'utf8');
    expect(rejects.split('\n')[0]).toBe("_line,_reason,Code,'=Name,Email");
    expect(expectGuarded(rejects, 'rejects')).toBeGreaterThanOrEqual(3);
    expect(expectGuarded(readFileSync(report, 'utf8'), 'report')).toBeGreaterThanOrEqual(1);
  });

  it('doctor and profile list write guarded CSV as well', async () => {
    const doctor = await s.run(['doctor', '--format', 'csv']);
    expect(doctor.code).toBe(0);
    expectGuarded(doctor.stdout, 'doctor');
    const profiles = await runCli(['profile', 'list', '--format', 'csv']);
    expect(profiles.code).toBe(0);
    expect(profiles.stdout).toBe('name,backend,baseUrl,default\n');
  });
});
