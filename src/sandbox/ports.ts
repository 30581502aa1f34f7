// Ports for the sandbox's processes, chosen before they start. A port the
// kernel picks (listen on 0) comes from the ephemeral range, which every
// outgoing connection on the machine draws from too: between the choice and
// the process's bind, a client's connection took one (CI saw kube-apiserver
// fail with "address already in use"). So the sandbox picks below that range,
// where only listeners go.
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

const FLOOR = 10_000;

/** The kernel's ephemeral range (Linux's default where it cannot be read). */
export function ephemeralRange(text?: string): [number, number] {
  try {
    const [low, high] = (text ?? readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")).trim().split(/\s+/).map(Number);
    if (low && high && low <= high) return [low, high];
  } catch {}
  return [32768, 60999];
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A port free on loopback now, outside the ephemeral range when there is room below it. */
export async function freePort(random: () => number = Math.random): Promise<number> {
  const [low] = ephemeralRange();
  if (low - FLOOR > 1000) {
    for (let i = 0; i < 50; i++) {
      const port = FLOOR + Math.floor(random() * (low - FLOOR));
      if (await portIsFree(port)) return port;
    }
  }
  return kernelPort();
}
