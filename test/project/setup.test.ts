// Issue 11, item 20: a newcomer's `npm install` leaves the committed lockfile as it is and prints
// no warning about install scripts; the README says what the tests need beyond Node and npm.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const json = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;

describe('newcomer setup', () => {
  it('the lockfile agrees with package.json, so npm install does not rewrite it', () => {
    const pkg = json('package.json');
    const lock = json('package-lock.json') as { packages: Record<string, Record<string, unknown>> };
    const root = lock.packages['']!;
    expect(root.bin).toEqual(pkg.bin);
    expect(root.dependencies).toEqual(pkg.dependencies);
    expect(root.devDependencies).toEqual(pkg.devDependencies);
    expect(root.engines).toEqual(pkg.engines);
  });

  it('every dependency with an install script is covered by allowScripts (no warning on install)', () => {
    const pkg = json('package.json') as { allowScripts?: Record<string, boolean> };
    const lock = json('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    expect(withScripts.length).toBeGreaterThan(0);
    for (const name of withScripts) expect(Object.keys(pkg.allowScripts ?? {}), name).toContain(name);
  });

  it('the README says the tests need zsh and fish, and how CI gets them', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const top = readme.slice(0, readme.indexOf('## Install'));
    expect(top).toMatch(/zsh/);
    expect(top).toMatch(/fish/);
    expect(top).toContain('.ci/run');
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/apt-get install[^\n]*zsh fish/);
  });
});
