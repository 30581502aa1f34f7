// Engine failures keep every reason, one line each, naming the resource.
import { describe, expect, it } from "vitest";
import { EngineError, LockedError } from "../../../src/core/errors.js";
import { engineFailure, failureReasons } from "../../../src/engine/errors.js";

const urn = (type: string, name: string) => `urn:pulumi:shop::infra-env::infra:k:Group$${type}::${name}`;

describe("failureReasons", () => {
  it("splits 'N errors occurred' into one line per error, each naming its resource", () => {
    const reasons = failureReasons([
      { severity: "info", message: "creating", urn: urn("kubernetes:apps/v1:Deployment", "app") },
      {
        severity: "error",
        message:
          '2 errors occurred:\n\t* the Kubernetes API server reported that "shop/app" failed to fully initialize or become live: timed out\n\t* Minimum number of live Pods was not attained',
        urn: urn("kubernetes:apps/v1:Deployment", "app"),
      },
      {
        severity: "error",
        message: "Ingress .status.loadBalancer field was not updated with a hostname/IP address",
        urn: urn("kubernetes:networking.k8s.io/v1:Ingress", "web"),
      },
      { severity: "error", message: "update failed", urn: "urn:pulumi:shop::infra-env::pulumi:pulumi:Stack::infra-env-shop" },
    ]);
    expect(reasons).toEqual([
      'app (kubernetes:apps/v1:Deployment): the Kubernetes API server reported that "shop/app" failed to fully initialize or become live: timed out',
      "app (kubernetes:apps/v1:Deployment): Minimum number of live Pods was not attained",
      "web (kubernetes:networking.k8s.io/v1:Ingress): Ingress .status.loadBalancer field was not updated with a hostname/IP address",
    ]);
  });
});

describe("engineFailure", () => {
  it("says how many errors there are and keeps each reason", () => {
    const err = engineFailure("shop", new Error("code: 255\nstderr: error: update failed\nerror: 2 errors occurred:"), [
      { severity: "error", message: "exit status 3: boom", urn: urn("command:local:Command", "a") },
      { severity: "error", message: "exit status 4: bang", urn: urn("command:local:Command", "b") },
    ]);
    expect(err).toBeInstanceOf(EngineError);
    expect(err.message).toBe("shop: 2 errors");
    expect((err as EngineError).reasons).toEqual(["a (command:local:Command): exit status 3: boom", "b (command:local:Command): exit status 4: bang"]);
  });

  it("falls back to the engine's error lines, and maps a concurrent update to locked", () => {
    const err = engineFailure("shop", new Error("stderr: error: could not read plugin\nerror: update failed"), []);
    expect(err.message).toBe("shop: could not read plugin");
    const busy = Object.assign(new Error("conflict"), { name: "ConcurrentUpdateError" });
    expect(engineFailure("shop", busy, [])).toBeInstanceOf(LockedError);
  });
});
