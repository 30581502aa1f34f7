// What bootstrap needs of the world to run the meta environment's API for
// real (src/app/bootstrap-api.ts): infra's image built (src/image) and pushed
// to the sandbox's registry, the API's Service reached from this machine (or,
// in a cluster this machine has no route into, through its API server's
// service proxy with meta's kubeconfig), the meta environment sent to it as
// its client, and the write token kept 0600.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MetaApi } from "../app/bootstrap-api.js";
import { InfraError } from "../core/errors.js";
import { parseLocation } from "../core/location.js";
import type { Endpoint } from "../kube/http.js";
import type { GlobalOptions } from "./context.js";
import { API_PROXY_PATH, type RemoteSession } from "./remote.js";

/** The API server's service proxy to the API's Service, by the URL reach gave for it. */
const proxies = new Map<string, Endpoint>();

/** The API through its cluster's API server (the Service infra/infra-api, port http), once it answers ready. */
async function reachThroughProxy(kubeconfig: string): Promise<{ url: string } | { unreachable: string }> {
  const [{ kubeEndpoint, send }, { parse }] = await Promise.all([import("../kube/http.js"), import("yaml")]);
  let ep: Endpoint;
  try {
    ep = kubeEndpoint(kubeconfig, (text) => parse(text, { maxAliasCount: 20 }));
  } catch (err) {
    return { unreachable: (err as Error).message };
  }
  const path = API_PROXY_PATH;
  const url = new URL(path, ep.base).href;
  const deadline = Date.now() + READY_DEADLINE_MS;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const r = await send(ep, "GET", `${path}/api/v1/ready`);
      if (r.status === 200) {
        proxies.set(url, ep);
        return { url };
      }
      last = `answered ${r.status}`;
      // The cluster refuses the kubeconfig: waiting will not change it.
      if (r.status === 401 || r.status === 403) break;
    } catch (err) {
      last = (err as { reason?: string }).reason ?? (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  return { unreachable: `the API through ${ep.base.origin}'s service proxy did not answer ready (${last})` };
}

/** How long the API may take to answer ready after its Deployment rolled out (its first start migrates the registry). */
const READY_DEADLINE_MS = 180_000;

/** infra's image as an OCI layout under the infra home (layers cached outside it), or why it cannot be built here. */
async function buildImage(home: string, say: (line: string) => void): Promise<{ layout: string; digest: string; version: string } | { skipped: string }> {
  const [{ imageCache, infraImage }, { buildLayout }] = await Promise.all([import("../image/infra-image.js"), import("../image/oci.js")]);
  const started = Date.now();
  say("building infra's image (layers cached in ~/.cache/infra/image are reused)");
  const cache = imageCache();
  const layout = join(home, "image", "infra");
  try {
    const { spec } = await infraImage(join(cache, "debs"));
    const built = await buildLayout(spec, layout, join(cache, "build"));
    say(`infra's image ${built.digest.slice(0, 19)}… built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { layout, digest: built.digest, version: spec.tag.split(":")[1]! };
  } catch (err) {
    // No image, no real API: the rest of the meta environment still comes up, and the summary says why.
    return { skipped: `infra's image cannot be built here (${(err as Error).message}), so the API's pod runs the image apiImage names` };
  }
}

export function metaApi(home: string): MetaApi {
  const tokenFile = join(home, "meta-api-token");
  return {
    async ship(location, say) {
      const kind = parseLocation(location).kind;
      if (kind === "gcp" || kind === "aws") {
        const built = await buildImage(home, say);
        return "skipped" in built ? built : { layout: built.layout, digest: built.digest };
      }
      if (kind !== "sandbox") return { skipped: "infra's image is not shipped to this location: push it yourself and set apiImage in the bootstrap file" };
      const { Sandbox } = await import("../sandbox/sandbox.js");
      const box = new Sandbox(home);
      let s = await box.status();
      if (s.state !== "running") {
        say("starting the sandbox for location sandbox");
        await box.start({ say });
        s = await box.status();
      }
      if (!s.realNode) {
        return {
          skipped:
            "the sandbox has no real node, so the API's pod is simulated there and nothing answers at its address (infra sandbox start --real-node, as root, runs it for real)",
        };
      }
      if (!s.registry) throw new InfraError("the sandbox's registry is not running: infra sandbox start starts it again");
      const built = await buildImage(home, say);
      if ("skipped" in built) return built;
      const [{ imageName, pushImage }, { sandboxRig }] = await Promise.all([import("../sandbox/registry.js"), import("../sandbox/rig.js")]);
      const digest = await pushImage(sandboxRig().dir, s.registry.address, s.registry.ca, built.layout, imageName(`infra/infra:${built.version}`));
      if (digest !== built.digest) throw new InfraError(`the sandbox's registry holds ${digest || "no digest"} for infra's image, built as ${built.digest}`);
      say(`infra's image ${digest.slice(0, 19)}… pushed to the sandbox's registry`);
      return { image: `${s.registry.address}/infra/infra@${digest}`, realNode: true };
    },

    async build(say) {
      const built = await buildImage(home, say);
      return "skipped" in built ? built : { layout: built.layout, digest: built.digest };
    },

    async reach(location, kubeconfig) {
      if (kubeconfig) return reachThroughProxy(kubeconfig);
      const { LocalClusters } = await import("../sandbox/clusters.js");
      const [svc] = await new LocalClusters(home).get(location, [{ apiVersion: "v1", kind: "Service", namespace: "infra", name: "infra-api" }]);
      const ip = (svc as { spec?: { clusterIP?: string } } | undefined)?.spec?.clusterIP;
      const port = (svc as { spec?: { ports?: { port?: number }[] } } | undefined)?.spec?.ports?.[0]?.port;
      if (!ip || ip === "None" || !port) return { unreachable: "the Service infra/infra-api has no cluster address" };
      const url = `http://${ip.includes(":") ? `[${ip}]` : ip}:${port}`;
      const deadline = Date.now() + READY_DEADLINE_MS;
      let last = "";
      while (Date.now() < deadline) {
        try {
          const r = await fetch(`${url}/api/v1/ready`, { signal: AbortSignal.timeout(3000) });
          if (r.ok) return { url };
          last = `answered ${r.status}`;
        } catch (err) {
          last = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
      return { unreachable: `${url}/api/v1/ready did not answer ready within ${READY_DEADLINE_MS / 1000} s (${last})` };
    },

    async send(url, token, command) {
      const { submitRemote } = await import("./client.js");
      const ep = proxies.get(url);
      const session: RemoteSession = { url, token, ...(ep && { through: { tls: ep.tls, headers: ep.headers } }) };
      await submitRemote(session, command, { json: true, yes: true, nonInteractive: true } as GlobalOptions);
    },

    token() {
      if (!existsSync(tokenFile)) return undefined;
      const t = readFileSync(tokenFile, "utf8").trim();
      return /^[A-Za-z0-9_-]{1,200}$/.test(t) ? t : undefined;
    },

    saveToken(token) {
      mkdirSync(home, { recursive: true, mode: 0o700 });
      const tmp = `${tokenFile}.${process.pid}.tmp`;
      writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, tokenFile);
      return tokenFile;
    },
  };
}
