// The values the meta environment sends each real upstream chart (../shared/charts, at infra's
// pinned versions; test/helpers/real-charts.ts finds them) validate against that chart's own values.schema.json, merged with its
// defaults as Helm merges them before it validates. Skipped, saying why, without the charts.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/core/package-root.js";
import { loadTemplateFile } from "../../../src/templates/load.js";
import { PROJECT } from "../../../src/templates/program.js";
import { META_PARAMS } from "../../helpers/meta.js";
import { runTemplate, valueOf } from "../../helpers/mocks.js";
import { realCharts } from "../../helpers/real-charts.js";

const { dir: found, why } = realCharts();
const REAL = found ?? "";
const template = loadTemplateFile(join(packageRoot(), "templates", "meta", "1.0.0.yaml"), "builtin");

/** A file of a chart package, or undefined. */
function fromPackage(chart: string, file: string): string | undefined {
  const tgz = readdirSync(REAL).find((f) => f.startsWith(`${chart}-`) && f.endsWith(".tgz") && /^[0-9v]/.test(f.slice(chart.length + 1)));
  if (!tgz) return undefined;
  try {
    return execFileSync("tar", ["-xzOf", join(REAL, tgz), `${chart}/${file}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return undefined;
  }
}

/** Helm's coalescing of the user's values over the chart's: maps merge, anything else replaces, null removes. */
function merge(base: unknown, over: unknown): unknown {
  if (over === null) return undefined;
  if (typeof base !== "object" || base === null || Array.isArray(base) || typeof over !== "object" || Array.isArray(over)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    const m = merge(out[k], v);
    if (m === undefined) delete out[k];
    else out[k] = m;
  }
  return out;
}

describe.skipIf(!!why)(`the meta environment's values against the real charts' schemas${why ? ` (skipped: ${why})` : ""}`, () => {
  it("every chart that has a values.schema.json accepts what infra sends it", async () => {
    pulumi.runtime.setConfig("infra:location", "sandbox");
    pulumi.runtime.setConfig("infra:locationKubeconfig", "apiVersion: v1\nkind: Config\nclusters: []\n");
    process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify([`${PROJECT}:githubToken`]);
    const r = await runTemplate(template.spec, "meta", { ...META_PARAMS, githubToken: "ghp_x" });
    const releases = r.all("kubernetes:helm.sh/v3:Release").map((d) => d.inputs);
    const checked: string[] = [];
    for (const rel of releases) {
      const chart = String(rel.chart).split("/").pop()!;
      const schema = fromPackage(chart, "values.schema.json");
      if (!schema) continue;
      const defaults = parse(fromPackage(chart, "values.yaml") ?? "{}") ?? {};
      const values = merge(defaults, await valueOf(rel.values));
      const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
      const validate = ajv.compile(JSON.parse(schema) as object);
      const ok = validate(values);
      expect(ok, `${chart}: ${JSON.stringify(validate.errors?.slice(0, 5))}`).toBe(true);
      // The schema bites: cert-manager's refuses a key it does not know.
      if (chart === "cert-manager") expect(validate({ ...(values as object), surprise: 1 })).toBe(false);
      checked.push(chart);
    }
    // Loki checks its values in templates/validate.yaml rather than a schema: its rules, over the merged values.
    const loki = releases.find((x) => String(x.chart).endsWith("loki"))!;
    const lv = merge(parse(fromPackage("loki", "values.yaml")!), await valueOf(loki.values)) as Record<string, any>;
    const scalable = ["backend", "read", "write"].some((t) => lv[t].replicas > 0);
    const distributed = ["ingester", "distributor", "querier", "queryFrontend", "queryScheduler", "indexGateway", "compactor", "ruler"].some(
      (t) => (lv[t]?.replicas ?? 0) > 0,
    );
    expect(lv.singleBinary.replicas).toBe(1); // more than one needs object storage
    expect(scalable || distributed).toBe(false); // with a single binary, refused unless a transition mode
    expect(lv.loki.schemaConfig.configs).toHaveLength(1); // "You must provide a schema_config for Loki"
    expect(lv.loki.useTestSchema).toBe(false);
    // The charts of the pinned set that carry a schema: all of them were checked.
    expect(checked.sort()).toEqual(["cert-manager", "opentelemetry-collector", "postgresql", "rabbitmq", "vault"]);
  });
});
