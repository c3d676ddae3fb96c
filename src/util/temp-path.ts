import { basename, dirname, join } from 'node:path';

/**
 * A temporary name beside `file`, unique per process and call, for write-then-rename. Callers open
 * it with the 'wx' flag, so a clash fails instead of clobbering. No node:crypto: it costs ~5 ms
 * of start-up and a file name needs no secrecy.
 */
export function tempPathBeside(file: string): string {
  const unique = `${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return join(dirname(file), `.${basename(file)}.${unique}.tmp`);
}
