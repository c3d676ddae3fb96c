// `export --state nightly.state`: what the last successful export saw, so the next one writes only
// the customers created, changed or deleted since. The file: a JSON header line, then one line per
// customer, `<id>\t<hash>` (64 bits of the SHA-256 of the record as listed). Replaced atomically
// (owner-only) only after the export's output is complete: a crash re-exports, never skips.
import { createHash } from 'node:crypto';
import { fsCause } from '../util/fs-error.js';
import { readRegularFile } from '../util/regular-file.js';
import { writeOut } from '../deps.js';
import { UsageError } from '../errors.js';
import { writeFileAtomically } from '../output/atomic-file.js';

export const STATE_KIND = 'poscust-export-state';

export interface StateHeader {
  kind: typeof STATE_KIND;
  version: 1;
  backend: string;
  baseUrl: string;
  /** When the export that wrote this began: later changes are the next run's. */
  highWater: string;
  customers: number;
}

export type Change = 'created' | 'changed' | 'deleted';

export function recordHash(record: unknown): string {
  return createHash('sha256').update(JSON.stringify(record)).digest('hex').slice(0, 16);
}

/** The last run's state, or null when there is none yet; a damaged or foreign one is exit 2, never a silent full export. */
export function readState(path: string, here: { backend: string; baseUrl: string }): { header: StateHeader; hashes: Map<string, string> } | null {
  let text: string;
  try {
    text = readRegularFile(path).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`cannot read the state file ${path}: ${fsCause(err)}`);
  }
  const bad = (why: string) => new UsageError(`the state file ${path} is damaged (${why}); delete it to export everything once more`);
  const lines = text.split('\n');
  let header: StateHeader;
  try {
    header = JSON.parse(lines[0]!) as StateHeader;
  } catch {
    throw bad('no header line');
  }
  if (!header || header.kind !== STATE_KIND || header.version !== 1) throw bad('not a poscust export state');
  if (typeof header.backend !== 'string' || typeof header.baseUrl !== 'string' || typeof header.customers !== 'number') throw bad('a header without its shop or count');
  if (header.backend !== here.backend || header.baseUrl !== here.baseUrl) {
    throw new UsageError(`the state file ${path} belongs to ${header.backend} at ${header.baseUrl}, not this shop (${here.backend} at ${here.baseUrl}); give each shop its own state file`);
  }
  const hashes = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const tab = line.indexOf('\t');
    if (tab <= 0 || !/^[0-9a-f]{16}$/.test(line.slice(tab + 1))) throw bad(`line ${i + 1}`);
    hashes.set(line.slice(0, tab), line.slice(tab + 1));
  }
  if (hashes.size !== header.customers) throw bad(`${hashes.size} customers, the header says ${header.customers}`);
  return { header, hashes };
}

export async function writeState(path: string, header: Omit<StateHeader, 'kind' | 'version' | 'customers'>, hashes: Map<string, string>): Promise<void> {
  const full: StateHeader = { kind: STATE_KIND, version: 1, ...header, customers: hashes.size };
  await writeFileAtomically(path, async (out) => {
    await writeOut(out, `${JSON.stringify(full)}\n`);
    let chunk = '';
    for (const [id, hash] of hashes) {
      chunk += `${id.replace(/[\t\n]/g, ' ')}\t${hash}\n`;
      if (chunk.length > 65536) {
        await writeOut(out, chunk);
        chunk = '';
      }
    }
    await writeOut(out, chunk);
  });
}
