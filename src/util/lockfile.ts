// A lock between poscust processes: a file created atomically (hard-linked from a complete
// temporary file, so nobody ever reads a half-written one) holding the owner's pid and the time
// its process started. A lock whose owner is gone, or whose pid now belongs to another process
// (pids are reused; the start time tells them apart), is stale and taken over. An owner killed with
// SIGKILL leaves its lock behind, which the next run takes over the same way.
import { closeSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tempPathBeside } from './temp-path.js';

export interface LockOwner {
  pid: number;
  /** When the owner's process started (Linux: clock ticks since boot), null where unknown. */
  started: number | null;
}

export interface HeldLock {
  readonly path: string;
  release(): void;
}

/** When `pid` started, from /proc (Linux); null elsewhere or when there is no such process. */
export function processStartTime(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const started = Number(fields[19]);
    return Number.isFinite(started) ? started : null;
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: it exists but is another user's.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.started === null) return true;
  const now = processStartTime(owner.pid);
  return now === null || now === owner.started;
}

function readOwner(path: string): LockOwner | null {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof data.pid !== 'number') return null;
    return { pid: data.pid, started: typeof data.started === 'number' ? data.started : null };
  } catch {
    return null;
  }
}

/** How long a lock file may be unreadable before it counts as damage rather than a handover. */
const UNREADABLE_GRACE_MS = 10_000;

const ME: LockOwner = { pid: process.pid, started: processStartTime(process.pid) };

/** Takes the lock at `path`, or says who holds it. Throws for a file system error other than "taken". */
export function tryLock(path: string): HeldLock | { heldBy: LockOwner } {
  for (let attempt = 0; attempt < 3; attempt++) {
    const temp = tempPathBeside(path);
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, JSON.stringify(ME));
    } catch (err) {
      // A full disk must not leave the temporary file behind.
      closeSync(fd);
      unlinkSync(temp);
      throw err;
    }
    closeSync(fd);
    try {
      linkSync(temp, path);
      return {
        path,
        release: () => {
          // Only our own lock: a stale-lock takeover by another process must not be undone by us.
          if (readOwner(path)?.pid === ME.pid) unlinkSync(path);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(temp);
    }
    let before: { ino: number; mtimeMs: number };
    try {
      before = statSync(path);
    } catch {
      continue; // released meanwhile: try again
    }
    const owner = readOwner(path);
    if (owner === null) {
      // Unreadable: most likely released, and maybe taken by another, between our link and our
      // read (a lock file is never half-written); removing it could remove that new owner's lock.
      // Only one that stayed unreadable for a while is damage, and taken over.
      if (Date.now() - before.mtimeMs < UNREADABLE_GRACE_MS) continue;
    } else if (isAlive(owner)) return { heldBy: owner };
    // Stale: removed only if it is still the file we looked at (not a fresh lock another took over).
    try {
      if (statSync(path).ino === before.ino && readOwner(path)?.pid === owner?.pid) unlinkSync(path);
    } catch {
      // Someone else removed it first; try again.
    }
  }
  const owner = readOwner(path);
  return { heldBy: owner ?? { pid: 0, started: null } };
}

/**
 * Waits for the lock up to `waitMs` (polling), for work that other processes finish quickly (a
 * login). Resolves to the lock, or null when it stayed taken.
 */
export async function waitForLock(path: string, waitMs: number, sleep: (ms: number) => Promise<void>): Promise<HeldLock | null> {
  const deadline = Date.now() + waitMs;
  for (let pause = 25; ; pause = Math.min(pause * 2, 250)) {
    const got = tryLock(path);
    if ('release' in got) return got;
    if (Date.now() >= deadline) return null;
    await sleep(pause);
  }
}
