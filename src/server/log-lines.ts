// The server's log on a terminal: one readable line per entry ("11:02:03 INFO
// POST /api/v1/environments 202 method=… ms=3"), where a collector would get
// pino's JSON lines (as it does whenever stdout is not a terminal).
import { Writable } from "node:stream";

const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
const QUIET = new Set(["level", "time", "pid", "hostname", "msg", "reqId"]);

export function readableLines(out: NodeJS.WritableStream = process.stdout): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        let e: Record<string, unknown>;
        try {
          e = JSON.parse(line) as Record<string, unknown>;
        } catch {
          out.write(line + "\n");
          continue;
        }
        const at = new Date(Number(e.time)).toISOString().slice(11, 19);
        const rest = Object.entries(e)
          .filter(([k]) => !QUIET.has(k))
          .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
          .join(" ");
        out.write(`${at} ${(LEVELS[Number(e.level)] ?? "LOG").padEnd(5)} ${String(e.msg ?? "")}${rest ? `  ${rest}` : ""}\n`);
      }
      done();
    },
  });
}
