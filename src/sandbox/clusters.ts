// The clusters locations name, for templates that read ${location.kubeconfig}:
// the sandbox (started when it is not running, with a one-line notice) and a
// context of the user's kubeconfig (kubernetes[:<context>]).
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join, dirname, resolve } from "node:path";
import { parse, stringify } from "yaml";
import type { Clusters } from "../app/ports.js";
import type { LiveObject, ObjectRef } from "../kube/objects.js";
import { InfraError, UsageError } from "../core/errors.js";
import { parseLocation } from "../core/location.js";
import { Sandbox } from "./sandbox.js";

/** A named entry of a kubeconfig (context, cluster or user). */
type Entry = { name: string } & Record<string, unknown>;

export class LocalClusters implements Clusters {
  constructor(
    private readonly home: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async kubeconfig(location: string, say: (line: string) => void): Promise<string> {
    const loc = parseLocation(location);
    if (loc.kind === "sandbox") {
      const box = new Sandbox(this.home);
      const s = await box.status();
      if (s.state !== "running") {
        say("starting the sandbox for location sandbox (no container runs in it; infra sandbox status shows it)");
        await box.start({ say });
      }
      return readFileSync(box.paths.kubeconfig, "utf8");
    }
    if (loc.kind === "kubernetes") return contextKubeconfig(this.env, loc.context);
    throw new UsageError(`location ${location} provides no kubeconfig`);
  }

  /** Whether a location's cluster is this machine's sandbox: location sandbox, or a context whose server is its API server. */
  isSandbox(location: string): boolean {
    const loc = parseLocation(location);
    if (loc.kind === "sandbox") return true;
    if (loc.kind !== "kubernetes") return false;
    const server = new Sandbox(this.home).server();
    if (!server) return false;
    try {
      const k = parse(contextKubeconfig(this.env, loc.context), { maxAliasCount: 20 }) as { clusters?: { cluster?: { server?: string } }[] };
      return k.clusters?.[0]?.cluster?.server === server;
    } catch {
      return false;
    }
  }

  async objects(location: string, namespaces: string[]): Promise<LiveObject[]> {
    const [{ kubeEndpoint }, { namespacedObjects }] = await Promise.all([import("../kube/http.js"), import("../kube/objects.js")]);
    const ep = kubeEndpoint(await this.kubeconfig(location, () => {}), (text) => parse(text, { maxAliasCount: 20 }));
    return namespacedObjects(ep, namespaces);
  }

  async get(location: string, refs: ObjectRef[]): Promise<(Record<string, unknown> | undefined)[]> {
    const [{ kubeEndpoint }, { getObjects }] = await Promise.all([import("../kube/http.js"), import("../kube/objects.js")]);
    const ep = kubeEndpoint(await this.kubeconfig(location, () => {}), (text) => parse(text, { maxAliasCount: 20 }));
    return getObjects(ep, refs);
  }

  async delete(location: string, refs: ObjectRef[]): Promise<void> {
    const [{ kubeEndpoint }, { deleteObjects }] = await Promise.all([import("../kube/http.js"), import("../kube/objects.js")]);
    const ep = kubeEndpoint(await this.kubeconfig(location, () => {}), (text) => parse(text, { maxAliasCount: 20 }));
    await deleteObjects(ep, refs);
  }

  async check(location: string, say: (line: string) => void): Promise<void> {
    const { probe } = await import("../kube/http.js");
    const kubeconfig = await this.kubeconfig(location, say);
    await probe(kubeconfig, (text) => parse(text, { maxAliasCount: 20 }));
  }
}

/** The kubeconfig files kubectl would read: $KUBECONFIG (a list) or ~/.kube/config. */
function kubeconfigFiles(env: NodeJS.ProcessEnv): string[] {
  const list = (env.KUBECONFIG ?? "").split(delimiter).filter(Boolean);
  return list.length ? list : [join(env.HOME || homedir(), ".kube", "config")];
}

/**
 * One context of the user's kubeconfig as a kubeconfig of its own, files it
 * names (certificates, keys) inlined, so the stack does not depend on paths of
 * this machine. Merged as kubectl merges: the first file naming an entry wins.
 */
export function contextKubeconfig(env: NodeJS.ProcessEnv, context?: string): string {
  const files = kubeconfigFiles(env).filter((f) => existsSync(f));
  if (!files.length) throw new UsageError(`no kubeconfig at ${kubeconfigFiles(env).join(", ")}: set KUBECONFIG or pass --location sandbox`);
  const merged = {
    contexts: new Map<string, Entry>(),
    clusters: new Map<string, Entry>(),
    users: new Map<string, Entry>(),
    current: undefined as string | undefined,
  };
  for (const f of files) {
    let doc: Record<string, unknown>;
    try {
      doc = (parse(readFileSync(f, "utf8"), { maxAliasCount: 20 }) ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`${f} is not a kubeconfig that parses: ${(err as Error).message.split("\n")[0]}`);
    }
    merged.current ??= typeof doc["current-context"] === "string" ? (doc["current-context"] as string) : undefined;
    for (const kind of ["contexts", "clusters", "users"] as const) {
      for (const e of (Array.isArray(doc[kind]) ? doc[kind] : []) as Entry[]) {
        if (e && typeof e.name === "string" && !merged[kind].has(e.name)) merged[kind].set(e.name, inline(e, dirname(resolve(f))));
      }
    }
  }
  const name = context ?? merged.current;
  if (!name) throw new UsageError(`${files.join(", ")} names no current context: pass --location kubernetes:<context>`);
  const ctx = merged.contexts.get(name);
  if (!ctx) {
    throw new UsageError(`no context ${name} in ${files.join(", ")}; it has ${[...merged.contexts.keys()].join(", ") || "none"} (kubectl config get-contexts)`);
  }
  const spec = (ctx.context ?? {}) as { cluster?: string; user?: string; namespace?: string };
  const cluster = spec.cluster ? merged.clusters.get(spec.cluster) : undefined;
  if (!cluster) throw new UsageError(`context ${name} names cluster ${spec.cluster ?? "(none)"}, which the kubeconfig does not define`);
  const user = spec.user ? merged.users.get(spec.user) : undefined;
  if (spec.user && !user) throw new UsageError(`context ${name} names user ${spec.user}, which the kubeconfig does not define`);
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [cluster],
    users: user ? [user] : [],
    contexts: [ctx],
    "current-context": name,
  });
}

const FILE_FIELDS: Record<string, string> = {
  "certificate-authority": "certificate-authority-data",
  "client-certificate": "client-certificate-data",
  "client-key": "client-key-data",
};

/** A cluster or user entry with the files it names read in (relative paths are from its kubeconfig's folder). */
function inline(e: Entry, base: string): Entry {
  const out: Entry = { ...e };
  for (const key of ["cluster", "user"]) {
    const body = e[key];
    if (!body || typeof body !== "object") continue;
    const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    for (const [field, data] of Object.entries(FILE_FIELDS)) {
      const path = copy[field];
      if (typeof path !== "string") continue;
      const file = isAbsolute(path) ? path : join(base, path);
      try {
        copy[data] = readFileSync(file).toString("base64");
      } catch {
        throw new InfraError(`the kubeconfig entry ${e.name} names ${field} ${file}, which cannot be read`, "usage");
      }
      delete copy[field];
    }
    out[key] = copy;
  }
  return out;
}
