// A status endpoint on loopback for health checks, in a process of its own
// (tests run the CLI synchronously, which would stall a server in theirs);
// it answers the status code written in a file, so a test can change it.
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const SERVER = `
const fs = require("node:fs");
const s = require("node:http").createServer((q, r) => { r.writeHead(Number(fs.readFileSync(process.argv[1], "utf8"))); r.end("status\\\\n"); });
s.listen(Number(process.argv[2]), "127.0.0.1", () => console.log(s.address().port));
`;

export interface StatusServer {
  url: () => string;
  port: () => number;
  answer(code: number): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function statusServer(dir: string): StatusServer {
  const file = join(dir, "status-answer");
  let proc: ChildProcess | undefined;
  let port = 0;
  const s: StatusServer = {
    url: () => `http://127.0.0.1:${port}/health`,
    port: () => port,
    answer: (code) => writeFileSync(file, String(code)),
    start: () => {
      proc = spawn(process.execPath, ["-e", SERVER, file, String(port)], { stdio: ["ignore", "pipe", "inherit"] });
      return new Promise((resolve) => {
        proc!.stdout!.once("data", (d: Buffer) => {
          port = Number(d.toString().trim());
          resolve();
        });
      });
    },
    stop: () =>
      new Promise((resolve) => {
        if (!proc || proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill();
      }),
  };
  s.answer(200);
  return s;
}
