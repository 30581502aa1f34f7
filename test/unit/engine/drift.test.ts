// Drift from a refresh preview's steps: per resource and field, both values.
import type { StepEventMetadata } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { differences, driftedResource } from "../../../src/engine/drift.js";

const urn = (type: string, name: string) => `urn:pulumi:dev::infra::infra:kubernetes:WebApp$${type}::${name}`;
const step = (op: string, type: string, name: string, oldInputs: unknown, newInputs: unknown) =>
  ({
    op,
    urn: urn(type, name),
    type,
    provider: "",
    old: { type, urn: urn(type, name), custom: true, inputs: oldInputs, outputs: {} },
    new: { type, urn: urn(type, name), custom: true, inputs: newInputs, outputs: {} },
  }) as unknown as StepEventMetadata;

describe("drift", () => {
  it("names each changed field with what was declared and what is there", () => {
    const spec = (image: string) => ({ spec: { replicas: 2, template: { spec: { containers: [{ name: "c", image }] } } } });
    expect(driftedResource(step("update", "kubernetes:apps/v1:Deployment", "web", spec("a:1"), spec("a:2")))).toEqual({
      state: "changed",
      type: "kubernetes:apps/v1:Deployment",
      name: "web",
      urn: urn("kubernetes:apps/v1:Deployment", "web"),
      fields: [{ path: "spec.template.spec.containers[0].image", declared: "a:1", actual: "a:2" }],
    });
  });

  it("a resource deleted outside infra is missing; one as declared is nothing", () => {
    expect(driftedResource(step("delete", "kubernetes:core/v1:Service", "web", {}, {}))?.state).toBe("missing");
    expect(driftedResource(step("same", "kubernetes:core/v1:Service", "web", { a: 1 }, { a: 1 }))).toBeUndefined();
    expect(driftedResource(step("update", "pulumi:providers:kubernetes", "p", { a: 1 }, { a: 2 }))).toBeUndefined();
  });

  it("fields servers own never drift; added and removed keys, odd names and lists are said plainly", () => {
    expect(
      differences(
        { metadata: { resourceVersion: "1", labels: { a: "1" } } },
        { metadata: { resourceVersion: "2", labels: { a: "1", "app.kubernetes.io/x": "y" } } },
      ),
    ).toEqual([{ path: 'metadata.labels["app.kubernetes.io/x"]', actual: "y" }]);
    expect(differences({ ports: [1, 2] }, { ports: [1] })).toEqual([{ path: "ports", declared: [1, 2], actual: [1] }]);
    expect(differences({ token: "[secret]" }, { token: "[secret]" })).toEqual([]);
  });

  it("a provider that reads back outputs only (a dynamic resource) drifts by its outputs", () => {
    const type = "pulumi-nodejs:dynamic/infra:LocalFile";
    const m = step("update", type, "note", { path: "/f", content: "hello" }, { path: "/f", content: "hello" });
    (m.old as { outputs: unknown }).outputs = { path: "/f", content: "hello" };
    (m.new as { outputs: unknown }).outputs = { path: "/f", content: "edited" };
    expect(driftedResource(m)).toEqual({
      state: "changed",
      type,
      name: "note",
      urn: urn(type, "note"),
      fields: [{ path: "content", declared: "hello", actual: "edited" }],
    });
  });
});
