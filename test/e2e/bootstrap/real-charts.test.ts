// `infra bootstrap` on the sandbox with the real upstream charts at infra's
// pinned versions (../shared/charts, found by test/helpers/real-charts.ts;
// skipped, saying why, without them): deployed-ok, every Deployment,
// StatefulSet and DaemonSet Ready as kubectl sees it (Vault one replica), a
// second run with nothing to do, and `env destroy meta --cascade` leaving no
// release and none of meta's namespaces. The charts register admission
// webhooks their simulated pods serve: as root, a counter proves no packet
// went to an address the sandbox made up, nor off the machine, meanwhile.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";
import { asRoot, type EgressCounter, egressCounter } from "../../helpers/egress-counter.js";
import { organisationRepo } from "../../helpers/org-repo.js";
import { realCharts } from "../../helpers/real-charts.js";

const { dir: charts, why } = realCharts();
let home: Home;
const kubectl = (args: string[]) =>
  execFileSync("kubectl", args, { env: { ...process.env, KUBECONFIG: join(home.env.INFRA_HOME!, "sandbox", "kubeconfig") }, encoding: "utf8" });
const META_NAMESPACES = ["argocd", "cert-manager", "consul", "infra", "ingress-nginx", "monitoring", "vault"];

describe.skipIf(!!why)(`infra bootstrap with the real charts${why ? ` (skipped: ${why})` : ""}`, () => {
  let first: { code: number; stdout: string; stderr: string };
  let counter: EgressCounter | undefined;

  beforeAll(() => {
    home = makeHome("infra-real-charts-");
    if (asRoot) counter = egressCounter("INFRA-CHARTS-CHECK");
    organisationRepo(home, "services: {}\n");
    first = home.run(["bootstrap", "--location", "sandbox", "--github-organisation", "acme", "--charts", charts!, "--yes"]);
  }, 1_200_000);
  afterAll(() => {
    counter?.close();
    home?.run(["sandbox", "delete", "--yes", "--force"]);
  });

  it("reaches deployed-ok, every workload Ready per kubectl, Vault one replica", () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^meta: deployed-ok at sandbox$/m);
    expect(first.stderr).toMatch(new RegExp(`vault +vault 0\\.29\\.1 from ${charts!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    const workloads = JSON.parse(kubectl(["get", "deployments,statefulsets,daemonsets", "-A", "-o", "json"])).items as {
      kind: string;
      metadata: { namespace: string; name: string };
      spec: { replicas?: number };
      status: { readyReplicas?: number; numberReady?: number; desiredNumberScheduled?: number };
    }[];
    expect(workloads.length).toBeGreaterThan(20);
    const notReady = workloads
      .filter((w) =>
        w.kind === "DaemonSet" ? (w.status.numberReady ?? 0) < (w.status.desiredNumberScheduled ?? 1) : (w.status.readyReplicas ?? 0) < (w.spec.replicas ?? 1),
      )
      .map((w) => `${w.kind} ${w.metadata.namespace}/${w.metadata.name}`);
    expect(notReady).toEqual([]);
    const vault = workloads.find((w) => w.kind === "StatefulSet" && w.metadata.name === "vault")!;
    expect(vault.spec.replicas).toBe(1);
    const releases = kubectl(["get", "secrets", "-A", "-l", "owner=helm,status=deployed", "-o", "jsonpath={.items[*].metadata.labels.name}"]).split(" ").sort();
    expect(releases).toEqual(
      [
        "argo-cd",
        "cert-manager",
        "consul",
        "ingress-nginx",
        "kube-prometheus-stack",
        "loki",
        "opentelemetry-collector",
        "postgresql",
        "prometheus-blackbox-exporter",
        "rabbitmq",
        "vault",
      ].sort(),
    );
  });

  it("says there is nothing to do when run again", () => {
    const again = home.run(["bootstrap", "--location", "sandbox", "--github-organisation", "acme", "--charts", charts!, "--yes"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^meta: deployed-ok at sandbox \(nothing to do\)$/m);
  });

  it("destroy --cascade leaves no release and none of meta's namespaces", () => {
    const r = home.run(["env", "destroy", "meta", "--cascade", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(kubectl(["get", "secrets", "-A", "-l", "owner=helm", "-o", "name"]).trim()).toBe("");
    const left = kubectl(["get", "namespaces", "-o", "jsonpath={.items[*].metadata.name}"]).split(" ");
    expect(left.filter((n) => META_NAMESPACES.includes(n))).toEqual([]);
  });

  it.skipIf(!asRoot)("sent no packet to the sandbox's made-up addresses, nor off the machine, through it all", () => {
    expect(counter!.leaked()).toBe(0);
  });
});
