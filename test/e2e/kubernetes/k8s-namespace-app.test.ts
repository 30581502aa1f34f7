// The built-in k8s-namespace-app template on the sandbox, end to end through
// the CLI and our Kubernetes provider: no meta environment needed.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";

let home: Home;
const kubectl = (args: string[]) =>
  execFileSync("kubectl", args, { env: { ...process.env, KUBECONFIG: join(home.env.INFRA_HOME!, "sandbox", "kubeconfig") }, encoding: "utf8" });

beforeAll(() => {
  home = makeHome("infra-nsapp-");
});
afterAll(() => {
  home.run(["sandbox", "delete", "--yes", "--force"]);
});

describe("k8s-namespace-app on location sandbox", () => {
  it("creates the namespace, quota, limits, network policy, Deployment, Service, Ingress, HPA and PDB", () => {
    const r = home.run(["env", "create", "shop", "-t", "k8s-namespace-app", "-p", "image=nginx:1.27", "-p", "replicas=3", "--location", "sandbox"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^shop: deployed-ok \(k8s-namespace-app@1\.3\.0\)/);
    // kwok's pods answer nothing: its health output is said not checked, neither passed nor failed.
    expect(r.stderr).toContain("not checked: health: the sandbox runs no containers: kwok simulates its pods, nothing answers");
    const kinds = kubectl(["-n", "shop", "get", "deploy,svc,ingress,hpa,pdb,networkpolicy,resourcequota,limitrange", "-o", "name"]);
    for (const k of [
      "deployment.apps/app",
      "service/app",
      "ingress.networking.k8s.io/app",
      "horizontalpodautoscaler.autoscaling/app",
      "poddisruptionbudget.policy/app",
    ]) {
      expect(kinds).toContain(k);
    }
    expect(kinds).toMatch(/networkpolicy/);
    expect(kinds).toMatch(/resourcequota/);
    expect(kinds).toMatch(/limitrange/);
    expect(JSON.parse(kubectl(["-n", "shop", "get", "deployment", "app", "-o", "json"])).status.readyReplicas).toBe(3);
    const show = home.json<Record<string, any>>(["env", "show", "shop"]);
    expect(show.resources.find((x: { type: string }) => x.type === "kubernetes:apps/v1:Deployment").component).toBe("app");
    expect(show.resources.find((x: { type: string }) => x.type === "kubernetes:core/v1:Namespace").component).toBe("ns");
    expect(show.outputs.url.value).toBe("https://shop.apps.example.com");
  });

  it("updates exactly the Deployment and its HPA when the replica count changes", () => {
    const r = home.run(["env", "update", "shop", "-p", "replicas=4", "--yes", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).changes).toEqual({ update: 2, same: 12 });
    expect(JSON.parse(kubectl(["-n", "shop", "get", "deployment", "app", "-o", "json"])).status.readyReplicas).toBe(4);
  });

  it("destroys it, and no namespace is left behind", () => {
    const r = home.run(["env", "destroy", "shop", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(kubectl(["get", "namespaces", "-o", "name"])).not.toContain("namespace/shop");
    expect(home.json<Record<string, any>>(["env", "show", "shop"]).status).toBe("destroyed");
  });

  it("with PostgreSQL: a primary and a standby on volumes the sandbox provisions, the -ro Service on the standby, a backup CronJob", async () => {
    const r = home.run(["env", "create", "shopdb", "-t", "k8s-namespace-app", "-p", "image=nginx:1.27", "-p", "postgres=true", "--location", "sandbox"]);
    expect(r.code, r.stderr).toBe(0);
    const get = (what: string) => JSON.parse(kubectl(["-n", "shopdb", "get", ...what.split(" "), "-o", "json"]));
    expect(get("statefulset db").status.readyReplicas).toBe(1);
    expect(get("statefulset db-standby").status.readyReplicas).toBe(1);
    // The read-only Service's endpoints are the standby's pod, the primary's Service the primary's.
    const pods = (selector: Record<string, string>) =>
      get(
        `pods -l ${Object.entries(selector)
          .map(([k, v]) => `${k}=${v}`)
          .join(",")}`,
      ).items.map((p: { metadata: { name: string } }) => p.metadata.name);
    expect(pods(get("service db-ro").spec.selector)).toEqual(["db-standby-0"]);
    expect(pods(get("service db").spec.selector)).toEqual(["db-0"]);
    expect(get("cronjob db-backup").spec.schedule).toBe("0 3 * * *");
    const claims = get("pvc").items as { metadata: { name: string }; status: { phase: string }; spec: { volumeName: string } }[];
    expect(claims.map((c) => c.metadata.name).sort()).toEqual(["data-db-0", "data-db-standby-0", "db-backups"]);
    for (const c of claims) expect(c.status.phase).toBe("Bound");
    const show = home.json<Record<string, any>>(["env", "show", "shopdb"]);
    expect(show.outputs.databaseUrl).toEqual({ secret: true });
    expect(show.outputs.databaseReadUrl).toEqual({ secret: true });
    const volume = claims.find((c) => c.metadata.name === "data-db-0")!.spec.volumeName;
    expect(home.run(["env", "destroy", "shopdb", "--yes"]).code).toBe(0);
    // The claim's volume goes after the claim, as on any cluster: the controller-manager's volume
    // controller deletes a released volume (reclaim policy Delete) on its own schedule.
    await expect.poll(() => kubectl(["get", "pv", "-o", "name"]), { timeout: 60_000, interval: 1_000 }).not.toContain(volume);
  });
});

describe("bad input through the CLI", () => {
  it("an object the API server refuses: one line naming it, the environment failed, a fixed update brings it back", () => {
    // The template's pattern lets "a..b" through; the API server does not take it as a host.
    const r = home.run([
      "env",
      "create",
      "bad",
      "-t",
      "k8s-namespace-app",
      "-p",
      "image=nginx:1.27",
      "-p",
      "replicas=1",
      "-p",
      "domain=a..b",
      "--location",
      "sandbox",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the API server refused Ingress bad\/app: .*Invalid value: "bad\.a\.\.b"/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(home.json<Record<string, any>>(["env", "show", "bad"]).status).toBe("deployed-fail");
    const fixed = home.run(["env", "update", "bad", "-p", "domain=apps.example.com", "--yes"]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(home.json<Record<string, any>>(["env", "show", "bad"]).status).toBe("deployed-ok");
    expect(kubectl(["-n", "bad", "get", "ingress", "app", "-o", "jsonpath={.spec.rules[0].host}"])).toBe("bad.apps.example.com");
  });

  it("an unreachable cluster: one line naming it, the environment failed, recover brings it back once it answers", () => {
    const kubeconfig = join(home.env.INFRA_HOME!, "sandbox", "kubeconfig");
    expect(home.run(["sandbox", "stop"]).code).toBe(0);
    const r = home.run(
      ["env", "create", "away", "-t", "k8s-namespace-app", "-p", "image=nginx:1.27", "-p", "replicas=1", "--location", "kubernetes:infra-sandbox"],
      { KUBECONFIG: kubeconfig },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/configured Kubernetes cluster is unreachable \(https:\/\/127\.0\.0\.1:\d+\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(home.json<Record<string, any>>(["env", "show", "away"]).status).toBe("deployed-fail");
    expect(home.run(["sandbox", "start"]).code).toBe(0);
    const rec = home.run(["env", "recover", "away"], { KUBECONFIG: kubeconfig });
    expect(rec.code, rec.stderr).toBe(0);
    expect(home.json<Record<string, any>>(["env", "show", "away"]).status).toBe("deployed-ok");
    expect(kubectl(["-n", "away", "get", "deployment", "app", "-o", "name"]).trim()).toBe("deployment.apps/app");
    for (const n of ["bad", "away"]) expect(home.run(["env", "destroy", n, "--yes"], { KUBECONFIG: kubeconfig }).code).toBe(0);
  });
});
