// The notifications outbox, published: operations write their notifications
// in the same registry transaction as the change they announce; this loop
// sends them in order with the broker's confirms and marks them sent. A
// server killed before the broker confirmed sends them again when it starts
// (at least once; each carries a stable id for consumers to drop a repeat).
import type { Registry } from "../registry/types.js";

export interface Publisher {
  publish(n: { id: string; key: string; body: Record<string, unknown>; headers?: Record<string, string> }): Promise<void>;
}

export class Outbox {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly registry: Registry,
    private readonly bus: Publisher,
    private readonly everyMs = 1000,
    private readonly log: (reason: string) => void = () => {},
  ) {}

  start(): void {
    this.wake();
    this.timer = setInterval(() => this.wake(), this.everyMs);
    this.timer.unref();
  }

  /** Publishes what waits now (coalesced: one pass at a time). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.drain()
      .catch((err: Error) => this.log(err.message))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await this.registry.unsent(100);
      if (!batch.length) return;
      const sent: string[] = [];
      try {
        // In order: one that fails stops the pass, so none overtakes it.
        for (const n of batch) {
          await this.bus.publish(n);
          sent.push(n.id);
        }
      } finally {
        if (sent.length) await this.registry.markSent(sent);
      }
      if (batch.length < 100) return;
    }
  }

  /** One last pass, then no more. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
    await this.drain().catch(() => {});
    this.stopped = true;
  }
}
