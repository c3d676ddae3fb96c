// `poscust sandbox` as a user runs it: options, persistence across Ctrl-C, and bad input.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { poscust, startSandboxProcess } from '../helpers/e2e.js';
import { tempDir } from '../helpers/harness.js';

describe('poscust sandbox', () => {
  it('keeps its state in --data across a Ctrl-C and a restart', async () => {
    const data = join(tempDir(), 'state.json');
    const first = await startSandboxProcess(['--data', data, '--seed', '3']);
    const customers = await first.control<{ Code: string; Name: string }[]>('/_sandbox/customers');
    expect(customers).toHaveLength(3);
    await first.control('/_sandbox/customers', { method: 'PUT', body: [{ ...customers[0], Name: 'Renamed Before Ctrl-C' }] });
    expect(await first.stop('SIGINT')).toBe(130);
    expect(readFileSync(data, 'utf8')).toContain('Renamed Before Ctrl-C');

    const second = await startSandboxProcess(['--data', data, '--seed', '50']);
    try {
      const r = await poscust(['get', '--code', customers[0]!.Code, '--json'], { env: second.env });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).Name).toBe('Renamed Before Ctrl-C');
      expect((await poscust(['count'], { env: second.env })).stdout).toBe('1\n');
    } finally {
      await second.stop();
    }
  });

  it('prints how to connect, with the sandbox credentials', async () => {
    const sb = await startSandboxProcess(['--seed', '2']);
    try {
      expect(sb.info).toMatchObject({ backend: 'dealpos', clientId: 'sandbox', customers: 2 });
      expect(sb.info.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
    } finally {
      await sb.stop();
    }
  });

  it('rejects bad options with exit 2 and a corrupt data file naming it', async () => {
    for (const args of [['--faults', '2'], ['--fault-kinds', 'meteor'], ['--port', 'x'], ['--backend', 'square']]) {
      const r = await poscust(['sandbox', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
    const data = join(tempDir(), 'broken.json');
    writeFileSync(data, '{"format": "poscust-sandbox", "state": ');
    const r = await poscust(['sandbox', '--data', data]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(data);
    expect(readFileSync(data, 'utf8')).toBe('{"format": "poscust-sandbox", "state": ');
  });

  it('says so when the port is taken', async () => {
    const sb = await startSandboxProcess(['--seed', '1']);
    try {
      const r = await poscust(['sandbox', '--port', String(sb.info.port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${sb.info.port} is already in use`);
    } finally {
      await sb.stop();
    }
  });
});
