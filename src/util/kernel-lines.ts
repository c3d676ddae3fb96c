// Lines that must reach the kernel before the work they announce goes on (a journal's "about to
// send", a history's intent): a SIGKILL then keeps them. Those queued in one microtask checkpoint
// go in one write, not one system call each (a bulk job's largest own cost after the network),
// and not a turn of the event loop later, which would hold every request back.
export class KernelLines {
  private lines: string[] = [];
  private written: Promise<void> | null = null;

  /** `write` hands text to the kernel (a writeSync on the file), or does nothing once it is closed. */
  constructor(private readonly write: (text: string) => void) {}

  /** Queues a line (with its newline); resolves once it is in the kernel. */
  add(line: string): Promise<void> {
    this.lines.push(line);
    return (this.written ??= new Promise<void>((resolve, reject) => {
      queueMicrotask(() => {
        this.written = null;
        try {
          this.flush();
          resolve();
        } catch (err) {
          reject(err as Error);
        }
      });
    }));
  }

  /** Writes what is queued now (before other lines that must follow these). */
  flush(): void {
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    this.write(text);
  }
}
