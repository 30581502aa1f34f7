// The server's workers: each accepted command runs a use case of the app
// core in the background, at most `concurrency` at once (one per environment:
// the registry's lock). A request is answered once its operation has begun
// (recorded) or has been refused; events are kept for the SSE stream.
import type { OperationEvent } from "../app/events.js";
import type { AppContext } from "../app/ports.js";
import type { Outcome } from "../app/execute.js";
import type { Submitted } from "../app/idempotency.js";
import { HttpProblem } from "./problem.js";

export interface RunningOperation {
  id: string;
  environment: string;
  events: OperationEvent[];
  done: boolean;
  listeners: Set<(e: OperationEvent | undefined) => void>;
}

export type ContextMaker = (who: string, listen: (e: OperationEvent) => void, signal: AbortSignal) => AppContext;

const KEEP = 500; // finished operations whose events stay in memory for late SSE readers

export class Operations {
  private readonly ops = new Map<string, RunningOperation>();
  private inFlight = 0;
  private accepting = true;
  private readonly stop = new AbortController();
  private idle: (() => void)[] = [];

  constructor(
    private readonly makeContext: ContextMaker,
    private readonly concurrency: number,
    private readonly onError: (err: unknown, op: string) => void = () => {},
    /** Every event of every operation (the bus's notifications). */
    private readonly onEvent: (op: RunningOperation, e: OperationEvent) => void = () => {},
  ) {}

  get busy(): number {
    return this.inFlight;
  }

  get(id: string): RunningOperation | undefined {
    return this.ops.get(id);
  }

  /** Runs a use case; resolves with its (first) operation once begun, or its outcome when it starts none; rejects with its refusal. */
  start(who: string, run: (ctx: AppContext) => Promise<Outcome>): Promise<Submitted> {
    if (!this.accepting) return Promise.reject(new HttpProblem(503, "the server is stopping: retry on another server, or later"));
    if (this.inFlight >= this.concurrency) {
      return Promise.reject(
        new HttpProblem(429, `${this.concurrency} operation${this.concurrency > 1 ? "s are" : " is"} running (the server's --concurrency): retry later`, {
          retryAfter: 5,
        }),
      );
    }
    this.inFlight++;
    return new Promise((resolve, reject) => {
      let first = true;
      const answer = (s: Submitted) => {
        if (!first) return;
        first = false;
        resolve(s);
      };
      // One stream of events per operation running at once (a set runs several: each its own fork).
      const opened: RunningOperation[] = [];
      const stream = () => {
        let current: RunningOperation | undefined;
        return (e: OperationEvent) => {
          if (e.type === "started") {
            if (current) this.finish(current);
            current = { id: e.operation, environment: e.environment, events: [], done: false, listeners: new Set() };
            opened.push(current);
            this.ops.set(current.id, current);
            answer({ operationId: e.operation, environment: e.environment });
          }
          if (!current) return;
          current.events.push(e);
          for (const l of current.listeners) l(e);
          this.onEvent(current, e);
          // Its followers are told at once: the others of a set may run on for a while.
          if (e.type === "finished") this.finish(current);
        };
      };
      const context = (): AppContext => {
        const ctx = this.makeContext(who, stream(), this.stop.signal);
        return { ...ctx, fork: context, planned: (plan) => answer({ outcome: { kind: "set", result: plan } }) };
      };
      run(context())
        .then((outcome) => answer(outcome ? { outcome } : {}))
        .catch((err: unknown) => {
          if (first) {
            first = false;
            reject(err);
          } else this.onError(err, opened.at(-1)?.id ?? "");
        })
        .finally(() => {
          for (const o of opened) this.finish(o);
          this.inFlight--;
          if (this.inFlight === 0) for (const f of this.idle.splice(0)) f();
        });
    });
  }

  private finish(op: RunningOperation): void {
    if (op.done) return;
    op.done = true;
    for (const l of op.listeners) l(undefined);
    op.listeners.clear();
    const finished = [...this.ops.values()].filter((o) => o.done);
    for (const o of finished.slice(0, Math.max(0, finished.length - KEEP))) this.ops.delete(o.id);
  }

  /**
   * Stops taking work; lets running operations finish within `graceMs`, then
   * interrupts them (they stay recoverable: infra env recover). The engine
   * stops at its next safe point; one still busy `hardMs` later is left
   * behind, as a killed server would leave it (recover waits for it).
   */
  async drain(graceMs: number, hardMs = 10_000): Promise<{ interrupted: boolean; abandoned: boolean }> {
    this.accepting = false;
    if (this.inFlight === 0) return { interrupted: false, abandoned: false };
    const quiet = new Promise<"quiet">((r) => this.idle.push(() => r("quiet")));
    const after = (ms: number) => new Promise<"late">((r) => setTimeout(() => r("late"), ms).unref());
    if ((await Promise.race([quiet, after(graceMs)])) === "quiet") return { interrupted: false, abandoned: false };
    this.stop.abort();
    return { interrupted: true, abandoned: (await Promise.race([quiet, after(hardMs)])) === "late" };
  }
}
