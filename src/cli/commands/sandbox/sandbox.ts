// `infra sandbox start | status | stop | delete`: the local control plane.
import { UsageError } from "../../../core/errors.js";
import { infraHome } from "../../../core/home.js";
import type { KubectlFit } from "../../../sandbox/kubectl-fit.js";
import type { SandboxStatus } from "../../../sandbox/sandbox.js";
import { interactive, promptOutput, type GlobalOptions } from "../../context.js";
import { out, printJson, table } from "../../output.js";

async function sandbox() {
  const { Sandbox } = await import("../../../sandbox/sandbox.js");
  return new Sandbox(infraHome());
}

function mib(bytes?: number): string {
  return bytes ? `${Math.round(bytes / 1048576)} MiB` : "";
}

function duration(s?: number): string {
  if (s === undefined) return "";
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}

function headline(s: SandboxStatus): string {
  if (s.state === "absent") return "sandbox: not created (infra sandbox start makes one)";
  if (s.state === "stopped") return `sandbox: stopped (data kept; infra sandbox start resumes it at ${s.server})`;
  const nodes = `${s.readyNodes ?? 0} node${s.readyNodes === 1 ? "" : "s"} Ready`;
  const real = s.realNode
    ? `; real node ${s.realNode.name} ${s.realNode.ready ? "Ready" : "not Ready"}${s.realNode.runtime ? ` (${s.realNode.runtime})` : ""}`
    : "";
  return `sandbox: ${s.state} — Kubernetes ${s.version ?? "(API server not answering)"} at ${s.server}, ${nodes}${real}`;
}

type Shown = SandboxStatus & { kubectl?: KubectlFit };

/** The status with whether the kubectl on PATH fits its API server (only when that answers), and a line when it does not. */
async function withKubectl(s: SandboxStatus): Promise<{ status: Shown; advice?: string }> {
  if (!s.version) return { status: s };
  const { kubectlAdvice, kubectlFit } = await import("../../../sandbox/kubectl-fit.js");
  const { rigKubectl } = await import("../../../sandbox/rig.js");
  const kubectl = kubectlFit(s.version, rigKubectl());
  const advice = kubectlAdvice(kubectl, s.version);
  return { status: { ...s, kubectl }, ...(advice && { advice }) };
}

function show(s: Shown, kubectlLine?: string): string {
  const lines = [headline(s)];
  if (s.kubeconfig && s.state !== "absent") lines.push(`kubeconfig: ${s.kubeconfig}  (export KUBECONFIG=${s.kubeconfig})`);
  if (kubectlLine) lines.push(`kubectl:    ${kubectlLine}`);
  if (s.ingress && s.state !== "absent") {
    lines.push(
      `ingress:    http on 127.0.0.1:${s.ingress.http}, https on 127.0.0.1:${s.ingress.https} (Ingress rules, by host); LoadBalancer Services on 127.0.0.1 at their ports`,
    );
  }
  if (s.registry && s.state !== "absent") {
    lines.push(`registry:   ${s.registry.address} (TLS, CA ${s.registry.ca}); infra sandbox push IMAGE.tar NAME:TAG fills it`);
  }
  let text = lines.join("\n") + "\n";
  if (s.processes.some((p) => p.state !== "stopped")) {
    text +=
      "\n" +
      table(
        ["PROGRAM", "STATE", "PID", "PORTS", "UPTIME", "MEMORY"],
        s.processes.map((p) => [p.program, p.state, p.pid ? String(p.pid) : "", p.ports.join(","), duration(p.uptimeSeconds), mib(p.memoryBytes)]),
      );
    for (const p of s.processes.filter((x) => x.state === "crashed")) {
      text += `${p.program} (pid ${p.pid}) has stopped: ${p.lastLog || "no error in its log (killed?)"} (log: ${p.log}); infra sandbox start restarts the sandbox\n`;
    }
  }
  return text + `\n${s.note}`;
}

export async function sandboxStart(opts: GlobalOptions & { port?: string; nodes?: string; timeout?: string; realNode?: boolean }): Promise<void> {
  const num = (v: string | undefined, flag: string, min: number, max: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} ${v}: use a whole number from ${min} to ${max}`);
    return n;
  };
  const port = num(opts.port, "--port", 1024, 65535);
  const nodes = num(opts.nodes, "--nodes", 1, 100);
  const timeout = num(opts.timeout, "--timeout", 5, 3600);
  const box = await sandbox();
  const t0 = Date.now();
  const say = (line: string) => {
    if (!opts.json) process.stderr.write(`infra: ${line}\n`);
  };
  const r = await box.start({
    ...(port !== undefined && { port }),
    ...(nodes !== undefined && { nodes }),
    ...(opts.realNode !== undefined && { realNode: opts.realNode }),
    ...(timeout !== undefined && { timeoutMs: timeout * 1000 }),
    say,
  });
  const seconds = (Date.now() - t0) / 1000;
  const { status, advice } = await withKubectl(r.status);
  if (opts.json) return printJson({ started: r.started, seconds, ...status });
  const what = r.started ? `started in ${seconds.toFixed(1)} s` : "already running";
  out(show(status, advice).replace(/^sandbox: running/, `sandbox: ${what}`));
}

export async function sandboxStatus(opts: GlobalOptions): Promise<void> {
  const { status, advice } = await withKubectl(await (await sandbox()).status());
  if (opts.json) return printJson(status);
  out(show(status, advice));
}

export async function sandboxStop(opts: GlobalOptions): Promise<void> {
  const box = await sandbox();
  const stopped = await box.stop();
  if (opts.json) return printJson({ stopped, data: box.paths.dir });
  out(stopped.length ? `sandbox: stopped ${stopped.join(", ")}; the data stays in ${box.paths.dir} (infra sandbox start resumes it)` : "sandbox: not running");
}

/** Environments that live on the sandbox and are not destroyed: deleting it would strand them. */
async function livingOnSandbox(): Promise<string[]> {
  const { withRegistry } = await import("../../app-context.js");
  return withRegistry(async (r) => {
    const all = (await r.list({ limit: 0 })).items.filter((e) => e.status !== "destroyed");
    const here: string[] = [];
    for (const e of all) if ((await r.get(e.name))?.location === "sandbox") here.push(e.name);
    return here;
  });
}

export async function sandboxDelete(opts: GlobalOptions & { force?: boolean }): Promise<void> {
  const box = await sandbox();
  const living = await livingOnSandbox();
  if (living.length && !opts.force) {
    const { ConflictError } = await import("../../../core/errors.js");
    throw new ConflictError(
      `the sandbox holds ${living.length > 1 ? "environments" : "environment"} ${living.join(", ")}: destroy ${living.length > 1 ? "them" : "it"} first (infra env destroy <name>), or pass --force to delete the sandbox anyway and then infra env forget each`,
    );
  }
  if (living.length)
    process.stderr.write(
      `infra: ${living.join(", ")} will be stranded: infra env forget <name> records ${living.length > 1 ? "them" : "it"} destroyed afterwards\n`,
    );
  if (!opts.yes) {
    if (!interactive(opts)) throw new UsageError("infra sandbox delete removes the sandbox and every object in it: pass --yes to delete without asking");
    const { confirm } = await import("@inquirer/prompts");
    if (!(await confirm({ message: `delete the sandbox and every object in it (${box.paths.dir})?`, default: false }, await promptOutput()))) {
      out("sandbox: not deleted");
      return;
    }
  }
  const existed = await box.delete();
  if (opts.json) return printJson({ deleted: existed, dir: box.paths.dir });
  out(existed ? `sandbox: deleted (${box.paths.dir} and every process are gone)` : "sandbox: there was none");
}

export async function sandboxPush(archive: string, name: string, opts: GlobalOptions): Promise<void> {
  const { imageName, pushImage } = await import("../../../sandbox/registry.js");
  const image = imageName(name);
  const box = await sandbox();
  const s = await box.status();
  if (!s.registry || s.processes.find((p) => p.program === "registry")?.state !== "running") {
    throw new UsageError("the sandbox's registry is not running: infra sandbox start");
  }
  const { sandboxRig } = await import("../../../sandbox/rig.js");
  const digest = await pushImage(sandboxRig().dir, s.registry.address, s.registry.ca, archive, image);
  const ref = `${s.registry.address}/${image.repository}:${image.tag}`;
  if (opts.json) return printJson({ pushed: ref, digest, asNamed: image.asNamed });
  out(`pushed ${ref}${digest ? ` (${digest})` : ""}\nthe real node pulls it as ${image.asNamed} or ${ref}`);
}
