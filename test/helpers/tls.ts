// A TLS front for a loopback HTTP server (the sandbox), with the test certificate in
// test/fixtures/tls: a shop's https:// server whose certificate the tests trust
// (NODE_EXTRA_CA_CERTS=TLS_CERT) or not. It counts the requests that got through the handshake.
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const TLS_DIR = join(import.meta.dirname, '..', 'fixtures', 'tls');
export const TLS_CERT = join(TLS_DIR, 'localhost-cert.pem');
export const TLS_KEY = join(TLS_DIR, 'localhost-key.pem');

export interface TlsFront {
  /** `https://127.0.0.1:PORT` */
  origin: string;
  port: number;
  /** Requests that arrived over TLS (method and path). */
  requests: string[];
  close(): Promise<void>;
}

export async function startTlsFront(upstreamPort: number): Promise<TlsFront> {
  const requests: string[] = [];
  const server = createServer({ key: readFileSync(TLS_KEY), cert: readFileSync(TLS_CERT) }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const upstream = httpRequest({ host: '127.0.0.1', port: upstreamPort, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  // A failed handshake (an untrusted certificate) is not an error of the test.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `https://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
