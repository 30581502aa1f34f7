// Where the sandbox's programs are: the sandbox rig for the versions the
// helper modules in rig/sandbox pin (built by scripts/sandbox-rig.sh).
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { InfraError } from "../core/errors.js";
import { packageRoot } from "../core/package-root.js";

export const PROGRAMS = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"] as const;
export type Program = (typeof PROGRAMS)[number];

export interface SandboxVersions {
  kubernetes: string;
  etcd: string;
  kwok: string;
}

function required(file: string, module: string): string {
  const text = readFileSync(join(packageRoot(), "rig", "sandbox", file, "go.mod"), "utf8");
  const m = new RegExp(`^\\s*(?:require\\s+)?${module.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\s+(v\\S+)`, "m").exec(text);
  if (!m) throw new InfraError(`rig/sandbox/${file}/go.mod does not require ${module}`);
  return m[1]!;
}

export function sandboxVersions(): SandboxVersions {
  return {
    kubernetes: required("kubernetes", "k8s.io/kubernetes"),
    etcd: required("etcd", "go.etcd.io/etcd/server/v3"),
    kwok: required("kwok", "sigs.k8s.io/kwok"),
  };
}

export interface SandboxRig {
  dir: string;
  bin: (p: Program) => string;
  defaultStages: string;
  versions: SandboxVersions;
}

/** The rig's kubectl (at the API server's version), when the rig is built with one. */
export function rigKubectl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  let dir: string;
  try {
    dir = sandboxRig(env).dir;
  } catch {
    return undefined;
  }
  const kubectl = join(dir, "bin", "kubectl");
  return existsSync(kubectl) ? kubectl : undefined;
}

/** The rig for these versions; a clear error naming what is missing and the command that builds it. */
export function sandboxRig(env: NodeJS.ProcessEnv = process.env): SandboxRig {
  const v = sandboxVersions();
  const base = env.INFRA_SANDBOX_RIG_HOME || join(env.HOME || homedir(), ".cache", "infra", "sandbox-rig");
  const dir = join(base, `kubernetes-${v.kubernetes}_etcd-${v.etcd}_kwok-${v.kwok}`);
  const rig: SandboxRig = {
    dir,
    bin: (p) => join(dir, "bin", p),
    defaultStages: join(dir, "share", "kwok-default-stages.yaml"),
    versions: v,
  };
  if (!existsSync(join(dir, ".complete"))) {
    throw new InfraError(
      `the sandbox's programs (Kubernetes ${v.kubernetes}, etcd ${v.etcd}, kwok ${v.kwok}) are not built: run npm run sandbox-rig (or scripts/sandbox-rig.sh; it looked in ${dir})`,
      "usage",
    );
  }
  for (const p of PROGRAMS) {
    if (!existsSync(rig.bin(p))) {
      throw new InfraError(`the sandbox rig at ${dir} has no ${p}: run scripts/sandbox-rig.sh to build it again`, "usage");
    }
  }
  return rig;
}
