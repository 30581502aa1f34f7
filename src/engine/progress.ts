// The progress line: "creating 12/40 · pet" on a terminal (ora), a line per
// finished resource otherwise. Always on stderr: stdout is for results.
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";

export interface Progress {
  event(e: EngineEvent): void;
  stop(ok: boolean, text: string): void;
}

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

export async function startProgress(action: string, total: number | undefined, quiet: boolean): Promise<Progress> {
  const stream = process.stderr;
  // A terminal that reports no width (a bare pty) makes ora's line clearing
  // run away: fall back to plain lines there.
  const tty = stream.isTTY && (stream.columns ?? 0) > 0 && !quiet;
  const spinner = tty ? (await import("ora")).default({ text: action, stream }).start() : undefined;
  let done = 0;
  return {
    event(e) {
      const pre = e.resourcePreEvent?.metadata;
      if (pre && pre.op !== "same" && spinner) {
        const name = pre.urn.slice(pre.urn.lastIndexOf("::") + 2);
        spinner.text = `${VERB[pre.op] ?? pre.op} ${done + 1}${total ? `/${total}` : ""} · ${name}`;
      }
      const out = e.resOutputsEvent?.metadata;
      if (out && out.op !== "same") {
        done++;
        if (!tty && !quiet) stream.write(`  ${out.op} ${out.type} ${out.urn.slice(out.urn.lastIndexOf("::") + 2)}\n`);
      }
    },
    stop(ok, text) {
      if (spinner) {
        if (ok) spinner.succeed(text);
        else spinner.fail(text);
      } else if (!quiet) stream.write(`${ok ? "✔" : "✖"} ${text}\n`);
    },
  };
}
