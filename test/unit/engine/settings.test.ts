import { join } from "node:path";
import { packageRoot } from "../../../src/core/package-root.js";
import { describe, expect, it } from "vitest";
import { engineEnv, SettingsError } from "../../../src/engine/settings.js";

const rig = { root: "/r", command: "/r/bin/pulumi", source: "engine rig" as const, version: "3.246.0", pulumiHome: "/r/home" };
const path = { root: "/usr", command: "/usr/bin/pulumi", source: "PATH" as const, version: "3.246.0" };

describe("engineEnv", () => {
  it("pins backend, passphrase and the rig's home, with no update check and no plugin download", () => {
    expect(engineEnv(rig, { backendUrl: "file:///tmp/state", passphrase: "p" })).toEqual({
      PULUMI_BACKEND_URL: "file:///tmp/state",
      PULUMI_CONFIG_PASSPHRASE: "p",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_HOME: "/r/home",
      // An official install's dynamic provider plugin resolves @pulumi/pulumi through it.
      NODE_PATH: join(packageRoot(), "node_modules"),
    });
  });

  it("leaves PULUMI_HOME alone for a CLI that is not the rig's, and downloads plugins only when asked", () => {
    const env = engineEnv(path, { backendUrl: "s3://bucket/infra", passphrase: "p", pluginDownload: true });
    expect(env.PULUMI_HOME).toBeUndefined();
    expect(env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION).toBe("false");
  });

  it("accepts every backend Pulumi knows and refuses anything else", () => {
    for (const url of ["gs://b", "azblob://c", "https://api.pulumi.com", "file:///x"]) {
      expect(() => engineEnv(rig, { backendUrl: url, passphrase: "p" })).not.toThrow();
    }
    expect(() => engineEnv(rig, { backendUrl: "/tmp/state", passphrase: "p" })).toThrow(SettingsError);
    expect(() => engineEnv(rig, { backendUrl: "ftp://x", passphrase: "p" })).toThrow(/use file:\/\/\/<absolute dir>/);
  });

  it("refuses to run without a passphrase", () => {
    expect(() => engineEnv(rig, { backendUrl: "file:///x", passphrase: "" })).toThrow(/INFRA_PASSPHRASE/);
  });
});
