// Whether the kubectl a user will type fits the sandbox's API server.
// Kubernetes supports a kubectl one minor version either side of its API
// server; further off, things fail in quiet ways (1.32's exec over WebSocket
// drops the API server's error now and then). The sandbox rig builds one that
// fits, so the sandbox can name it instead of leaving the user to guess.
import { spawnSync } from "node:child_process";

export interface KubectlFit {
  /** The kubectl on PATH's version; absent when there is none (or it does not answer). */
  version?: string;
  /** Minor versions between it and the API server. */
  skew?: number;
  fits: boolean;
  /** The rig's kubectl, at the API server's version, when it is built. */
  rigKubectl?: string;
}

function minorOf(version: string): { major: number; minor: number } | undefined {
  const m = /^v(\d{1,4})\.(\d{1,4})\./.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** The kubectl on `env.PATH` against an API server of `serverVersion` (e.g. v1.36.3); `rig` is the rig's kubectl, if built. */
export function kubectlFit(serverVersion: string, rig: string | undefined, env: NodeJS.ProcessEnv = process.env): KubectlFit {
  const r = spawnSync("kubectl", ["version", "--client", "-o", "json"], { env, encoding: "utf8", timeout: 10_000 });
  let version: string | undefined;
  try {
    version = r.status === 0 ? (JSON.parse(r.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion : undefined;
  } catch {
    version = undefined;
  }
  const client = version ? minorOf(version) : undefined;
  const server = minorOf(serverVersion);
  const skew = client && server && client.major === server.major ? Math.abs(client.minor - server.minor) : undefined;
  return {
    ...(version && { version }),
    ...(skew !== undefined && { skew }),
    fits: skew !== undefined && skew <= 1,
    ...(rig && { rigKubectl: rig }),
  };
}

/** One line for a kubectl that does not fit; undefined when it does. */
export function kubectlAdvice(fit: KubectlFit, serverVersion: string): string | undefined {
  if (fit.fits) return undefined;
  const use = fit.rigKubectl ? `use the sandbox rig's, ${fit.rigKubectl}` : "scripts/sandbox-rig.sh builds one that fits";
  if (!fit.version) return `no kubectl on PATH answers: ${use}`;
  const off =
    fit.skew !== undefined
      ? `${fit.skew} minor versions from`
      : minorOf(fit.version)
        ? "of another major version than"
        : "of a version infra cannot compare with";
  return `${fit.version} on PATH is ${off} the API server's ${serverVersion} (kubectl supports one either way): ${use}`;
}
