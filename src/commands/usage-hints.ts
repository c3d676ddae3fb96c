// What a usage error points at: the command the user was typing (`poscust pin check`, not `pin`)
// and, for an unknown option, the option of that command they most likely meant. Commander's own
// suggestion searches every option it knows by spelling alone, so `suspend --mobile` got
// `--profile`; here the command's own options come first, with the words people use for them.
import type { Command, Option } from 'commander';

/** The command the words on the line lead to, from the program down (`pin` then `check`). */
export function commandPath(program: Command, argv: readonly string[]): Command[] {
  const path = [program];
  for (const word of argv) {
    if (word === '--') break;
    if (word.startsWith('-')) continue;
    const next = path[path.length - 1]!.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (next) path.push(next);
  }
  return path;
}

/** `poscust pin check` for messages. */
export function commandName(path: readonly Command[]): string {
  return ['poscust', ...path.slice(1).map((c) => c.name())].join(' ');
}

/** Words people use for an option another command calls otherwise. */
const SYNONYMS: Record<string, readonly string[]> = {
  mobile: ['phone'],
  phone: ['mobile'],
  hp: ['mobile', 'phone'],
  tel: ['phone', 'mobile'],
  mail: ['email'],
  'e-mail': ['email'],
  guid: ['id'],
  uuid: ['id'],
  number: ['code'],
};

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** The option of the innermost command (then the global ones) that `unknown` most likely meant. */
export function suggestOption(path: readonly Command[], unknown: string): string | undefined {
  const name = unknown.replace(/^-+/, '').split('=')[0]!.toLowerCase();
  const longs = (cmd: Command) => (cmd.options as readonly Option[]).map((o) => o.long).filter((l): l is string => Boolean(l));
  const own = longs(path[path.length - 1]!);
  const global = path.length > 1 ? longs(path[0]!) : [];
  for (const candidates of [own, global]) {
    const synonym = SYNONYMS[name]?.map((s) => `--${s}`).find((s) => candidates.includes(s));
    if (synonym) return synonym;
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const c of candidates) {
      const d = distance(name, c.slice(2));
      if (d < bestDistance) [best, bestDistance] = [c, d];
    }
    if (best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3))) return best;
  }
  return undefined;
}
