// The environment every engine run gets. Kept apart from the Automation API
// so commands and tests can build it without loading @pulumi/*.
import { join } from "node:path";
import { UsageError } from "../core/errors.js";
import { packageRoot } from "../core/package-root.js";
import { checkBackend } from "./backend.js";
import type { EngineLocation } from "./locate.js";

export interface RunSettings {
  /** A Pulumi state backend URL: file://<dir>, s3://, gs://, azblob://, https://api.pulumi.com. */
  backendUrl: string;
  /** The secrets passphrase for the passphrase secrets provider. */
  passphrase: string;
  /** Let the engine download missing plugins (off by default: the rig has them). */
  pluginDownload?: boolean;
}

/** A setting that cannot work: bad input, exit code 2. */
export class SettingsError extends UsageError {}

/**
 * The environment variables for a Pulumi run: a pinned backend and
 * passphrase, the rig's private PULUMI_HOME when the engine is the rig's, no
 * update check, and no plugin download unless asked for.
 */
export function engineEnv(engine: EngineLocation, s: RunSettings): Record<string, string> {
  const bad = checkBackend(s.backendUrl);
  if (bad) throw new SettingsError(bad);
  if (!s.passphrase) {
    throw new SettingsError("no secrets passphrase: set INFRA_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE)");
  }
  const env: Record<string, string> = {
    PULUMI_BACKEND_URL: s.backendUrl,
    PULUMI_CONFIG_PASSPHRASE: s.passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: s.pluginDownload ? "false" : "true",
  };
  if (engine.pulumiHome) env.PULUMI_HOME = engine.pulumiHome;
  // An official install's dynamic provider plugin finds @pulumi/pulumi through it (dynamic-provider.ts).
  env.NODE_PATH = join(packageRoot(), "node_modules");
  return env;
}
