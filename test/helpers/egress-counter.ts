// Counts (as root) every packet this machine sends to an address the sandbox
// makes up (service, pod and node ranges) or off the machine (TEST-NET-3) by
// any interface but the real node's bridge: the check behind "nothing leaves
// the machine". With `reject`, those packets are also refused, so none leave.
import { execFileSync, spawnSync } from "node:child_process";
import { BRIDGE } from "../../src/sandbox/node-host.js";
import { NODE_RANGE, POD_RANGE, SERVICE_RANGE } from "../../src/sandbox/sandbox.js";

/** An address off the machine (TEST-NET-3, RFC 5737). */
export const OUTSIDE = "203.0.113.0/24";
export const asRoot = process.getuid?.() === 0 && spawnSync("iptables", ["-L", "-n"]).status === 0;
const ipt = (...args: string[]) => execFileSync("iptables", ["-w", ...args], { encoding: "utf8" });

export interface EgressCounter {
  /** Packets counted since the counter was made. */
  leaked(): number;
  /** Takes the chain out again. */
  close(): void;
}

/**
 * A chain on OUTPUT made of the given rules (iptables arguments after `-A <chain>`), taken out first
 * if a killed run left it; counted() sums the packets of its rules from the `from`-th on.
 */
export function countingChain(chain: string, rules: string[][], from = 0): { counted(): number; close(): void } {
  const remove = () => {
    spawnSync("iptables", ["-w", "-D", "OUTPUT", "-j", chain]);
    spawnSync("iptables", ["-w", "-F", chain]);
    spawnSync("iptables", ["-w", "-X", chain]);
  };
  remove();
  ipt("-N", chain);
  for (const rule of rules) ipt("-A", chain, ...rule);
  ipt("-I", "OUTPUT", "-j", chain);
  return {
    counted: () =>
      ipt("-L", chain, "-n", "-v", "-x")
        .split("\n")
        .slice(2 + from)
        .filter((l) => l.trim())
        .reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[0]), 0),
    close: remove,
  };
}

export function egressCounter(chain: string, o: { reject?: boolean } = {}): EgressCounter {
  const c = countingChain(
    chain,
    [SERVICE_RANGE, POD_RANGE, NODE_RANGE, OUTSIDE].map((cidr) => ["-d", cidr, "!", "-o", BRIDGE, ...(o.reject ? ["-j", "REJECT"] : [])]),
  );
  return { leaked: c.counted, close: c.close };
}
