// kubernetes:helm.sh/v3:Release in our provider, on the sandbox: charts of our
// own from an https repository on loopback (its certificate signed by a CA the
// Release names in repositoryOpts.caFile) and from a local folder; install,
// upgrade, an atomic upgrade that fails and is rolled back, refresh, uninstall.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useSandbox } from "../../helpers/sandbox.js";
import { chartsDir, packCharts, serveCharts, type ChartServer } from "../../helpers/charts.js";

let repo: ChartServer;
let caFile: string;
const sb = useSandbox("infra-helm-");
const kubectl = (args: string[]) => sb.kubectl(args);

interface Knobs {
  version: string;
  values: Record<string, unknown>;
  atomic?: boolean;
  timeout?: number;
  extra?: Record<string, unknown>;
}

async function stackFor(name: string, knobs: () => Knobs): Promise<Stack> {
  const kubeconfig = sb.kubeconfig();
  const program = async () => {
    const k8s = await import("@pulumi/kubernetes");
    const provider = new k8s.Provider("sandbox", { kubeconfig });
    const k = knobs();
    const web = new k8s.helm.v3.Release(
      "web",
      {
        chart: "web",
        version: k.version,
        repositoryOpts: { repo: repo.url, caFile },
        namespace: "apps",
        createNamespace: true,
        values: k.values,
        atomic: k.atomic,
        timeout: k.timeout,
        ...k.extra,
      },
      { provider },
    );
    const local = new k8s.helm.v3.Release(
      "local",
      { chart: join(chartsDir, "web"), namespace: "apps", values: { replicas: 1 } },
      { provider, dependsOn: [web] },
    );
    return { name: web.name, status: web.status, local: local.status, names: web.resourceNames };
  };
  return sb.stack("k8s-helm", name, program);
}

beforeAll(async () => {
  const sandbox = sb.dir;
  // The sandbox's serving certificate names 127.0.0.1: the chart repository borrows it.
  caFile = join(sandbox, "pki", "ca.crt");
  const charts = mkdtempSync(join(tmpdir(), "infra-helm-repo-"));
  packCharts(charts, [
    { chart: "web", version: "0.1.0" },
    { chart: "web", version: "0.2.0" },
  ]);
  repo = await serveCharts(charts, { cert: join(sandbox, "pki", "apiserver.crt"), key: join(sandbox, "pki", "apiserver.key") });
});
afterAll(async () => {
  await repo?.close();
});

type Status = { status: string; revision: number; version: string; chart: string; namespace: string };

describe("a Release from an https chart repository, and one from a local folder", () => {
  let knobs: Knobs = { version: "0.1.0", values: { replicas: 2 } };
  let stack: Stack;
  let release: string;

  it("installs, waiting for the release's objects to be ready", async () => {
    stack = await stackFor("dev", () => knobs);
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 4 });
    release = up.outputs.name!.value as string;
    expect(release).toMatch(/^web-[0-9a-f]{8}$/);
    const st = up.outputs.status!.value as Status;
    expect(st).toMatchObject({ status: "deployed", revision: 1, chart: "web", version: "0.1.0", namespace: "apps" });
    expect((up.outputs.local!.value as Status).status).toBe("deployed");
    // The objects of the release by "Kind[.group]/apiVersion", as the official provider groups them.
    expect(up.outputs.names!.value).toEqual({ "Deployment.apps/apps/v1": [release], "Service/v1": [release] });
    const d = JSON.parse(kubectl(["-n", "apps", "get", "deployment", release, "-o", "json"]));
    expect(d.status.readyReplicas).toBe(2);
    expect(repo.requests).toContain("index.yaml");
    expect(repo.requests).toContain("web-0.1.0.tgz");
  });

  it("upgrades to another chart version and values, in place", async () => {
    knobs = { version: "0.2.0", values: { replicas: 3, settings: { mode: "sandbox" } } };
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ update: 1, same: 3 });
    expect(up.outputs.status!.value as Status).toMatchObject({ status: "deployed", revision: 2, version: "0.2.0" });
    const cm = JSON.parse(kubectl(["-n", "apps", "get", "configmap", `${release}-settings`, "-o", "json"]));
    expect(cm.data).toEqual({ mode: "sandbox", chartVersion: "0.2.0" });
    expect(up.outputs.names!.value).toEqual({ "Deployment.apps/apps/v1": [release], "Service/v1": [release], "ConfigMap/v1": [`${release}-settings`] });
    expect(JSON.parse(kubectl(["-n", "apps", "get", "deployment", release, "-o", "json"])).status.readyReplicas).toBe(3);
    // Read gives back what was deployed: a refresh then a preview finds nothing to do.
    await stack.refresh();
    expect((await stack.preview()).changeSummary).toEqual({ same: 4 });
  });

  it("rolls an atomic upgrade that does not become ready back, and says why", async () => {
    knobs = { version: "0.2.0", values: { replicas: 3, settings: { mode: "sandbox" }, nodeSelector: { pool: "nowhere" } }, atomic: true, timeout: 8 };
    const err = (await stack.up().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/helm release apps\/web-[0-9a-f]{8}: upgrade failed: .*rolled back/s);
    const d = JSON.parse(kubectl(["-n", "apps", "get", "deployment", release, "-o", "json"]));
    expect(d.spec.template.spec.nodeSelector).toBeUndefined();
    // The state still holds revision 2's inputs; refresh reads revision 4 (the rollback) back.
    const refresh = await stack.refresh();
    expect(refresh.summary.result).toBe("succeeded");
    const state = await stack.exportStack();
    const rel = (state.deployment.resources as { type: string; outputs: { status: Status } }[]).find(
      (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.outputs.status.chart === "web" && r.outputs.status.revision > 1,
    );
    expect(rel?.outputs.status).toMatchObject({ status: "deployed", revision: 4 });
  });

  it("uninstalls both releases on destroy, the objects gone", async () => {
    const r = await stack.destroy();
    expect(r.summary.resourceChanges).toEqual({ delete: 4 });
    expect(kubectl(["-n", "apps", "get", "deployments,services", "-o", "name"]).trim()).toBe("");
    expect(kubectl(["-n", "apps", "get", "secrets", "-l", "owner=helm", "-o", "name"]).trim()).toBe("");
  });
});

describe("bad input", () => {
  it("a chart version the repository does not have is one error naming it", async () => {
    const stack = await stackFor("missing", () => ({ version: "9.9.9", values: {} }));
    const err = (await stack.up().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/chart web@9\.9\.9 cannot be found/);
  });

  it("an input the provider does not act on is refused, not ignored", async () => {
    const stack = await stackFor("refused", () => ({ version: "0.1.0", values: {}, extra: { postrender: "/usr/bin/env" } }));
    const err = (await stack.preview().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/postrender is not supported by infra's offline Kubernetes provider/);
  });
});
