import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __POSCUST_VERSION__: JSON.stringify(version) },
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the built binary and a sandbox server; give them room on a
    // loaded 2-core CI machine without hiding a real hang.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
  },
});
