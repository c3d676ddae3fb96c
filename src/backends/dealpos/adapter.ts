// DealPOS API v3 (../shared/api/dealpos.md): OAuth2 client credentials, PascalCase records, 20
// customer endpoints. The record's fields are in schema.ts, the login in login.ts, the answers and
// request shapes real servers vary in (and how each is read or tried) in dialect.ts.
import { GeneralError, PinRejectedError } from '../../errors.js';
import type { HttpClient, HttpResponse, RequestSpec } from '../../http/client.js';
import { messageOf } from '../../http/ratelimit.js';
import { setOwn } from '../../util/own.js';
import { describeAnswer, expectArray, expectObject, stringOrUndefined } from '../answers.js';
import { detailOf } from './login.js';
import type { AdapterHooks } from '../descriptor.js';
import { sendInSomeShape, type FallbackContext } from '../fallback.js';
import { DELETE, LIST_ID, deleteRequest, listIdBatch, listIdRequest, newCodeOf, refusedDeleteShape, refusedRead, rowsOf, totalOf, type ListIdStyle } from './dialect.js';
import { statusFailure } from '../failures.js';
import { BackendBase, describeLookup } from '../base.js';
import { DEALPOS_SCHEMA } from './schema.js';
import { BACKEND_VERBS, type BackendVerb, type CustomerRecord, type DeleteOptions, type ListQuery, type Lookup, type Page, type UpdateOptions, type WriteResult, type ListAllOptions } from '../types.js';

const LOOKUP_PARAM: Record<Lookup['by'], string> = {
  id: 'ID',
  code: 'Code',
  email: 'Email',
  mobile: 'Mobile',
  phone: 'Phone',
};


export class DealposBackend extends BackendBase {
  readonly name = 'dealpos' as const;
  readonly schema = DEALPOS_SCHEMA;
  readonly verbs: ReadonlySet<BackendVerb> = new Set(BACKEND_VERBS);
  readonly maxPageSize = 1000;
  readonly defaultPageSize = 100;

  constructor(
    http: HttpClient,
    private readonly hooks: AdapterHooks = {},
  ) {
    super(http, hooks.notes);
  }

  /** IDs per ListID request: depends on how this server takes them (dialect.ts). */
  override get getManyBatch(): number {
    return listIdBatch(this.notes?.get(LIST_ID.note) as ListIdStyle | undefined);
  }

  private get fallback(): FallbackContext {
    return { http: this.http, notes: this.notes, log: this.hooks.log };
  }

  private listParams(query: ListQuery): Record<string, string | undefined> {
    this.rejectFilters(query, ['name', 'outlet', 'from', 'to', 'fields']);
    return { Name: query.name, Outlet: query.outlet, From: query.from, To: query.to };
  }

  override async list(query: ListQuery, page: number, pageSize: number): Promise<Page> {
    const res = await this.call({
      method: 'GET',
      path: '/Customer',
      query: { ...this.listParams(query), PageNumber: page, PageSize: pageSize },
    });
    const records = expectArray(this.http, res, 'the customer list');
    this.noteRows(records);
    return { records };
  }

  override async *listAll(query: ListQuery, pageSize = this.maxPageSize, options: ListAllOptions = {}): AsyncIterable<CustomerRecord[]> {
    // Page 1 through WithTotalCount: the total saves the extra request for an empty page that a
    // plain listing needs when the last page happens to be full.
    let total: number | undefined;
    let seen = 0;
    for (let page = 1; ; page++) {
      let records: CustomerRecord[];
      if (page === 1) {
        const first = await this.withTotalCount(query, 1, pageSize);
        total = first.total;
        records = first.records;
        if (total !== undefined) options.onTotal?.(total);
      } else {
        records = (await this.list(query, page, pageSize)).records;
      }
      if (records.length) yield records;
      seen += records.length;
      if (records.length < pageSize || (total !== undefined && seen >= total)) return;
    }
  }

  private async withTotalCount(query: ListQuery, page: number, pageSize: number): Promise<Page> {
    const res = await this.call({
      method: 'GET',
      path: '/Customer/WithTotalCount',
      query: { ...this.listParams(query), PageNumber: page, PageSize: pageSize },
    });
    const body = expectObject(this.http, res, 'the customer count');
    const total = totalOf(body);
    const data = rowsOf(body) ?? (total === 0 ? [] : undefined);
    if (total === undefined || !Array.isArray(data)) {
      throw new GeneralError(
        `expected {TotalCount or RecordsCount, DataArray} from ${res.endpoint ?? this.http.host} (HTTP ${res.status}), got ${describeAnswer(this.http, res)}`,
        { status: res.status },
      );
    }
    this.noteRows(data as CustomerRecord[]);
    return { records: data as CustomerRecord[], total };
  }

  /** The total's name and the ListID shape this server takes (read-only; the shape is remembered). */
  async probeDialect(rows: readonly CustomerRecord[]): Promise<string[]> {
    const res = await this.call({ method: 'GET', path: '/Customer/WithTotalCount', query: { PageNumber: 1, PageSize: 1 } });
    const body = expectObject(this.http, res, 'the customer count');
    const name = ['TotalCount', 'totalCount', 'RecordsCount', 'recordsCount'].find((k) => k in body);
    const out = [`the total is ${name ?? 'missing'}`];
    const ids = rows.map((r) => stringOrUndefined(r.ID)).filter((id): id is string => id !== undefined).slice(0, 2);
    if (ids.length === 2) {
      await this.getMany(ids);
      const style = this.notes?.get(LIST_ID.note) as ListIdStyle | undefined;
      out.push(`ListID takes ${LIST_ID.describe(style ?? 'repeat')}`);
    }
    return out;
  }

  override async count(query: ListQuery): Promise<number> {
    return (await this.withTotalCount(query, 1, 1)).total!;
  }

  override async get(lookup: Lookup): Promise<CustomerRecord> {
    this.requireLookup('get', lookup, ['id', 'code', 'email', 'mobile']);
    const res = await this.call(
      { method: 'GET', path: '/Customer/Detail', query: { [LOOKUP_PARAM[lookup.by]]: lookup.value } },
      lookup,
    );
    return expectObject(this.http, res, 'the customer');
  }

  override async getMany(ids: string[]): Promise<{ found: CustomerRecord[]; missing: string[] }> {
    const found: CustomerRecord[] = [];
    // Chunks keep a URL well under server limits (a GUID is 36 characters). The way IDs are passed
    // is the contract's guess first, then the other known ones (dialect.ts), remembered per server.
    for (let i = 0; i < ids.length; ) {
      const chunk = ids.slice(i, i + this.getManyBatch);
      i += chunk.length;
      const res = await sendInSomeShape(this.fallback, LIST_ID, (style) => this.http.request(listIdRequest(style, chunk)), refusedRead, (style) => style === 'body' || chunk.length > 1);
      if (res.status < 200 || res.status >= 300) throw this.failure(res);
      found.push(...expectArray(this.http, res, 'the customers'));
    }
    const foundIds = new Set(found.map((r) => String(r.ID).toLowerCase()));
    return { found, missing: ids.filter((id) => !foundIds.has(id.toLowerCase())) };
  }

  override async create(fields: CustomerRecord): Promise<WriteResult> {
    const res = await this.call({ method: 'POST', path: '/Customer', body: fields });
    const body = expectObject(this.http, res, 'the create answer');
    return { id: stringOrUndefined(body.ID), code: stringOrUndefined(fields.Code), message: messageOf(body), raw: body };
  }

  /**
   * Sends only the fields being changed, with the key. The sandbox pins DealPOS updates as partial
   * (absent fields keep their values), and sending a whole re-read record instead would silently
   * undo a change someone else made between our read and our write (DealPOS has no versions).
   * ByCode, by Email and ByMobilePhone use their key only to find the record, so a change of that
   * very field (a new Code via update-by code) goes through ByID, after one lookup for the ID.
   */
  override async update(lookup: Lookup, changes: CustomerRecord, options: UpdateOptions = {}): Promise<WriteResult> {
    this.requireLookup('update', lookup, ['id', 'code', 'email', 'mobile']);
    let target = lookup;
    const keyField = LOOKUP_PARAM[lookup.by];
    const newKey = valueOf(changes, keyField);
    if (lookup.by !== 'id' && newKey !== undefined && newKey !== lookup.value) {
      target = { by: 'id', value: stringOrUndefined(options.current?.ID) ?? (await this.idOf(lookup)) };
    }
    const route = { id: '/Customer/ByID', code: '/Customer/ByCode', email: '/Customer', mobile: '/Customer/ByMobilePhone' }[
      target.by as 'id' | 'code' | 'email' | 'mobile'
    ];
    const targetKey = LOOKUP_PARAM[target.by];
    const body = target === lookup ? { ...withoutKey(changes, keyField), [keyField]: lookup.value } : { ...withoutKey(changes, targetKey), [targetKey]: target.value };
    const res = await this.call({ method: 'PUT', path: route, body }, lookup);
    const answer = expectObject(this.http, res, 'the update answer');
    return { id: stringOrUndefined(answer.ID), message: messageOf(answer), raw: answer };
  }

  override async delete(lookup: Lookup, options: DeleteOptions = {}): Promise<WriteResult> {
    this.requireLookup('delete', lookup, ['id', 'code', 'email']);
    let target = lookup;
    if (lookup.by === 'id') {
      // DealPOS deletes by code or e-mail only: find the customer's code first (unless the caller
      // has just read the record to show it in a confirmation).
      const record = options.current ?? (await this.get(lookup));
      if (typeof record.Code === 'string' && record.Code) target = { by: 'code', value: record.Code };
      else if (typeof record.Email === 'string' && record.Email) target = { by: 'email', value: record.Email };
      else throw new GeneralError(`customer with ID '${lookup.value}' has neither a Code nor an Email, so DealPOS cannot delete it`);
    }
    const key = target.by === 'code' ? 'Code' : 'Email';
    const path = target.by === 'code' ? '/Customer/DeleteByCode' : '/Customer';
    // The key in the query (the contract), else in a JSON body (DealPOS's documented DELETEs),
    // the second only when the server did nothing with the first (dialect.ts).
    const res = await sendInSomeShape(this.fallback, DELETE, (style) => this.http.request(deleteRequest(style, path, key, target.value)), (r) =>
      refusedDeleteShape(r, key),
    );
    if (res.status < 200 || res.status >= 300) throw this.failure(res, target);
    const body = res.body && typeof res.body === 'object' ? (res.body as CustomerRecord) : {};
    return { message: messageOf(body), code: target.by === 'code' ? target.value : undefined, raw: res.body };
  }

  override async setSuspended(lookup: Lookup, suspended: boolean): Promise<WriteResult> {
    this.requireLookup(suspended ? 'suspend' : 'unsuspend', lookup, ['id', 'code', 'email', 'phone']);
    const res = await this.call(
      {
        method: 'PUT',
        path: suspended ? '/Customer/Suspend' : '/Customer/Unsuspend',
        body: { [LOOKUP_PARAM[lookup.by]]: lookup.value },
      },
      lookup,
    );
    return this.messageResult(res);
  }

  override async merge(targetId: string, sourceIds: string[]): Promise<WriteResult> {
    const res = await this.call({
      method: 'PUT',
      path: '/Customer/Merge',
      body: { TargetID: targetId, SourceIDs: sourceIds },
      // Re-sending a merge whose answer was lost would hit already-deleted sources.
      idempotent: false,
    });
    const body = expectObject(this.http, res, 'the merge answer');
    return { id: stringOrUndefined(body.ID) ?? targetId, message: messageOf(body), raw: body };
  }

  override async newCode(): Promise<string> {
    const res = await this.http.request({ method: 'GET', path: '/Customer/NewCode' });
    if (res.status === 400) {
      throw new GeneralError(
        `this shop has no customer code generator switched on${detailOf(this.http, res)}`,
        { status: 400 },
      );
    }
    if (res.status !== 200) throw this.failure(res);
    const code = newCodeOf(res.body);
    if (!code) {
      throw new GeneralError(`expected a code from ${res.endpoint ?? this.http.host} (a string, {"Code"} or {"Message"}), got ${describeAnswer(this.http, res)}`, {
        status: res.status,
      });
    }
    return code;
  }

  override async setPin(lookup: Lookup, pin: string): Promise<WriteResult> {
    const id = await this.resolveId('pin set', lookup);
    const res = await this.call({ method: 'PUT', path: '/Customer/PIN', body: { ID: id, PIN: pin }, secrets: [pin] }, lookup);
    return { ...this.messageResult(res), id };
  }

  override async checkPin(lookup: Lookup, pin: string): Promise<boolean> {
    const id = await this.resolveId('pin check', lookup);
    const res = await this.http.request({
      method: 'POST',
      path: '/Customer/PIN/Authenticate',
      body: { ID: id, PIN: pin },
      secrets: [pin],
      // A check changes nothing: safe to repeat when the answer is lost.
      idempotent: true,
    });
    const body = (res.body && typeof res.body === 'object' ? res.body : {}) as CustomerRecord;
    if (res.status === 200) return body.Authenticated !== false;
    if (res.status === 400) {
      // "Invalid PIN." is the plain rejection; any other reason (no PIN set yet) is worth showing.
      const reason = this.http.detail(res);
      if (body.Authenticated === false && (!reason || /invalid pin/i.test(reason))) return false;
      throw new PinRejectedError(`PIN rejected${reason ? `: ${reason}` : ''}`, { status: 400 });
    }
    throw this.failure(res, lookup);
  }

  override async setVerified(what: 'email' | 'mobile', lookup: Lookup, verified: boolean): Promise<WriteResult> {
    const id = await this.resolveId(`verify ${what}`, lookup);
    const res = await this.call(
      { method: 'PUT', path: what === 'email' ? '/Customer/VerifyEmail' : '/Customer/VerifyMobile', body: { ID: id, Verified: verified } },
      lookup,
    );
    return { ...this.messageResult(res), id };
  }

  override async appSignIn(lookup: Lookup): Promise<WriteResult> {
    const id = await this.resolveId('app-signin', lookup);
    const res = await this.call({ method: 'PUT', path: '/Customer/AppSignIn', body: { ID: id } }, lookup);
    return { ...this.messageResult(res), id };
  }

  /** The endpoints keyed by ID: a code is turned into the ID with one Detail lookup. */
  private async resolveId(verb: string, lookup: Lookup): Promise<string> {
    this.requireLookup(verb, lookup, ['id', 'code']);
    return lookup.by === 'id' ? lookup.value : this.idOf(lookup);
  }

  private async idOf(lookup: Lookup): Promise<string> {
    const id = stringOrUndefined((await this.get(lookup)).ID);
    if (!id) throw new GeneralError(`${this.http.host} returned the customer without an ID`);
    return id;
  }

  private messageResult(res: HttpResponse): WriteResult {
    const body = res.body && typeof res.body === 'object' ? (res.body as CustomerRecord) : {};
    return { id: stringOrUndefined(body.ID), message: messageOf(body), raw: res.body };
  }

  /** Sends, and turns any answer but 2xx into the right error. */
  private async call(spec: RequestSpec, lookup?: Lookup): Promise<HttpResponse> {
    const res = await this.http.request(spec);
    if (res.status >= 200 && res.status < 300) return res;
    throw this.failure(res, lookup);
  }

  private failure(res: HttpResponse, lookup?: Lookup): Error {
    return statusFailure(this.http, res, lookup ? { customer: describeLookup(lookup, LOOKUP_PARAM[lookup.by]) } : {});
  }
}

/** The value of `key` in `record`, matched case-insensitively like the server binds it. */
function valueOf(record: CustomerRecord, key: string): unknown {
  const k = Object.keys(record).find((name) => name.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : record[k];
}

function withoutKey(record: CustomerRecord, key: string): CustomerRecord {
  const out: CustomerRecord = {};
  for (const [k, v] of Object.entries(record)) if (k.toLowerCase() !== key.toLowerCase()) setOwn(out, k, v);
  return out;
}


/** The adapter module (descriptor.ts loads it on first use). */
export { login } from './login.js';

export function createBackend(http: HttpClient, hooks: AdapterHooks = {}): DealposBackend {
  return new DealposBackend(http, hooks);
}
