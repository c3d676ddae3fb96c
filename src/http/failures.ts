// Why an attempt got no answer, and whether the request may have reached the server: the one
// question that decides if a request that is not safe to repeat may be sent again.

/** An attempt that ended without an HTTP answer (connection failure, timeout, reset). */
export interface TransportFailure {
  /** The request may have reached the server (so a non-idempotent one may have been applied). */
  sent: boolean;
  description: string;
  code: string;
  /** What undici threw, kept as the cause (its stack shows under --verbose, redacted). */
  error?: unknown;
}

/** Failures before a connection existed: the request cannot have reached the server. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Classifies what the transport threw; `timedOut` when our own per-request timeout fired. */
export function classifyFailure(err: unknown, timedOut: boolean, timeoutMs: number): TransportFailure {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code ?? 'UNKNOWN';
  if (timedOut) return { sent: true, description: `no answer within ${timeoutMs / 1000} s`, code: 'TIMEOUT' };
  if (NOT_SENT_CODES.has(code)) {
    const what = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : code;
    return { sent: false, description: what, code };
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
    return { sent: true, description: 'connection closed before an answer arrived', code };
  }
  return { sent: true, description: e?.message ?? String(err), code };
}
