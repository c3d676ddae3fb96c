// A file that appears whole or not at all: written under a temporary name beside it, flushed to
// disk, then renamed over the target. A failed or interrupted export leaves no half-written file.
import { closeSync, createWriteStream, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import type { OutStream } from '../deps.js';
import { tempPathBeside } from '../util/temp-path.js';

export async function writeFileAtomically(path: string, fill: (out: OutStream) => Promise<void>): Promise<void> {
  const temp = tempPathBeside(path);
  const stream = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    await fill(stream);
    await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    stream.destroy();
    rmSync(temp, { force: true });
    throw err;
  }
}
