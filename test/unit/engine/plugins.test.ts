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
