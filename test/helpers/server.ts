// A running `infra server` for e2e tests: started on a free loopback port in
// a home of its own, its log kept, a write token made for it.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { BIN, type Home } from "./cli.js";

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface TestServer {
  url: string;
  proc: ChildProcess;
  log(): string;
}

export async function startServer(home: Home, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<TestServer> {
  const port = await freePort();
  const proc = spawn(process.execPath, [BIN, "server", "--listen", `127.0.0.1:${port}`, ...args], {
    env: { ...home.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stdout!.on("data", (d) => (log += d));
  proc.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (
      await fetch(`${url}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, proc, log: () => log };
    if (proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not start: ${log}`);
}

/** A write token, made with the CLI in the server's home. */
export function writeToken(home: Home, name = "e2e"): string {
  const r = home.run(["server", "token", "create", "--name", name, "--role", "write", "--json"]);
  if (r.code !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as { token: string }).token;
}

export const api = (url: string, path: string, token: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined && { "content-type": "application/json" }), ...init.headers },
  });

export async function waitFor<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  seconds = 90,
  log: () => string = () => "",
): Promise<T> {
  for (let i = 0; i < seconds * 4; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`waited ${seconds} s for ${what}; log: ${log().slice(-2000)}`);
}

/** Waits for an operation to end; its result. */
export async function operationEnd(url: string, token: string, id: string): Promise<string> {
  return waitFor(`operation ${id}`, async () => {
    const op = (await (await api(url, `/api/v1/operations/${id}`, token)).json()) as { result: string };
    return op.result !== "running" && op.result;
  });
}
