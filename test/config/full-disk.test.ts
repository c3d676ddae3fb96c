// Issue 11, item 9: a config folder on a full or read-only disk. A token that cannot be cached is a
// warning (the command works; the next run logs in again), no empty temporary file is left, and
// the message names the path and the real cause. The disk is simulated: node:fs refuses writes
// under the token folder with the errno a full (ENOSPC) or read-only (EROFS) disk gives.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const refuse = vi.hoisted(() => ({ dir: '', code: '' }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const failing = (path: unknown) => refuse.code !== '' && typeof path === 'string' && refuse.dir !== '' && path.startsWith(refuse.dir);
  const error = (syscall: string, path: string) => Object.assign(new Error(`${refuse.code}: ${syscall} '${path}'`), { code: refuse.code, syscall, path });
  return {
    ...fs,
    default: fs,
    writeSync: (fd: number, ...rest: unknown[]) => {
      if (refuse.code === 'ENOSPC' && openedUnder.has(fd)) throw error('write', refuse.dir);
      return (fs.writeSync as (...a: unknown[]) => number)(fd, ...rest);
    },
    openSync: (path: string, ...rest: unknown[]) => {
      if (failing(path) && refuse.code === 'EROFS') throw error('open', path);
      const fd = (fs.openSync as (...a: unknown[]) => number)(path, ...rest);
      if (failing(path)) openedUnder.add(fd);
      return fd;
    },
  };
});
const openedUnder = new Set<number>();

const { startCliSandbox } = await import('../helpers/cli-sandbox.js');
const { tempDir } = await import('../helpers/harness.js');

let shop: Awaited<ReturnType<typeof startCliSandbox>>;
beforeAll(async () => {
  shop = await startCliSandbox('dealpos');
});
afterAll(() => shop.sb.close());

describe('a token that cannot be cached', () => {
  for (const code of ['ENOSPC', 'EROFS'] as const) {
    it(`is a warning, not a failure, on ${code}; the message names the file and the cause, and no temporary file is left`, async () => {
      const configDir = tempDir();
      refuse.dir = join(configDir, 'tokens');
      refuse.code = code;
      try {
        const r = await shop.run(['count'], { configDir });
        expect(r.result.code, r.result.stderr).toBe(0);
        expect(r.result.stdout).toBe('0\n');
        expect(r.result.stderr).toMatch(new RegExp(`warning: could not keep the token in ${refuse.dir}/[0-9a-f]+\\.json: .*\\(${code}\\); the next run will log in again`));
        expect(r.result.stderr).not.toContain('.tmp');
        expect(readdirSync(refuse.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
        // The next run logs in again, and works again.
        const again = await shop.run(['count'], { configDir });
        expect(again.result.code).toBe(0);
        expect(again.logins).toHaveLength(1);
      } finally {
        refuse.code = '';
      }
    });
  }
});
