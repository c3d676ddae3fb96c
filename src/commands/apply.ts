import type { Command } from 'commander';
import type { AppContext } from '../context.js';
import { examples } from './examples.js';
import * as parse from './parse.js';
import { runImport } from './import.js';

export function registerApply(program: Command, app: AppContext): void {
  program
    .command('apply')
    .summary('make exactly the changes of a saved plan (import --save-plan)')
    .description(
      'Make the changes a plan saved by `import --save-plan` lists, and no others. Each customer is read ' +
        'again first (as economically as import does); a row is written only where every field it ' +
        'touches still holds the value the plan was computed from, and a customer created since is not ' +
        'created again: such rows are conflicts, listed in the rejects file and never overwritten. ' +
        'A plan made for another profile, backend or base URL is refused. Asks before writing on a ' +
        'terminal (--yes otherwise). Resumable like import (--resume). Exits 7 when any row was a ' +
        'conflict or failed.',
    )
    .argument('<plan.json>', 'a plan saved by poscust import --save-plan')
    .option('--concurrency <n>', 'rows in flight at once (default: per backend)', parse.positiveInt)
    .option('--rate <requests/s>', 'never send more than this many requests a second', parse.positiveNumber)
    .option('--rejects <file>', 'where conflicts and failed rows go (default: <plan>.rejects.csv beside the plan)')
    .option('--report <file>', "write every row's outcome (line, key, action, ID or error) as CSV")
    .option('--resume', 'continue an apply of this plan that stopped, skipping finished rows')
    .option('--journal <file>', 'keep the journal here instead of <plan>.poscust-journal')
    .addHelpText('after', examples('poscust apply plan.json', 'poscust apply plan.json --yes --format json', 'poscust apply plan.json --yes --resume'))
    .action(async (file: string, o: Record<string, unknown>) => {
      const { loadPlan } = await import('../import/plan.js');
      app.connection(); // no shop configured: said first, as every command that needs one does
      const loaded = loadPlan(file);
      const { rows } = loaded.plan;
      const creates = rows.filter((r) => r.action === 'create').length;
      app.requireConfirmable(`apply ${file}`);
      const profile = app.connection().profileName;
      await app.confirm(
        `Apply ${file} to ${profile ? `profile ${profile}` : app.connection().baseUrl}: create ${creates} and update ${rows.length - creates} customers?`,
      );
      await runImport(app, {
        file,
        applyPlan: loaded,
        mode: 'upsert',
        key: loaded.plan.keyName,
        map: [],
        dryRun: false,
        concurrency: o.concurrency as number | undefined,
        rate: o.rate as number | undefined,
        rejects: o.rejects as string | undefined,
        report: o.report as string | undefined,
        resume: Boolean(o.resume),
        journal: o.journal as string | undefined,
      });
    });
}
