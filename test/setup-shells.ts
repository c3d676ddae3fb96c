// The completion tests run the scripts in real zsh and fish (bash is everywhere). When one is
// missing and we may install packages (root with apt-get, as on CI), install it here; otherwise
// those tests fail with a message saying what to install. They are never skipped.
import { execFileSync, spawnSync } from 'node:child_process';

const has = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;

export function ensureShells(): void {
  const missing = ['zsh', 'fish'].filter((s) => !has(s));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    console.warn(`test setup: ${missing.join(' and ')} missing; the completion tests will fail until installed (apt-get install -y ${missing.join(' ')})`);
    return;
  }
  console.log(`test setup: installing ${missing.join(' and ')} for the completion tests (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  } catch (err) {
    console.warn(`test setup: could not install ${missing.join(' and ')}: ${(err as Error).message}`);
  }
}
