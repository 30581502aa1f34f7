import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InfraError } from "../../../src/core/errors.js";
import { assertPlugins, pluginsFor } from "../../../src/engine/plugins.js";
import { enginePins } from "../../../src/engine/pins.js";
import type { TemplateSpec } from "../../../src/templates/schema.js";

const home = mkdtempSync(join(tmpdir(), "infra-plugins-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const spec = (...uses: string[]) => ({ id: "t", components: uses.map((use, i) => ({ name: `c${i}`, use, with: {} })) }) as unknown as TemplateSpec;
const engine = { root: "/x", command: "/x/bin/pulumi", source: "engine rig" as const, version: "3.246.0", pulumiHome: home };

describe("the plugins a template needs", () => {
  it("follow its components, each at the version its npm package asks for", () => {
    expect(pluginsFor(spec("random/pet", "command/local", "random/password"))).toEqual([
      { name: "command", version: enginePins().command },
      { name: "random", version: enginePins().random },
    ]);
    expect(pluginsFor(spec("helm/app", "gcp/network")).map((p) => p.name)).toEqual(["gcp", "kubernetes"]);
  });

  it("include the cloud's plugin where a component makes its cluster (the meta environment)", () => {
    expect(pluginsFor(spec("meta/cluster"), "sandbox").map((p) => p.name)).toEqual(["kubernetes"]);
    expect(pluginsFor(spec("meta/cluster"), "gcp:acme-prod/europe-west1").map((p) => p.name)).toEqual(["gcp", "kubernetes"]);
    expect(pluginsFor(spec("meta/cluster"), "aws:eu-west-1").map((p) => p.name)).toEqual(["aws", "kubernetes"]);
    expect(pluginsFor(spec("meta/cluster"), "openstack:ovh/GRA11").map((p) => p.name)).toEqual(["kubernetes", "openstack", "random", "tls"]);
    const err = (() => {
      try {
        assertPlugins(engine, spec("meta/cluster"), false, {}, "aws:eu-west-1");
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err!.message).toMatch(/^template t at aws:eu-west-1 needs the aws v[0-9.]+, kubernetes v/);
  });

  it("are checked before anything runs, with the command that installs what is missing", () => {
    mkdirSync(join(home, "plugins", `resource-random-v${enginePins().random}`), { recursive: true });
    expect(() => assertPlugins(engine, spec("random/pet"), false)).not.toThrow();
    const err = (() => {
      try {
        assertPlugins(engine, spec("random/pet", "tls/self-signed-cert"), false);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(InfraError);
    expect(err!.message).toContain(`pulumi plugin install resource tls ${enginePins().tls}`);
    expect(() => assertPlugins(engine, spec("tls/self-signed-cert"), true)).not.toThrow(); // downloads allowed
  });
});
