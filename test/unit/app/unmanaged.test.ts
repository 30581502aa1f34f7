// What nobody declared in an environment's namespaces, and what is left out.
import { describe, expect, it } from "vitest";
import { namespacesOf, unmanagedObjects } from "../../../src/app/unmanaged.js";
import type { LiveObject } from "../../../src/kube/objects.js";

const live = (apiVersion: string, kind: string, name: string, extra: Partial<LiveObject> = {}): LiveObject => ({
  apiVersion,
  kind,
  namespace: "shop",
  name,
  owned: false,
  labels: {},
  annotations: {},
  ...extra,
});

const managed = [
  { apiVersion: "v1", kind: "Namespace", name: "shop" },
  { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "app" },
  { apiVersion: "v1", kind: "Service", namespace: "shop", name: "app" },
];
const releases = [{ name: "cache", namespace: "data" }];

describe("unmanagedObjects", () => {
  it("names what nobody declared, as a Pulumi-style type and namespace/name", () => {
    const found = unmanagedObjects(
      [
        live("apps/v1", "Deployment", "app"),
        live("v1", "Service", "app"),
        live("v1", "ConfigMap", "click-ops"),
        live("networking.k8s.io/v1", "Ingress", "extra"),
      ],
      managed,
      releases,
    );
    expect(found).toEqual([
      { state: "unmanaged", type: "kubernetes:core/v1:ConfigMap", name: "shop/click-ops", urn: "", fields: [] },
      { state: "unmanaged", type: "kubernetes:networking.k8s.io/v1:Ingress", name: "shop/extra", urn: "", fields: [] },
    ]);
  });

  it("leaves out what is owned, what Kubernetes makes, and what a managed Helm release installed", () => {
    const found = unmanagedObjects(
      [
        live("apps/v1", "ReplicaSet", "app-5d4f", { owned: true }),
        live("v1", "Pod", "app-5d4f-x", { owned: true }),
        live("v1", "ServiceAccount", "default"),
        live("v1", "ConfigMap", "kube-root-ca.crt"),
        live("v1", "Secret", "old-token", { type: "kubernetes.io/service-account-token" }),
        live("apps/v1", "StatefulSet", "cache", {
          namespace: "data",
          annotations: { "meta.helm.sh/release-name": "cache", "meta.helm.sh/release-namespace": "data" },
        }),
        live("v1", "Secret", "sh.helm.release.v1.cache.v1", { namespace: "data", type: "helm.sh/release.v1", labels: { name: "cache", owner: "helm" } }),
        // Another release's objects are not this environment's.
        live("v1", "Service", "other", { namespace: "data", annotations: { "meta.helm.sh/release-name": "other" } }),
        // A version the API server prefers differs from the declared one: the same object.
        live("apps/v1beta2", "Deployment", "app"),
      ],
      managed,
      releases,
    );
    expect(found.map((f) => f.name)).toEqual(["data/other"]);
  });
});

describe("namespacesOf", () => {
  it("takes managed namespaces, the namespaces of managed objects, and releases'", () => {
    expect(namespacesOf(managed, releases)).toEqual(["data", "shop"]);
    expect(namespacesOf([{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: "x" }], [])).toEqual([]);
  });
});
