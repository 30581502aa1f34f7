import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { isCluster, parseLocation } from "../../../src/core/location.js";

describe("parseLocation", () => {
  it.each([
    ["sandbox", { kind: "sandbox" }],
    ["kubernetes", { kind: "kubernetes" }],
    ["kubernetes:gke_acme_europe-west1_prod", { kind: "kubernetes", context: "gke_acme_europe-west1_prod" }],
    ["kubernetes:arn:aws:eks:eu-west-1:123:cluster/prod", { kind: "kubernetes", context: "arn:aws:eks:eu-west-1:123:cluster/prod" }],
    ["gcp:acme-prod/europe-west1", { kind: "gcp", project: "acme-prod", region: "europe-west1" }],
    ["aws:eu-west-1", { kind: "aws", region: "eu-west-1" }],
    ["openstack:ovh/GRA11", { kind: "openstack", cloud: "ovh", region: "GRA11" }],
  ])("reads %s", (text, want) => {
    expect(parseLocation(text)).toEqual(want);
  });

  it.each([
    "mars",
    "sandbox:x",
    "kubernetes:$(id)",
    "kubernetes:a b",
    "gcp:acme",
    "gcp:Acme/europe-west1",
    "aws:",
    "aws:../x",
    "openstack:ovh",
    "x".repeat(500),
  ])("refuses %j in one line", (text) => {
    expect(() => parseLocation(text)).toThrow(UsageError);
    try {
      parseLocation(text);
    } catch (err) {
      expect((err as Error).message).not.toContain("\n");
      expect((err as Error).message.length).toBeLessThan(300);
    }
  });
});

describe("isCluster", () => {
  it("is the sandbox and a kubeconfig context, nothing else", () => {
    expect(["sandbox", "kubernetes", "kubernetes:kind-dev", "kubernetes:arn:aws:eks:eu-west-1:1:cluster/x"].map(isCluster)).toEqual([true, true, true, true]);
    expect(["local", "gcp:my-project/europe-west1", "aws:eu-west-1", "openstack:ovh/GRA11", "sandboxes", ""].map(isCluster)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
