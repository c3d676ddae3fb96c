// `--verbose`: each exchange written to the log sink as it happens (`>` what we sent, `<` what came
// back or why nothing did), with every secret redacted and long bodies cut short.
import type { Redactor } from '../redact.js';
import type { HttpResponse } from './types.js';
import type { TransportFailure } from './failures.js';

/** Bodies longer than this are cut in the log, with their full length said. */
const LOG_BODY_LIMIT = 4000;

export class ExchangeLog {
  constructor(
    private readonly log: ((line: string) => void) | undefined,
    private readonly redactor: Redactor,
  ) {}

  /** The request line, every header and the JSON body (`body` as given, before serialising). */
  request(method: string, url: string, headers: Record<string, string>, body: unknown): void {
    const log = this.log;
    if (!log) return;
    const r = this.redactor;
    log(`> ${method} ${r.redactUrl(url)}`);
    for (const [k, v] of Object.entries(headers)) log(`> ${k}: ${r.redactHeader(k, v)}`);
    if (body !== undefined) log(`> ${truncate(r.redact(JSON.stringify(r.redactValue(body))))}`);
  }

  /** The status, every header and the body (`text` as received; parsed JSON is shown redacted by key). */
  response(response: HttpResponse, text: string, ms: number): void {
    const log = this.log;
    if (!log) return;
    const r = this.redactor;
    log(`< ${response.status} (${ms} ms)`);
    for (const [k, v] of Object.entries(response.headers)) {
      log(`< ${k}: ${r.redactHeader(k, Array.isArray(v) ? v.join(', ') : String(v))}`);
    }
    if (text) {
      const shown = typeof response.body === 'object' && response.body !== null ? JSON.stringify(r.redactValue(response.body)) : text;
      log(`< ${truncate(r.redact(shown))}`);
    }
  }

  /** An attempt that got no answer. */
  failure(failure: TransportFailure, ms: number): void {
    this.log?.(`< ${failure.description} [${failure.code}] after ${ms} ms`);
  }
}

function truncate(text: string): string {
  return text.length > LOG_BODY_LIMIT ? `${text.slice(0, LOG_BODY_LIMIT)}… (${text.length} characters)` : text;
}
