// After a run is killed, its Pulumi engine process can outlive it: it
// finishes the steps in flight, then stops (its program is gone). Recovery
// must not clear the engine's lock and start a new update while that process
// still writes the state. The file backend's lock records the engine's pid
// and host; for other backends we rely on our own registry lock.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConflictError } from "../core/errors.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** Engine processes on this host that still hold the stack's lock in a file backend. */
export function liveEngines(backendUrl: string, project: string, stack: string): number[] {
  if (!backendUrl.startsWith("file://")) return [];
  const dir = join(fileURLToPath(backendUrl), ".pulumi", "locks", "organization", project, stack);
  if (!existsSync(dir)) return [];
  const pids: number[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    try {
      const lock = JSON.parse(readFileSync(join(dir, f), "utf8")) as { pid?: number; hostname?: string };
      if (lock.pid && lock.hostname === hostname() && alive(lock.pid)) pids.push(lock.pid);
    } catch {
      // a lock being written or removed: look again next time
    }
  }
  return pids;
}

/** Waits (up to `ms`) for a killed run's engine to finish; refuses if it does not. */
export async function waitForOrphanEngine(backendUrl: string, project: string, stack: string, ms = 300_000, say?: (text: string) => void): Promise<void> {
  const end = Date.now() + ms;
  let told = false;
  for (;;) {
    const pids = liveEngines(backendUrl, project, stack);
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
