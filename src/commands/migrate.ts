import type { Command } from 'commander';
import { AppContext } from '../context.js';
import { writeOut } from '../deps.js';
import { NotFoundError, UsageError } from '../errors.js';
import { vendorOf } from '../backends/registry.js';
import { examples } from './examples.js';
import * as parse from './parse.js';

export function registerMigrate(program: Command, app: AppContext): void {
  program
    .command('migrate')
    .summary("move every customer from one shop's POS to another's")
    .description(
      'Copy every customer of the --from profile into the --to profile, which may use another backend: ' +
        'names, e-mail, phone numbers, address, birth date, gender, codes, points and active/suspended map ' +
        "between the two backends' native fields (--map Src=Dst adds or overrides a pair, --map Src= drops " +
        'one). Each migrated customer keeps a link to its source (the source code or ID in the target\'s ' +
        'code, external id or notes), so running it again sends no writes and updates only what changed, ' +
        'and a run that stopped is continued by running it again (--resume says so). Fields the target has ' +
        'no place for are listed with counts. Paced, recorded in the history (undo works), --dry-run shows ' +
        'the changes field by field.',
    )
    .requiredOption('--from <profile>', 'the shop to copy from')
    .requiredOption('--to <profile>', 'the shop to copy into')
    .option('--map <Src=Dst>', 'map source field Src to target field Dst (or Src= to leave it out); repeatable', parse.collect)
    .option('--dry-run', 'show what would change on the target, field by field; write nothing')
    .option('--id-map <file>', 'write source_id,target_id for every customer (CSV)')
    .option('--resume', 'continue a migrate that stopped (the same as running it again: migrated customers are found by their link)')
    .option('--rejects <file>', 'where customers the target refused go (default: migrate.rejects.csv here, written only when needed)')
    .option('--concurrency <n>', 'customers in flight at once on the target', parse.positiveInt)
    .option('--rate <requests/s>', 'never send the target more than this many requests a second', parse.positiveNumber)
    .addHelpText(
      'after',
      examples('poscust migrate --from old-mypos --to new-dealpos --dry-run', 'poscust migrate --from old-mypos --to new-dealpos --id-map ids.csv', 'poscust migrate --from shop --to lan --map Group=note'),
    )
    .action(async (o: Record<string, unknown>) => {
      const from = String(o.from);
      const to = String(o.to);
      if (from === to) throw new UsageError(`--from and --to are both '${from}': migrate copies between two profiles`);
      const profiles = app.store().profiles;
      if (Object.keys(profiles).length === 0) app.connection(); // no shop yet: the first-run advice
      const missing = [from, to].filter((p) => !Object.hasOwn(profiles, p));
      if (missing.length) throw new NotFoundError(`no profile ${missing.map((p) => `'${p}'`).join(', ')}; see poscust profile list`);
      const { runMigrate } = await import('../migrate/job.js');
      const source = new AppContext(app.deps);
      source.globals = { ...app.globals, profile: from };
      app.globals = { ...app.globals, profile: to };
      const [src, dst] = [source.connection(), app.connection()];
      if (src.backend === dst.backend && src.baseUrl === dst.baseUrl) throw new UsageError(`--from '${from}' and --to '${to}' are the same shop (${dst.baseUrl})`);
      try {
        const result = await runMigrate(
          {
            map: (o.map as string[] | undefined) ?? [],
            dryRun: Boolean(o.dryRun),
            ...(typeof o.idMap === 'string' ? { idMap: o.idMap } : {}),
            ...(typeof o.rejects === 'string' ? { rejects: o.rejects } : {}),
            ...(typeof o.concurrency === 'number' ? { concurrency: o.concurrency } : {}),
            ...(typeof o.rate === 'number' ? { rate: o.rate } : {}),
          },
          {
            clock: app.deps.clock,
            signal: app.deps.signal,
            source: { backend: () => source.backend({ bulk: true }), vendor: vendorOf(src.backend), ...(src.region ? { region: src.region } : {}) },
            target: { backend: (http) => app.backend(http), vendor: vendorOf(dst.backend), ...(dst.region ? { region: dst.region } : {}) },
            notice: (t) => app.notice(t),
            warn: (t) => app.warn(t),
          },
        );
        const job = app.finishHistory(result.error ? 'partial' : 'ok');
        const { format } = app.globals;
        if (o.dryRun) {
          const { diffEntries, formatDiff } = await import('../import/diff-output.js');
          await writeOut(app.deps.io.stdout, formatDiff(diffEntries(result.plan, result.changes), format));
          app.deps.io.stderr.write(`${JSON.stringify(result.summary)}\n`);
        } else if (format === 'json' || format === 'ndjson') {
          await writeOut(app.deps.io.stdout, `${JSON.stringify(result.summary)}\n`);
        } else {
          // The import's summary; the unplaced fields were said on stderr.
          const { formatSummary } = await import('../import/summary.js');
          const { unplaced: _said, ...counts } = result.summary;
          await writeOut(app.deps.io.stdout, formatSummary(counts, format, false));
        }
        if (job) app.notice(`history: job ${job} (undo it with: poscust undo ${job} --profile ${to})`);
        if (result.error) throw result.error;
      } finally {
        await source.close();
      }
    });
}
