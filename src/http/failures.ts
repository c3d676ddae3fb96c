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
  /** Trying again cannot help (a certificate that does not verify): report it at once, exit 1. */
  permanent?: boolean;
}

/**
 * OpenSSL's and Node's names for a certificate that does not verify, and for TLS spoken to a port
 * that does not speak it. Nothing was sent (the handshake failed first), and nothing will change
 * by waiting: a retry would only repeat the refusal, and exit 75 would tell a cron job to try again.
 */
const CERTIFICATE_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'a self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'a self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'a certificate signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT: 'a certificate signed by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'a certificate signed by an unknown authority',
  CERT_UNTRUSTED: 'an untrusted certificate',
  CERT_HAS_EXPIRED: 'an expired certificate',
  CERT_NOT_YET_VALID: 'a certificate that is not valid yet',
  CERT_REVOKED: 'a revoked certificate',
  CERT_REJECTED: 'a rejected certificate',
  CERT_SIGNATURE_FAILURE: 'a certificate whose signature does not verify',
  ERR_TLS_CERT_ALTNAME_INVALID: 'a certificate for another host name',
  HOSTNAME_MISMATCH: 'a certificate for another host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'no TLS on this port (an http:// server?)',
};

/** Failures before a connection existed: the request cannot have reached the server. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  // The proxy refused the tunnel: nothing reached the shop.
  'EPROXY',
]);

/** What a certificate error code means, in words ("a self-signed certificate"); undefined for other codes. */
export function certificateProblem(code: string): string | undefined {
  return Object.hasOwn(CERTIFICATE_CODES, code) ? CERTIFICATE_CODES[code] : undefined;
}

/** Classifies what the transport threw; `timedOut` when our own per-request timeout fired. */
/** undici's codes for an answer that did not come in time: the request was sent. */
const SENT_TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export function classifyFailure(err: unknown, timedOut: boolean, timeoutMs: number): TransportFailure {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code ?? 'UNKNOWN';
  // undici's own timeouts (a bulk job's requests have no timer of ours): the request was sent.
  if (timedOut || SENT_TIMEOUTS.has(code)) {
    return { sent: true, description: `no answer within ${timeoutMs / 1000} s`, code: 'TIMEOUT' };
  }
  const certificate = certificateProblem(code);
  if (certificate !== undefined) {
    return { sent: false, permanent: true, description: `TLS failed: the server presented ${certificate} (${code})`, code };
  }
  if (NOT_SENT_CODES.has(code)) {
    const what = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : code === 'EPROXY' ? (e.message ?? code) : code;
    return { sent: false, description: what, code };
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
    return { sent: true, description: 'connection closed before an answer arrived', code };
  }
  return { sent: true, description: e?.message ?? String(err), code };
}
