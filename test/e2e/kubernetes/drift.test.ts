// Day 2 on the sandbox: kubectl changes what infra made (click-ops), infra
// env drift names each change with both values, the missing Service and the
// ConfigMap nobody declared, the
// registry says drifted (one notification), reconcile puts it back, a new
// check finds it in sync, and refresh accepts a change into the state instead.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";

let home: Home;
const kubectl = (args: string[]) =>
  execFileSync("kubectl", args, { env: { ...process.env, KUBECONFIG: join(home.env.INFRA_HOME!, "sandbox", "kubeconfig") }, encoding: "utf8" });

type Report = {
  environment: string;
  inSync: boolean;
  resources: { state: string; type: string; name: string; fields: { path: string; declared?: unknown; actual?: unknown }[] }[];
};

beforeAll(() => {
  home = makeHome("infra-drift-");
  const r = home.run(["env", "create", "shop", "-t", "k8s-namespace-app", "-p", "image=nginx:1.27", "--location", "sandbox"]);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => {
  home.run(["sandbox", "delete", "--yes", "--force"]);
});

describe("drift on the sandbox", () => {
  it("in sync right after the create: exit 0, and said", () => {
    const r = home.run(["env", "drift", "shop"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("shop: in sync (nothing changed outside infra)");
  });

  it("names the image changed with kubectl (both values) and the Service deleted; exit 4; the status says drifted", () => {
    kubectl(["-n", "shop", "set", "image", "deployment/app", "app=nginx:1.28"]);
    kubectl(["-n", "shop", "delete", "service", "app"]);
    kubectl(["-n", "shop", "create", "configmap", "click-ops", "--from-literal=a=b"]);
    const r = home.run(["env", "drift", "shop", "--json"]);
    expect(r.code, r.stderr).toBe(4);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.inSync).toBe(false);
    const deployment = report.resources.find((x) => x.type === "kubernetes:apps/v1:Deployment");
    expect(deployment).toMatchObject({ state: "changed", name: "app" });
    expect(deployment!.fields).toContainEqual({ path: "spec.template.spec.containers[0].image", declared: "nginx:1.27", actual: "nginx:1.28" });
    expect(report.resources.find((x) => x.type === "kubernetes:core/v1:Service")).toMatchObject({ state: "missing", name: "app" });
    // What nobody declared is named; nothing owned by what infra made (a ReplicaSet, a Pod), nor what
    // Kubernetes makes by itself (the default ServiceAccount, kube-root-ca.crt, Endpoints, Events).
    expect(report.resources.filter((x) => x.state === "unmanaged").map((x) => `${x.type} ${x.name}`)).toEqual(["kubernetes:core/v1:ConfigMap shop/click-ops"]);
    expect(report.resources.map((x) => x.type).filter((t) => /ReplicaSet|:Pod$/.test(t))).toEqual([]);
    expect(home.json<{ status: string }>(["env", "show", "shop"]).status).toBe("drifted");
    const text = home.run(["env", "drift", "shop", "--last"]);
    expect(text.code).toBe(4);
    expect(text.stdout).toContain('spec.template.spec.containers[0].image: "nginx:1.27" → "nginx:1.28"');
    expect(text.stdout).toMatch(/- app \(kubernetes:core\/v1:Service\) missing: deleted outside infra/);
    expect(text.stdout).toContain("? shop/click-ops (kubernetes:core/v1:ConfigMap) unmanaged: nobody declared it");
    const ops = home.json<{ operations: { kind: string; result: string }[] }>(["env", "history", "shop"]).operations;
    expect(ops.filter((o) => o.kind === "drift").map((o) => o.result)).toEqual(["succeeded", "succeeded"]);
    // Every deployed environment at once: the same answer, exit 4.
    const all = home.run(["env", "drift", "--all", "--json"]);
    expect(all.code, all.stderr).toBe(4);
    expect(JSON.parse(all.stdout)).toMatchObject({ checked: 1, drifted: 1, failed: [], reports: [{ environment: "shop", inSync: false }] });
    expect(home.run(["env", "drift", "shop", "--all"]).code).toBe(2);
  });

  it("reconcile puts back the image and the Service; a new check is in sync and the status deployed-ok", () => {
    const r = home.run(["env", "reconcile", "shop", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(kubectl(["-n", "shop", "get", "deployment", "app", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])).toBe("nginx:1.27");
    expect(kubectl(["-n", "shop", "get", "service", "app", "-o", "name"]).trim()).toBe("service/app");
    // The ConfigMap nobody declared is left alone, and still said; alone it is not drift.
    expect(kubectl(["-n", "shop", "get", "configmap", "click-ops", "-o", "name"]).trim()).toBe("configmap/click-ops");
    const check = home.run(["env", "drift", "shop"]);
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).toBe(
      "shop: in sync (nothing changed outside infra); 1 object nobody declared:\n  ? shop/click-ops (kubernetes:core/v1:ConfigMap) unmanaged: nobody declared it\n",
    );
    expect(home.json<{ status: string }>(["env", "show", "shop"]).status).toBe("deployed-ok");
  });

  it("reconcile --prune-unmanaged deletes what nobody declared, and only that; audited", () => {
    const pods = kubectl(["-n", "shop", "get", "pods", "-o", "name"]).trim().split("\n").sort();
    const r = home.run(["env", "reconcile", "shop", "--yes", "--prune-unmanaged"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("deleted ConfigMap shop/click-ops (nobody declared it)");
    expect(kubectl(["-n", "shop", "get", "configmap", "-o", "name"]).trim().split("\n")).not.toContain("configmap/click-ops");
    // What a managed object owns (the Deployment's ReplicaSet and Pods) and what Kubernetes made are untouched.
    expect(kubectl(["-n", "shop", "get", "pods", "-o", "name"]).trim().split("\n").sort()).toEqual(pods);
    expect(kubectl(["-n", "shop", "get", "configmap", "kube-root-ca.crt", "-o", "name"]).trim()).toBe("configmap/kube-root-ca.crt");
    const audit = home.json<{ items: { action: string; detail: { objects?: string[] } }[] }>(["audit", "--env", "shop", "--action", "prune-unmanaged"]);
    expect(audit.items[0]!.detail.objects).toEqual(["ConfigMap shop/click-ops"]);
    expect(home.run(["env", "drift", "shop"]).stdout.trim()).toBe("shop: in sync (nothing changed outside infra)");
    // Nothing left to prune: said, nothing asked.
    const again = home.run(["env", "reconcile", "shop", "--yes", "--prune-unmanaged"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("no object nobody declared: nothing to prune");
  });

  it("a replica count changed outside infra is not drift: the template's ignore rule leaves it to the autoscaler", () => {
    kubectl(["-n", "shop", "scale", "deployment/app", "--replicas=5"]);
    const r = home.run(["env", "drift", "shop"]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout.trim()).toBe("shop: in sync (nothing changed outside infra)");
  });

  it("refresh accepts a change into the state instead: nothing outside changes, and a check is in sync", () => {
    kubectl(["-n", "shop", "set", "image", "deployment/app", "app=nginx:1.29"]);
    const r = home.run(["env", "refresh", "shop", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('spec.template.spec.containers[0].image: "nginx:1.27" → "nginx:1.29"');
    expect(kubectl(["-n", "shop", "get", "deployment", "app", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])).toBe("nginx:1.29");
    expect(home.run(["env", "drift", "shop"]).code).toBe(0);
  });

  it("bad input: an unknown environment, a destroyed one, a reconcile without --yes off a terminal", () => {
    const unknown = home.run(["env", "drift", "ghost"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toMatch(/^infra: no environment named ghost/);
    const ask = home.run(["env", "reconcile", "shop"]);
    expect(ask.code).toBe(2);
    expect(ask.stderr).toMatch(/pass --yes/);
    expect(home.run(["env", "destroy", "shop", "--yes"]).code).toBe(0);
    const gone = home.run(["env", "drift", "shop"]);
    expect(gone.code).toBe(3);
    expect(gone.stderr.trim()).toBe("infra: environment shop is destroyed: there is nothing to check");
  });
});
