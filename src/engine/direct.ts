// Engine commands that run no program, run by infra itself: a refresh
// preview reads the state and asks the providers, nothing else. The Automation
// API would first cost its import (~0.8 s), `pulumi version` and `pulumi stack
// select` (two CLI runs); here the CLI runs once, in the stack's workspace,
// and its event log is read as it is written: the same events the Automation
// API hands on.
import { spawn } from "node:child_process";
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import type { EngineLocation } from "./locate.js";
import { engineEnv, type RunSettings } from "./settings.js";

/** Reads whole lines appended to a file since the last call. */
function lineReader(file: string, onLine: (line: string) => void): () => void {
  let offset = 0;
  let partial = "";
  return () => {
    if (!existsSync(file)) return;
    const fd = openSync(file, "r");
    try {
      const size = fstatSync(fd).size;
      if (size <= offset) return;
      const buf = Buffer.alloc(size - offset);
      readSync(fd, buf, 0, buf.length, offset);
      offset = size;
      partial += buf.toString("utf8");
    } finally {
      closeSync(fd);
    }
    for (let i = partial.indexOf("\n"); i >= 0; i = partial.indexOf("\n")) {
      const line = partial.slice(0, i);
      partial = partial.slice(i + 1);
      if (line.trim()) onLine(line);
    }
  };
}

/** `pulumi refresh --preview-only` of a stack whose workspace is made; rejects with the CLI's words. */
export async function refreshPreview(
  engine: EngineLocation,
  settings: RunSettings,
  workDir: string,
  stack: string,
  onEvent: (e: EngineEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "infra-events-"));
  const log = join(dir, "events.jsonl");
  const drain = lineReader(log, (line) => onEvent(JSON.parse(line) as EngineEvent));
  const child = spawn(engine.command, ["refresh", "--preview-only", "--stack", stack, "--non-interactive", "--color", "never", "--event-log", log], {
    cwd: workDir,
    // --event-log exists only with PULUMI_DEBUG_COMMANDS (the Automation API sets it too).
    env: { ...process.env, ...engineEnv(engine, settings), PULUMI_DEBUG_COMMANDS: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let said = "";
  const keep = (d: Buffer) => {
    said = (said + d.toString()).slice(-16_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const timer = setInterval(drain, 100);
  // As the Automation API cancels: SIGINT, and the engine stops at the next step.
  const cancel = () => child.kill("SIGINT");
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });
    drain();
    if (code !== 0) {
      const err = new Error(said.trim() || `pulumi refresh --preview-only exited ${code}`);
      if (/\bno stack named\b/i.test(said)) err.name = "StackNotFoundError";
      if (/\bis currently locked\b|\bconcurrent update\b/i.test(said)) err.name = "ConcurrentUpdateError";
      throw err;
    }
  } finally {
    clearInterval(timer);
    signal?.removeEventListener("abort", cancel);
    rmSync(dir, { recursive: true, force: true });
  }
}
