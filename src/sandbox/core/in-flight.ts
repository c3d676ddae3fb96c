// The requests a sandbox is working on, with their latency waits and their sockets, so that
// closing it can let them finish for a grace period and then cut off what is left, instead of
// either hanging on a slow request or dropping a change it was about to apply.

import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export class InFlightRequests {
  private readonly work = new Set<Promise<void>>();
  private readonly sockets = new Set<Socket>();
  /** Latency timers, cut short by `cutOffAfter`. */
  private readonly sleepers = new Map<NodeJS.Timeout, () => void>();
  private cut = false;

  /** Tracks the server's sockets, so the ones left after the grace period can be destroyed. */
  watch(server: Server): void {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  track(work: Promise<void>): void {
    this.work.add(work);
    void work.finally(() => this.work.delete(work));
  }

  /** True once the grace period is over: a request still waiting must be neither applied nor answered. */
  get cutOff(): boolean {
    return this.cut;
  }

  /** A latency wait that ends early when the requests are cut off. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleepers.delete(timer);
        resolve();
      }, ms);
      this.sleepers.set(timer, resolve);
    });
  }

  /** Lets the requests in flight finish for up to `graceMs`, then cuts off the rest and their connections. */
  async cutOffAfter(server: Server, graceMs: number): Promise<void> {
    if (this.work.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.work]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    this.cut = true;
    for (const [timer, wake] of this.sleepers) {
      clearTimeout(timer);
      wake();
    }
    this.sleepers.clear();
    server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
  }
}
