// Connection probes for `poscust doctor`, below HTTP: can we open a TCP connection to the shop, and
// does its TLS certificate verify for its name (with Node's CA store, as every request does).
import { connect as tcpConnect, isIP } from 'node:net';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';

export interface TcpProbe {
  ms: number;
}

export interface TlsProbe {
  protocol: string;
  /** The certificate's expiry, epoch milliseconds. */
  validTo: number;
  subject: string;
  /** Null when the certificate verifies for the host; else OpenSSL's or Node's code for why not. */
  authorizationError: string | null;
}

export class ProbeError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const DESCRIBE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (DNS)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  TIMEOUT: 'no answer',
};

function fail(err: NodeJS.ErrnoException | undefined, timeoutMs: number): ProbeError {
  const code = err?.code ?? 'TIMEOUT';
  const text = code === 'TIMEOUT' ? `no answer within ${timeoutMs / 1000} s` : (DESCRIBE[code] ?? err?.message ?? code);
  return new ProbeError(text, code);
}

export function probeTcp(host: string, port: number, timeoutMs: number, now: () => number): Promise<TcpProbe> {
  const started = now();
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(fail(undefined, timeoutMs));
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ms: now() - started });
    });
    socket.once('error', (err) => reject(fail(err, timeoutMs)));
  });
}

export function probeTls(host: string, port: number, timeoutMs: number): Promise<TlsProbe> {
  return new Promise((resolve, reject) => {
    // servername for SNI and the name check; an IP address is checked against the certificate's IPs.
    // Not rejected on a bad certificate: the probe reports why it does not verify, and whether
    // --insecure-tls would accept it.
    const socket = tlsConnect({ host, port, servername: isIP(host) ? undefined : host, rejectUnauthorized: false });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(fail(undefined, timeoutMs));
    });
    socket.once('secureConnect', () => {
      const cert: PeerCertificate = socket.getPeerCertificate();
      const result = {
        protocol: socket.getProtocol() ?? 'TLS',
        validTo: Date.parse(cert.valid_to),
        subject: String(cert.subject?.CN ?? host),
        authorizationError: socket.authorized ? null : String(socket.authorizationError ?? 'UNABLE_TO_VERIFY'),
      };
      socket.destroy();
      resolve(result);
    });
    socket.once('error', (err: NodeJS.ErrnoException & { reason?: string }) => {
      socket.destroy();
      // OpenSSL's own errors carry a readable `reason` ("wrong version number") under a long message.
      const text = err.code === 'ERR_SSL_WRONG_VERSION_NUMBER' ? 'the server does not speak TLS on this port (an http:// server?)' : (DESCRIBE[err.code ?? ''] ?? err.reason ?? err.message);
      reject(new ProbeError(text, err.code ?? 'TLS'));
    });
  });
}
