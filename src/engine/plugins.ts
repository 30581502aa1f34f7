// The resource plugins a template's components need, checked before an
// operation starts: with plugin downloads off, a missing plugin would
// otherwise fail inside the engine, after the registry had the environment.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { EngineError } from "../core/errors.js";
import { catalogue } from "../../programs/components/catalogue.js";
import type { TemplateSpec } from "../templates/schema.js";
import type { EngineLocation } from "./locate.js";
import { packageRoot } from "../core/package-root.js";

/** The version of a provider's plugin that its installed npm package asks the engine for. */
function pluginVersion(name: string): string {
  const file = createRequire(join(packageRoot(), "package.json")).resolve(`@pulumi/${name}/package.json`);
  const pkg = JSON.parse(readFileSync(file, "utf8")) as { version: string; pulumi?: { version?: string } };
  return (pkg.pulumi?.version ?? pkg.version).replace(/^v/, "");
}

export function pluginsFor(spec: TemplateSpec, location?: string): { name: string; version: string }[] {
  const kind = location?.split(":")[0] ?? "";
  const names = new Set(
    spec.components.flatMap((c) => {
      const info = Object.hasOwn(catalogue, c.use) ? catalogue[c.use]! : undefined;
      return info ? [...info.plugins, ...(info.locationPlugins?.[kind] ?? [])] : [];
    }),
  );
  return [...names].sort().map((name) => ({ name, version: pluginVersion(name) }));
}

export function assertPlugins(engine: EngineLocation, spec: TemplateSpec, download: boolean, env: NodeJS.ProcessEnv = process.env, location?: string): void {
  if (download) return;
  const home = engine.pulumiHome ?? env.PULUMI_HOME ?? join(homedir(), ".pulumi");
  const missing = pluginsFor(spec, location).filter((p) => !existsSync(join(home, "plugins", `resource-${p.name}-v${p.version}`)));
  if (!missing.length) return;
  const install = missing.map((p) => `pulumi plugin install resource ${p.name} ${p.version}`).join(" && ");
  throw new EngineError(
    `template ${spec.id}${location ? ` at ${location}` : ""} needs the ${missing.map((p) => `${p.name} v${p.version}`).join(", ")} plugin${missing.length > 1 ? "s" : ""}, not installed in ${home}: install with \`${install}\` (PULUMI_HOME=${home}), or set INFRA_PLUGIN_DOWNLOAD=1 to let the engine fetch plugins`,
  );
}
