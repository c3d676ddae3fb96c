// Issue 13: the import's progress line on a real terminal (a pseudo-terminal through util-linux
// `script`). It counts rows done of the rows the scan counted (never the parser's read-ahead),
// shows the rate and an ETA, is redrawn in place, and is cleared before any other line; with
// stderr not a terminal there is no progress at all.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/harness.js';
import { poscust, startSandboxProcess, type SandboxProcess } from '../helpers/e2e.js';
import { hasScript, runInPty } from '../helpers/pty.js';
import { workbookBytes } from '../helpers/xlsx.js';

let sb: SandboxProcess;
beforeAll(async () => {
  // Each request takes a few milliseconds, so 400 rows take long enough for several frames.
  sb = await startSandboxProcess(['--seed', '30', '--latency', '6']);
});
afterAll(async () => {
  await sb.stop();
});

function file(rows: number): string {
  const path = join(tempDir('poscust-progress-'), 'customers.csv');
  const lines = Array.from({ length: rows }, (_, i) => `PG${String(i).padStart(5, '0')},Progress ${i},pg${i}@contoh.co.id`);
  writeFileSync(path, `Code,Name,Email\n${lines.join('\n')}\n`);
  return path;
}

/** The frames the progress line drew: the text after each `\r\x1b[K` up to the next control. */
function frames(screen: string): string[] {
  return [...screen.matchAll(/\r\x1b\[K([^\r\n\x1b]*)/g)].map((m) => m[1]!).filter((f) => / rows · /.test(f));
}

describe('import progress on a terminal', () => {
  it('has util-linux script to make one', () => {
    expect(hasScript(), 'util-linux `script` is needed for the pseudo-terminal tests').toBe(true);
  });

  it('shows rows done of rows expected, rate and ETA, redrawn in place and cleared before other lines', async () => {
    const r = await runInPty(['import', file(400), '--concurrency', '2', '--rejects', join(tempDir(), 'r.csv')], sb.env, [], 60_000, 200);
    expect(r.code, r.screen).toBe(0);
    const shown = frames(r.screen);
    expect(shown.length, r.screen).toBeGreaterThan(2);
    // The first frame is drawn before any row is done: 0 rows, 0% (not the bytes read ahead).
    expect(shown[0]).toMatch(/^0 of 400 rows · 0% · /);
    for (const f of shown) {
      const m = /^([\d,]+) of 400 rows · (\d+)% · ([\d.]+)\/s/.exec(f);
      expect(m, f).not.toBeNull();
      const done = Number(m![1]!.replace(/,/g, ''));
      // The percentage is the rows done, never ahead of them.
      expect(Number(m![2])).toBe(Math.floor((done / 400) * 100));
      expect(f).toMatch(/created \d+, updated \d+, unchanged \d+, rejected \d+/);
    }
    expect(shown.some((f) => /ETA \d/.test(f)), shown.join('\n')).toBe(true);
    // A notice never lands on the end of the progress line: the line is cleared first.
    expect(r.screen).toMatch(/\x1b\[Kreading 30 existing customers\r?\n/);
    expect(r.screen).not.toMatch(/rejected \d+reading/);
    // The summary comes after the line was cleared for good.
    expect(r.screen).toMatch(/\r\x1b\[K(\r?\n)?created\s+400/);
  });

  it("counts a workbook's rows from its sheet", async () => {
    const path = join(tempDir('poscust-progress-'), 'book.xlsx');
    writeFileSync(path, workbookBytes([{ name: 'S', rows: [['Code', 'Name'], ...Array.from({ length: 200 }, (_, i) => [`PX${i}`, `Sheet ${i}`])] }]));
    const r = await runInPty(['import', path, '--concurrency', '2'], sb.env, [], 60_000, 200);
    expect(r.code, r.screen).toBe(0);
    const shown = frames(r.screen);
    expect(shown[0]).toMatch(/^0 of 200 rows · 0% · /);
    expect(shown.every((f) => / of 200 rows · /.test(f))).toBe(true);
  });

  it('draws nothing when stderr is not a terminal', async () => {
    const r = await poscust(['import', file(50), '--rejects', join(tempDir(), 'r.csv')], { env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/\r|\x1b\[K| rows · /);
  });
});
