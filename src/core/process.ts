// Whether a process exists on this host and is not a zombie: a detached
// program we started is reparented when its starter exits, and where PID 1
// does not reap (many containers) a killed one lingers as a zombie that still
// answers signal 0.
import { readFileSync } from "node:fs";

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    // No /proc (macOS): signal 0 said it exists (EPERM means someone else's).
    return true;
  }
}
