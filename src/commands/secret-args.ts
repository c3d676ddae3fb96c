// Secrets never belong on the command line: other users see argv in `ps`, and shells keep it in
// their history. poscust has no such option, but people try `--password=...` anyway; when they do,
// the value is scrubbed from everything this run prints, and the error says where a secret goes.

/** Option names that would carry a secret, exactly (not `--token-ttl`, not `--password-stdin`). */
const SECRET_OPTION = /^--?(client[-_]?secret|secret|password|passwd|pass|pwd|token|access[-_]?token|bearer|api[-_]?key|pin)$/i;

const ADVICE: Record<string, string> = {
  secret: 'the client secret goes through a hidden prompt, --client-secret-stdin or POSCUST_CLIENT_SECRET',
  password: 'a password goes through a hidden prompt, --password-stdin or POSCUST_PASSWORD',
  token: 'a bearer token goes in POSCUST_TOKEN',
  pin: 'a PIN goes through a hidden prompt or --pin-stdin',
};

function kindOf(name: string): keyof typeof ADVICE {
  const n = name.toLowerCase();
  if (n.includes('secret') || n.includes('key')) return 'secret';
  if (n.includes('pin')) return 'pin';
  if (n.includes('token') || n.includes('bearer')) return 'token';
  return 'password';
}

/** Values given to secret-looking options (`--password=x`, `--token x`), to be scrubbed from all output. */
export function secretArgValues(argv: readonly string[]): string[] {
  const values: string[] = [];
  argv.forEach((arg, i) => {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!SECRET_OPTION.test(name)) return;
    if (eq >= 0) values.push(arg.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) values.push(argv[i + 1]!);
  });
  return values.filter((v) => v !== '');
}

/**
 * The usage error for an unknown option that looks like it carries a secret: its name only, never
 * its value, and where the secret should go. Undefined for any other option.
 */
export function secretOptionMessage(option: string): string | undefined {
  const name = option.split('=')[0]!;
  if (!SECRET_OPTION.test(name)) return undefined;
  return `unknown option '${name}'; never put a secret on the command line, where other users can see it: ${ADVICE[kindOf(name)]}`;
}
