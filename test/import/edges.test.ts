// Issue 11, items 1, 2, 4, 6 and 7: the importer at the edges a real shop hits. A changed file is
// never resumed; a file that cannot be read to the end stops the job before its first request; a
// dry run leaves the last real run's rejects alone; a column without a header but with data is
// refused; a MYPOS create whose answer was lost ends in the rejects file instead of a loop.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/import/summary.js';
import { csvOf, importShop, people, shop } from './helpers.js';

const summary = (stdout: string) => JSON.parse(stdout) as ImportSummary;

/** Runs `argv` and aborts it (as Ctrl-C would) once the sandbox has received `writes` create requests. */
async function interruptAfter(s: Awaited<ReturnType<typeof importShop>>, argv: string[], creates: number) {
  const controller = new AbortController();
  const posts = () => s.sb.requests.filter((r) => r.method === 'POST' && !/token|auth/i.test(r.path)).length;
  const run = s.run(argv, { signal: controller.signal });
  const timer = setInterval(() => {
    if (posts() >= creates) controller.abort(new Error('SIGINT'));
  }, 2);
  try {
    return await run;
  } finally {
    clearInterval(timer);
  }
}

describe('resume of a changed file (item 1)', () => {
  it('refuses a file whose rows were reordered after the first 64 KiB, naming the line, and sends nothing', async () => {
    const s = await shop({ latencyMs: 5 });
    const rows = people(3000);
    const file = s.file('big.csv', csvOf(rows));
    const stopped = await interruptAfter(s, ['import', file, '--mode', 'create', '--concurrency', '2'], 40);
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(existsSync(`${file}.poscust-journal`)).toBe(true);
    // Reorder rows far past the first 64 KiB: same size, same first 64 KiB.
    const tail = rows.slice(2000).reverse();
    writeFileSync(file, csvOf([...rows.slice(0, 2000), ...tail]));
    const before = s.stats().requests;
    const r = await s.run(['import', file, '--mode', 'create', '--resume']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot resume: the input file changed: its content differs from about line [\d,]+ on \(same size\)/);
    expect(s.stats().requests).toBe(before);
    // The file as it was resumes, and every customer exists exactly once.
    writeFileSync(file, csvOf(rows));
    const resumed = await s.run(['import', file, '--mode', 'create', '--resume', '--format', 'json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(s.customers()).toHaveLength(3000);
    expect(new Set(s.customers().map((c) => c.Code)).size).toBe(3000);
  });
});

describe('files that cannot be read to the end (item 2)', () => {
  it('stops before any request on an unclosed quote, naming the line, from a file or stdin', async () => {
    const s = await shop();
    const rows = csvOf(people(20)).split('\n');
    rows[7] = rows[7]!.replace(/,([^,]*)$/, ',"$1');
    const text = rows.join('\n');
    const file = s.file('quote.csv', text);
    for (const [argv, input] of [[['import', file], undefined], [['import', '-'], text]] as const) {
      const r = await s.run([...argv], input === undefined ? {} : { stdin: input });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('cannot be read as CSV from line 8 on: a quoted cell that starts here is never closed');
      expect(r.stdout).toBe('');
    }
    expect(s.stats().requests).toBe(0);
    expect(s.customers()).toHaveLength(0);
  });

  it('stops before any request on a row over 1 MiB, naming its line', async () => {
    const s = await shop();
    const file = s.file('huge.csv', `Code,Name\nA1,Ann\nA2,${'x'.repeat(1100 * 1024)}\nA3,Good\n`);
    const r = await s.run(['import', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot be read as CSV from line 3 on: the row that starts here is longer than 1 MiB');
    expect(s.stats().requests).toBe(0);
  });

  it('counts every data row: the summary adds up to the rows of the file', async () => {
    const s = await shop();
    const text = `${csvOf(people(20)).trimEnd()}\nBAD,,not-an-email,,,,\n`;
    const r = await s.run(['import', s.file('all.csv', text), '--mode', 'create', '--format', 'json']);
    const got = summary(r.stdout);
    expect(got.created + got.updated + got.unchanged + got.rejected + got.failed).toBe(21);
  });
});

describe('dry runs write nothing they were not asked to (item 4)', () => {
  it('leaves the last real run\'s rejects file as it was, and writes one only with --rejects', async () => {
    const s = await shop();
    const file = s.file('in.csv', 'Code,Name,Email\nA1,Ann,not-an-email\nA2,Bob,bob@example.id\n');
    const real = await s.run(['import', file]);
    expect(real.code).toBe(7);
    const rejects = join(s.dir, 'in.rejects.csv');
    const kept = readFileSync(rejects, 'utf8');
    writeFileSync(file, 'Code,Name,Email\nA1,Ann,ann@example.id\nA3,Cid,also-bad\n');
    const dry = await s.run(['import', file, '--dry-run']);
    expect(dry.code).toBe(7);
    expect(readFileSync(rejects, 'utf8')).toBe(kept);
    expect(dry.stderr).toContain('pass --rejects <file> to keep them');
    const asked = join(s.dir, 'dry.rejects.csv');
    const withFile = await s.run(['import', file, '--dry-run', '--rejects', asked]);
    expect(withFile.code).toBe(7);
    expect(readFileSync(asked, 'utf8')).toContain('also-bad');
    expect(readFileSync(rejects, 'utf8')).toBe(kept);
  });
});

describe('columns without a header (item 6)', () => {
  it('refuses one that holds data, naming its position; --map "#N=Field" reads it; an empty one is fine', async () => {
    const s = await shop();
    const file = s.file('gap.csv', 'Code,Name,,Email\nA1,Ann,,ann@example.id\nA2,Bob,VIP,bob@example.id\n');
    const r = await s.run(['import', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('column 3 has no header but holds data (first on line 3); give it a header, or read it as a field with --map "#3=Field"');
    expect(s.stats().requests).toBe(0);
    const mapped = await s.run(['import', file, '--map', '#3=Group', '--format', 'json']);
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(s.byCode().get('A2')?.Group).toBe('VIP');
    const empty = await s.run(['import', s.file('empty-gap.csv', 'Code,Name,,Email\nA4,Dee,,dee@example.id\n'), '--format', 'json']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(summary(empty.stdout)).toMatchObject({ created: 1 });
  });
});

describe('MYPOS creates whose answer was lost (item 7)', () => {
  it('end in the rejects file, ready to re-import, instead of a resume that says the same forever', async () => {
    const s = await importShop({ backend: 'mypos', seed: 0, latencyMs: 150, closeGraceMs: 0 }, 'poscust-mypos-edges-');
    const lines = Array.from({ length: 10 }, (_, i) => `Name${i},Last${i},n${i}@shop.test`);
    const file = s.file('new.csv', `firstName,lastName,emailAddress\n${lines.join('\n')}\n`);
    const stopped = await interruptAfter(s, ['import', file, '--mode', 'create', '--concurrency', '4'], 4);
    expect(stopped.code, stopped.stderr).toBe(130);
    // The four in flight reach the sandbox anyway; wait for them to land.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const landed = (s.sb.customers() as unknown[]).length;
    expect(landed).toBeGreaterThanOrEqual(4);

    const resumed = await s.run(['import', file, '--mode', 'create', '--resume', '--format', 'json']);
    expect(resumed.code, resumed.stderr).toBe(7);
    const got = summary(resumed.stdout);
    expect(got.rejected).toBe(landed);
    expect(got.created).toBe(10 - landed);
    expect(got.failed).toBe(0);
    // No customer twice.
    expect((s.sb.customers() as unknown[]).length).toBe(10);
    const rejects = readFileSync(join(s.dir, 'new.rejects.csv'), 'utf8');
    expect(rejects).toContain('unconfirmed: an earlier run may have created this customer');
    expect(rejects).toContain('import this row again from the rejects file');
    // Nothing is left to resume: the advice does not repeat.
    expect(existsSync(`${file}.poscust-journal`)).toBe(false);
  });
});
