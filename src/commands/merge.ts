import type { Command } from 'commander';
import { requireVerb } from '../backends/capabilities.js';
import type { AppContext } from '../context.js';
import type { CustomerBackend, CustomerRecord } from '../backends/types.js';
import { GeneralError, NotFoundError, UnsupportedError, UsageError } from '../errors.js';
import { writeOut } from '../deps.js';
import { examples } from './examples.js';
import { forTerminal } from '../output/terminal.js';
import { describeRecord, identityOf, printWrite, stringField } from './write-output.js';

interface MergePlan {
  target: CustomerRecord;
  sources: CustomerRecord[];
  /** Native name of the loyalty points field, when the backend has one. */
  pointsField?: string;
  total?: number;
}

export function registerMerge(program: Command, app: AppContext): void {
  program
    .command('merge')
    .summary('merge duplicate customers into one')
    .description(
      'Merge customers into one: the sources\' loyalty points are added to the target, then the ' +
        'sources are deleted. Every code is looked up first (nothing changes if one is unknown), ' +
        'the plan is shown, and on a terminal you confirm; without a terminal pass --yes. With --plan, ' +
        'merges each group of a plan saved by `poscust duplicates --save-plan`; a group whose customers ' +
        'changed since is a conflict (exit 7). Backends without a merge take --suspend-others instead.',
    )
    .option('--into <code>', 'the customer that stays (an ID with --by-id)')
    .argument('[source-code...]', 'customers merged into it and deleted (IDs with --by-id)')
    .option('--by-id', 'the values are customer IDs, not codes')
    .option('--plan <merges.json>', 'merge every group of a plan saved by poscust duplicates --save-plan')
    .option('--suspend-others', 'with --plan: make every customer but the survivor inactive instead of merging (MYPOS, PORTOS)')
    .option('--fill-gaps', 'with --suspend-others: first copy to the survivor the fields it lacks')
    .addHelpText(
      'after',
      examples(
        'poscust merge --into HWCISAP HWCISAP2 HW-OLD',
        'poscust merge --into HWCISAP TIA20887 --yes',
        'poscust merge --plan merges.json --yes',
      ),
    )
    .action(async (sources: string[], o: Record<string, unknown>) => {
      if (o.plan !== undefined) {
        if (o.into !== undefined || sources.length) throw new UsageError('--plan merges the groups of the plan: give no --into or sources with it');
        return runMergePlanCommand(app, String(o.plan), { suspendOthers: Boolean(o.suspendOthers), fillGaps: Boolean(o.fillGaps) });
      }
      if (o.suspendOthers || o.fillGaps) throw new UsageError('--suspend-others and --fill-gaps go with --plan');
      if (o.into === undefined) throw new UsageError("merge needs --into <code> (or --plan <merges.json>); see poscust merge --help");
      if (!sources.length) throw new UsageError('merge needs at least one source customer after --into <code>; see poscust merge --help');
      return runMerge(app, { into: String(o.into), sources, byId: Boolean(o.byId) });
    });
}

export interface MergeOptions {
  /** The code (or with byId the ID) of the customer the others merge into. */
  into: string;
  sources: string[];
  byId: boolean;
}

/** Resolves every identifier first (nothing is merged when one is unknown), shows the plan, asks, merges. */
export async function runMerge(app: AppContext, o: MergeOptions): Promise<void> {
  const into = o.into.trim();
  const values = o.sources.map((s) => s.trim());
  if (!into || values.some((v) => v === '')) throw new UsageError('merge needs non-empty values for --into and every source');
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (values.some((v) => same(v, into))) throw new UsageError(`'${into}' is both the target and a source; a customer cannot be merged into itself`);
  const dup = values.find((v, i) => values.findIndex((w) => same(w, v)) !== i);
  if (dup) throw new UsageError(`source '${dup}' is given twice`);
  app.requireConfirmable(`merge ${values.length} customer${values.length === 1 ? '' : 's'} into '${into}'`);

  const backend = await app.backend();
  requireVerb(backend, 'merge');
  const plan = await resolvePlan(backend, into, values, o.byId);
  const { idField } = backend.schema;
  if (!app.globals.yes) {
    app.deps.io.stderr.write(`${forTerminal(describePlan(backend, plan), { keepNewlines: true })}\n`);
    await app.confirm(`Merge ${plan.sources.length === 1 ? 'this customer' : `these ${plan.sources.length} customers`} into ${identityOf(backend, plan.target)}?`);
  }
  const result = await backend.merge(
    String(plan.target[idField]),
    plan.sources.map((s) => String(s[idField])),
    { records: [plan.target, ...plan.sources] },
  );
  const points = plan.pointsField && plan.total !== undefined ? ` (${plan.pointsField} ${plan.total})` : '';
  await printWrite(app, {
    action: 'merged',
    identifier: into,
    id: String(plan.target[idField]),
    code: backend.schema.codeField ? (stringField(plan.target, backend.schema.codeField) ?? null) : null,
    server: result.raw,
    line: `merged ${plan.sources.map((s) => identityOf(backend, s)).join(', ')} into ${identityOf(backend, plan.target)}${points}`,
  });
}

/** Every identifier to its record before anything changes; all unknown ones are named at once. */
async function resolvePlan(backend: CustomerBackend, into: string, sources: string[], byId: boolean): Promise<MergePlan> {
  const all = [into, ...sources];
  let records: CustomerRecord[];
  if (byId) {
    const { found, missing } = await backend.getMany(all);
    if (missing.length) throw notFound('ID', missing);
    const byKey = new Map(found.map((r) => [String(r[backend.schema.idField]).toLowerCase(), r]));
    records = all.map((id) => byKey.get(id.toLowerCase())!);
  } else {
    records = [];
    const missing: string[] = [];
    for (const code of all) {
      try {
        records.push(await backend.get({ by: 'code', value: code }));
      } catch (err) {
        if ((err as { kind?: string }).kind !== 'not_found') throw err;
        missing.push(code);
      }
    }
    if (missing.length) throw notFound('code', missing);
  }
  const ids = records.map((r) => r[backend.schema.idField]);
  if (ids.some((id) => typeof id !== 'string' || !id)) throw new GeneralError('the server returned a customer without an ID');
  if (new Set(ids.map((id) => String(id).toLowerCase())).size !== ids.length) {
    throw new UsageError('two of the given identifiers name the same customer; give each customer once');
  }
  const [target, ...rest] = records as [CustomerRecord, ...CustomerRecord[]];
  const pointsField = backend.schema.flags.loyaltyPoint;
  const plan: MergePlan = { target, sources: rest, pointsField };
  if (pointsField) plan.total = [target, ...rest].reduce((sum, r) => sum + points(r, pointsField), 0);
  return plan;
}

function notFound(what: string, missing: string[]): NotFoundError {
  const list = missing.map((m) => `'${m}'`).join(', ');
  return new NotFoundError(`${missing.length === 1 ? 'customer' : 'customers'} with ${what} ${list} not found; nothing was merged`);
}

function points(record: CustomerRecord, field: string): number {
  const n = Number(record[field] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

export function describePlan(backend: CustomerBackend, plan: MergePlan): string {
  const f = plan.pointsField;
  const pts = (r: CustomerRecord) => (f ? `, ${f} ${points(r, f)}` : '');
  const lines = [`Merge into ${describeRecord(backend, plan.target)}${pts(plan.target)}:`];
  for (const s of plan.sources) lines.push(`  delete ${describeRecord(backend, s)}${pts(s)}`);
  if (f && plan.total !== undefined) {
    const added = plan.total - points(plan.target, f);
    lines.push(`${identityOf(backend, plan.target)} gets ${added} more: ${f} ${points(plan.target, f)} -> ${plan.total}`);
  }
  return lines.join('\n');
}

/** `merge --plan`: every group of a duplicates plan (src/duplicates/merge-run.ts). */
async function runMergePlanCommand(app: AppContext, file: string, o: { suspendOthers: boolean; fillGaps: boolean }): Promise<void> {
  const [{ loadMergePlan }, run] = await Promise.all([import('../duplicates/groups.js'), import('../duplicates/merge-run.js')]);
  const conn = app.connection();
  const plan = loadMergePlan(file);
  app.requireConfirmable(`merge ${plan.groups.length} groups of ${file}`);
  const backend = await app.backend();
  const options = { ...o, signal: app.deps.signal };
  run.checkMergePlan(plan, file, { profile: conn.profileName, backend: conn.backend, baseUrl: conn.baseUrl }, backend, options);
  const members = plan.groups.reduce((n, g) => n + g.merge.length, 0);
  await app.confirm(`${o.suspendOthers ? 'Make inactive' : 'Merge'} ${members} customers in ${plan.groups.length} groups of ${file} on ${conn.profileName ? `profile ${conn.profileName}` : conn.baseUrl}?`);
  const outcomes = await run.runMergePlan(backend, plan, options);
  const job = app.finishHistory(outcomes.some((x) => x.result === 'conflict' || x.result === 'failed') ? 'partial' : 'ok');
  const { format } = app.globals;
  await writeOut(
    app.deps.io.stdout,
    format === 'json' ? `${JSON.stringify(outcomes, null, 2)}\n` : format === 'ndjson' ? outcomes.map((x) => `${JSON.stringify(x)}\n`).join('') : outcomes.map((x) => `${forTerminal(`group ${x.group}  ${x.result.padEnd(9)}  ${x.note}`)}\n`).join(''),
  );
  if (job) app.notice(`history: job ${job} (undo it with: poscust undo ${job})`);
  const err = run.outcomeError(outcomes);
  if (err) throw err;
}
