// Secrets never reach logs, error messages or stack traces. Two layers:
// 1. structural: values of sensitive JSON keys, query parameters and headers are masked;
// 2. by value: every secret this run has handled (client secret, password, token, PIN) is
//    registered here and scrubbed from any text, wherever it turns up.

import { MAX_JSON_DEPTH } from './util/json-depth.js';
import { setOwn } from './util/own.js';

export const REDACTED = '[redacted]';

const SENSITIVE_KEYS = new Set(
  [
    'client_secret',
    'clientsecret',
    'password',
    'pin',
    'access_token',
    'accesstoken',
    'token',
    'bearertoken',
    'tokenid',
    'refreshtoken',
    'refresh_token',
    'secret',
    'authorization',
  ].map((k) => k.toLowerCase()),
);

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(key.toLowerCase().replace(/[-\s]/g, ''));
}

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret value; values shorter than 4 characters would mask ordinary text. */
  add(secret: string | undefined | null): void {
    if (secret && secret.length >= 4) {
      this.secrets.add(secret);
      // The same secret may appear URL- or JSON-encoded.
      this.secrets.add(encodeURIComponent(secret));
      this.secrets.add(JSON.stringify(secret).slice(1, -1));
      this.secrets.add(Buffer.from(secret).toString('base64'));
    }
  }

  /** Short secrets (4-digit PINs) are scrubbed only where they stand alone, not inside numbers. */
  addPin(pin: string): void {
    if (pin) this.pins.add(pin);
  }
  private readonly pins = new Set<string>();

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is masked whole.
    const all = [...this.secrets].sort((a, b) => b.length - a.length);
    for (const s of all) out = out.split(s).join(REDACTED);
    for (const pin of this.pins) {
      out = out.replace(new RegExp(`(?<![0-9])${pin.replace(/[^0-9A-Za-z]/g, '\\$&')}(?![0-9])`, 'g'), REDACTED);
    }
    return out;
  }

  /** A deep copy with sensitive keys masked, for logging JSON bodies; cut at MAX_JSON_DEPTH. */
  redactValue(value: unknown, depth = 0): unknown {
    if (value && typeof value === 'object' && depth >= MAX_JSON_DEPTH) return '[nested too deep]';
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v, depth + 1));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        setOwn(out, k, isSensitiveKey(k) && v !== null && v !== undefined && v !== '' ? REDACTED : this.redactValue(v, depth + 1));
      }
      return out;
    }
    return value;
  }

  redactHeader(name: string, value: string): string {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      const scheme = value.split(' ')[0] ?? '';
      return scheme && scheme !== value ? `${scheme} ${REDACTED}` : REDACTED;
    }
    if (lower === 'cookie' || lower === 'set-cookie' || isSensitiveKey(lower)) return REDACTED;
    return this.redact(value);
  }

  /** Masks sensitive query parameters in a URL or path. */
  redactUrl(url: string): string {
    const q = url.indexOf('?');
    if (q < 0) return this.redact(url);
    const params = url
      .slice(q + 1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const key = decodeURIComponentSafe(eq < 0 ? pair : pair.slice(0, eq));
        return eq >= 0 && isSensitiveKey(key) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
      })
      .join('&');
    return this.redact(`${url.slice(0, q)}?${params}`);
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
