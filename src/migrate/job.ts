// `poscust migrate --from <profile> --to <profile>`: every customer of the source streamed into the
// target through the mapping (map.ts), as an upsert keyed on the link each migrated customer keeps
// (the source's code or ID, in the target's code, external id or notes): a re-run sends no writes
// and only changed customers are updated; a run stopped half-way is continued by running it again.
// The target side is the importer itself: paced, recorded in the history, --dry-run shows the diff.
import type { CustomerBackend, CustomerRecord, ImportKeyDef } from '../backends/types.js';
import type { VendorDescriptor } from '../backends/descriptor.js';
import type { Clock } from '../deps.js';
import { InterruptedError, PartialError, TemporaryError, UnsupportedError, type PoscustError } from '../errors.js';
import { RateLimitPacer } from '../http/pacer.js';
import type { HttpClientOptions } from '../http/client.js';
import { checkOutputPath, writeFileAtomically } from '../output/atomic-file.js';
import { cellText, valueAt } from '../output/cells.js';
import { writeOut } from '../deps.js';
import { planColumns, type ColumnPlan } from '../import/columns.js';
import type { SourceRow } from '../import/csv-source.js';
import { RejectsFile } from '../import/outputs.js';
import { ImportRunner, type RowChange } from '../import/runner.js';
import { summaryOf, type ImportSummary } from '../import/summary.js';
import { Phones } from '../util/phone.js';
import { buildMapping, convert, unplacedIn, type Mapping } from './map.js';

export interface MigrateOptions {
  map: string[];
  dryRun: boolean;
  idMap?: string;
  rejects?: string;
  concurrency?: number;
  rate?: number;
}

export interface MigrateWorld {
  clock: Clock;
  signal: AbortSignal;
  source: { backend: () => Promise<CustomerBackend>; vendor: VendorDescriptor; region?: string };
  target: { backend: (http: Partial<HttpClientOptions>) => Promise<CustomerBackend>; vendor: VendorDescriptor; region?: string };
  notice(text: string): void;
  warn(text: string): void;
}

export interface MigrateResult {
  summary: ImportSummary & { unplaced: Record<string, number> };
  mapping: Mapping;
  /** The target's columns (the changes index them). */
  plan: ColumnPlan;
  changes: RowChange[];
  error: PoscustError | null;
}

export async function runMigrate(o: MigrateOptions, world: MigrateWorld): Promise<MigrateResult> {
  const started = world.clock.now();
  if (o.idMap) checkOutputPath(o.idMap, '--id-map');
  const rejectsPath = o.rejects ?? (o.dryRun ? null : 'migrate.rejects.csv');
  if (rejectsPath) checkOutputPath(rejectsPath, o.rejects ? '--rejects' : 'the rejects file (pass --rejects <file> to keep it elsewhere)');
  const [srcSchema, dstSchema] = await Promise.all([world.source.vendor.schema(), world.target.vendor.schema()]);
  const mapping = buildMapping(
    { name: world.source.vendor.name, schema: srcSchema, migration: world.source.vendor.migration },
    { name: world.target.vendor.name, schema: dstSchema, migration: world.target.vendor.migration },
    o.map,
  );
  const source = await world.source.backend();
  const pacer = new RateLimitPacer({ clock: world.clock, rate: o.rate });
  const concurrency = o.concurrency ?? dstSchema.import?.concurrency ?? 8;
  const target = await world.target.backend({ observer: pacer, connections: concurrency + 1, bulk: true, ...(o.dryRun ? { beforeWrite: refuseWrite } : {}) });
  const importSchema = target.schema.import;
  if (!importSchema) throw new UnsupportedError(target.name, 'migrate');

  // The link is the upsert's key: the target's own key on that field where it has one.
  const own = importSchema.keys.find((k) => k.field === mapping.link.field);
  const link: ImportKeyDef = { ...(own ?? {}), name: 'link', field: mapping.link.field, serverAssigned: false };
  const schema = { ...target.schema, import: { ...importSchema, keys: [link, ...importSchema.keys] } };
  const dstFields = [...new Set([...mapping.pairs.map((p) => p.to), ...Object.values(mapping.names.dst)])].filter((f) => f !== mapping.link.field);
  const header = [mapping.link.field, ...dstFields];
  const plan = planColumns(header, schema, { mode: 'upsert', key: 'link', map: [], serverFields: new Set() });
  world.notice(`the link to each ${source.name} customer: ${mapping.link.why}`);

  const total = await source.count({});
  const regionsDiffer = (world.source.region ?? '') !== (world.target.region ?? '');
  const phones = regionsDiffer && world.source.region ? await Phones.load(world.source.region) : undefined;
  const dates = new Set(dstSchema.fields.filter((f) => f.type === 'date').map((f) => f.name));
  const unplaced: Record<string, number> = {};
  const sourceIds: string[] = [];
  const targetIds: (string | undefined)[] = [];

  async function* rows(): AsyncIterable<SourceRow> {
    let ordinal = 0;
    for await (const page of source.listAll({}, source.maxPageSize)) {
      const { completeRecords } = await import('../backends/complete.js');
      const whole: CustomerRecord[] = (await completeRecords(source, page, mapping.pairs.map((p) => p.from))).records;
      for (const record of whole) {
        ordinal++;
        sourceIds[ordinal] = cellText(valueAt(record, srcSchema.idField));
        for (const f of unplacedIn(mapping, record)) unplaced[f] = (unplaced[f] ?? 0) + 1;
        const values = convert(mapping, record, { ...(phones ? { phones } : {}), dates });
        const cells = header.map((h) => {
          const v = values.get(h);
          return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
        });
        yield { ordinal, line: ordinal, cells, preparsed: { values: plan.writes.map((w) => values.get(w.field.name)), key: String(values.get(mapping.link.field)) } };
      }
    }
  }

  const rejects = rejectsPath ? new RejectsFile(rejectsPath, header) : null;
  const changes: RowChange[] = [];
  const runner = new ImportRunner({
    backend: target,
    plan,
    rows: rows(),
    mode: 'upsert',
    dryRun: o.dryRun,
    concurrency,
    totalRows: total,
    journal: null,
    previous: null,
    rejects,
    report: null,
    clock: world.clock,
    signal: world.signal,
    phase: (text) => world.notice(text),
    onChange: (c) => changes.push(c),
    onOutcome: (row, outcome) => {
      targetIds[row.ordinal] = outcome.id;
    },
  });
  let result;
  try {
    result = await runner.run();
  } finally {
    const written = (await rejects?.close(o.rejects !== undefined)) ?? false;
    if (!written && rejectsPath && !o.rejects) (await import('node:fs')).rmSync(rejectsPath, { force: true });
  }
  if (o.idMap && !o.dryRun) {
    await writeFileAtomically(o.idMap, async (out) => {
      let text = 'source_id,target_id\n';
      for (let i = 1; i < sourceIds.length; i++) {
        text += `${csvCell(sourceIds[i] ?? '')},${csvCell(targetIds[i] ?? '')}\n`;
        if (text.length > 65536) {
          await writeOut(out, text);
          text = '';
        }
      }
      await writeOut(out, text);
    });
  }
  for (const [field, n] of Object.entries(unplaced)) world.warn(`not migrated: ${field} (${n} ${n === 1 ? 'customer has' : 'customers have'} one; ${target.name} has no place for it; --map ${field}=<field> to put it somewhere)`);
  const summary = { ...summaryOf(result.counts, source.requestsSent + target.requestsSent, world.clock.now() - started), unplaced };
  let error: PoscustError | null = null;
  if (result.stopped === 'interrupted') error = new InterruptedError(`interrupted after ${runner.rowsDone} customers; run the same migrate again to go on (migrated customers are found by their link)`);
  else if (result.stopped === 'unavailable') error = new TemporaryError('stopped: the target stayed unavailable; run the same migrate again to go on');
  else if (result.counts.rejected || result.counts.failed) error = new PartialError(`${result.counts.rejected + result.counts.failed} customers not migrated; see ${rejectsPath ?? 'the rejects file (--rejects)'}`);
  return { summary, mapping, plan, changes: changes.sort((a, b) => a.line - b.line), error };
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function refuseWrite(): never {
  throw new Error('internal error: migrate --dry-run tried to send a write');
}
