import { Option, type Command } from 'commander';
import type { AppContext } from '../context.js';
import { writeOut } from '../deps.js';
import { UsageError } from '../errors.js';
import { createRecordWriter } from '../output/records.js';
import { checkOutputPath } from '../output/atomic-file.js';
import { completeWith, words } from './completion-hints.js';
import { examples } from './examples.js';
import * as parse from './parse.js';

export function registerDuplicates(program: Command, app: AppContext): void {
  program
    .command('duplicates')
    .summary('find customers who are the same person, and plan their merge')
    .description(
      'Read every customer once and group those who look like one person: the same e-mail address ' +
        '(letter case ignored, and the dots or +tag a provider such as Gmail ignores), the same mobile or ' +
        'phone number in any written form (E.164 in the shop\'s region), or with --by name the same name ' +
        '(accents, case and spacing folded) together with the same birth date, phone number or e-mail ' +
        'name. A group is every customer joined by any chosen rule; each member shows the rule that tied ' +
        'it in. A value shared by more than --max-group customers is reported as a placeholder, never ' +
        'used to group. --keep chooses the survivor; --save-plan writes the merges for poscust merge ' +
        '--plan. Exits 0 whether or not anything was found.',
    )
    .addOption(completeWith(new Option('--by <rules>', 'rules, comma-separated: email, mobile, phone, name').default('email,mobile'), words(['email', 'mobile', 'phone', 'name'])))
    .addOption(new Option('--keep <rule>', 'the survivor of each group').choices(['most-points', 'oldest', 'newest', 'most-complete']).default('most-points'))
    .option('--max-group <n>', 'a value shared by more customers than this is a placeholder, not a group', parse.positiveInt, 20)
    .option('--save-plan <merges.json>', 'write the groups as a plan for poscust merge --plan')
    .addHelpText(
      'after',
      examples('poscust duplicates', 'poscust duplicates --by email,mobile --format csv > groups.csv', 'poscust duplicates --save-plan merges.json --keep most-points'),
    )
    .action(async (o: Record<string, unknown>) => {
      const { RULES } = await import('../duplicates/find.js');
      const rules = String(o.by)
        .split(',')
        .map((r) => r.trim().toLowerCase())
        .filter(Boolean);
      const unknown = rules.filter((r) => !(RULES as readonly string[]).includes(r));
      if (unknown.length || rules.length === 0) throw new UsageError(`--by '${String(o.by)}': the rules are ${RULES.join(', ')}`);
      await runDuplicates(app, { rules: rules as (typeof RULES)[number][], keep: o.keep as never, maxGroup: o.maxGroup as number, savePlan: o.savePlan as string | undefined });
    });
}

export interface DuplicatesOptions {
  rules: import('../duplicates/find.js').Rule[];
  keep: import('../duplicates/groups.js').Keep;
  maxGroup: number;
  savePlan?: string;
}

export async function runDuplicates(app: AppContext, o: DuplicatesOptions): Promise<void> {
  if (o.savePlan) checkOutputPath(o.savePlan, '--save-plan');
  const [{ confirmGroups, findDuplicates, ruleFields }, groups, { Phones }, { readByIds }] = await Promise.all([
    import('../duplicates/find.js'),
    import('../duplicates/groups.js'),
    import('../util/phone.js'),
    import('../backends/read-many.js'),
  ]);
  const conn = app.connection();
  const backend = await app.backend({ bulk: true });
  const phones = await Phones.load(conn.region);
  const stop = app.statusLine(() => `reading customers: ${seen}`);
  let seen = 0;
  let found;
  try {
    found = await findDuplicates(backend, { rules: o.rules, maxGroup: o.maxGroup, phones, onPage: (n) => (seen = n) });
  } finally {
    stop();
  }
  for (const p of found.placeholders) {
    app.warn(`${p.rule} '${p.value.replace(/\|.*$/, '')}' is shared by ${p.customers} customers: a placeholder, not grouped (raise --max-group to group them)`);
  }
  // The members' whole records, read as economically as the backend allows.
  const records = await readByIds(backend, found.groups.flatMap((g) => g.ids));
  const { idField } = backend.schema;
  const result: import('../duplicates/groups.js').Group[] = [];
  const placeholderKeys = new Set(found.placeholders.map((p) => `${p.rule}\u0000${p.value}`));
  for (const g of found.groups) {
    const present = g.ids.map((id) => records.get(id)).filter((r) => r !== undefined);
    // Checked again on the whole records: a customer changed since the listing, or a hash collision, splits a group.
    for (const c of confirmGroups(backend, present, { rules: o.rules, phones }, placeholderKeys)) {
      const members = c.members.map((i, k) => ({ record: present[i]!, rule: c.rules[k]! }));
      const s = groups.chooseSurvivor(backend, members.map((m) => m.record), o.keep);
      const ordered = [members[s]!, ...members.filter((_, i) => i !== s)];
      result.push({ group: result.length + 1, keep: ordered[0]!.record, merge: ordered.slice(1).map((m) => m.record), rules: ordered.map((m) => m.rule) });
    }
  }
  const { format } = app.globals;
  const ruleOf = (g: (typeof result)[number]) => [...new Set(g.rules)].join(',');
  if (format === 'json') {
    const doc = result.map((g) => ({ group: g.group, rule: ruleOf(g), keep: g.keep, merge: g.merge.map((r, i) => ({ ...r, _rule: g.rules[i + 1] })) }));
    await writeOut(app.deps.io.stdout, `${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const flat = result.flatMap((g) => [g.keep, ...g.merge].map((r, i) => ({ _group: g.group, _rule: g.rules[i], _keep: i === 0 ? 'keep' : 'merge', ...r })));
    const writer = createRecordWriter({
      format,
      out: app.deps.io.stdout,
      fields: app.globals.fields,
      tableColumns: ['_group', '_keep', '_rule', ...backend.schema.tableColumns],
      allColumns: ['_group', '_keep', '_rule', ...backend.schema.fields.map((f) => f.name)],
      shape: 'many',
      truncate: app.deps.io.stdoutIsTTY,
      maxCellWidth: 40,
      warn: (m) => app.warn(m),
    });
    await writer.write(flat);
    await writer.end();
  }
  const members = result.reduce((n, g) => n + g.merge.length + 1, 0);
  app.notice(`${found.customers} customers read: ${result.length} groups of ${members} customers${result.length ? '' : ' (no duplicates)'}`);
  if (o.savePlan) {
    const fields = groups.plannedFields(backend, ruleFields(backend, o.rules).filter((f) => f !== idField));
    await groups.saveMergePlan(o.savePlan, {
      profile: conn.profileName,
      backend: backend.name,
      baseUrl: conn.baseUrl,
      createdAt: new Date().toISOString(),
      keep: o.keep,
      groups: result.map((g) => ({
        group: g.group,
        keep: groups.planMember(backend, g.keep, g.rules[0]!, fields),
        merge: g.merge.map((r, i) => groups.planMember(backend, r, g.rules[i + 1]!, fields)),
      })),
    });
    app.notice(`plan saved to ${o.savePlan}: ${result.length} groups; run: poscust merge --plan ${o.savePlan}`);
  }
}
