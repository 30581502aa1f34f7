// kubernetes:helm.sh/v3:Release from an oci:// reference, as the meta
// environment takes RabbitMQ's and PostgreSQL's charts: a private registry on
// loopback (basic authentication, a certificate signed by the CA the Release
// names), charts pushed as `helm push` stores them. The credentials are used,
// never written down: Helm's registry login would keep them in the user's
// registry config file.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packCharts } from "../../helpers/charts.js";
import { startRegistry, type OciRegistry } from "../../helpers/oci.js";
import { useSandbox } from "../../helpers/sandbox.js";

const sb = useSandbox("infra-oci-");
const password = "s3cret-registry-Pass";
let registry: OciRegistry;
let caFile: string;
// Where Helm keeps registry logins, for every engine this file runs.
const helmConfig = mkdtempSync(join(tmpdir(), "infra-oci-helm-"));
process.env.HELM_CONFIG_HOME = helmConfig;

async function stackFor(name: string, version: string, pass = password): Promise<Stack> {
  const kubeconfig = sb.kubeconfig();
  return sb.stack("k8s-oci", name, async () => {
    const k8s = await import("@pulumi/kubernetes");
    const provider = new k8s.Provider("sandbox", { kubeconfig });
    const web = new k8s.helm.v3.Release(
      "web",
      {
        name: "web",
        chart: `oci://${registry.host}/charts/web`,
        version,
        repositoryOpts: { caFile, username: "infra", password: pass },
        namespace: "oci",
        createNamespace: true,
        values: { replicas: 2 },
      },
      { provider },
    );
    return { status: web.status };
  });
}

beforeAll(async () => {
  caFile = join(sb.dir, "pki", "ca.crt");
  registry = await startRegistry({
    cert: join(sb.dir, "pki", "apiserver.crt"),
    key: join(sb.dir, "pki", "apiserver.key"),
    ca: caFile,
    user: "infra",
    password,
  });
  const dir = mkdtempSync(join(tmpdir(), "infra-oci-charts-"));
  packCharts(dir, [
    { chart: "web", version: "0.1.0" },
    { chart: "web", version: "0.2.0" },
  ]);
  for (const v of ["0.1.0", "0.2.0"]) await registry.push(join(dir, `web-${v}.tgz`), "web", v);
});
afterAll(() => registry?.close());

const files = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
    : [];

describe("a Release from a private OCI registry", () => {
  let stack: Stack;

  it("installs the chart at its version, then upgrades it", async () => {
    stack = await stackFor("dev", "0.1.0");
    const up = await stack.up();
    expect(up.outputs.status!.value).toMatchObject({ status: "deployed", revision: 1, chart: "web", version: "0.1.0" });
    expect(JSON.parse(sb.kubectl(["-n", "oci", "get", "deployment", "web", "-o", "json"])).status.readyReplicas).toBe(2);
    const again = await stackFor("dev", "0.2.0");
    const up2 = await again.up();
    expect(up2.outputs.status!.value).toMatchObject({ status: "deployed", revision: 2, version: "0.2.0" });
    await again.refresh();
    expect((await again.preview()).changeSummary).toEqual({ same: 3 });
    stack = again;
  });

  it("keeps the registry's password in no file of Helm's", () => {
    const basic = Buffer.from(`infra:${password}`).toString("base64");
    for (const f of files(helmConfig)) {
      const text = readFileSync(f, "utf8");
      expect(text, f).not.toContain(password);
      expect(text, f).not.toContain(basic);
    }
  });

  it("a wrong password is one error naming the chart and the refusal", async () => {
    const bad = await stackFor("bad", "0.1.0", "Wr0ng-pa55");
    const err = (await bad.up().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(
      new RegExp(`chart oci://${registry.host.replace(/\./g, "\\.")}/charts/web@0\\.1\\.0 cannot be found: .*(401|unauthorized)`, "is"),
    );
    expect(err.message).not.toContain("Wr0ng-pa55");
  });

  it("uninstalls on destroy", async () => {
    const r = await stack.destroy();
    expect(r.summary.resourceChanges).toEqual({ delete: 3 });
    expect(sb.kubectl(["-n", "oci", "get", "deployments", "-o", "name"]).trim()).toBe("");
  });
});
