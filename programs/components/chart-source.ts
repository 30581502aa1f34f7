// Where a Helm chart comes from, in the terms helm.v3.Release takes: an https
// repository, an OCI registry (oci://…) or a local folder (/path, ./path or
// file://…) for air-gapped sites. No @pulumi import: the CLI checks chart
// mirrors with it before it starts the engine.
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface ChartSource {
  chart: string;
  version: string;
  repositoryOpts?: { repo: string };
}

/**
 * Chart `name` at `version` from `repo`. A folder holds `<chart>/` or
 * `<chart>-<version>.tgz`; a chart missing there is one line naming it.
 */
export function chartFrom(repo: string, name: string, version: string): ChartSource {
  if (repo.startsWith("oci://")) return { chart: `${repo.replace(/\/+$/, "")}/${name}`, version };
  if (/^https?:\/\//.test(repo)) return { chart: name, version, repositoryOpts: { repo } };
  const folder = repo.replace(/^file:\/\//, "");
  for (const candidate of [join(folder, `${name}-${version}.tgz`), join(folder, name)]) {
    if (existsSync(candidate)) return { chart: candidate, version };
  }
  throw new Error(`chart ${name} ${version} is not in ${folder} (expected ${name}/ or ${name}-${version}.tgz there)`);
}
