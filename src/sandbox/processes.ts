// The sandbox's processes: started detached (they outlive the command that
// starts them), each with a log file and a run file naming its pid and start
// time, so a pid reused by another program is never taken for ours.
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { isAlive, processStart } from "../core/process.js";

export interface RunRecord {
  program: string;
  pid: number;
  /** /proc start time of the pid (see registry/rules.ts). */
  started: string;
  startedAt: string;
  ports: number[];
}

export function runFile(runDir: string, program: string): string {
  return join(runDir, `${program}.json`);
}

export function readRun(runDir: string, program: string): RunRecord | undefined {
  const f = runFile(runDir, program);
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, "utf8")) as RunRecord;
  } catch {
    return undefined; // a torn write from a killed start: treated as not running
  }
}

/** The record's process is still the one we started. */
export function running(r: RunRecord | undefined): boolean {
  return !!r && isAlive(r.pid) && (!r.started || processStart(r.pid) === r.started);
}

/** Marks where a start begins in a program's log: its reasons are read from there on. */
const MARK = "==== infra sandbox: start ";

export function launch(runDir: string, logDir: string, program: string, command: string, args: string[], ports: number[], path?: string): RunRecord {
  const log = openSync(join(logDir, `${program}.log`), "a", 0o600);
  writeSync(log, `${MARK}${new Date().toISOString()}\n`);
  try {
    const child = spawn(command, args, {
      detached: true,
      stdio: ["ignore", log, log],
      env: { PATH: path ?? process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/" },
    });
    child.unref();
    const rec: RunRecord = { program, pid: child.pid!, started: processStart(child.pid!), startedAt: new Date().toISOString(), ports };
    const f = runFile(runDir, program);
    writeFileSync(`${f}.tmp`, JSON.stringify(rec), { mode: 0o600 });
    renameSync(`${f}.tmp`, f);
    return rec;
  } finally {
    closeSync(log);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; the run file goes either way. */
export async function terminate(runDir: string, program: string, graceMs = 15_000): Promise<boolean> {
  const r = readRun(runDir, program);
  rmSync(runFile(runDir, program), { force: true });
  if (!running(r)) return false;
  try {
    process.kill(r!.pid, "SIGTERM");
  } catch {
    return false;
  }
  const end = Date.now() + graceMs;
  while (Date.now() < end && running(r)) await new Promise((res) => setTimeout(res, 100));
  if (running(r)) {
    try {
      process.kill(r!.pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
    while (isAlive(r!.pid) && processStart(r!.pid) === r!.started) await new Promise((res) => setTimeout(res, 50));
  }
  return true;
}

/** Resident memory of a process in bytes (/proc/<pid>/status VmRSS); 0 where unknown. */
export function memoryOf(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Why a program stopped, in one line, from its log since its last start: the
 * first fatal or panic message (JSON logs like etcd's, klog's F lines, Go's
 * "panic:"), else the last error, else the last line that is not a stack frame.
 */
export function logReason(logDir: string, program: string): string {
  let text: string;
  try {
    text = readFileSync(join(logDir, `${program}.log`), "utf8");
  } catch {
    return "";
  }
  const since = text.lastIndexOf(MARK);
  const lines = (since >= 0 ? text.slice(text.indexOf("\n", since) + 1) : text).split("\n").filter((l) => l.trim());
  let fatal: string | undefined;
  let error: string | undefined;
  for (const l of lines) {
    const json = l.startsWith("{") ? parseJson(l) : undefined;
    if (json) {
      const msg = [json.msg, json.error ?? json.err].filter(Boolean).join(": ");
      const level = (json.level ?? "").toLowerCase();
      if ((level === "panic" || level === "fatal") && !fatal) fatal = msg;
      else if (level === "error") error = msg;
      continue;
    }
    const klog = /^([EF])\d{4} [\d:.]+\s+\d+ [^\]]+\] (.*)$/.exec(l);
    if (klog?.[1] === "F" && !fatal) fatal = klog[2];
    else if (klog?.[1] === "E") error = klog[2];
    else if (/^(panic|Error|error):/.test(l) && !fatal) fatal = l;
  }
  // Else the last plain line (a usage message, say); a structured INFO line says nothing of why.
  const last = [...lines].reverse().find((l) => !/^\s|^goroutine |^created by |^\S+\.go:\d+|^\{|^[IW]\d{4} /.test(l));
  return (fatal ?? error ?? last ?? "").replace(/\s+/g, " ").slice(0, 400);
}

function parseJson(line: string): { level?: string; msg?: string; error?: string; err?: string } | undefined {
  try {
    return JSON.parse(line) as { level?: string; msg?: string; error?: string; err?: string };
  } catch {
    return undefined;
  }
}

export function runRecords(runDir: string): string[] {
  return existsSync(runDir)
    ? readdirSync(runDir)
        .filter((n) => n.endsWith(".json"))
        .map((n) => n.slice(0, -5))
    : [];
}
