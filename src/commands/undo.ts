import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { writeOut } from '../deps.js';
import { GeneralError, InterruptedError, PartialError, UsageError } from '../errors.js';
import { forTerminal } from '../output/terminal.js';
import { examples } from './examples.js';

export function registerUndo(program: Command, app: AppContext): void {
  program
    .command('undo')
    .summary('put back what a job changed')
    .description(
      "Revert a job's writes (see poscust history), newest first. An updated field goes back to its " +
        'old value only where it still holds what the job wrote; otherwise it is a conflict, listed and ' +
        'left as it is now. Created customers are deleted (suspended where the backend cannot delete); ' +
        'deleted ones are created again from their before-image (with a new ID, shown beside the old); ' +
        'suspensions and verifications are flipped back; a merge is undone by creating the merged-away ' +
        'customers again and restoring the survivor. A PIN or an app sign-in cannot be undone. The undo ' +
        'is a job too; if it stops, run it again to go on. Exits 7 when anything could not be reverted.',
    )
    .argument('<job>', 'a job id (or its unique beginning), from poscust history')
    .option('--dry-run', 'show what the undo would change, field by field; write nothing')
    .addHelpText('after', examples('poscust undo 20261205-142501-1237 --dry-run', 'poscust undo 20261205-142501 --yes'))
    .action(async (job: string, o: Record<string, unknown>) => runUndo(app, job, Boolean(o.dryRun)));
}

export async function runUndo(app: AppContext, given: string, dryRun: boolean): Promise<void> {
  const store = await import('../history/store.js');
  const { idOfWrite, undoWrite } = await import('../history/undo.js');
  const { readByIds } = await import('../backends/read-many.js');
  const conn = app.connection();
  const dir = store.historyDir(app.configDir, conn);
  const id = store.resolveJobId(dir, given);
  const job = store.readJob(dir, id);
  if (job.header.backend !== conn.backend || job.header.baseUrl !== conn.baseUrl) {
    throw new UsageError(`job ${id} ran against ${job.header.backend} at ${job.header.baseUrl}, not this connection (${conn.backend} at ${conn.baseUrl})`);
  }
  // What earlier undos of this job reverted (skipped now) or sent without learning the outcome.
  const done = new Set<number>();
  const inDoubt = new Set<number>();
  for (const other of store.jobIds(dir)) {
    if (other === id || store.readHeader(dir, other)?.undoes !== id) continue;
    for (const w of store.readJob(dir, other).writes) {
      if (w.undoes === undefined) continue;
      if (w.status === 'done') done.add(w.undoes);
      else if (w.status === 'uncertain') inDoubt.add(w.undoes);
    }
  }
  const steps = job.writes.filter((w) => w.status !== 'failed' && !done.has(w.n)).reverse();
  if (done.size) app.notice(`${done.size} writes were reverted by an earlier undo of ${id}`);
  if (!dryRun && steps.length) {
    app.requireConfirmable(`undo ${id}`);
    await app.confirm(`Undo job ${id} (${job.header.command}): revert ${steps.length} ${steps.length === 1 ? 'write' : 'writes'} on ${conn.profileName ? `profile ${conn.profileName}` : conn.baseUrl}?`);
  }
  let reverting: number | undefined;
  app.undoing = { job: id, write: () => reverting };
  const backend = await app.backend(dryRun ? { beforeWrite: refuseWrite } : { bulk: steps.length > 20 });
  const compared = [...new Set(steps.flatMap((w) => (w.op === 'update' || w.op === 'merge' ? Object.keys(w.after ?? {}) : [])))];
  const current = await readByIds(backend, steps.flatMap((w) => idOfWrite(w) ?? []), compared);
  const ctx = { backend, clock: app.deps.clock, signal: app.deps.signal, dryRun, inDoubt, reverting: (n: number) => (reverting = n) };
  const reports = [];
  for (const w of steps) {
    if (app.deps.signal.aborted) throw new InterruptedError(`interrupted after ${reports.length} of ${steps.length} writes; run the same undo again to go on`);
    reports.push(await undoWrite(ctx, w, current));
  }
  const stuck = reports.filter((r) => r.result === 'conflict' || r.result === 'failed' || r.result === 'not undoable');
  const jobId = app.finishHistory(stuck.length ? 'partial' : 'ok');
  const { format } = app.globals;
  if (format === 'json' || format === 'ndjson') {
    await writeOut(app.deps.io.stdout, format === 'json' ? `${JSON.stringify(reports, null, 2)}\n` : reports.map((r) => `${JSON.stringify(r)}\n`).join(''));
  } else {
    const shown = (v: unknown) => (v === null || v === undefined || v === '' ? '(empty)' : typeof v === 'string' ? v : JSON.stringify(v));
    const lines: string[] = [];
    for (const r of reports) {
      lines.push(`${r.result.padEnd(12)} #${r.write} ${r.op} ${r.customer}${r.note ? `: ${r.note}` : ''}`);
      for (const [f, c] of Object.entries(r.changes ?? {})) lines.push(`    ${f}: ${shown(c.from)} → ${shown(c.to)}`);
      for (const [f, c] of Object.entries(r.conflicts ?? {})) lines.push(`    ${f}: now ${shown(c.now)}, the job wrote ${shown(c.jobWrote)}: left as it is`);
    }
    if (lines.length === 0) lines.push(`nothing to undo in job ${id}`);
    await writeOut(app.deps.io.stdout, `${lines.map((l) => forTerminal(l)).join('\n')}\n`);
  }
  if (jobId) app.notice(`this undo is job ${jobId} in the history`);
  if (stuck.length) {
    const by = (k: string) => stuck.filter((r) => r.result === k).length;
    throw new PartialError(
      `${stuck.length} of ${reports.length} writes not reverted (${by('conflict')} conflicts, ${by('failed')} failed, ${by('not undoable')} not undoable)${by('failed') ? '; run the same undo again to retry the failed ones' : ''}`,
    );
  }
}

function refuseWrite(): never {
  throw new GeneralError('internal error: undo --dry-run tried to send a write');
}
