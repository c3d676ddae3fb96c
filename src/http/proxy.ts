// Which proxy, if any, a request to the shop goes through, read from the environment the way curl
// reads it: `https_proxy`/`HTTPS_PROXY` for https:// shops, `http_proxy`/`HTTP_PROXY` for http://
// ones (curl takes only the lower-case http_proxy, a guard for CGI programs that poscust is not),
// `all_proxy`/`ALL_PROXY` for both, and `no_proxy`/`NO_PROXY` to go direct. An https:// shop is
// reached through a CONNECT tunnel, so the proxy sees only the host name; an http:// shop's requests
// would cross the proxy in clear, credentials included, so that is allowed only to a proxy on this
// machine.
import type { Env } from '../deps.js';
import { UsageError } from '../errors.js';
import { isLoopbackHost } from '../net/loopback.js';

export interface ProxyChoice {
  /** The proxy URL as given (it may carry the proxy's own user and password). */
  uri: string;
  /** The proxy for messages: scheme, host and port only. */
  display: string;
  /** Where the setting came from (`HTTPS_PROXY`). */
  variable: string;
}

function firstSet(env: Env, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** The proxy for `target`, or undefined to connect directly. Throws UsageError for an unusable one. */
export function proxyFor(target: URL, env: Env): ProxyChoice | undefined {
  const https = target.protocol === 'https:';
  const setting = firstSet(env, https ? ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'] : ['http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY']);
  if (!setting) return undefined;
  const port = Number(target.port || (https ? 443 : 80));
  if (bypasses(firstSet(env, ['no_proxy', 'NO_PROXY'])?.value ?? '', target.hostname, port)) return undefined;

  let proxy: URL;
  try {
    // curl takes `host:port` without a scheme as http://.
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(setting.value) ? setting.value : `http://${setting.value}`);
  } catch {
    throw new UsageError(`${setting.name} is not a proxy URL`);
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new UsageError(`${setting.name}: poscust supports http:// and https:// proxies, not ${proxy.protocol.replace(/:$/, '')}://`);
  }
  const display = `${proxy.protocol}//${proxy.host}`;
  if (!https && proxy.protocol === 'http:' && !isLoopbackHost(proxy.hostname)) {
    throw new UsageError(
      `refusing to send credentials for ${target.host} in clear through the proxy ${display} (${setting.name}); ` +
        `use https:// for the shop, or add ${target.hostname} to NO_PROXY`,
    );
  }
  return { uri: proxy.href, display, variable: setting.name };
}

/**
 * curl's NO_PROXY: entries separated by commas (or spaces); `*` means every host; an entry matches
 * the host itself and every name below it (`example.com` and `.example.com` both match
 * `shop.example.com`); `host:port` only that port; an IPv4 CIDR block (`10.0.0.0/8`) its addresses.
 */
export function bypasses(noProxy: string, hostname: string, port: number): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    let entryPort: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const withPort = /^([^:]+):(\d+)$/.exec(entry);
    if (bracketed) {
      entry = bracketed[1]!;
      if (bracketed[2]) entryPort = Number(bracketed[2]);
    } else if (withPort) {
      entry = withPort[1]!;
      entryPort = Number(withPort[2]);
    }
    entry = entry.replace(/^\*?\./, '').replace(/\.$/, '');
    if (entryPort !== undefined && entryPort !== port) continue;
    if (entry.includes('/')) {
      if (inCidr(host, entry)) return true;
      continue;
    }
    if (host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

function ipv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function inCidr(host: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const addr = ipv4(host);
  const base = ipv4(net ?? '');
  const bits = Number(bitsText);
  if (addr === undefined || base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (addr & mask) === (base & mask);
}
