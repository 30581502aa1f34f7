// A template's drift ignore rules: a covered field is not drift.
import { describe, expect, it } from "vitest";
import { applyIgnoreRules } from "../../../src/app/drift-ignore.js";
import type { DriftedResource } from "../../../src/app/events.js";
import type { TemplateSpec } from "../../../src/templates/schema.js";

const spec = (ignore: { kind: string; paths: string[] }[]) => ({ drift: { ignore } }) as unknown as TemplateSpec;
const deployment: DriftedResource = {
  state: "changed",
  type: "kubernetes:apps/v1:Deployment",
  name: "app",
  urn: "urn:app",
  fields: [
    { path: "spec.replicas", declared: 2, actual: 5 },
    { path: "spec.template.spec.containers[0].image", declared: "nginx:1.27", actual: "nginx:1.28" },
  ],
};

describe("applyIgnoreRules", () => {
  it("drops the covered fields, keeps the rest", () => {
    expect(applyIgnoreRules([deployment], spec([{ kind: "Deployment", paths: ["spec.replicas"] }]))).toEqual([
      { ...deployment, fields: [deployment.fields[1]] },
    ]);
  });

  it("drops a resource left with no field; matches a full type token and [*]", () => {
    const rules = spec([{ kind: "kubernetes:apps/v1:Deployment", paths: ["spec.replicas", "spec.template.spec.containers[*].image"] }]);
    expect(applyIgnoreRules([deployment], rules)).toEqual([]);
  });

  it("leaves other kinds, missing resources and objects nobody declared alone", () => {
    const missing: DriftedResource = { state: "missing", type: "kubernetes:apps/v1:Deployment", name: "x", urn: "u", fields: [] };
    const svc: DriftedResource = { ...deployment, type: "kubernetes:core/v1:Service" };
    const rules = spec([{ kind: "Deployment", paths: ["spec"] }]);
    expect(applyIgnoreRules([missing, svc], rules)).toEqual([missing, svc]);
    expect(applyIgnoreRules([deployment], {} as TemplateSpec)).toEqual([deployment]);
  });
});
