// Modules the CLI bundle leaves out because few commands need them and every
// start would parse them (the PostgreSQL registry and its driver): from the
// bundle they load from tsc's output in dist/src; from source (tests) as is.
import { pathToFileURL } from "node:url";
import { packageRoot } from "../core/package-root.js";

declare const __INFRA_BUNDLE__: boolean | undefined;

export async function postgresRegistry(): Promise<typeof import("../registry/postgres.js")> {
  if (typeof __INFRA_BUNDLE__ === "boolean" && __INFRA_BUNDLE__) {
    return import(pathToFileURL(`${packageRoot()}/dist/src/registry/postgres.js`).href) as Promise<typeof import("../registry/postgres.js")>;
  }
  const fromSource = "../registry/postgres.js"; // not a literal: the bundler leaves it alone
  return import(fromSource) as Promise<typeof import("../registry/postgres.js")>;
}
