// Our Kubernetes provider (rig/kubernetes) through the Automation API, on the
// sandbox's real API server: create with the await rules, update in place,
// drift found by refresh, an object deleted with kubectl, a partial error on
// timeout that keeps the object, skipAwait, replacement, destroy.
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { useSandbox } from "../../helpers/sandbox.js";

const sb = useSandbox("infra-k8s-");
const kubectl = (args: string[]) => sb.kubectl(args);

interface Knobs {
  replicas: number;
  selector?: string;
  nodeSelector?: Record<string, string>;
  timeoutSeconds?: string;
  skipAwait?: boolean;
  settingsName?: string;
}

async function stackFor(name: string, knobs: () => Knobs): Promise<Stack> {
  const kubeconfig = sb.kubeconfig();
  const program = async () => {
    const k8s = await import("@pulumi/kubernetes");
    const provider = new k8s.Provider("sandbox", { kubeconfig });
    const k = knobs();
    const ns = new k8s.core.v1.Namespace("shop", {}, { provider });
    const labels = { app: k.selector ?? "web" };
    const annotations: Record<string, string> = {
      ...(k.timeoutSeconds && { "pulumi.com/timeoutSeconds": k.timeoutSeconds }),
      ...(k.skipAwait && { "pulumi.com/skipAwait": "true" }),
    };
    const web = new k8s.apps.v1.Deployment(
      "web",
      {
        metadata: { namespace: ns.metadata.name, annotations },
        spec: {
          replicas: k.replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: "web", image: "nginx:1.27" }], ...(k.nodeSelector && { nodeSelector: k.nodeSelector }) },
          },
        },
      },
      { provider },
    );
    const svc = new k8s.core.v1.Service(
      "web",
      { metadata: { namespace: ns.metadata.name }, spec: { type: "LoadBalancer", selector: labels, ports: [{ port: 80 }] } },
      { provider, dependsOn: [web] },
    );
    const settings = new k8s.core.v1.ConfigMap(
      "settings",
      { metadata: { namespace: ns.metadata.name, name: k.settingsName ?? "settings" }, data: { mode: "sandbox" } },
      { provider },
    );
    return {
      ns: ns.metadata.name,
      web: web.metadata.name,
      ready: web.status.readyReplicas,
      address: svc.status.loadBalancer.ingress[0]!.ip,
      settings: settings.metadata.name,
    };
  };
  return sb.stack("k8s-provider", name, program);
}

describe("a namespace, a Deployment, a LoadBalancer Service and a ConfigMap", () => {
  let knobs: Knobs = { replicas: 3 };
  let stack: Stack;
  let ns: string;

  it("are created, each awaited as the official provider does", async () => {
    stack = await stackFor("dev", () => knobs);
    const up = await stack.up();
    expect(up.summary.resourceChanges).toEqual({ create: 6 });
    ns = up.outputs.ns!.value as string;
    expect(ns).toMatch(/^shop-[0-9a-f]{8}$/); // auto-named
    expect(up.outputs.ready!.value).toBe(3);
    expect(up.outputs.address!.value).toBe("127.0.0.1");
    const d = JSON.parse(kubectl(["-n", ns, "get", "deployment", up.outputs.web!.value as string, "-o", "json"]));
    expect(d.metadata.annotations["pulumi.com/autonamed"]).toBe("true");
    expect(d.status.readyReplicas).toBe(3);
  });

  it("updates the replica count in place, touching nothing else", async () => {
    knobs = { replicas: 4 };
    const events: string[] = [];
    const up = await stack.up({
      onEvent: (e) => {
        const m = e.resOutputsEvent?.metadata;
        if (m && m.op !== "same") events.push(`${m.op} ${m.type}`);
      },
    });
    expect(up.summary.resourceChanges).toEqual({ update: 1, same: 5 });
    expect(events).toEqual(["update kubernetes:apps/v1:Deployment"]);
    expect(up.outputs.ready!.value).toBe(4);
  });

  it("finds a field changed with kubectl, and an object deleted with kubectl, on refresh", async () => {
    const web = (await stack.outputs()).web!.value as string;
    kubectl(["-n", ns, "scale", "deployment", web, "--replicas=2"]);
    kubectl(["-n", ns, "delete", "configmap", "settings"]);
    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 1, delete: 1 });
    const preview = await stack.preview();
    expect(preview.changeSummary).toMatchObject({ create: 1, update: 1 });
    expect((await stack.up()).summary.resourceChanges).toMatchObject({ create: 1, update: 1 });
    expect(kubectl(["-n", ns, "get", "configmap", "settings", "-o", "name"]).trim()).toBe("configmap/settings");
  });

  it("replaces on a name or a selector change", async () => {
    knobs = { replicas: 4, selector: "web2", settingsName: "settings-2" };
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ replace: 2 });
    expect(kubectl(["-n", ns, "get", "configmap", "-o", "name"])).toContain("configmap/settings-2");
  });

  it("keeps an object that does not become ready, with a partial error naming it", async () => {
    knobs = { replicas: 2, selector: "web2", settingsName: "settings-2", nodeSelector: { pool: "nowhere" }, timeoutSeconds: "5" };
    const err = await stack.up().catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toMatch(/Deployment .* did not become ready within 5s: waiting for \d of 2 replicas ready and available/);
    const state = await stack.exportStack();
    expect((state.deployment.resources as { type: string }[]).some((r) => r.type === "kubernetes:apps/v1:Deployment")).toBe(true);
  });

  it("does not wait with pulumi.com/skipAwait", async () => {
    knobs = { replicas: 2, selector: "web2", settingsName: "settings-2", nodeSelector: { pool: "nowhere" }, skipAwait: true };
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
  });

  it("destroys everything and waits until the namespace is gone", async () => {
    const r = await stack.destroy();
    expect(r.summary.resourceChanges).toEqual({ delete: 6 });
    expect(kubectl(["get", "namespaces", "-o", "name"])).not.toContain(`namespace/${ns}`);
  });
});

describe("bad input", () => {
  it("a kubeconfig that does not parse, and an object the API server rejects, each say so", async () => {
    const kubeconfig = sb.kubeconfig();
    const program = (bad: "kubeconfig" | "object") => async () => {
      const k8s = await import("@pulumi/kubernetes");
      const provider = new k8s.Provider("p", { kubeconfig: bad === "kubeconfig" ? "apiVersion: v1\nclusters: [unclosed" : kubeconfig });
      new k8s.core.v1.ConfigMap("bad", { metadata: { name: "Not_A_Valid_Name" }, data: { a: "b" } }, { provider });
    };
    for (const bad of ["kubeconfig", "object"] as const) {
      const stack = await sb.stack("k8s-bad", `bad-${bad}`, program(bad));
      const err = (await stack.up().catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toMatch(
        bad === "kubeconfig"
          ? /the kubeconfig given to the provider does not parse/
          : /the API server refused ConfigMap default\/Not_A_Valid_Name: .*Invalid value/,
      );
    }
  });
});
