// Our Kubernetes provider's settings and annotations on the sandbox:
// pulumi.com/waitFor, enableServerSideApply=false, and the escape hatches for
// a cluster that is gone (deleteUnreachable, skipUpdateUnreachable).
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { useSandbox } from "../../helpers/sandbox.js";

const sb = useSandbox("infra-k8s-settings-");
const kubectl = (args: string[]) => sb.kubectl(args);

interface Knobs {
  provider?: Record<string, unknown>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

async function stackFor(name: string, knobs: () => Knobs): Promise<Stack> {
  const kubeconfig = sb.kubeconfig();
  const program = async () => {
    const k8s = await import("@pulumi/kubernetes");
    const k = knobs();
    const provider = new k8s.Provider("sandbox", { kubeconfig, ...k.provider });
    const cm = new k8s.core.v1.ConfigMap(
      "cm",
      {
        metadata: { name: `cm-${name}`, labels: k.labels, annotations: k.annotations },
        data: { mode: "sandbox" },
      },
      { provider },
    );
    return { name: cm.metadata.name };
  };
  return sb.stack("k8s-settings", name, program);
}

describe("pulumi.com/waitFor", () => {
  it("waits for its jsonpath instead of the kind's rule, and names it on timeout", async () => {
    let knobs: Knobs = { annotations: { "pulumi.com/waitFor": "jsonpath={.data.mode}=sandbox" } };
    const stack = await stackFor("waitfor", () => knobs);
    expect((await stack.up()).summary.result).toBe("succeeded");
    knobs = { annotations: { "pulumi.com/waitFor": '["jsonpath={.data.mode}=sandbox", "jsonpath={.data.mode}=never"]', "pulumi.com/timeoutSeconds": "3" } };
    const err = (await stack.up().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/ConfigMap default\/cm-waitfor was created, but did not become ready within 3s: waiting for jsonpath=\{\.data\.mode\}=never/);
    knobs = { annotations: { "pulumi.com/waitFor": "phase=Running" } };
    const bad = (await stack.up().catch((e: unknown) => e)) as Error;
    expect(bad.message).toMatch(/expected jsonpath=\{\.\.\.\}\[=value\] or condition=Type\[=Status\]/);
    await stack.destroy();
  });
});

describe("enableServerSideApply=false", () => {
  it("updates by a three-way merge: a label removed from the program goes, one added with kubectl stays", async () => {
    let knobs: Knobs = { provider: { enableServerSideApply: false }, labels: { tier: "web", team: "core" } };
    const stack = await stackFor("csa", () => knobs);
    await stack.up();
    kubectl(["label", "configmap", "cm-csa", "owner=ops"]);
    knobs = { provider: { enableServerSideApply: false }, labels: { tier: "api" } };
    expect((await stack.up()).summary.resourceChanges).toMatchObject({ update: 1 });
    const cm = JSON.parse(kubectl(["get", "configmap", "cm-csa", "-o", "json", "--show-managed-fields"]));
    expect(cm.metadata.labels).toEqual({ tier: "api", owner: "ops" });
    const ours = (cm.metadata.managedFields as { manager: string; operation: string }[]).filter((f) => f.manager === "pulumi-kubernetes");
    expect(ours.map((f) => f.operation)).toEqual(["Update"]);
    await stack.destroy();
  });
});

describe("a cluster that is gone", () => {
  it("fails refresh and destroy by default; deleteUnreachable drops the resource; skipUpdateUnreachable skips the update", async () => {
    const plain = await stackFor("plain", () => ({}));
    let skipKnobs: Knobs = { provider: { skipUpdateUnreachable: true }, labels: { v: "1" } };
    const skip = await stackFor("skip", () => skipKnobs);
    const drop = await stackFor("drop", () => ({ provider: { deleteUnreachable: true } }));
    for (const s of [plain, skip, drop]) await s.up();
    expect(sb.home.run(["sandbox", "stop"]).code).toBe(0);
    try {
      const err = (await plain.refresh().catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/configured Kubernetes cluster is unreachable \(https:\/\/127\.0\.0\.1:\d+\)/);
      expect((await drop.refresh()).summary.resourceChanges).toMatchObject({ delete: 1 });
      expect((await drop.destroy()).summary.result).toBe("succeeded");
      skipKnobs = { provider: { skipUpdateUnreachable: true }, labels: { v: "2" } };
      const up = await skip.up();
      expect(up.summary.result).toBe("succeeded");
      expect(up.stdout).toMatch(/the cluster is unreachable: cm not updated \(skipUpdateUnreachable\)/);
    } finally {
      expect(sb.home.run(["sandbox", "start"]).code).toBe(0);
    }
    // The update was skipped, not done: the label is still the old one.
    expect(JSON.parse(kubectl(["get", "configmap", "cm-skip", "-o", "json"])).metadata.labels).toEqual({ v: "1" });
    expect((await plain.destroy()).summary.result).toBe("succeeded");
    await skip.destroy();
  });
});
