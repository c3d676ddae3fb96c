// What poscust learned about how a server speaks where the vendors' pages are silent
// (docs/dialects.md): which way of passing ListID's IDs it takes, whether its deletes want the key
// in a JSON body. One small owner-only file per server (backend and base URL), so the next run goes
// straight to what worked instead of trying the contract's guess first. Losing it costs one
// fallback; failing to write it is never an error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPrivate, checkPrivateDir, ensurePrivateDir, writePrivateFileAtomic } from './files.js';
import { SERVER_DIR } from './paths.js';
import { fnv1a64 } from './token-cache.js';

export interface ServerNotes {
  get(key: string): string | undefined;
  /** Remembers `value` (written at once; a write that fails is reported to `log` and forgotten). */
  set(key: string, value: string): void;
}

/** Notes kept in memory only (tests, and a config folder that cannot be used). */
export function memoryNotes(initial: Record<string, string> = {}): ServerNotes {
  const notes = new Map(Object.entries(initial));
  return { get: (k) => notes.get(k), set: (k, v) => void notes.set(k, v) };
}

export function serverNotesFor(configDir: string, conn: { backend: string; baseUrl: string }, log?: (line: string) => void): ServerNotes {
  const dir = join(configDir, SERVER_DIR);
  const file = join(dir, `${fnv1a64(`${conn.backend}\0${conn.baseUrl}`)}.json`);
  let notes: Map<string, string> | undefined;
  const load = (): Map<string, string> => {
    if (notes) return notes;
    notes = new Map();
    try {
      checkPrivateDir(dir, { noLink: true });
      const text = readFileSync(file, 'utf8');
      assertPrivate(file, 'the server notes');
      const data = JSON.parse(text) as { baseUrl?: unknown; notes?: Record<string, unknown> };
      if (data.baseUrl === conn.baseUrl && data.notes && typeof data.notes === 'object') {
        for (const [k, v] of Object.entries(data.notes)) if (typeof v === 'string') notes.set(k, v);
      }
    } catch {
      // Nothing learned yet (or nothing usable): the contract's guesses come first.
    }
    return notes;
  };
  return {
    get: (key) => load().get(key),
    set: (key, value) => {
      const all = load();
      if (all.get(key) === value) return;
      all.set(key, value);
      try {
        ensurePrivateDir(configDir);
        ensurePrivateDir(dir, { noLink: true });
        writePrivateFileAtomic(file, JSON.stringify({ backend: conn.backend, baseUrl: conn.baseUrl, notes: Object.fromEntries(all) }));
      } catch (err) {
        log?.(`! could not remember what ${new URL(conn.baseUrl).host} speaks (${(err as Error).message}); the next run tries again`);
      }
    },
  };
}
