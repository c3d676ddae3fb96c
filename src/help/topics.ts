// `poscust help environment` and `poscust help exit-codes`: the contract's tables, as man-page
// sections. The exit codes come from errors.ts, so the page cannot disagree with the program.
import { orList } from '../backends/connection.js';
import { BACKENDS, VENDORS } from '../backends/registry.js';
import { ExitCode } from '../errors.js';

/** One row per credential variable, with what each backend calls it: "MYPOS API user e-mail; PORTOS user name". */
function credentialRows(): [string, string][] {
  const byEnv = new Map<string, string[]>();
  for (const c of VENDORS.flatMap((v) => v.credentials)) byEnv.set(c.env, [...(byEnv.get(c.env) ?? []), c.help]);
  return [...byEnv].map(([env, helps]) => [env, mergeHelps(helps)]);
}

/** "MYPOS password" + "PORTOS password" -> "MYPOS or PORTOS password"; else joined with "; ". */
function mergeHelps(helps: string[]): string {
  const tails = helps.map((h) => h.slice(h.indexOf(' ') + 1));
  if (helps.length > 1 && tails.every((t) => t === tails[0])) return `${orList(helps.map((h) => h.slice(0, h.indexOf(' '))))} ${tails[0]}`;
  return helps.join('; ');
}

export interface HelpTopic {
  name: string;
  summary: string;
  text: string;
}

function table(rows: [string, string][], indent = '  '): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`).join('\n');
}

const ENVIRONMENT = `ENVIRONMENT

Command-line options win over these variables, which win over the selected profile. With
POSCUST_BACKEND, POSCUST_BASE_URL and the backend's credentials set, no profile is needed (cron,
CI). Secrets set here never show in --verbose output or error messages.

${table([
  ['POSCUST_CONFIG_DIR', 'directory of the profile store and token cache (default: ~/.config/poscust,'],
  ['', 'or $XDG_CONFIG_HOME/poscust; the platform config directory on macOS and Windows)'],
  ['POSCUST_PROFILE', 'profile to use when --profile is absent (else the default profile)'],
  ['POSCUST_BACKEND', orList(BACKENDS)],
  ['POSCUST_BASE_URL', `the API base URL, e.g. ${VENDORS[0]!.exampleUrl},`],
  ['', VENDORS.slice(1).map((v) => v.exampleUrl).join(', ')],
  ...credentialRows(),
  ['POSCUST_TOKEN', 'a bearer token to use as is (no login)'],
  ['POSCUST_REGION', "the shop's country for phone numbers, ISO 3166 alpha-2 (default: the profile's, else ID on DealPOS, SK on PORTOS)"],
  ['POSCUST_HISTORY', 'off: keep no history of writes (no personal data on this machine; undo is then impossible)'],
  ['NO_COLOR', 'when set to anything, no colour (as --no-color)'],
])}

Examples:
  $ POSCUST_PROFILE=shop poscust count
  $ POSCUST_BACKEND=dealpos POSCUST_BASE_URL=myshop POSCUST_CLIENT_ID=8c1f2e \\
      POSCUST_CLIENT_SECRET="$(cat /root/.shop-secret)" poscust export --output customers.csv
  $ POSCUST_CONFIG_DIR=/srv/poscust poscust profile list
`;

const EXIT_CODES = `EXIT CODES

Scripts can trust these; an error is also one line on stderr (a JSON object with --format json).

${table([
  [String(ExitCode.ok), 'success (an empty list is a success)'],
  [String(ExitCode.failure), 'failure not covered below, or a confirmation was declined'],
  [String(ExitCode.usage), 'usage: unknown command or option, missing or invalid argument, unreadable'],
  ['', 'input, a prompt needed without a terminal'],
  [String(ExitCode.notFound), 'not found: the customer (or profile) does not exist'],
  [String(ExitCode.auth), 'authentication or permission: bad credentials, 401 after a fresh token, 403'],
  [String(ExitCode.conflict), 'conflict: duplicate code/email/mobile, version mismatch, delete refused (409)'],
  [String(ExitCode.unsupported), 'unsupported: the backend has no such operation'],
  [String(ExitCode.partial), 'partial: a bulk run finished but some rows were rejected or failed'],
  [String(ExitCode.pinRejected), 'PIN rejected by `pin check`'],
  [String(ExitCode.temporary), 'temporary failure: rate limit, server error, timeout or network failure'],
  ['', 'persisted after retries'],
  [String(ExitCode.interrupted), 'interrupted (Ctrl-C, SIGINT); a bulk run has saved its progress'],
  [String(ExitCode.terminated), 'terminated (SIGTERM); a bulk run has saved its progress'],
])}

Examples:
  $ poscust get --code "$CODE" --format json > c.json
  $ case $? in 0) ;; 3) echo "no such customer" ;; 75) echo "try later" ;; *) exit 1 ;; esac
  $ poscust pin check --code HWCISAP --pin-stdin < pin.txt && echo valid
`;

export const HELP_TOPICS: readonly HelpTopic[] = [
  { name: 'environment', summary: 'the POSCUST_* environment variables', text: ENVIRONMENT },
  { name: 'exit-codes', summary: 'what each exit code means', text: EXIT_CODES },
];
