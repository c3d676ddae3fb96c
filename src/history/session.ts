// A command's history job: opened when the command's backend is, written only if it writes.
import type { CustomerBackend } from '../backends/types.js';
import type { Connection } from '../backends/types.js';
import { recordingBackend } from './recording-backend.js';
import { HistoryWriter } from './recorder.js';
import { DEFAULT_KEEP_DAYS, historyDir } from './store.js';

export interface HistorySessionOptions {
  configDir: string;
  connection: Connection;
  keepDays: number | undefined;
  /** The command line as typed, secrets already removed. */
  command: string;
  bulk: boolean;
  now: () => Date;
  onExit: (fn: () => void) => () => void;
  /** An undo job: the job it reverts, and which of its writes each write reverts. */
  undoes?: { job: string; write: () => number | undefined };
}

export function openHistory(backend: CustomerBackend, o: HistorySessionOptions): { backend: CustomerBackend; writer: HistoryWriter } {
  const writer = new HistoryWriter({
    dir: historyDir(o.configDir, o.connection),
    header: {
      startedAt: o.now().toISOString(),
      command: o.command,
      profile: o.connection.profileName,
      backend: o.connection.backend,
      baseUrl: o.connection.baseUrl,
      ...(o.undoes ? { undoes: o.undoes.job } : {}),
    },
    bulk: o.bulk,
    now: o.now,
    keepDays: o.keepDays ?? DEFAULT_KEEP_DAYS,
  });
  o.onExit(() => {
    try {
      writer.flush();
    } catch {
      // Dying anyway.
    }
  });
  return { backend: recordingBackend(backend, writer, o.undoes ? { undoes: o.undoes.write } : {}), writer };
}
