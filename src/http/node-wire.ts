// The wire for one-shot commands: node:http/node:https with a small keep-alive agent (a login and
// a read share a connection), the same TLS settings as undici's (the certificate always verified
// unless the caller said otherwise), and proxies as curl uses them: a CONNECT tunnel to the shop,
// with the proxy's own user and password as Basic credentials.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { Wire, WireOptions, WireRequest, WireResponse } from './wire.js';

// node:https pulls in node:tls (a few ms): loaded only for an https:// shop or proxy.
type Https = typeof import('node:https');
type Tls = typeof import('node:tls');
let httpsModule: Https | undefined;
let tlsModule: Tls | undefined;
const https = async (): Promise<Https> => (httpsModule ??= await import('node:https'));
const tls = async (): Promise<Tls> => (tlsModule ??= await import('node:tls'));

export class NodeWire implements Wire {
  private readonly target: URL;
  private readonly https: boolean;
  private agent: HttpAgent | undefined;

  constructor(private readonly opts: WireOptions) {
    this.target = new URL(opts.origin);
    this.https = this.target.protocol === 'https:';
  }

  private async agentFor(): Promise<HttpAgent> {
    const options = { keepAlive: true, maxSockets: Math.min(4, Math.max(1, this.opts.connections)), rejectUnauthorized: this.opts.rejectUnauthorized };
    return (this.agent ??= this.https ? new (await https()).Agent(options) : new HttpAgent(options));
  }

  async exchange(req: WireRequest): Promise<WireResponse> {
    const { target } = this;
    const send = this.https ? (await https()).request : httpRequest;
    const options: RequestOptions & { rejectUnauthorized?: boolean; servername?: string } = {
      host: target.hostname.replace(/^\[|\]$/g, ''),
      port: Number(target.port || (this.https ? 443 : 80)),
      method: req.method,
      path: req.path,
      headers: { ...req.headers, host: target.host, ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) },
      signal: req.signal,
    };
    if (this.https) {
      options.rejectUnauthorized = this.opts.rejectUnauthorized;
      options.servername = isIp(target.hostname) ? undefined : target.hostname;
    }
    if (this.opts.proxy) {
      // A tunnel per request: a one-shot command sends a handful, and the proxy sees only the host.
      const socket = await this.tunnel(req.signal);
      const secure = this.https ? (await tls()).connect : undefined;
      options.createConnection = () =>
        (secure ? secure({ socket, servername: options.servername, rejectUnauthorized: this.opts.rejectUnauthorized }) : socket) as Socket;
    } else {
      options.agent = await this.agentFor();
    }
    return new Promise<WireResponse>((resolve, reject) => {
      const request: ClientRequest = send(options, (res: IncomingMessage) => {
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res, destroy: () => res.destroy() });
      });
      request.on('error', reject);
      request.end(req.body);
    });
  }

  /** A CONNECT tunnel through the proxy to the shop; the socket is the shop's once it resolves. */
  private async tunnel(signal: AbortSignal | undefined): Promise<Socket> {
    const proxy = new URL(this.opts.proxy!.uri);
    const authority = `${this.target.hostname}:${this.target.port || (this.https ? 443 : 80)}`;
    const headers: Record<string, string> = { host: authority };
    if (proxy.username) {
      const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      headers['proxy-authorization'] = `Basic ${Buffer.from(user).toString('base64')}`;
    }
    const connect = (proxy.protocol === 'https:' ? (await https()).request : httpRequest)({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80)),
      method: 'CONNECT',
      path: authority,
      headers,
      signal,
    });
    return new Promise<Socket>((resolve, reject) => {
      connect.on('connect', (res, socket) => {
        if (res.statusCode === 200) return resolve(socket);
        socket.destroy();
        reject(Object.assign(new Error(`the proxy ${this.opts.proxy!.display} refused the tunnel (HTTP ${res.statusCode})`), { code: 'EPROXY' }));
      });
      connect.on('error', reject);
      connect.end();
    });
  }

  async close(): Promise<void> {
    this.agent?.destroy();
  }
}

function isIp(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':') || host.startsWith('[');
}
