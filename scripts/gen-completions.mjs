// Writes completions/ (the files the npm package ships) from the built CLI's command tree:
// `poscust completion <shell>` for each shell. Run by `npm run completions` after a build; never
// edit the files by hand. `--check` only compares and exits 1 naming the files that drifted
// (test/completion/files.test.ts does the same inside `npm test`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'poscust.cjs');
const FILES = { bash: 'poscust.bash', zsh: '_poscust', fish: 'poscust.fish' };
const check = process.argv.includes('--check');

const drifted = [];
mkdirSync(join(root, 'completions'), { recursive: true });
for (const [shell, name] of Object.entries(FILES)) {
  const text = execFileSync(process.execPath, [bin, 'completion', shell], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const file = join(root, 'completions', name);
  if (check) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) drifted.push(`completions/${name}`);
  } else {
    writeFileSync(file, text);
  }
}
if (drifted.length) {
  console.error(`completion files out of date: ${drifted.join(', ')}; run npm run completions`);
  process.exit(1);
}
