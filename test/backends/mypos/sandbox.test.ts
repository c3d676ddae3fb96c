// poscust in-process against an in-process MYPOS sandbox whose clock the test sets: the daily token
// limit, and the write paths checked against the sandbox's state.
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src/sandbox/index.js';
import { sandboxEnv } from '../../helpers/cli-sandbox.js';
import { FakeClock, runCli, tempDir } from '../../helpers/harness.js';
import { closeSandboxesAfterEach, track } from '../../sandbox/helpers.js';

closeSandboxesAfterEach();

async function mypos(opts: Parameters<typeof startSandbox>[0] = {}) {
  const sb = track(await startSandbox({ port: 0, seed: 5, backend: 'mypos', ...opts }));
  return { sb, env: sandboxEnv(sb) };
}

describe('the daily token limit', () => {
  it('a second machine asking for a token past the limit gets exit 75 with the vendor reason', async () => {
    const noon = Date.UTC(2026, 4, 5, 12, 0, 0);
    const { sb, env } = await mypos({ dailyTokenLimit: 1, clock: () => new Date(noon) });
    const clock = new FakeClock(noon);
    expect((await runCli(['count'], { env, clock, configDir: tempDir() })).code).toBe(0);
    const r = await runCli(['count'], { env, clock, configDir: tempDir() });
    expect(r.code).toBe(75);
    expect(r.stderr).toContain('has reached its limit of 1 tokens per UTC day');
    expect(r.stderr).toContain('try again in 43200 s');
    expect(r.stderr).not.toContain('sandbox-password');
    expect(sb.stats().tokensIssued).toBe(1);
  });

  it('the same machine keeps using its cached token, so it is not affected', async () => {
    const noon = Date.UTC(2026, 4, 5, 12, 0, 0);
    const { sb, env } = await mypos({ dailyTokenLimit: 1, clock: () => new Date(noon) });
    const configDir = tempDir();
    const clock = new FakeClock(noon);
    for (let i = 0; i < 5; i++) expect((await runCli(['count'], { env, clock, configDir })).stdout).toBe('5\n');
    expect(sb.stats().tokensIssued).toBe(1);
  });
});

describe('the MYPOS sandbox options', () => {
  it('with a quarter of the requests failing (500, dropped connections, 429) list --all still reads every customer exactly once', async () => {
    const { sb, env } = await mypos({ seed: 57, faults: 0.25, faultKinds: ['500', 'drop-before', '429'], randomSeed: 11 });
    const r = await runCli(['list', '--all', '--page-size', '10', '--format', 'ndjson'], { env, configDir: tempDir() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const codes = r.stdout.trim().split('\n').map((l) => JSON.parse(l).customerCode as string);
    expect(codes).toEqual((sb.customers() as { customerCode: string }[]).map((c) => c.customerCode));
    const stats = sb.stats();
    expect(stats.faults['500'] + stats.faults['drop-before'] + stats.faults['429']).toBeGreaterThan(0);
  });

  it('--token-limit is refused for a backend other than mypos', async () => {
    const r = await runCli(['sandbox', '--token-limit', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--token-limit applies to --backend mypos only');
  });
});
