// Issue 11, item 19: tables measure display width (CJK, combining marks, emoji), never cut a cell
// when stdout is not a terminal, and stream page by page (speed is measured by `npm run bench`).
import { describe, expect, it, vi } from 'vitest';
import { displayWidth, truncateToWidth, prepareWidths } from '../../src/output/display-width.js';
import { createRecordWriter } from '../../src/output/records.js';
import { Capture } from '../helpers/harness.js';

async function table(batches: Record<string, unknown>[][], truncate: boolean): Promise<string[]> {
  const out = new Capture();
  const w = createRecordWriter({ format: 'table', out, shape: 'many', tableColumns: ['Code', 'Name', 'City'], allColumns: [], truncate, maxCellWidth: 12 });
  for (const b of batches) await w.write(b);
  await w.end();
  return out.text.trimEnd().split('\n');
}

describe('display width', () => {
  it('counts wide characters twice, combining marks and zero-width joiners not at all, an emoji sequence twice', async () => {
    await prepareWidths(['王']);
    expect(displayWidth('Budi')).toBe(4);
    expect(displayWidth('王小明')).toBe(6);
    expect(displayWidth('김민준')).toBe(6);
    expect(displayWidth('José')).toBe(4);
    expect(displayWidth('Jose\u0301')).toBe(4);
    expect(displayWidth('👩‍👩‍👧')).toBe(2);
    expect(truncateToWidth('王小明王小明', 7)).toBe('王小明…');
    expect(displayWidth(truncateToWidth('王小明王小明', 7))).toBeLessThanOrEqual(7);
  });

  it('aligns CJK names under their header', async () => {
    const lines = await table([[{ Code: 'A1', Name: '王小明', City: 'X' }, { Code: 'A2', Name: 'Budi', City: 'Y' }]], true);
    const cityColumn = lines.map((l) => displayWidth(l.slice(0, l.lastIndexOf(' ') + 1)));
    expect(new Set(cityColumn).size).toBe(1);
    // Six columns wide, and the column is sized for it: shown whole, not cut.
    expect(lines[1]).toBe('A1    王小明  X');
  });
});

describe('tables off a terminal', () => {
  it('never cut a cell, on the first page or a later wider one', async () => {
    const long = 'Jl. Muara Karang P3T No.30, Penjaringan, Jakarta Utara';
    const lines = await table([[{ Code: 'A1', Name: 'Ann', City: 'Short' }], [{ Code: 'A2', Name: 'A name much longer than the first page', City: long }]], false);
    expect(lines.join('\n')).toContain('A name much longer than the first page');
    expect(lines.join('\n')).toContain(long);
    expect(lines.join('\n')).not.toContain('…');
  });

  it('on a terminal, cut to the widths of the first page (capped), so the columns stay aligned', async () => {
    const lines = await table([[{ Code: 'A1', Name: 'Ann', City: 'Short' }], [{ Code: 'A2', Name: 'A name much longer', City: 'Somewhere far away' }]], true);
    expect(lines[2]).toBe('A2    A n…  Some…');
  });
});

describe('a fresh process', () => {
  it('cuts a long ASCII cell on a terminal without loading the width tables (it crashed: "displayWidth before prepareWidths")', async () => {
    vi.resetModules();
    const fresh = await import('../../src/output/records.js');
    const out = new Capture();
    const w = fresh.createRecordWriter({ format: 'table', out, shape: 'many', tableColumns: ['Code', 'Command'], allColumns: [], truncate: true, maxCellWidth: 12 });
    await w.write([{ Code: 'A1', Command: 'poscust update-by code C-00003 --group Platinum' }]);
    expect(out.text.split('\n')[1]).toBe('A1    poscust upd…');
  });
});
