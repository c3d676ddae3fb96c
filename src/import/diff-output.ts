// `import --dry-run --diff`: each row that would change, field by field. Unchanged rows are only
// counted (in the summary). JSON: `[{"line", "action", "key", "changes": {"Field": {"from", "to"}}}]`.
import { guardCell } from '../output/csv-guard.js';
import { forTerminal } from '../output/terminal.js';
import type { Format } from '../output/records.js';
import type { ColumnPlan } from './columns.js';
import type { RowChange } from './runner.js';

export interface DiffEntry {
  line: number;
  action: 'create' | 'update';
  key: string;
  changes: Record<string, { from: unknown; to: unknown }>;
}

export function diffEntries(plan: ColumnPlan, rows: readonly RowChange[]): DiffEntry[] {
  return rows.map((r) => {
    const changes = Object.create(null) as DiffEntry['changes'];
    r.fields.forEach((i, j) => {
      changes[plan.writes[i]!.field.name] = { from: r.from[j] ?? null, to: r.to[j] ?? null };
    });
    return { line: r.line, action: r.action, key: r.key, changes };
  });
}

function shown(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(empty)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function formatDiff(entries: readonly DiffEntry[], format: Format): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(entries, null, 2)}\n`;
    case 'ndjson':
      return entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    case 'csv': {
      const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
      const lines = ['line,action,key,field,from,to'];
      for (const e of entries) {
        for (const [field, c] of Object.entries(e.changes)) {
          lines.push([String(e.line), e.action, e.key, field, c.from === null ? '' : shown(c.from), c.to === null ? '' : shown(c.to)].map((s) => q(guardCell(s))).join(','));
        }
      }
      return `${lines.join('\n')}\n`;
    }
    case 'table': {
      if (entries.length === 0) return 'no row would change\n';
      const out: string[] = [];
      for (const e of entries) {
        out.push(forTerminal(`line ${e.line}  ${e.action === 'create' ? 'create' : 'update'}  ${e.key || '(no key)'}`));
        const width = Math.max(...Object.keys(e.changes).map((f) => f.length));
        for (const [field, c] of Object.entries(e.changes)) {
          out.push(forTerminal(e.action === 'create' ? `  ${field.padEnd(width)}  ${shown(c.to)}` : `  ${field.padEnd(width)}  ${shown(c.from)} → ${shown(c.to)}`));
        }
      }
      return `${out.join('\n')}\n`;
    }
  }
}
