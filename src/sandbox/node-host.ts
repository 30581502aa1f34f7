// What the sandbox's real node changes on the host, and how each change is
// undone: a bridge, routes that keep the addresses the sandbox made up on the
// machine, an iptables chain that keeps pods' packets on it too, two sysctls,
// and (left by kubelet, containerd and kube-proxy) mounts, cgroups, shims and
// KUBE-* chains. Every command runs with an argument list, never a shell.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const BRIDGE = "infra0";
export const NODE_SUBNET = "10.89.0.0/24";
export const NODE_IP = "10.89.0.1";
/** kubelet's cgroup root: every pod's cgroup is under it, in each v1 controller or in the v2 tree. */
export const CGROUP_ROOT = "infra-sandbox";
/** Our own iptables chain (FORWARD): a pod's packets reach the bridge and this machine, nothing else. */
const CHAIN = "INFRA-SANDBOX";
const SYSCTLS = ["net/ipv4/ip_forward", "net/ipv4/conf/all/route_localnet"];

async function cmd(file: string, args: string[], ignore = false): Promise<string> {
  try {
    return (await run(file, args, { timeout: 30_000 })).stdout;
  } catch (err) {
    if (ignore) return "";
    const e = err as { stderr?: string; message: string };
    throw new Error(`${file} ${args.join(" ")}: ${(e.stderr ?? e.message).trim().split("\n").pop()}`);
  }
}

/**
 * Routes for what the sandbox made up, so none of it leaves by the default
 * route: the service range goes to the bridge (kube-proxy turns a real
 * Service's address into a real pod's first), kwok's pod and node ranges are
 * unreachable.
 */
export const ROUTES: string[][] = [
  ["10.96.0.0/16", "dev", BRIDGE],
  ["unreachable", "10.244.0.0/16"],
  ["unreachable", "10.240.0.0/16"],
];

interface Before {
  sysctls: Record<string, string>;
}

function sysctlPath(name: string): string {
  return join("/proc/sys", name);
}

/** Sets up the bridge, routes, chain; remembers the sysctls it will change. */
export async function hostUp(nodeDir: string): Promise<void> {
  const saved = join(nodeDir, "host-before.json");
  if (!existsSync(saved)) {
    const before: Before = { sysctls: Object.fromEntries(SYSCTLS.map((s) => [s, readFileSync(sysctlPath(s), "utf8").trim()])) };
    writeFileSync(saved, JSON.stringify(before), { mode: 0o600 });
  }
  if (!(await cmd("ip", ["link", "show", BRIDGE], true))) {
    await cmd("ip", ["link", "add", BRIDGE, "type", "bridge"]);
  }
  await cmd("ip", ["addr", "replace", `${NODE_IP}/24`, "dev", BRIDGE]);
  await cmd("ip", ["link", "set", BRIDGE, "up"]);
  for (const r of ROUTES) await cmd("ip", ["route", "replace", ...r]);
  // Pods reach each other and this machine; a packet from the bridge to anywhere else is dropped.
  await cmd("iptables", ["-w", "-N", CHAIN], true);
  await cmd("iptables", ["-w", "-F", CHAIN]);
  await cmd("iptables", ["-w", "-A", CHAIN, "-i", BRIDGE, "-o", BRIDGE, "-j", "ACCEPT"]);
  await cmd("iptables", ["-w", "-A", CHAIN, "-i", BRIDGE, "-j", "DROP"]);
  const has = await run("iptables", ["-w", "-C", "FORWARD", "-j", CHAIN]).then(
    () => true,
    () => false,
  );
  if (!has) await cmd("iptables", ["-w", "-I", "FORWARD", "1", "-j", CHAIN]);
  makeCgroups();
}

/**
 * kubelet wants its cgroup root to exist already, in every v1 controller (or
 * in the v2 tree with the controllers delegated to it).
 */
function makeCgroups(): void {
  const base = "/sys/fs/cgroup";
  if (existsSync(join(base, "cgroup.controllers"))) {
    const d = join(base, CGROUP_ROOT);
    if (!existsSync(d)) mkdirSync(d);
    const wanted = readFileSync(join(base, "cgroup.controllers"), "utf8").trim().split(/\s+/).filter(Boolean);
    for (const c of wanted) {
      try {
        writeFileSync(join(base, "cgroup.subtree_control"), `+${c}`);
        writeFileSync(join(d, "cgroup.subtree_control"), `+${c}`);
      } catch {
        // not delegatable here; kubelet says which it misses
      }
    }
    return;
  }
  for (const c of readdirSafe(base)) {
    const parent = join(base, c);
    if (c === "unified" || !existsSync(join(parent, "cgroup.procs"))) continue;
    const d = join(parent, CGROUP_ROOT);
    if (!existsSync(d)) mkdirSync(d);
    // A new cpuset has no CPUs or memory nodes until it is given its parent's.
    for (const f of ["cpuset.cpus", "cpuset.mems"]) {
      if (existsSync(join(d, f)) && !readFileSync(join(d, f), "utf8").trim()) writeFileSync(join(d, f), readFileSync(join(parent, f), "utf8").trim());
    }
  }
}

/** Processes in a cgroup subtree (v1 controllers or the v2 tree). */
function cgroupDirs(): string[] {
  const base = "/sys/fs/cgroup";
  const out: string[] = [];
  const v2 = existsSync(join(base, "cgroup.controllers"));
  const roots = v2 ? [join(base, CGROUP_ROOT)] : readdirSafe(base).map((c) => join(base, c, CGROUP_ROOT));
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSafe(d)) {
      const sub = join(d, e);
      try {
        if (existsSync(join(sub, "cgroup.procs"))) walk(sub);
      } catch {
        // gone meanwhile
      }
    }
    out.push(d); // children first, then the parent: the order rmdir needs
  };
  for (const r of roots) walk(r);
  return out;
}

function readdirSafe(d: string): string[] {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
}

/** Kills what still runs in the node's cgroups and removes them. */
export async function removeCgroups(): Promise<void> {
  for (let round = 0; round < 20; round++) {
    let alive = 0;
    for (const d of cgroupDirs()) {
      for (const pid of readProcs(d)) {
        alive++;
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
    if (!alive) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const d of cgroupDirs()) {
    try {
      rmdirSync(d);
    } catch {
      // busy a moment longer, or not ours to remove (a controller root)
    }
  }
}

function readProcs(d: string): number[] {
  try {
    return readFileSync(join(d, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Unmounts everything mounted under `dir` (deepest first), as kubelet and containerd leave them. */
export async function unmountUnder(dir: string): Promise<void> {
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  const points = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[4])
    .filter((m): m is string => !!m && (m === dir || m.startsWith(prefix)))
    .map((m) => m.replace(/\\040/g, " "))
    .sort((a, b) => b.length - a.length);
  for (const m of points) await cmd("umount", ["-l", m], true);
}

/** Kills the runc shims our containerd started (they outlive it): that program, talking to our socket. */
export function killShims(shimBinary: string, socket: string): void {
  let shim: string;
  try {
    shim = realpathSync(shimBinary);
  } catch {
    return;
  }
  for (const e of readdirSafe("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readlinkSync(join("/proc", e, "exe")) !== shim) continue;
      const args = readFileSync(join("/proc", e, "cmdline"), "utf8").split("\0");
      if (args[args.indexOf("-address") + 1] === socket) process.kill(Number(e), "SIGKILL");
    } catch {
      // gone, or not ours to read
    }
  }
}

/** Chains kubelet makes whatever it is told (its canaries), in both families. */
async function removeKubeletChains(): Promise<void> {
  for (const bin of ["iptables", "ip6tables"]) {
    for (const hook of ["INPUT", "OUTPUT"]) await cmd(bin, ["-w", "-D", hook, "-j", "KUBE-FIREWALL"], true);
    for (const table of ["filter", "nat", "mangle"]) {
      for (const chain of ["KUBE-FIREWALL", "KUBE-KUBELET-CANARY", "KUBE-IPTABLES-HINT"]) {
        await cmd(bin, ["-w", "-t", table, "-F", chain], true);
        await cmd(bin, ["-w", "-t", table, "-X", chain], true);
      }
    }
  }
}

/** Undoes hostUp and what kube-proxy did; sysctls back to what they were. */
export async function hostDown(nodeDir: string, kubeProxy?: string): Promise<void> {
  if (kubeProxy && existsSync(kubeProxy)) await cmd(kubeProxy, ["--cleanup"], true);
  await removeKubeletChains();
  for (const r of ROUTES) await cmd("ip", ["route", "del", ...r], true);
  await cmd("ip", ["link", "del", BRIDGE], true);
  await cmd("iptables", ["-w", "-D", "FORWARD", "-j", CHAIN], true);
  await cmd("iptables", ["-w", "-F", CHAIN], true);
  await cmd("iptables", ["-w", "-X", CHAIN], true);
  const saved = join(nodeDir, "host-before.json");
  if (existsSync(saved)) {
    const before = JSON.parse(readFileSync(saved, "utf8")) as Before;
    for (const [k, v] of Object.entries(before.sysctls)) {
      try {
        writeFileSync(sysctlPath(k), v);
      } catch {
        // read-only here: it was never changed either
      }
    }
  }
}
