// After a run is killed, its Pulumi engine process can outlive it: it
// finishes the steps in flight, then stops (its program is gone). Recovery
// must not clear the engine's lock and start a new update while that process
// still writes the state. Whatever the backend, such an engine runs in the
// stack's workspace folder (/proc/<pid>/cwd shows it); the file backend's
// lock also records the engine's pid and host.
import { existsSync, readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConflictError } from "../core/errors.js";
import { isAlive } from "../core/process.js";

/**
 * Pulumi CLI processes on this host working in the stack's workspace folder:
 * a killed run's engine. Its plugins are left out: orphaned, they can idle on
 * for ever, and they write no state.
 */
export function workspaceProcesses(workDir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${e}/cwd`) !== workDir) continue;
      const argv0 = readFileSync(`/proc/${e}/cmdline`, "utf8").split("\0")[0] ?? "";
      if (basename(argv0) === "pulumi") pids.push(Number(e));
    } catch {
      // gone, or not ours to look at
    }
  }
  return pids;
}

/** Engine processes on this host that still work on the stack: in its workspace, or holding its file-backend lock. */
export function liveEngines(backendUrl: string, project: string, stack: string, workDir?: string): number[] {
  const pids = new Set(workDir ? workspaceProcesses(workDir) : []);
  for (const p of fileLockHolders(backendUrl, project, stack)) pids.add(p);
  return [...pids].sort((a, b) => a - b);
}

function fileLockHolders(backendUrl: string, project: string, stack: string): number[] {
  if (!backendUrl.startsWith("file://")) return [];
  const dir = join(fileURLToPath(backendUrl), ".pulumi", "locks", "organization", project, stack);
  if (!existsSync(dir)) return [];
  const pids: number[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    try {
      const lock = JSON.parse(readFileSync(join(dir, f), "utf8")) as { pid?: number; hostname?: string };
      if (lock.pid && lock.hostname === hostname() && isAlive(lock.pid)) pids.push(lock.pid);
    } catch {
      // a lock being written or removed: look again next time
    }
  }
  return pids;
}

/** Waits (up to `ms`) for a killed run's engine to finish; refuses if it does not. */
export async function waitForOrphanEngine(
  backendUrl: string,
  project: string,
  stack: string,
  workDir: string,
  ms = 300_000,
  say?: (text: string) => void,
): Promise<void> {
  const end = Date.now() + ms;
  let told = false;
  for (;;) {
    const pids = liveEngines(backendUrl, project, stack, workDir);
    if (!pids.length) return;
    if (Date.now() > end) {
      throw new ConflictError(
        `the engine of the interrupted run (pid ${pids.join(", ")}) is still running on ${stack}: wait for it to finish or stop it (kill ${pids.join(" ")}), then run infra env recover ${stack} again`,
      );
    }
    if (!told && say) {
      say(`waiting for the engine of the interrupted run (pid ${pids.join(", ")}) to finish its steps in flight`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Removes a stack's engine locks from a file backend, as `pulumi cancel`
 * would; only for a caller that holds the environment's registry lock and has
 * waited for every engine of the stack to end. Other backends keep theirs.
 */
export function removeFileBackendLocks(backendUrl: string, project: string, stack: string): void {
  if (!backendUrl.startsWith("file://")) return;
  const dir = join(fileURLToPath(backendUrl), ".pulumi", "locks", "organization", project, stack);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}

/**
 * The file backend (gocloud's fileblob) writes each blob to a temporary file
 * and renames it, but writes its `.attrs` sidecar (content type, MD5) in place:
 * a run killed between creating and filling that file leaves it empty, and the
 * engine then refuses the stack ("failed to load checkpoint: EOF") for ever.
 * A sidecar that is not JSON is dropped (the blob reads the same without it):
 * the stack's own, its backup's, and the backend's meta.yaml's. Their names.
 */
export function repairFileBackendAttrs(backendUrl: string, project: string, stack: string): string[] {
  if (!backendUrl.startsWith("file://")) return [];
  const root = join(fileURLToPath(backendUrl), ".pulumi");
  const stackFile = join(root, "stacks", project, `${stack}.json`);
  const removed: string[] = [];
  for (const attrs of [`${stackFile}.attrs`, `${stackFile}.bak.attrs`, `${stackFile}.gz.attrs`, `${stackFile}.gz.bak.attrs`, join(root, "meta.yaml.attrs")]) {
    let text: string;
    try {
      text = readFileSync(attrs, "utf8");
    } catch {
      continue; // none: nothing to repair
    }
    try {
      JSON.parse(text);
    } catch {
      rmSync(attrs, { force: true });
      removed.push(basename(attrs));
    }
  }
  return removed;
}
