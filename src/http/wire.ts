// One exchange on the wire, below the transport (transport.ts): the request goes out, the status,
// headers and a body stream come back. Two implementations: undici's keep-alive Pool for bulk work
// (import, export, list --all: many requests, several in flight), and node:http for the one-shot
// commands, whose start-up undici's 290 KB and WebAssembly parser would double. `chooseWire` is
// the one place that decides which.
import type { ProxyChoice } from './proxy.js';

export interface WireRequest {
  method: string;
  /** Path below the origin, query included. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Cancels this request (its timeout, or Ctrl-C); absent when the wire times requests out itself. */
  signal?: AbortSignal;
  /** The per-request timeout, for a wire given no signal. */
  timeoutMs: number;
}

export interface WireResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Buffer>;
  /** Stops reading the body and frees the connection. */
  destroy(): void;
}

export interface Wire {
  exchange(request: WireRequest): Promise<WireResponse>;
  /** Drops the connections (a command is over: nothing to wait for). */
  close(): Promise<void>;
  /** Ctrl-C: every request in flight ends at once (with an error the transport reads as interrupted). */
  abort?(): void;
}

export interface WireOptions {
  origin: string;
  connections: number;
  /** Verify the server's certificate; passed explicitly, so no inherited or global default decides. */
  rejectUnauthorized: boolean;
  proxy?: ProxyChoice;
}

export type WireKind = 'undici' | 'node';

/**
 * Bulk work (the commands that say so: list --all, export, import) takes undici's pool; everything
 * else sends a handful of requests, over node:http. An injected dispatcher (tests) is undici's.
 */
export function chooseWire(o: { bulk?: boolean; injected: boolean }): WireKind {
  return o.injected || o.bulk ? 'undici' : 'node';
}
