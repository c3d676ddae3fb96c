// The rejects and report files of an import: CSV, formula-guarded like every CSV poscust writes,
// streamed as rows finish into an owner-only temporary file (opened only when there is something
// to write) that replaces the target when the job ends (output/atomic-file.ts).
import { AtomicFile } from '../output/atomic-file.js';
import { guardCell, unguardCell } from '../output/csv-guard.js';
import { REJECT_LINE_COLUMN, REJECT_REASON_COLUMN } from './columns.js';

export class CsvFileSink {
  private readonly file: AtomicFile;
  private stringify: typeof import('csv-stringify/sync').stringify | undefined;
  rows = 0;

  constructor(
    readonly path: string,
    private readonly header: readonly string[],
  ) {
    this.file = new AtomicFile(path);
  }

  async write(cells: readonly string[] | null): Promise<void> {
    this.stringify ??= (await import('csv-stringify/sync')).stringify;
    const rows = cells ? [cells.map(guardCell)] : [];
    // The header is guarded too: the rejects file repeats the input's column names.
    if (!this.file.opened) rows.unshift(this.header.map(guardCell));
    if (cells) this.rows++;
    if (rows.length) await this.file.write(this.stringify(rows, { eof: true, quoted_match: /^\s|\s$/ }));
  }

  /**
   * Ends the file and renames it into place; with `always`, a file with no rows still gets its
   * header. Resolves to whether a file was written.
   */
  async close(always = false): Promise<boolean> {
    if (!this.file.opened && always) await this.write(null);
    if (!this.file.opened) return false;
    await this.file.commit();
    return true;
  }
}

/** Rejected and failed rows: line, reason, then the row's cells as they were (a fixed file imports back). */
export class RejectsFile extends CsvFileSink {
  constructor(path: string, header: readonly string[]) {
    super(path, [REJECT_LINE_COLUMN, REJECT_REASON_COLUMN, ...header]);
  }

  add(line: number, cells: readonly string[], reason: string): Promise<void> {
    // guardCell runs again on write; take an existing guard off first so it is not doubled.
    return this.write([String(line), reason, ...cells.map(unguardCell)]);
  }
}

export const REPORT_HEADER = ['line', 'key', 'action', 'id', 'error'] as const;

/** One line per row: what happened to it. */
export class ReportFile extends CsvFileSink {
  constructor(path: string) {
    super(path, REPORT_HEADER);
  }

  add(line: number, key: string, action: string, id: string | undefined, error: string | undefined): Promise<void> {
    return this.write([String(line), key, action, id ?? '', error ?? '']);
  }
}
