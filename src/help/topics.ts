// `poscust help environment` and `poscust help exit-codes`: the contract's tables, as man-page
// sections. The exit codes come from errors.ts, so the page cannot disagree with the program.
import { ExitCode } from '../errors.js';

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
  ['POSCUST_BACKEND', 'dealpos, mypos or portos'],
  ['POSCUST_BASE_URL', 'the API base URL, e.g. https://shop.dealpos.net/api/v3,'],
  ['', 'https://api.myposconnect.com/api/v2, http://10.0.0.5'],
  ['POSCUST_CLIENT_ID', 'DealPOS OAuth2 client id'],
  ['POSCUST_CLIENT_SECRET', 'DealPOS OAuth2 client secret'],
  ['POSCUST_USERNAME', 'MYPOS API user e-mail; PORTOS user name'],
  ['POSCUST_PASSWORD', 'MYPOS or PORTOS password'],
  ['POSCUST_DEVICE_NAME', 'PORTOS device name'],
  ['POSCUST_TOKEN', 'a bearer token to use as is (no login)'],
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
