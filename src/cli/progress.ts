// The progress line, drawn from an operation's typed events: "creating 12/40
// · pet" on a terminal (ora), a line per finished resource otherwise. Always
// on stderr: stdout is for results.
import { describeChanges, STEP_WORDS, type OperationEvent } from "../app/events.js";

const VERB: Record<string, string> = {
  create: "creating",
  update: "updating",
  delete: "deleting",
  replace: "replacing",
  "create-replacement": "replacing",
  "delete-replaced": "replacing",
  refresh: "refreshing",
  read: "reading",
};

type Spinner = { text: string; prefixText: string; succeed(t: string): void; fail(t: string): void; stop(): void };
type Ora = (o: { text: string; stream: NodeJS.WriteStream; discardStdin: boolean }) => { start(): Spinner };

export interface Progress {
  listen: (e: OperationEvent) => void;
  close(): void;
}

/** A listener for one command's operations; `quiet` (--json) draws nothing. */
export async function progress(quiet: boolean): Promise<Progress> {
  const stream = process.stderr;
  // A terminal that reports no width (a bare pty) makes ora's line clearing
  // run away: fall back to plain lines there.
  const tty = stream.isTTY && (stream.columns ?? 0) > 0 && !quiet;
  const ora: Ora | undefined = tty ? ((await import("ora")).default as unknown as Ora) : undefined;
  let spinner: Spinner | undefined;
  let label = "";
  let total: number | undefined;
  let done = 0;
  let running = false;
  const start = (text: string) => {
    if (!tty || !ora) return;
    // ora's default takes stdin in raw mode to swallow keys, and then Ctrl-C
    // never becomes SIGINT: the spinner must leave the terminal's input alone.
    spinner = ora({ text, stream, discardStdin: false }).start();
  };
  const listen = (e: OperationEvent) => {
    if (quiet) return;
    switch (e.type) {
      case "started":
        label = `${e.kind} ${e.environment}`;
        total = e.total;
        done = 0;
        return;
      case "phase":
        running = e.name !== "preview";
        if (running) start(label);
        return;
      case "section":
        if (spinner) spinner.prefixText = `${e.name}:`;
        else stream.write(`${e.name}:\n`);
        return;
      case "notice":
        if (spinner) spinner.text = e.message;
        else stream.write(`infra: ${e.message}\n`);
        return;
      case "step":
        if (!running || e.op === "same") return;
        if (e.state === "started" && spinner) {
          spinner.text = `${VERB[e.op] ?? e.op} ${done + 1}${total ? `/${total}` : ""} · ${e.part ? `${e.part} · ` : ""}${e.name}`;
        }
        if (e.state === "done") {
          done++;
          if (!tty) stream.write(`  ${STEP_WORDS[e.op] ?? e.op} ${e.resourceType} ${e.name}${e.part ? ` [${e.part}]` : ""}\n`);
        }
        return;
      case "finished": {
        if (e.result === "declined") return;
        const ok = e.result === "succeeded";
        const did = Object.values(e.changes).some((n) => n > 0) ? ` (done before it stopped: ${describeChanges(e.changes)})` : "";
        const text = ok ? (e.message ?? label) : `${label} ${e.result === "interrupted" ? "interrupted" : "failed"}${did}`;
        if (spinner) ok ? spinner.succeed(text) : spinner.fail(text);
        else if (running) stream.write(`${ok ? "✔" : "✖"} ${text}\n`);
        spinner = undefined;
        running = false;
        return;
      }
      default:
        return;
    }
  };
  return {
    listen,
    close() {
      spinner?.stop();
    },
  };
}
