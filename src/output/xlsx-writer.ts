// Customers as an Excel workbook (`export --output customers.xlsx`), written with write-excel-file
// (loaded only here; by the author of read-excel-file, which reads workbooks back). The columns are
// the CSV export's. Text stays text, so a phone number keeps its leading 0 and a code its digits;
// numbers are number cells and dates date cells, so Excel sorts and sums them; a date-time stays
// text (a cell cannot hold its fraction of a second or zone). Cells are never formulas: a value
// that starts with `=` is written as the text it is, so no guard is needed. The sheet is built in
// memory and written once, whole (write-excel-file does not stream).
import { isValidDate, type FieldDef } from '../backends/schema.js';
import type { CustomerRecord } from '../backends/types.js';
import { writeOut, type OutStream } from '../deps.js';
import { cellText, valueAt } from './cells.js';
import { ColumnWriter, type RecordWriterOptions } from './records.js';

type Cell = string | number | boolean | Date | null;

export class XlsxWriter extends ColumnWriter {
  private readonly rows: Cell[][] = [];

  /** `types`: each native field's type, to write numbers and dates as such. */
  constructor(
    options: Omit<RecordWriterOptions, 'format'>,
    private readonly types: ReadonlyMap<string, FieldDef['type']>,
  ) {
    super({ ...options, format: 'csv' });
  }

  async write(records: readonly CustomerRecord[]): Promise<void> {
    const first = this.columns === undefined;
    if (!first && records.length === 0) return;
    const columns = this.columnsFor(records, this.options.allColumns, true);
    if (first) this.rows.push([...columns]);
    for (const record of records) this.rows.push(columns.map((c) => this.cell(c, valueAt(record, c))));
    this.count += records.length;
  }

  private cell(column: string, value: unknown): Cell {
    const type = this.types.get(column);
    if ((type === 'number' || type === 'integer') && typeof value === 'number' && Number.isFinite(value)) return value;
    if (type === 'boolean' && typeof value === 'boolean') return value;
    const text = cellText(value);
    if (type === 'date') {
      const day = /^(\d{4}-\d{2}-\d{2})(T00:00:00(\.0+)?)?$/.exec(text)?.[1];
      // Excel's calendar starts in 1900: DealPOS's empty date 0001-01-01 stays text.
      if (day && isValidDate(day) && day >= '1900-03-01') return new Date(`${day}T00:00:00Z`);
    }
    return text === '' ? null : text;
  }

  async end(): Promise<void> {
    if (this.columns === undefined) await this.write([]);
    const { default: writeExcelFile } = await import('write-excel-file/node');
    const bytes = await writeExcelFile(this.rows as never, { sheet: 'Customers', dateFormat: 'yyyy-mm-dd' }).toBuffer();
    this.rows.length = 0;
    await writeOut(this.options.out as OutStream, bytes);
  }
}
