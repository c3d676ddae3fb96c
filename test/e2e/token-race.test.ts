// Issue 11, item 8: ten cron runs starting at once with a cold token cache log in once, and a run
// whose login is refused for the day's quota uses the token another run has just cached.
import { describe, expect, it } from 'vitest';
import { poscust, startSandboxProcess } from '../helpers/e2e.js';
import { tempDir } from '../helpers/harness.js';

describe('parallel runs share one login', () => {
  it('ten parallel runs with a cold cache: one login, every run succeeds (MYPOS, 250 tokens a day)', async () => {
    const sb = await startSandboxProcess(['--backend', 'mypos', '--seed', '3']);
    try {
      const env = { ...sb.env, POSCUST_CONFIG_DIR: tempDir() };
      const runs = await Promise.all(Array.from({ length: 10 }, () => poscust(['count'], { env })));
      for (const r of runs) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toBe('3\n');
      }
      expect((await sb.control<{ tokensIssued: number }>('/_sandbox/stats')).tokensIssued).toBe(1);
    } finally {
      await sb.stop();
    }
  });

  it('a run refused a token for the day finds the one another run cached', async () => {
    const sb = await startSandboxProcess(['--backend', 'mypos', '--seed', '2', '--token-limit', '1']);
    try {
      const env = { ...sb.env, POSCUST_CONFIG_DIR: tempDir() };
      const runs = await Promise.all(Array.from({ length: 5 }, () => poscust(['count'], { env })));
      expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
      expect((await sb.control<{ tokensIssued: number }>('/_sandbox/stats')).tokensIssued).toBe(1);
    } finally {
      await sb.stop();
    }
  });
});
