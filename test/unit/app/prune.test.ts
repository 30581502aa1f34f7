// What a reconcile --prune-unmanaged counts as declared (from the registry's
// resources) and where it finds what it deletes.
import { describe, expect, it } from "vitest";
import { managedOf, refOf } from "../../../src/app/unmanaged.js";
import type { ResourceRecord } from "../../../src/registry/types.js";

const res = (type: string, providerId: string | undefined, status = "ok"): ResourceRecord => ({
  urn: `urn:pulumi:s::p::${type}::x`,
  type,
  name: "x",
  status,
  dependsOn: [],
  ...(providerId && { providerId }),
});

describe("managedOf", () => {
  it("reads objects and releases from types and provider ids; skips components, other providers and pending ones", () => {
    const m = managedOf([
      res("kubernetes:core/v1:Namespace", "shop"),
      res("kubernetes:apps/v1:Deployment", "shop/app"),
      res("kubernetes:networking.k8s.io/v1:Ingress", "shop/app"),
      res("kubernetes:helm.sh/v3:Release", "shop/db"),
      res("kubernetes:core/v1:ConfigMap", "shop/gone", "pending-delete"),
      res("infra:kubernetes/web-app", undefined),
      res("random:index/randomPet:RandomPet", "happy-cat"),
    ]);
    expect(m.objects).toEqual([
      { apiVersion: "v1", kind: "Namespace", name: "shop" },
      { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "app" },
      { apiVersion: "networking.k8s.io/v1", kind: "Ingress", namespace: "shop", name: "app" },
    ]);
    expect(m.releases).toEqual([{ namespace: "shop", name: "db" }]);
  });
});

describe("refOf", () => {
  it("turns an unmanaged finding back into the object to delete", () => {
    expect(refOf({ state: "unmanaged", type: "kubernetes:core/v1:ConfigMap", name: "shop/click-ops", urn: "", fields: [] })).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      namespace: "shop",
      name: "click-ops",
    });
    expect(refOf({ state: "unmanaged", type: "kubernetes:batch/v1:CronJob", name: "shop/nightly", urn: "", fields: [] })).toMatchObject({
      apiVersion: "batch/v1",
      kind: "CronJob",
    });
  });
});
