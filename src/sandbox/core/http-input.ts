// What the sandbox core reads off an incoming request before any emulator sees it: the URL split
// into path and query, the query with ASP.NET-style names, and the body (JSON or form-encoded),
// capped in size.

import type { IncomingMessage } from 'node:http';

/** Query parameters with ASP.NET-style case-insensitive names; repeated names keep every value. */
export class QueryParams {
  private readonly values = new Map<string, string[]>();
  constructor(readonly raw: string) {
    for (const [name, value] of new URLSearchParams(raw)) {
      const key = name.toLowerCase();
      const list = this.values.get(key);
      if (list) list.push(value);
      else this.values.set(key, [value]);
    }
  }
  /** The first value of `name` (any case), or undefined. */
  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase())?.[0];
  }
  getAll(name: string): string[] {
    return this.values.get(name.toLowerCase()) ?? [];
  }
  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }
  /** Lower-cased name -> first value. */
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, list] of this.values) out[key] = list[0] ?? '';
    return out;
  }
}

export interface SplitUrl {
  /** The path exactly as sent, still percent-encoded. */
  rawPath: string;
  /** The query string without `?` (empty when none). */
  rawQuery: string;
  /** The path percent-decoded; as sent when it does not decode. */
  path: string;
}

export function splitUrl(rawUrl: string): SplitUrl {
  const qIndex = rawUrl.indexOf('?');
  const rawPath = qIndex === -1 ? rawUrl : rawUrl.slice(0, qIndex);
  const rawQuery = qIndex === -1 ? '' : rawUrl.slice(qIndex + 1);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath;
  }
  return { rawPath, rawQuery, path };
}

export interface RequestBody {
  text: string;
  parsed: unknown;
  /** Set when a body was sent but is not valid JSON. */
  error?: string;
  tooLarge?: boolean;
  /** The client went away before the body was complete. */
  aborted?: boolean;
}

/** Reads the whole body; a form-encoded one becomes a string record, anything else is parsed as JSON. */
export function readBody(req: IncomingMessage, maxBodyBytes: number): Promise<RequestBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    const abort = () => resolve({ text: '', parsed: undefined, aborted: true });
    req.on('error', abort);
    req.on('close', () => {
      if (!req.complete) abort();
    });
    req.on('end', () => {
      if (tooLarge) {
        resolve({ text: '', parsed: undefined, tooLarge: true });
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') {
        resolve({ text, parsed: undefined });
        return;
      }
      const type = (req.headers['content-type'] ?? '').toLowerCase();
      if (type.startsWith('application/x-www-form-urlencoded')) {
        resolve({ text, parsed: Object.fromEntries(new URLSearchParams(text)) });
        return;
      }
      try {
        resolve({ text, parsed: JSON.parse(text) as unknown });
      } catch (err) {
        resolve({ text, parsed: undefined, error: err instanceof Error ? err.message : String(err) });
      }
    });
  });
}
