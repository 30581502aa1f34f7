// Processes on this host, read from /proc: whether one is alive (a zombie is
// not: a detached program we started is reparented when its starter exits,
// and where PID 1 does not reap, a killed one lingers answering signal 0),
// and when it started (so a reused pid is not taken for the process we knew).
import { readFileSync } from "node:fs";

/** /proc/<pid>/stat after the command name (which may hold spaces and parentheses); undefined without /proc. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat
      .slice(stat.lastIndexOf(")") + 2)
      .trim()
      .split(" ");
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  // No /proc (macOS): signal 0 said it exists (EPERM means someone else's).
  const state = statFields(pid)?.[0];
  return state !== "Z" && state !== "X";
}

/** A process's start time in clock ticks since boot (/proc/<pid>/stat field 22); "" where there is no /proc. */
export function processStart(pid: number): string {
  return statFields(pid)?.[19] ?? "";
}
