// Every @pulumi/kubernetes class that infra's components and programs use,
// held against our plugin (rig/kubernetes): a Kubernetes object class is
// accepted when the API server serves its kind (the plugin maps any served
// kind), so each is looked up on the sandbox; the Helm Release's every input
// the SDK sends must be in the schema the plugin reports, and the plugin
// reports the package name and the pinned version.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { locateEngine } from "../../../src/engine/locate.js";
import { packageRoot } from "../../../src/core/package-root.js";
import { enginePins } from "../../../src/engine/pins.js";
import { makeHome, type Home } from "../../helpers/cli.js";

const sdk = join(packageRoot(), "node_modules", "@pulumi", "kubernetes");

/** `k8s.<group>.<version>.<Kind>` as written in infra's sources. */
function classesUsed(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts"))
        for (const m of readFileSync(p, "utf8").matchAll(/\bk8s\.([a-z0-9]+)\.(v[0-9a-z]+)\.([A-Z][A-Za-z0-9]*)\b/g)) found.add(`${m[1]}/${m[2]}/${m[3]}`);
    }
  };
  for (const d of ["src", "programs"]) walk(join(packageRoot(), d));
  return found;
}

/** The class's file in the SDK and the type token it declares. */
function tokenOf(cls: string): { token: string; inputs: Set<string> } {
  const [group, version, kind] = cls.split("/") as [string, string, string];
  const file = join(sdk, group, version, `${kind[0]!.toLowerCase()}${kind.slice(1)}.js`);
  expect(existsSync(file), `${cls}: ${file}`).toBe(true);
  const src = readFileSync(file, "utf8");
  const token = /__pulumiType = '([^']+)'/.exec(src)?.[1];
  expect(token, file).toMatch(/^kubernetes:[a-z0-9.]+(\/[a-z0-9]+)?:[A-Z][A-Za-z0-9]*$/);
  return { token: token!, inputs: new Set([...src.matchAll(/resourceInputs\["(\w+)"\] = args/g)].map((m) => m[1]!)) };
}

let home: Home;
let kubeconfigFile: string;
let schema: { name: string; version: string; resources: Record<string, { inputProperties: Record<string, { description?: string }> }> };

beforeAll(async () => {
  const engine = await locateEngine();
  const version = enginePins().kubernetes;
  const plugin = join(engine.pulumiHome!, "plugins", `resource-kubernetes-v${version}`, "pulumi-resource-kubernetes");
  schema = JSON.parse(
    execFileSync(engine.command, ["package", "get-schema", plugin], {
      env: { ...process.env, PULUMI_HOME: engine.pulumiHome!, PULUMI_SKIP_UPDATE_CHECK: "true" },
    }).toString(),
  );
  home = makeHome("infra-k8s-classes-");
  const r = home.run(["sandbox", "start"]);
  expect(r.code, r.stderr).toBe(0);
  kubeconfigFile = join(home.env.INFRA_HOME!, "sandbox", "kubeconfig");
});
afterAll(() => {
  home?.run(["sandbox", "delete", "--yes", "--force"]);
});

describe("the kubernetes plugin against the @pulumi/kubernetes classes infra uses", () => {
  const used = classesUsed();

  it("reports the package name and the pinned version", () => {
    expect(schema.name).toBe("kubernetes");
    expect(schema.version).toBe(enginePins().kubernetes);
  });

  it("finds the classes (the scan is not empty)", () => {
    expect([...used]).toEqual(expect.arrayContaining(["apps/v1/Deployment", "core/v1/Namespace", "helm/v3/Release"]));
  });

  it("serves every object kind on the sandbox's API server", () => {
    const missing: string[] = [];
    for (const cls of used) {
      const { token } = tokenOf(cls);
      if (token === "kubernetes:helm.sh/v3:Release") continue;
      const [, gv, kind] = token.split(":") as [string, string, string];
      const path = gv.startsWith("core/") ? `/api/${gv.slice(5)}` : `/apis/${gv}`;
      const list = JSON.parse(execFileSync("kubectl", ["get", "--raw", path], { env: { ...process.env, KUBECONFIG: kubeconfigFile } }).toString()) as {
        resources: { kind: string }[];
      };
      if (!list.resources.some((r) => r.kind === kind)) missing.push(token);
    }
    expect(missing).toEqual([]);
  });

  it("takes every input the SDK's Release sends (the few it refuses say so when set)", () => {
    const { token, inputs } = tokenOf("helm/v3/Release");
    const release = schema.resources[token];
    expect(Object.keys(release?.inputProperties ?? {})).toEqual(expect.arrayContaining(["chart", "version", "values", "repositoryOpts"]));
    const missing = [...inputs].filter((i) => !release!.inputProperties[i]);
    expect(missing).toEqual([]);
    const refused = Object.entries(release!.inputProperties)
      .filter(([, p]) => p.description?.startsWith("refused"))
      .map(([k]) => k);
    expect(refused.sort()).toEqual(["disableCRDHooks", "lint", "postrender"]);
  });
});
