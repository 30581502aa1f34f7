// Use case: bootstrap (seed 002). Deploys or updates the meta environment
// (template meta) at a location, then creates the environments the bootstrap
// file says should exist, in dependency order. The CLI syncs the template
// repositories and finds the bootstrap file; this decides and applies.
import { ConflictError, UsageError } from "../core/errors.js";
import { parseLocation } from "../core/location.js";
import { CHARTS, chartSource } from "../../programs/meta/services/charts.js";
import { resolveParams } from "../templates/params.js";
import { BOOTSTRAP_FILE, type BootstrapFile } from "./bootstrap-file.js";
import { createEnvironment } from "./create.js";
import type { OperationResult } from "./operation.js";
import type { AppContext } from "./ports.js";
import { updateEnvironment } from "./update.js";
import { apiSetup, metaRecord, type MetaApi } from "./bootstrap-api.js";

export const META = "meta";

export interface BootstrapInput {
  location: string;
  organisation: string;
  prefix: string;
  /** One mirror for every chart (https URL, oci://…, a folder); the file's `mirror` otherwise. */
  charts?: string;
  file: BootstrapFile;
  /** A token that lists the organisation's repositories (Argo CD's SCM generator), from the environment. */
  githubToken?: string;
  /** The secrets passphrase, for the API in the cluster (a Secret there; a secret in the state). */
  apiPassphrase?: string;
  /** Where the API keeps its environments' state (a bucket), over the location's or its volume; the file's `apiBackend` otherwise. */
  apiBackend?: string;
  /** Where infra's image goes where the location makes no registry (host[:port]/path); the file's `registry` otherwise. */
  registry?: string;
  /** Runs the API for real where it can (its image shipped) and sends it meta; absent: the API is only declared. */
  api?: MetaApi;
  /** Asked before a first bootstrap applies anything; an update asks after its preview (ctx.confirm). */
  approve?: (plan: BootstrapPlan) => Promise<boolean>;
}

export interface BootstrapPlan {
  action: "create" | "update";
  location: string;
  charts: { service: string; chart: string; version: string; from: string }[];
  environments: string[];
  /** What the user should know before it runs (a part left out, and why). */
  notices: string[];
}

export interface BootstrapResult {
  plan: BootstrapPlan;
  meta?: OperationResult;
  cancelled?: boolean;
  /** The API in the meta environment: where this machine reaches it, whether meta is recorded there, or why not. */
  api?: {
    url?: string;
    store?: string;
    recorded: boolean;
    why?: string;
    newToken?: string;
    tokenFile?: string;
    /** Its user reaches it through a port-forward (a cluster this machine has no route into). */
    portForward?: boolean;
    /** How bootstrap reached it when not at url: the API server's service proxy. */
    through?: string;
  };
  environments: { name: string; created?: OperationResult; existed?: boolean }[];
}

/** Which charts each service installs. */
const SERVICE_CHARTS: Record<string, string[]> = {
  ingress: ["ingress-nginx", "cert-manager"],
  consul: ["consul"],
  vault: ["vault"],
  platform: ["rabbitmq", "postgresql"],
  observability: ["kube-prometheus-stack", "loki", "opentelemetry-collector", "prometheus-blackbox-exporter"],
  gitops: ["argo-cd"],
};

function metaParams(input: BootstrapInput, mirror: string | undefined): Record<string, string> {
  const { file } = input;
  // One of each on a laptop; the template's defaults (3 servers, 2 replicas) elsewhere.
  const small = ["sandbox", "kubernetes"].includes(parseLocation(input.location).kind);
  const size = (k: keyof BootstrapFile["sizes"], d: number) => String(file.sizes[k] ?? (small ? 1 : d));
  const p: Record<string, string> = {
    githubOrganisation: input.organisation,
    repositoryPrefix: input.prefix,
    consulServers: size("consulServers", 3),
    vaultReplicas: size("vaultReplicas", 3),
    ingressReplicas: size("ingressReplicas", 2),
    apiReplicas: size("apiReplicas", 2),
    consul: String(file.services.consul ?? true),
    vault: String(file.services.vault ?? true),
    observability: String(file.services.observability ?? true),
    gitops: String(file.services.gitops ?? true),
  };
  if (mirror) p.charts = mirror;
  if (Object.keys(file.charts).length) p.chartOverrides = JSON.stringify(file.charts);
  if (file.acmeEmail) p.acmeEmail = file.acmeEmail;
  if (file.apiImage) p.apiImage = file.apiImage;
  if (input.githubToken) p.githubToken = input.githubToken;
  if (input.apiPassphrase) p.apiPassphrase = input.apiPassphrase;
  if (parseLocation(input.location).kind === "sandbox") p.caIssuer = "false";
  if (file.openstack) p.clusterOptions = JSON.stringify(file.openstack);
  const apiBackend = input.apiBackend ?? file.apiBackend;
  if (apiBackend) Object.assign(p, { apiBackend, apiStateOnVolume: "false" });
  // A Swift container through its S3 API holds the API's state: its replicas share it, no claim.
  if (file.openstack?.stateEndpoint) p.apiStateOnVolume = "false";
  return p;
}

function enabledServices(file: BootstrapFile): string[] {
  return Object.keys(SERVICE_CHARTS).filter((s) => !(s in file.services) || file.services[s as keyof BootstrapFile["services"]] !== false);
}

/** The initial environments in dependency order: an environment parameter naming another listed environment comes after it. */
async function ordered(ctx: AppContext, file: BootstrapFile): Promise<BootstrapFile["environments"]> {
  const listed = new Map(file.environments.map((e) => [e.name, e]));
  const deps = new Map<string, string[]>();
  for (const e of file.environments) {
    const t = await ctx.templates.find(e.template);
    deps.set(
      e.name,
      Object.entries(t.spec.parameters)
        .filter(([k, p]) => p.type === "environment" && listed.has(String(e.params[k])))
        .map(([k]) => String(e.params[k])),
    );
  }
  const out: BootstrapFile["environments"] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") throw new UsageError(`bootstrap file: environments depend on each other in a cycle: ${[...path, name].join(" -> ")}`);
    state.set(name, "visiting");
    for (const d of deps.get(name) ?? []) visit(d, [...path, name]);
    state.set(name, "done");
    out.push(listed.get(name)!);
  };
  for (const e of file.environments) visit(e.name, []);
  return out;
}

/** The part of the meta environment a resource belongs to, by the component at the top of its URN's type chain. */
export function sectionOf(urn: string): string | undefined {
  const top = urn.split("::")[2]?.split("$")[0];
  if (top === "infra:meta:Cluster" || top === "infra:meta:Authority") return "cluster";
  if (top === "infra:meta:GitOps") return "GitOps";
  if (top?.startsWith("infra:meta:")) return "platform services";
  return undefined;
}

/** Marks each resource step with its part of the meta environment (the engine works on the parts at once). */
function sections(listen: AppContext["listen"]): AppContext["listen"] {
  if (!listen) return listen;
  return (e) => {
    const part = e.type === "step" ? sectionOf(e.urn) : undefined;
    listen(part && e.type === "step" ? { ...e, part } : e);
  };
}

export async function bootstrap(ctx: AppContext, input: BootstrapInput): Promise<BootstrapResult> {
  // Everything that can refuse does so before anything is written.
  const loc = parseLocation(input.location);
  if (loc.kind === "local") {
    throw new UsageError("bootstrap needs a cluster: sandbox, kubernetes[:<context>], gcp:<project>/<region>, aws:<region> or openstack:<cloud>/<region>", {
      field: "location",
      value: "local",
    });
  }
  if (loc.kind === "openstack" && !input.file.openstack) {
    throw new UsageError(
      `bootstrap at ${input.location} needs the cluster's network, image, flavor, SSH key and admin range: add an openstack: section to ${BOOTSTRAP_FILE} (see the README)`,
    );
  }
  if (loc.kind !== "openstack" && input.file.openstack) {
    throw new UsageError(`${BOOTSTRAP_FILE}: openstack: is for an openstack:<cloud>/<region> location, not ${input.location}`);
  }
  const apiBackend = input.apiBackend ?? input.file.apiBackend;
  if (apiBackend !== undefined) {
    if (!/^(s3|gs|azblob):\/\/[^\s/?#]+/.test(apiBackend) || apiBackend.length > 500) {
      const why = `${apiBackend.slice(0, 100)} is not a bucket the API's pods can reach: name one as s3://<bucket>[?region=…], gs://<bucket> or azblob://<container> (its volume is the default)`;
      throw input.apiBackend !== undefined ? new UsageError(why, { field: "apiBackend" }) : new UsageError(`${BOOTSTRAP_FILE}: apiBackend: ${why}`);
    }
  }
  const mirror = input.charts || input.file.mirror || undefined;
  const services = enabledServices(input.file);
  const charts: BootstrapPlan["charts"] = [];
  for (const service of services) {
    for (const chart of SERVICE_CHARTS[service]!) {
      const version = input.file.charts[chart]?.version ?? CHARTS[chart]!.version;
      try {
        const src = chartSource(chart, mirror, version);
        charts.push({
          service,
          chart,
          version,
          from: src.repositoryOpts?.repo ?? (src.chart.endsWith(`/${chart}`) ? src.chart.slice(0, -chart.length - 1) : src.chart),
        });
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
  }
  for (const name of Object.keys(input.file.charts)) {
    if (!(name in CHARTS)) throw new UsageError(`bootstrap file: charts: no chart ${name} in the meta environment (${Object.keys(CHARTS).join(", ")})`);
  }
  const template = await ctx.templates.find(META);
  const params = metaParams(input, mirror);
  resolveParams(template.spec, params);
  await ctx.engine.check(template.spec, input.location); // a cloud's plugin missing: refused before the plan is shown
  // A cluster that is there already must answer, or nothing is written (a cloud's is made by the run;
  // the sandbox is started by the run, after the plan was accepted: nothing starts before the question).
  if (loc.kind === "kubernetes") await ctx.clusters?.check?.(input.location, (message) => ctx.listen?.({ type: "notice", message }));
  const environments = await ordered(ctx, input.file);
  const existing = await ctx.registry.get(META);
  const live = existing && existing.status !== "destroyed";
  if (live && existing.location !== input.location) {
    throw new ConflictError(`meta is at ${existing.location}; bootstrapping at ${input.location} would move it`, {
      remedy: { run: "destroy-cascade", environment: "meta" },
    });
  }
  const notices: string[] = [];
  // Argo CD's SCM generator needs a token; one given at an earlier bootstrap is kept (a secret parameter).
  if (services.includes("gitops") && !input.githubToken && !(live && existing.params.githubToken !== undefined)) {
    notices.push("no GITHUB_TOKEN: Argo CD runs without the ApplicationSet over the organisation's repositories; set it and bootstrap again to add it");
  }
  if (loc.kind === "sandbox" && services.includes("ingress")) {
    notices.push(
      "cert-manager's pods are simulated on the sandbox (nothing issues certificates, and its webhook cannot admit an issuer): no ClusterIssuer of the meta CA there",
    );
  }
  const plan: BootstrapPlan = {
    action: live ? "update" : "create",
    location: input.location,
    charts,
    environments: environments.map((e) => e.name),
    notices,
  };

  if (!live && input.approve && !(await input.approve(plan))) return { plan, cancelled: true, environments: [] };
  if (live) for (const message of notices) ctx.listen?.({ type: "notice", message });
  const say = (message: string) => ctx.listen?.({ type: "notice", message });
  const setup = await apiSetup(input.api, input.location, existing, input.file.apiImage, say, input.registry ?? input.file.registry);
  for (const message of setup.notices) say(message);
  Object.assign(params, setup.params);
  // Kept before the run: a run that dies after the Secret changed leaves the token on this machine.
  const tokenFile = setup.newToken ? input.api!.saveToken(setup.newToken) : undefined;
  const metaCtx = { ...ctx, listen: sections(ctx.listen) };
  const meta: OperationResult = live
    ? await updateEnvironment(metaCtx, { name: META, params })
    : await createEnvironment(metaCtx, {
        name: META,
        template: META,
        params,
        location: input.location,
        description: `the meta environment (${input.organisation})`,
      });
  if (meta.cancelled) return { plan, meta, cancelled: true, environments: [] };
  const api = await publish(ctx, input, setup, meta);
  if (tokenFile) Object.assign(api, { tokenFile, newToken: setup.newToken });

  if (environments.length) ctx.listen?.({ type: "section", name: "initial environments" });
  const made: BootstrapResult["environments"] = [];
  for (const e of environments) {
    const env = await ctx.registry.get(e.name);
    if (env && env.status !== "destroyed") {
      made.push({ name: e.name, existed: true });
      continue;
    }
    const created = await createEnvironment(ctx, {
      name: e.name,
      template: e.template,
      params: Object.fromEntries(Object.entries(e.params).map(([k, v]) => [k, String(v)])),
      tags: e.tags,
      location: e.location ?? input.location,
      ...(e.description !== undefined && { description: e.description }),
    });
    made.push({ name: e.name, created });
  }
  return { plan, meta, api, environments: made };
}

/** Where the API answers and meta recorded there (seed 002: bootstrap sends the data describing it). */
async function publish(
  ctx: AppContext,
  input: BootstrapInput,
  setup: Awaited<ReturnType<typeof apiSetup>>,
  meta: OperationResult,
): Promise<NonNullable<BootstrapResult["api"]>> {
  const store = typeof meta.environment.outputs.apiStore?.value === "string" ? meta.environment.outputs.apiStore.value : undefined;
  const base = { recorded: false, ...(store && { store }) };
  if (!input.api || !setup.real) return { ...base, why: setup.notices[0] ?? "the API's image is not one infra built here" };
  if (meta.environment.status !== "deployed-ok") return { ...base, why: `meta is ${meta.environment.status}` };
  // In a cluster this machine has no route into, meta goes through its API server's service proxy
  // (meta's kubeconfig, a secret output); its user then reaches the API through a port-forward.
  const proxied = !setup.reachable;
  let kubeconfig: string | undefined;
  if (proxied) {
    const template = await ctx.templates.recorded(meta.environment.template);
    const session = await ctx.engine.open(META, template.spec);
    kubeconfig = String((await session.outputs()).kubeconfig?.value ?? "") || undefined;
    if (!kubeconfig) return { ...base, portForward: true, why: "meta has no kubeconfig output to reach it with; meta is not recorded there" };
  }
  const reached = await input.api.reach(input.location, kubeconfig);
  if ("unreachable" in reached) return { ...base, ...(proxied && { portForward: true }), why: reached.unreachable };
  const where = proxied ? { portForward: true, through: "the API server's service proxy" } : { url: reached.url };
  try {
    const resources = await ctx.registry.resources(META);
    await input.api.send(reached.url, setup.token!, metaRecord(meta.environment, resources, `infra bootstrap by ${ctx.actor.who}`));
    return { ...base, ...where, recorded: true };
  } catch (err) {
    return { ...base, ...where, why: `sending meta to it failed: ${(err as Error).message}` };
  }
}
