// Issue 10, item 2: the import's rejects, report and journal files hold customer data. They are
// written owner-only through a new temporary file renamed into place, never through a link, and an
// existing file's loose mode is not kept. A link at an explicit or default path is refused before
// any request.
import { chmodSync, existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportJournal } from '../../src/import/journal.js';
import { tempDir } from '../helpers/harness.js';
import { shop } from '../import/helpers.js';

const mode = (path: string) => statSync(path).mode & 0o777;
const BAD_ROWS = 'Code,Name,Email\nA1,Ann,not-an-email\nA2,Bob,bob@example.id\n';

describe('import side files', () => {
  it('refuses a --rejects, --report or default rejects path that is a link, exit 2 before any request', async () => {
    const s = await shop();
    const victim = join(tempDir('poscust-victim-'), 'victim.txt');
    writeFileSync(victim, 'keep me\n');
    const file = s.file('in.csv', BAD_ROWS);
    for (const [flag, path] of [['--rejects', join(s.dir, 'r-link.csv')], ['--report', join(s.dir, 'p-link.csv')]] as const) {
      symlinkSync(victim, path);
      const before = s.stats().requests;
      const r = await s.run(['import', file, flag, path]);
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toContain(`${path}: it is a symbolic link`);
      expect(s.stats().requests).toBe(before);
    }
    symlinkSync(victim, join(s.dir, 'in.rejects.csv'));
    const r = await s.run(['import', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('in.rejects.csv: it is a symbolic link');
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(s.customers()).toHaveLength(0);
  });

  it('replaces a pre-existing rejects or report file with an owner-only one', async () => {
    const s = await shop();
    const file = s.file('in.csv', BAD_ROWS);
    const rejects = join(s.dir, 'in.rejects.csv');
    const report = join(s.dir, 'report.csv');
    for (const p of [rejects, report]) {
      writeFileSync(p, 'old\n');
      chmodSync(p, 0o644);
    }
    const r = await s.run(['import', file, '--report', report]);
    expect(r.code).toBe(7);
    for (const p of [rejects, report]) {
      expect(mode(p), p).toBe(0o600);
      expect(readFileSync(p, 'utf8')).not.toContain('old');
    }
    expect(readFileSync(rejects, 'utf8')).toContain('not-an-email');
    // No temporary file is left beside them.
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(s.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the earlier rejects until the run ends, then removes them when nothing was rejected', async () => {
    const s = await shop();
    const file = s.file('in.csv', 'Code,Name\nA1,Ann\n');
    const rejects = join(s.dir, 'in.rejects.csv');
    writeFileSync(rejects, 'from an earlier run\n');
    const r = await s.run(['import', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(rejects)).toBe(false);
  });

  it('never follows a journal link, and makes an earlier journal owner-only on --resume', async () => {
    const s = await shop();
    const file = s.file('in.csv', 'Code,Name\nA1,Ann\n');
    const journal = `${file}.poscust-journal`;
    const victim = join(tempDir('poscust-victim-'), 'journal');
    writeFileSync(victim, 'not a journal\n');
    symlinkSync(victim, journal);
    const linked = await s.run(['import', file, '--resume']);
    expect(linked.code).toBe(2);
    expect(linked.stderr).toContain('is a symbolic link');
    expect(readFileSync(victim, 'utf8')).toBe('not a journal\n');

    // An earlier journal left with a loose mode is owner-only again once continued.
    const { unlinkSync } = await import('node:fs');
    unlinkSync(journal);
    const identity = { input: { size: 1, sha256: 'x', blockSize: 65536, blocks: ['x'] }, mode: 'upsert', key: 'code', backend: 'dealpos', baseUrl: 'b', map: [], delimiter: ',' };
    ImportJournal.open(journal, identity, false).close(false);
    expect(mode(journal)).toBe(0o600);
    chmodSync(journal, 0o644);
    ImportJournal.open(journal, identity, true).close(false);
    expect(mode(journal)).toBe(0o600);
    expect(readFileSync(journal, 'utf8')).toBe(`${JSON.stringify(identity)}\n`);
  });

  it('checks --report and --rejects folders before any request (exit 2 naming them)', async () => {
    const s = await shop();
    const file = s.file('in.csv', BAD_ROWS);
    for (const flag of ['--rejects', '--report']) {
      const path = join(s.dir, 'missing-folder', 'x.csv');
      const r = await s.run(['import', file, flag, path]);
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toContain(`cannot write ${flag} ${path}: the folder ${join(s.dir, 'missing-folder')} does not exist`);
    }
    expect(s.stats().requests).toBe(0);
  });

  it('export --output refuses a link and a folder it cannot write, before any request', async () => {
    const s = await shop({ seed: 2 });
    const victim = join(tempDir('poscust-victim-'), 'victim.csv');
    writeFileSync(victim, 'keep me\n');
    const link = join(s.dir, 'out.csv');
    symlinkSync(victim, link);
    const r = await s.run(['export', '--output', link]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('it is a symbolic link');
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    const folder = await s.run(['export', '--output', s.dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('it is a folder');
    expect(s.stats().requests).toBe(0);
  });
});
