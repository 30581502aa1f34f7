import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { locateEngine, rigDir } from "../../engine/locate.js";
import { enginePins } from "../../engine/pins.js";

/** `infra engine status`: where the engine comes from and what it holds. */
export async function engineStatus(opts: { json?: boolean }): Promise<void> {
  const pins = enginePins();
  const engine = await locateEngine();
  const pluginDir = engine.pulumiHome ? join(engine.pulumiHome, "plugins") : undefined;
  const plugins =
    pluginDir && existsSync(pluginDir)
      ? readdirSync(pluginDir).filter((n) => n.startsWith("resource-") && !n.endsWith(".lock") && !n.endsWith(".partial"))
      : [];
  if (opts.json) {
    process.stdout.write(JSON.stringify({ ...engine, pins, plugins, rig: rigDir() }, null, 2) + "\n");
    return;
  }
  const lines = [
    `pulumi     v${engine.version} (${engine.source}: ${engine.command})`,
    `pinned     @pulumi/pulumi ${pins.pulumi}, random ${pins.random}, tls ${pins.tls}, command ${pins.command}`,
    `plugins    ${engine.pulumiHome ? (plugins.join(", ") || "none") + ` (in ${pluginDir})` : "the CLI's own PULUMI_HOME"}`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
}
