// The sandbox's request log: what each API request carried and how it was answered, for tests and
// `GET /_sandbox/requests`. Control requests are not logged.

import type { IncomingHttpHeaders } from 'node:http';
import type { FaultKind } from './faults.js';

export interface RecordedRequest {
  /** 1-based arrival number. */
  seq: number;
  /** ISO time of arrival. */
  time: string;
  method: string;
  path: string;
  /** Raw query string without `?` (empty when none). */
  query: string;
  headers: Record<string, string | string[]>;
  /** Parsed body; the raw text when it was not valid JSON; null when empty. */
  body: unknown;
  /**
   * The status the sandbox decided on. For `drop-after` it is the status of the change that was
   * applied but never sent; for `drop-before` it is null (nothing was handled).
   */
  status: number | null;
  fault: FaultKind | null;
  /** True when a response was written; false for dropped connections. */
  answered: boolean;
  durationMs: number;
}

/** The request log: an array capped at `limit` entries, oldest dropped first. It is a live view. */
export class RequestLog {
  readonly entries: RecordedRequest[] = [];
  constructor(private limit: number) {}
  push(entry: RecordedRequest): void {
    this.entries.push(entry);
    // Array#shift on a packed array is cheap in V8 (left-trimming), so this stays O(1) per request.
    while (this.entries.length > this.limit) this.entries.shift();
  }
  clear(): number {
    const n = this.entries.length;
    this.entries.length = 0;
    return n;
  }
}

/** A plain copy of Node's header object, without the names whose value is undefined. */
export function cloneHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = value;
  return out;
}
