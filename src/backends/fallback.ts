// Where the vendor's pages leave a request's shape to a guess (docs/dialects.md), the adapter tries
// the contract's shape first and the other known shapes after it, but only where trying again is
// harmless: a read, or a write the server refused without doing anything (it said the key was
// missing, or no route matched). Never after a success. What worked is remembered per server
// (config/server-notes.ts), so later runs go straight to it, and `--verbose` says which was used.
import type { ServerNotes } from '../config/server-notes.js';
import { GeneralError } from '../errors.js';
import type { HttpClient, HttpResponse } from '../http/client.js';

export interface Variants<V extends string> {
  /** What is being sent, for messages ("ListID"). */
  what: string;
  /** The key of the server notes this choice is remembered under. */
  note: string;
  /** Every shape, the contract's first. */
  order: readonly V[];
  /** How each shape reads in a message ("repeated ID parameters"). */
  describe(variant: V): string;
}

export interface FallbackContext {
  http: HttpClient;
  notes?: ServerNotes;
  log?: (line: string) => void;
}

/** Shapes already said in this process (so a 200-batch export says it once). */
const said = new Set<string>();

/**
 * Sends `send(variant)` in the remembered shape, else the contract's, and on an answer `retry`
 * accepts as "this shape is not what the server takes", the next one. Returns the first answer that
 * is not such a refusal (a success, or a real error for the caller to report). `remember` says
 * whether a success proves the shape (one ID proves nothing about how a list of IDs is passed).
 */
export async function sendInSomeShape<V extends string>(
  ctx: FallbackContext,
  variants: Variants<V>,
  send: (variant: V) => Promise<HttpResponse>,
  retry: (res: HttpResponse) => boolean,
  remember: (variant: V) => boolean = () => true,
): Promise<HttpResponse> {
  const known = ctx.notes?.get(variants.note) as V | undefined;
  const order = known !== undefined && variants.order.includes(known) ? [known, ...variants.order.filter((v) => v !== known)] : [...variants.order];
  const refused: { variant: V; res: HttpResponse }[] = [];
  for (const variant of order) {
    const res = await send(variant);
    const ok = res.status >= 200 && res.status < 300;
    if (!ok && retry(res)) {
      refused.push({ variant, res });
      continue;
    }
    if (ok) {
      const proven = remember(variant);
      if (proven && variant !== known) ctx.notes?.set(variants.note, variant);
      const key = `${ctx.http.host} ${variants.what} ${variant}`;
      if (!said.has(key) && (refused.length || variant !== variants.order[0])) {
        said.add(key);
        const why = refused.length ? ` after ${refused.map((r) => `${variants.describe(r.variant)}: HTTP ${r.res.status}`).join(', ')}` : ' (remembered for this server)';
        ctx.log?.(`! ${variants.what}: ${ctx.http.host} takes ${variants.describe(variant)}${why}`);
      }
    }
    if (!ok && refused.length) {
      // This shape reached the server and got a real answer (a customer not found, say): that is the
      // answer; what the earlier shapes got is for --verbose.
      ctx.log?.(`! ${variants.what}: ${refused.map((r) => `${variants.describe(r.variant)} got HTTP ${r.res.status}`).join(', ')}; ${variants.describe(variant)} got HTTP ${res.status}`);
    }
    return res;
  }
  throw new GeneralError(
    `${variants.what}: ${ctx.http.host} took none of the ways poscust knows of sending it: ` +
      `${refused.map((r) => `${variants.describe(r.variant)} got HTTP ${r.res.status}${detail(ctx.http, r.res)}`).join('; ')}`,
    { status: refused.at(-1)?.res.status ?? null },
  );
}

function detail(http: HttpClient, res: HttpResponse): string {
  const d = http.detail(res);
  return d ? ` (${d})` : '';
}
