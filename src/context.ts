// What one invocation has at hand, built lazily: `--help` reads no config and opens no socket.
import { resolveConnection, type Connection } from './backends/connection.js';
import { openBackend } from './backends/open.js';
import { BACKENDS } from './backends/registry.js';
import type { CustomerBackend } from './backends/types.js';
import { configDir } from './config/paths.js';
import { readStore, updateStore, type StoreData } from './config/store.js';
import { canPrompt, type Deps } from './deps.js';
import { DeclinedError, UsageError } from './errors.js';
import type { HttpClientOptions } from './http/client.js';
import { createRecordWriter, resolveFields, type Format, type RecordWriter } from './output/records.js';
import { forTerminal } from './output/terminal.js';
import { colorWanted, makeStyle, type Style } from './ui/style.js';

export interface GlobalOptions {
  profile?: string;
  format: Format;
  fields?: string[];
  verbose: boolean;
  quiet: boolean;
  color: boolean;
  yes: boolean;
  timeoutMs: number;
  allowInsecureHttp: boolean;
  /** `--insecure-tls`: accept a certificate that does not verify (dangerous). */
  insecureTls: boolean;
}

export class AppContext {
  private storeData: StoreData | undefined;
  private conn: Connection | undefined;
  private backendPromise: Promise<CustomerBackend> | undefined;
  private outStyle: Style | undefined;
  private errStyle: Style | undefined;
  /** The status line shown now, if any (statusLine). */
  private status: (() => string) | undefined;
  /** The command line (set by run()), and the command being run (`pin set`), once parsed. */
  argv: readonly string[] = [];
  commandPath = '';
  /** The history job of a command that writes (opened with its backend). */
  private historyWriter: { finish(status: string): void; id: string | null } | undefined;
  /** For undo: which job this run reverts, and which of its writes the write being sent reverts. */
  undoing: { job: string; write: () => number | undefined } | undefined;
  /** Set by the program once options are parsed. */
  globals: GlobalOptions = {
    format: 'table',
    verbose: false,
    quiet: false,
    color: true,
    yes: false,
    timeoutMs: 30_000,
    allowInsecureHttp: false,
    insecureTls: false,
  };

  constructor(readonly deps: Deps) {}

  get configDir(): string {
    return configDir(this.deps.env, this.deps.homeDir, this.deps.platform);
  }

  store(): StoreData {
    return (this.storeData ??= readStore(this.configDir, BACKENDS));
  }

  /** Changes the profile store (atomically, owner-only); later reads see the change. */
  async updateStore(change: (data: StoreData) => void): Promise<StoreData> {
    this.storeData = undefined;
    return updateStore(this.configDir, BACKENDS, change);
  }

  connection(): Connection {
    if (!this.conn) {
      this.conn = resolveConnection({
        profileFlag: this.globals.profile,
        env: this.deps.env,
        store: () => this.store(),
        allowInsecureHttp: this.globals.allowInsecureHttp,
        insecureTls: this.globals.insecureTls,
      });
      this.deps.redactor.add(this.conn.clientSecret);
      this.deps.redactor.add(this.conn.password);
      this.deps.redactor.add(this.conn.token);
    }
    return this.conn;
  }

  /**
   * The backend of the selected connection, opened on first use. `http` is for the command that
   * opens it (a bulk job's pacer and connections, a dry run's write guard); the one backend of a
   * run is opened once.
   */
  backend(http: Partial<HttpClientOptions> = {}): Promise<CustomerBackend> {
    this.backendPromise ??= this.openRecorded(http);
    return this.backendPromise;
  }

  /** The backend, writing through the history when the command writes (a dry run does not). */
  private async openRecorded(http: Partial<HttpClientOptions>): Promise<CustomerBackend> {
    const backend = await this.openPlain(http);
    // POSCUST_HISTORY=off: a machine that may keep no personal data (and the benchmark's baseline).
    if (!WRITING_COMMANDS.has(this.commandPath) || http.beforeWrite || this.deps.env.POSCUST_HISTORY === 'off') return backend;
    const { openHistory } = await import('./history/session.js');
    const conn = this.connection();
    const { deps } = this;
    const opened = openHistory(backend, {
      configDir: this.configDir,
      connection: conn,
      keepDays: conn.profileName !== null ? this.store().profiles[conn.profileName]?.keepHistory : undefined,
      command: deps.redactor.redact(['poscust', ...this.argv].map(quoteArg).join(' ')),
      bulk: Boolean(http.bulk),
      // Wall-clock time: a job's date is what a person looks it up by.
      now: () => new Date(),
      onExit: deps.onExit,
      ...(this.undoing ? { undoes: this.undoing } : {}),
    });
    this.historyWriter = opened.writer;
    return opened.backend;
  }

  /** Ends this run's history job (fsynced) before the command reports; the id of the job, if it wrote. */
  finishHistory(status: string): string | null {
    const writer = this.historyWriter;
    if (!writer) return null;
    writer.finish(status);
    return writer.id;
  }

  private openPlain(http: Partial<HttpClientOptions>): Promise<CustomerBackend> {
    return openBackend(this.connection(), {
      deps: this.deps,
      configDir: this.configDir,
      timeoutMs: this.globals.timeoutMs,
      // Every --verbose line passes the redactor here, whatever produced it (a failure description
      // may quote what a server or the network library said).
      log: this.globals.verbose ? (line) => this.stderrLine(forTerminal(this.deps.redactor.redact(line))) : undefined,
      notice: (line) => this.notice(line),
      warn: (line) => this.warn(line),
      http,
    });
  }

  /** Style for stdout (table headers). */
  get out(): Style {
    return (this.outStyle ??= makeStyle(colorWanted(this.deps.io.stdoutIsTTY, this.deps.env, this.globals.color)));
  }

  /** Style for stderr (errors, notices). */
  get err(): Style {
    return (this.errStyle ??= makeStyle(colorWanted(this.deps.io.stderrIsTTY, this.deps.env, this.globals.color)));
  }

  /** Progress and advice for a person: stderr, only on a terminal (or with --verbose), never with --quiet. */
  notice(message: string): void {
    if (this.globals.quiet) return;
    if (this.deps.io.stderrIsTTY || this.globals.verbose) this.stderrLine(this.err.dim(forTerminal(this.deps.redactor.redact(message))));
  }

  /** Something the user should know even in a script: stderr, unless --quiet. */
  warn(message: string): void {
    if (!this.globals.quiet) this.stderrLine(`${this.err.yellow('warning:')} ${forTerminal(this.deps.redactor.redact(message))}`);
  }

  /**
   * One line of status (a bulk job's progress) on stderr, redrawn in place four times a second, only
   * on a terminal and never with --quiet. Any other stderr line first clears it, then it is drawn
   * again below. Returns the function that clears it for good.
   */
  statusLine(render: () => string): () => void {
    const { io } = this.deps;
    if (!io.stderrIsTTY || this.globals.quiet) return () => undefined;
    this.status = () => `\r\x1b[K${forTerminal(render()).slice(0, (io.columns ?? 120) - 1)}`;
    const draw = () => this.status && io.stderr.write(this.status());
    draw();
    const timer = setInterval(draw, 250);
    return () => {
      clearInterval(timer);
      this.status = undefined;
      io.stderr.write('\r\x1b[K');
    };
  }

  /** A whole line on stderr, with the status line (if any) cleared first and drawn again after. */
  private stderrLine(text: string): void {
    const { stderr } = this.deps.io;
    if (this.status) stderr.write('\r\x1b[K');
    stderr.write(`${text}\n`);
    if (this.status) stderr.write(this.status());
  }

  /** `listRows`: the records are list rows, which may be a restricted view (MYPOS) with fewer columns. */
  recordWriter(backend: CustomerBackend, shape: 'one' | 'many', listRows = false): RecordWriter {
    return createRecordWriter({
      format: this.globals.format,
      out: this.deps.io.stdout,
      fields: resolveFields(this.globals.fields, backend.schema),
      tableColumns: backend.schema.tableColumns,
      allColumns: (listRows ? backend.schema.listView : undefined) ?? backend.schema.fields.map((f) => f.name),
      shape,
      bold: this.out.level > 0 ? (t) => this.out.bold(t) : undefined,
      maxCellWidth: 40,
      truncate: this.deps.io.stdoutIsTTY,
      warn: (m) => this.warn(m),
    });
  }

  /**
   * Fails now, before any request, when a confirmation will be needed and nobody can give it: no
   * `--yes` and no terminal. Commands that read the record first (to show it) call this up front.
   */
  requireConfirmable(what: string): void {
    if (!this.globals.yes && !canPrompt(this.deps.io)) {
      throw new UsageError(`${what}: confirmation needed, but there is no terminal to ask on; pass --yes`);
    }
  }

  /**
   * Asks before a destructive change. `--yes` answers for the user; without a terminal the user
   * must say `--yes`, since nobody could answer.
   */
  async confirm(question: string): Promise<void> {
    if (this.globals.yes) return;
    if (!canPrompt(this.deps.io)) {
      throw new UsageError(`${question.replace(/\?$/, '')}: confirmation needed, but there is no terminal to ask on; pass --yes`);
    }
    const prompter = await this.deps.prompter();
    if (!(await prompter.confirm(forTerminal(question), false))) throw new DeclinedError();
  }

  /**
   * A secret from stdin (when `fromStdin`) or a hidden prompt; never from argv. Without a terminal
   * and without the stdin flag this is a usage error naming the flag.
   */
  async readSecret(options: { label: string; fromStdin: boolean; stdinFlag: string; envVar?: string }): Promise<string> {
    let value: string;
    if (options.fromStdin) {
      value = (await readAll(this.deps.io.stdin)).replace(/\r?\n$/, '');
      if (!value) throw new UsageError(`${options.stdinFlag} was given but stdin was empty`);
    } else if (canPrompt(this.deps.io)) {
      const prompter = await this.deps.prompter();
      value = await prompter.password(`${options.label}:`);
      if (!value) throw new UsageError(`no ${options.label.toLowerCase()} entered`);
    } else {
      throw new UsageError(
        `the ${options.label.toLowerCase()} is needed and there is no terminal to ask on; ` +
          `pipe it in with ${options.stdinFlag}${options.envVar ? ` or set ${options.envVar}` : ''}`,
      );
    }
    this.deps.redactor.add(value);
    return value;
  }

  async close(status = 'ok'): Promise<void> {
    try {
      this.finishHistory(status);
    } catch (err) {
      this.warn(`the history of this job could not be closed: ${(err as Error).message}`);
    }
    const backend = this.backendPromise;
    this.backendPromise = undefined;
    if (backend) await backend.then((b) => b.close()).catch(() => undefined);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The commands that change customers: each run that writes is a job in the history. */
const WRITING_COMMANDS = new Set(['create', 'update-by', 'delete', 'suspend', 'unsuspend', 'merge', 'verify', 'pin set', 'app-signin', 'import', 'apply', 'undo', 'migrate']);

function quoteArg(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}
