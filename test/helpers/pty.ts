// Runs the built binary on a real pseudo-terminal through util-linux `script` (no native module
// needed): stdin, stdout and stderr of poscust are the terminal, so prompts really happen, and the
// test types answers once it sees the prompt text.
import { spawn, spawnSync } from 'node:child_process';
import { BIN } from './e2e.js';

export interface PtyStep {
  /** Text (or pattern) to wait for in the terminal output before typing. */
  waitFor: string | RegExp;
  /** What to type; "\r" is the Enter key. */
  type: string;
}

export interface PtyResult {
  code: number | null;
  /** Everything the terminal showed (stdout and stderr together, with the echo of what was typed). */
  screen: string;
}

export function hasScript(): boolean {
  return spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `columns`: the terminal's width (the pseudo-terminal starts at 80). */
export function runInPty(args: string[], env: Record<string, string>, steps: PtyStep[], timeoutMs = 20_000, columns?: number): Promise<PtyResult> {
  const command = `${columns ? `stty cols ${columns}; ` : ''}${[process.execPath, BIN, ...args].map(shellQuote).join(' ')}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm', NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.on('error', () => undefined); // the terminal may be gone before our last keystroke
  let screen = '';
  let typedUpTo = 0;
  const pending = [...steps];
  const onData = (d: Buffer) => {
    screen += d.toString('utf8');
    const step = pending[0];
    if (!step) return;
    const rest = screen.slice(typedUpTo);
    const seen = typeof step.waitFor === 'string' ? rest.includes(step.waitFor) : step.waitFor.test(rest);
    if (seen) {
      pending.shift();
      typedUpTo = screen.length;
      // A moment for the prompt to switch the terminal to raw mode after drawing itself.
      setTimeout(() => child.stdin.write(step.type), 50);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pty run timed out; waiting for ${String(pending[0]?.waitFor)}; screen so far:\n${screen}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}
