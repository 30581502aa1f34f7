// The infra API in the meta environment, as bootstrap sets it up (seed 002:
// "build the application, possibly into a docker container", "send data
// describing the environment that was just created"): the image built and
// pushed where the cluster pulls from, its store, the bootstrapping user's
// write token, and meta recorded in the API's own registry. What touches the
// world (the image, the network, the token's file) is behind MetaApi, which
// the CLI provides (src/cli/meta-api.ts).
import { parseLocation } from "../core/location.js";
import { hashToken, newToken } from "../core/token.js";
import type { CommandInput } from "./commands.js";
import type { Environment, ResourceRecord } from "../registry/types.js";

export interface MetaApi {
  /**
   * Builds infra's image: pushed to the sandbox's registry (its reference by digest), or left as an OCI
   * layout for a cloud location's program to push to the registry it makes; or why the API cannot run for real.
   */
  ship(location: string, say: (line: string) => void): Promise<{ image: string; realNode: boolean } | { layout: string; digest: string } | { skipped: string }>;
  /** Builds infra's image here as an OCI layout (for the meta program to push to a registry you name); or why it cannot be. */
  build(say: (line: string) => void): Promise<{ layout: string; digest: string } | { skipped: string }>;
  /**
   * The API's address as this machine reaches it, once it answers ready; or why not. With meta's kubeconfig
   * (a cluster this machine has no route into), through its API server's service proxy.
   */
  reach(location: string, kubeconfig?: string): Promise<{ url: string } | { unreachable: string }>;
  /** Sends a command to the API (the CLI as its client) and follows its operation to the end. */
  send(url: string, token: string, command: CommandInput): Promise<void>;
  /** The write token this machine keeps for the meta environment's API (0600 in the infra home). */
  token(): string | undefined;
  saveToken(token: string): string;
}

/** The locations whose program makes a registry for infra's image and a bucket for the API's state. */
const CLOUDS_WITH_REGISTRY = ["gcp", "aws"];

export interface ApiSetup {
  params: Record<string, string>;
  /** A token made now: shown once. */
  newToken?: string;
  token?: string;
  notices: string[];
  /** infra's own image runs: the API works there, so its user gets a token. */
  real: boolean;
  /** This machine reaches its Service (the sandbox's real node); elsewhere through a port-forward. */
  reachable: boolean;
}

/** The API's parameters for this bootstrap, the image shipped first where it can run for real. */
export async function apiSetup(
  api: MetaApi | undefined,
  location: string,
  existing: Environment | undefined,
  explicitImage: string | undefined,
  say: (line: string) => void,
  registry?: string,
): Promise<ApiSetup> {
  const out: ApiSetup = { params: {}, notices: [], real: false, reachable: false };
  const kind = parseLocation(location).kind;
  // PostgreSQL's and RabbitMQ's pods are simulated on the sandbox: the API keeps its own SQLite there.
  if (kind === "sandbox") out.params.apiStore = "embedded";
  // A cloud location makes a bucket for the API's state: its replicas share it, no claim.
  if (CLOUDS_WITH_REGISTRY.includes(kind)) out.params.apiStateOnVolume = "false";
  if (!api || explicitImage) return out;
  if (registry && kind !== "sandbox") {
    // Pushed by the meta program to the registry named, with the login `docker login` keeps.
    const built = await api.build(say);
    if ("skipped" in built) {
      out.notices.push(built.skipped);
      return out;
    }
    Object.assign(out.params, { apiImageLayout: built.layout, apiImageDigest: built.digest, apiRegistry: registry });
  } else {
    if (!(kind === "sandbox" || CLOUDS_WITH_REGISTRY.includes(kind))) return out;
    const shipped = await api.ship(location, say);
    if ("skipped" in shipped) {
      out.notices.push(shipped.skipped);
      return out;
    }
    if ("layout" in shipped) {
      // Pushed by the meta program, once the registry exists.
      out.params.apiImageLayout = shipped.layout;
      out.params.apiImageDigest = shipped.digest;
    } else {
      out.params.apiImage = shipped.image;
      out.params.apiRealNode = String(shipped.realNode);
      out.reachable = true;
    }
  }
  out.real = true;
  // The write token: this machine's, kept from an earlier bootstrap, or a new one shown once.
  const kept = api.token();
  const recorded = existing && existing.status !== "destroyed" ? existing.params.apiTokenHash : undefined;
  if (kept && recorded === hashToken(kept)) out.token = kept;
  else {
    out.newToken = newToken();
    out.token = out.newToken;
  }
  out.params.apiTokenHash = hashToken(out.token);
  return out;
}

/** The record command that describes meta to the API: its outputs (a secret's value never), resources, template. */
export function metaRecord(meta: Environment, resources: ResourceRecord[], from: string): CommandInput {
  return {
    kind: "record",
    environment: meta.name,
    template: `${meta.template.id}@${meta.template.version}`,
    templateSource: meta.template.source,
    location: meta.location,
    description: meta.description,
    from,
    outputs: Object.fromEntries(
      Object.entries(meta.outputs).map(([k, o]) => [k, o.secret ? { secret: true } : { value: o.value, secret: false, ...(o.kind && { kind: o.kind }) }]),
    ),
    resources: resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name })),
  };
}
