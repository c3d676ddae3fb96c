// The lock between poscust processes: a lock file that cannot be read at the moment (released and
// taken again between a contender's link and its read) is never removed, or two processes would
// hold the lock at once (two logins where the vendor allows one: the token-race flake).
import { utimesSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tryLock } from '../../src/util/lockfile.js';
import { tempDir } from '../helpers/harness.js';

describe('tryLock', () => {
  it('leaves a freshly unreadable lock file alone (held by someone being handed it)', () => {
    const path = join(tempDir('poscust-lock-'), 'x.lock');
    writeFileSync(path, '');
    const got = tryLock(path);
    expect('release' in got).toBe(false);
    expect(existsSync(path)).toBe(true);
  });

  it('takes over one that stayed unreadable (damage), and one whose owner is gone', () => {
    const dir = tempDir('poscust-lock-');
    const damaged = join(dir, 'damaged.lock');
    writeFileSync(damaged, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(damaged, old, old);
    const a = tryLock(damaged);
    expect('release' in a).toBe(true);
    const dead = join(dir, 'dead.lock');
    writeFileSync(dead, JSON.stringify({ pid: 2 ** 22 + 7, started: 1 }));
    const b = tryLock(dead);
    expect('release' in b).toBe(true);
    const busy = tryLock(dead);
    expect('heldBy' in busy && busy.heldBy.pid).toBe(process.pid);
  });
});
