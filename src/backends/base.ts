// Every verb defaults to "unsupported on <backend>" (exit 6); adapters override what they have and
// list it in `verbs` (a test checks the two agree).
import { NotFoundError, UnsupportedError } from '../errors.js';
import type { ServerNotes } from '../config/server-notes.js';
import type { HttpClient } from '../http/client.js';
import { LIST_FILTERS } from './list-query.js';
import type { BackendSchema } from './schema.js';
import type {
  BackendVerb,
  CustomerBackend,
  CustomerRecord,
  DeleteOptions,
  ListQuery,
  Lookup,
  Page,
  UpdateOptions,
  WriteResult, ListAllOptions } from './types.js';

export abstract class BackendBase implements CustomerBackend {
  abstract readonly name: string;
  abstract readonly schema: BackendSchema;
  abstract readonly verbs: ReadonlySet<BackendVerb>;
  readonly whyNot?: Partial<Record<BackendVerb, string>>;
  abstract readonly maxPageSize: number;
  abstract readonly defaultPageSize: number;

  private rowFields: Set<string> | undefined;

  constructor(
    protected readonly http: HttpClient,
    /** What this server was found to speak (config/server-notes.ts). */
    protected readonly notes?: ServerNotes,
  ) {}

  /** Records per getMany request: 1 (one GET each) unless the backend has a bulk lookup. */
  get getManyBatch(): number {
    return 1;
  }

  /** The fields list rows carried on this server, from the rows seen so far; undefined before any. */
  get listRowFields(): ReadonlySet<string> | undefined {
    return this.rowFields;
  }

  /** Notes which fields list rows carry (the adapters call it with each page). */
  protected noteRows(records: readonly CustomerRecord[]): void {
    for (const record of records.slice(0, 5)) {
      this.rowFields ??= new Set();
      for (const key of Object.keys(record)) this.rowFields.add(key);
    }
    // Fields of the server's own, beyond the native ones: remembered, so that an import of an
    // export knows their columns without asking the server.
    const extras = this.ownFields(this.rowFields ?? []);
    const known = this.rememberedExtras();
    if (extras.some((k) => !known.includes(k))) this.notes?.set('rowExtras', [...new Set([...known, ...extras])].sort().join(','));
  }

  /** Fields this server's records were seen to carry beyond the native ones (remembered across runs). */
  get serverFields(): ReadonlySet<string> {
    return new Set([...this.rememberedExtras(), ...this.ownFields(this.rowFields ?? [])]);
  }

  private rememberedExtras(): string[] {
    return (this.notes?.get('rowExtras') ?? '').split(',').filter(Boolean);
  }

  private ownFields(keys: Iterable<string>): string[] {
    const native = new Set(this.schema.fields.map((f) => f.name.split('.')[0]!));
    const meta = new Set(this.schema.listRowMeta ?? []);
    return [...keys].filter((k) => !native.has(k) && !meta.has(k));
  }

  get requestsSent(): number {
    return this.http.requestsSent;
  }

  /** Makes sure a credential is at hand: the cached token, or a login now (doctor, profile checks). */
  async authenticate(): Promise<void> {
    await this.http.auth?.header();
  }

  protected unsupported(verb: string, why?: string): never {
    throw new UnsupportedError(this.name, verb, why);
  }

  /** Throws unless the lookup kind is one the verb takes on this backend. */
  protected requireLookup(verb: string, lookup: Lookup, allowed: readonly Lookup['by'][]): void {
    if (!allowed.includes(lookup.by)) this.unsupported(`${verb} by ${lookup.by}`);
  }

  /** A list filter this backend cannot apply is "unsupported", never silently ignored. */
  protected rejectFilters(query: ListQuery, supported: readonly (keyof ListQuery)[]): void {
    for (const [key, value] of Object.entries(query) as [keyof ListQuery, unknown][]) {
      // `fields` only narrows what the server sends back; output is projected anyway.
      if (value === undefined || key === 'fields' || supported.includes(key)) continue;
      this.unsupported(`list --${LIST_FILTERS[key].flag}`);
    }
  }

  list(_query: ListQuery, _page: number, _pageSize: number): Promise<Page> {
    this.unsupported('list');
  }
  async *listAll(_query: ListQuery, _pageSize?: number, _options?: ListAllOptions): AsyncIterable<CustomerRecord[]> {
    this.unsupported('list');
  }
  count(_query: ListQuery): Promise<number> {
    this.unsupported('count');
  }
  get(lookup: Lookup): Promise<CustomerRecord> {
    this.unsupported(`get by ${lookup.by}`);
  }
  async getMany(ids: string[]): Promise<{ found: CustomerRecord[]; missing: string[] }> {
    // One GET each, for backends without a bulk lookup.
    const found: CustomerRecord[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      try {
        found.push(await this.get({ by: 'id', value: id }));
      } catch (err) {
        if (err instanceof NotFoundError) missing.push(id);
        else throw err;
      }
    }
    return { found, missing };
  }
  create(_fields: CustomerRecord): Promise<WriteResult> {
    this.unsupported('create', this.whyNot?.create);
  }
  update(lookup: Lookup, _changes: CustomerRecord, _options?: UpdateOptions): Promise<WriteResult> {
    this.unsupported(`update by ${lookup.by}`);
  }
  delete(lookup: Lookup, _options?: DeleteOptions): Promise<WriteResult> {
    this.unsupported(`delete by ${lookup.by}`);
  }
  setSuspended(_lookup: Lookup, suspended: boolean): Promise<WriteResult> {
    this.unsupported(suspended ? 'suspend' : 'unsuspend');
  }
  merge(_targetId: string, _sourceIds: string[]): Promise<WriteResult> {
    this.unsupported('merge', this.whyNot?.merge);
  }
  newCode(): Promise<string> {
    this.unsupported('new-code', this.whyNot?.newCode);
  }
  setPin(_lookup: Lookup, _pin: string): Promise<WriteResult> {
    this.unsupported('pin set', this.whyNot?.setPin);
  }
  checkPin(_lookup: Lookup, _pin: string): Promise<boolean> {
    this.unsupported('pin check', this.whyNot?.checkPin);
  }
  setVerified(what: 'email' | 'mobile', _lookup: Lookup, _verified: boolean): Promise<WriteResult> {
    this.unsupported(`verify ${what}`, this.whyNot?.setVerified);
  }
  appSignIn(_lookup: Lookup): Promise<WriteResult> {
    this.unsupported('app-signin', this.whyNot?.appSignIn);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/** "customer with Code 'X'" for messages. */
export function describeLookup(lookup: Lookup, fieldName?: string): string {
  return `customer with ${fieldName ?? lookup.by} '${lookup.value}'`;
}
