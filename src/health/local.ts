// The prober this machine uses: the network as it sees it, and the sandbox's
// ingress for environments on the sandbox.
import type { Prober } from "../app/ports.js";

export async function localProber(home: string): Promise<Prober> {
  const [{ NetworkProber }, { Sandbox }, { LocalClusters }] = await Promise.all([
    import("./prober.js"),
    import("../sandbox/sandbox.js"),
    import("../sandbox/clusters.js"),
  ]);
  const clusters = new LocalClusters(home);
  return new NetworkProber(
    () => new Sandbox(home),
    (location) => clusters.isSandbox(location),
  );
}
