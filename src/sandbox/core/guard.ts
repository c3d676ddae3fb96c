// What keeps the sandbox a local tool: its credentials are public and it holds real-looking
// personal data, so a web page must not reach it (DNS rebinding, cross-site requests) and its
// request log must not keep the secrets clients send. Nothing here comes from the product: the
// emulator stands on its own.

/** The literal `localhost`, 127.0.0.0/8 and ::1. */
export function isLoopbackName(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function isIpLiteral(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || (h.includes(':') && /^[0-9a-f:.]+$/i.test(h));
}

/**
 * Why a request is refused before anything else looks at it, or null. A Host header that names
 * the sandbox by a DNS name other than `localhost` is what a DNS-rebinding page sends (an address
 * is never rebound); an Origin header from anything but this machine is a web page's request.
 */
export function refusal(headers: { host?: string | undefined; origin?: string | undefined }): string | null {
  const host = headers.host;
  if (host !== undefined) {
    const hostname = host.replace(/:\d+$/, '');
    if (!isIpLiteral(hostname) && hostname.toLowerCase() !== 'localhost') {
      return `The sandbox answers only requests addressed to an IP address or localhost, not '${host}'.`;
    }
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    let hostname: string | undefined;
    try {
      hostname = new URL(origin).hostname;
    } catch {
      hostname = undefined;
    }
    if (hostname === undefined || !isLoopbackName(hostname)) {
      return `The sandbox does not answer web pages from other origins ('${origin}').`;
    }
  }
  return null;
}

export const REDACTED = '[redacted]';

const SECRET_KEYS = new Set(['client_secret', 'clientsecret', 'password', 'pin', 'token', 'access_token', 'tokenid', 'refreshtoken', 'refresh_token', 'bearertoken', 'secret']);

function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase().replace(/[-\s]/g, ''));
}

/** A copy of a parsed body with the values of secret members masked, at any depth. */
export function redactBody(value: unknown, depth = 0): unknown {
  if (depth > 32) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactBody(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: isSecretKey(k) && v !== null && v !== '' ? REDACTED : redactBody(v, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** A body that did not parse (or a form) as text, with `name=value` and `"name": "value"` secrets masked. */
export function redactText(text: string): string {
  return text
    .replace(/("([^"\\]*)"\s*:\s*)"(?:[^"\\]|\\.)*"/g, (all, head: string, key: string) => (isSecretKey(key) ? `${head}"${REDACTED}"` : all))
    .replace(/(^|[&?])([^=&]+)=([^&]*)/g, (all, sep: string, key: string) => (isSecretKey(decodeSafe(key)) ? `${sep}${key}=${REDACTED}` : all));
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Header values as logged: credentials (Authorization, cookies) masked, the scheme kept. */
export function redactHeader(name: string, value: string | string[]): string | string[] {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const one = Array.isArray(value) ? value.join(', ') : value;
    const scheme = one.split(' ')[0] ?? '';
    return scheme && scheme !== one ? `${scheme} ${REDACTED}` : REDACTED;
  }
  if (lower === 'cookie' || isSecretKey(lower)) return REDACTED;
  return value;
}
