// What an import says when it ends (stdout: the summary, the only data it prints) and while it
// runs (stderr, on a terminal: one progress line).
import type { Format } from '../output/records.js';
import type { Counts } from './runner.js';

/** The contract's JSON summary, in this key order. */
export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  failed: number;
  requests: number;
  durationMs: number;
}

export function summaryOf(counts: Counts, requests: number, durationMs: number): ImportSummary {
  const { created, updated, unchanged, rejected, failed } = counts;
  return { created, updated, unchanged, rejected, failed, requests, durationMs: Math.round(durationMs) };
}

export function formatSummary(summary: ImportSummary, format: Format, dryRun: boolean): string {
  const keys = Object.keys(summary) as (keyof ImportSummary)[];
  switch (format) {
    case 'json':
    case 'ndjson':
      return `${JSON.stringify(summary)}\n`;
    case 'csv':
      return `${keys.join(',')}\n${keys.map((k) => summary[k]).join(',')}\n`;
    case 'table': {
      const label = (k: keyof ImportSummary) => (dryRun && (k === 'created' || k === 'updated') ? `would be ${k}` : k === 'durationMs' ? 'duration' : k);
      const width = Math.max(...keys.map((k) => label(k).length));
      const value = (k: keyof ImportSummary) => (k === 'durationMs' ? formatDuration(summary.durationMs) : group(summary[k]));
      return `${keys.map((k) => `${label(k).padEnd(width)}  ${value(k)}`).join('\n')}\n`;
    }
  }
}

export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = h ? [`${h}h`, `${m}m`] : m ? [`${m}m`, `${s % 60}s`] : [`${s}s`];
  return parts.join(' ');
}

export interface ProgressSnapshot {
  counts: Counts;
  /** Rows finished by this run (not the ones an earlier run did). */
  doneThisRun: number;
  elapsedMs: number;
  /** Data rows in the file (the scan counted them). */
  totalRows: number;
  /** "waiting for the quota (50 per 180 s)" and the like. */
  note?: string;
}

/** `1,204 of 3,000 rows · 40% · 85/s · ETA 21s · created 3, ...`: rows done, not bytes read ahead. */
export function formatProgress(p: ProgressSnapshot): string {
  const c = p.counts;
  const rows = c.created + c.updated + c.unchanged + c.rejected + c.failed;
  const rate = p.elapsedMs > 0 ? (p.doneThisRun * 1000) / p.elapsedMs : 0;
  const parts = [`${group(rows)} of ${group(p.totalRows)} rows`];
  if (p.totalRows > 0) parts.push(`${Math.min(100, Math.floor((rows / p.totalRows) * 100))}%`);
  parts.push(`${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s`);
  const left = p.totalRows - rows;
  if (p.doneThisRun > 0 && left > 0 && rate > 0) parts.push(`ETA ${formatDuration((left / rate) * 1000)}`);
  const tally = `created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, rejected ${c.rejected}${c.failed ? `, failed ${c.failed}` : ''}`;
  return `${parts.join(' · ')} · ${tally}${p.note ? ` · ${p.note}` : ''}`;
}

/** 12345 -> "12,345", without ICU (toLocaleString starts it: ~19 ms, on a job's hot path). */
export function group(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
