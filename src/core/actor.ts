// Who runs infra: user@host. userInfo() throws where the uid has no passwd
// entry (many containers): then $USER, $LOGNAME, or the uid.
import { hostname, userInfo } from "node:os";

export function currentUser(env: NodeJS.ProcessEnv = process.env): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER || env.LOGNAME || `uid-${process.getuid?.() ?? "unknown"}`;
  }
}

export function localActor(): { who: string; host: string; pid: number } {
  const host = hostname();
  return { who: `${currentUser()}@${host}`, host, pid: process.pid };
}
