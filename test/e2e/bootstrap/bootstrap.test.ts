// `infra bootstrap` on the sandbox, end to end: the organisation's template
// repository (a git repository on disk) holds the bootstrap file; charts come
// from test/fixtures/charts through --charts (a folder mirror); our
// Kubernetes provider installs them on the sandbox's real API server.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHARTS } from "../../../programs/meta/services/charts.js";
import { chartsDir, packCharts } from "../../helpers/charts.js";
import { allBytes, BIN, makeHome, type Home } from "../../helpers/cli.js";
import { organisationRepo } from "../../helpers/org-repo.js";
import { atTerminal } from "../../helpers/terminal.js";
import { startRegistry, type OciRegistry } from "../../helpers/oci.js";

let home: Home;
let registry: OciRegistry | undefined;
const GH_TOKEN = "ghp_bootstrap_test_7c1e9a";
const kubectl = (args: string[]) =>
  execFileSync("kubectl", args, { env: { ...process.env, KUBECONFIG: join(home.env.INFRA_HOME!, "sandbox", "kubeconfig") }, encoding: "utf8" });

const BOOTSTRAP_FILE = `# which services, chart overrides, and the environments that should exist
services:
  consul: true
charts:
  vault:
    values:
      server:
        ha:
          replicas: 2
environments:
  - name: shop
    template: k8s-namespace-app@1.0.0
    params:
      image: nginx:1.27
      replicas: 1
`;

beforeAll(() => {
  home = makeHome("infra-bootstrap-");
  organisationRepo(home, BOOTSTRAP_FILE);
  home.env.INFRA_CHARTS = chartsDir;
});
afterAll(() => {
  registry?.close();
  home.run(["sandbox", "delete", "--yes", "--force"]);
});

describe("infra bootstrap on the sandbox", () => {
  it("deploys the meta environment, records it with its outputs, and creates the initial environment", () => {
    // The token Argo CD's SCM generator lists repositories with: from the environment, never argv.
    const r = home.run(["bootstrap", "--location", "sandbox", "--github-organisation", "acme", "--yes"], { GITHUB_TOKEN: GH_TOKEN });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("bootstrap will create the meta environment at sandbox:");
    expect(r.stderr).not.toContain("note: no GITHUB_TOKEN");
    expect(r.stdout + r.stderr).not.toContain(GH_TOKEN);
    expect(r.stderr).toMatch(/vault +vault 0\.29\.1 from .*test\/fixtures\/charts/);
    expect(r.stdout).toMatch(/^meta: deployed-ok at sandbox/m);
    expect(r.stdout).toMatch(/vaultAddress = https:\/\/vault\.vault\.svc:8200/);
    expect(r.stdout).toMatch(/^shop: deployed-ok$/m);
    // Vault's pods are simulated on the sandbox: no next step that could only fail there.
    expect(r.stdout).toMatch(/^next:\n( {2}.*\n)*/m);
    expect(r.stdout).not.toContain("infra vault init");
    // Progress by part: each resource line says which (the engine works on them at once), then the initial environments.
    expect(r.stderr).toContain("  create tls:index/selfSignedCert:SelfSignedCert ca-ca [cluster]\n");
    expect(r.stderr).toContain("  create kubernetes:helm.sh/v3:Release consul [platform services]\n");
    expect(r.stderr).toContain("  create kubernetes:argoproj.io/v1alpha1:ApplicationSet gitops-apps [GitOps]\n");
    expect(r.stderr).toMatch(/\ninitial environments:\n[^]*create shop/);
    // Every workload Ready, seen by a client rather than through infra.
    const workloads = JSON.parse(kubectl(["get", "deployments,statefulsets", "-A", "-o", "json"])).items as {
      kind: string;
      metadata: { namespace: string; name: string };
      spec: { replicas: number };
      status: { readyReplicas?: number };
    }[];
    const mine = workloads.filter((w) => w.metadata.namespace !== "kube-system");
    expect(mine.length).toBeGreaterThanOrEqual(20);
    for (const w of mine) expect(w.status.readyReplicas ?? 0, `${w.kind} ${w.metadata.namespace}/${w.metadata.name}`).toBe(w.spec.replicas);
    expect(JSON.parse(kubectl(["-n", "vault", "get", "statefulset", "vault", "-o", "json"])).spec.replicas).toBe(2); // the file's override
    expect(kubectl(["-n", "argocd", "get", "applicationsets", "-o", "name"]).trim()).toBe("applicationset.argoproj.io/infra-apps");
    const token = JSON.parse(kubectl(["-n", "argocd", "get", "secret", "github-token", "-o", "json"])).data.token;
    expect(Buffer.from(token, "base64").toString()).toBe(GH_TOKEN);
    // Not in the registry, the events or the stack's state (the sandbox's own files are left out: large, and not ours).
    for (const part of ["registry.db", "events", "state", "workspaces"].map((p) => join(home.env.INFRA_HOME!, p)).filter((p) => existsSync(p))) {
      expect(allBytes(part), part).not.toContain(GH_TOKEN);
    }
    // ingress-nginx's metrics are scraped: seed 000's latency and 5xx alerts have series to read.
    expect(kubectl(["-n", "monitoring", "get", "servicemonitors", "-o", "name"])).toContain("servicemonitor.monitoring.coreos.com/ingress-nginx");
    // cert-manager is simulated here: no issuer nothing would serve (and the real chart's webhook would refuse), said once.
    expect(kubectl(["get", "clusterissuers", "-o", "name"]).trim()).toBe("");
    expect(r.stderr).toContain("note: cert-manager's pods are simulated on the sandbox (nothing issues certificates, and its webhook cannot admit an issuer)");
    const meta = home.json<Record<string, any>>(["env", "show", "meta"]);
    expect(meta.status).toBe("deployed-ok");
    expect(meta.template).toMatchObject({ id: "meta", version: "1.0.0" });
    expect(meta.outputs.kubeconfig).toEqual({ secret: true });
    expect(meta.outputs.databaseUrl).toEqual({ secret: true });
    expect(meta.outputs.chartVault.value).toBe("0.29.1");
    expect(meta.outputs.consulAddress.value).toBe("https://consul-server.consul.svc:8501");
    const shop = home.json<Record<string, any>>(["env", "show", "shop"]);
    expect(shop.status).toBe("deployed-ok");
    expect(shop.dependsOn).toEqual(["meta"]);
    expect(JSON.parse(kubectl(["-n", "shop", "get", "deployment", "app", "-o", "json"])).status.readyReplicas).toBe(1);
  });

  it("changes nothing when run again", () => {
    const r = home.run(["bootstrap", "--location", "sandbox", "--github-organisation", "acme", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^meta: deployed-ok at sandbox \(nothing to do\)/m);
    expect(r.stdout).toMatch(/^shop: exists, left as it is$/m);
  });

  it("moves every chart to an OCI mirror: its private CA through SSL_CERT_FILE, the login helm registry login keeps", async () => {
    const pki = join(home.env.INFRA_HOME!, "sandbox", "pki");
    registry = await startRegistry({
      cert: join(pki, "apiserver.crt"),
      key: join(pki, "apiserver.key"),
      ca: join(pki, "ca.crt"),
      user: "mirror",
      password: "m1rror-Pass",
    });
    const packed = mkdtempSync(join(tmpdir(), "infra-bootstrap-oci-"));
    packCharts(
      packed,
      Object.entries(CHARTS).map(([chart, pin]) => ({ chart, version: pin.version })),
    );
    for (const [chart, pin] of Object.entries(CHARTS)) await registry.push(join(packed, `${chart}-${pin.version}.tgz`), chart, pin.version);
    // What `helm registry login` writes.
    const helmHome = mkdtempSync(join(tmpdir(), "infra-bootstrap-helm-"));
    mkdirSync(join(helmHome, "registry"));
    writeFileSync(
      join(helmHome, "registry", "config.json"),
      JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from("mirror:m1rror-Pass").toString("base64") } } }),
    );
    const mirror = `oci://${registry.host}/charts`;
    const r = home.run(["bootstrap", "--location", "sandbox", "--github-organisation", "acme", "--yes"], {
      INFRA_CHARTS: mirror,
      SSL_CERT_FILE: join(pki, "ca.crt"),
      HELM_CONFIG_HOME: helmHome,
    });
    expect(r.code, r.stderr).toBe(0);
    for (const chart of Object.keys(CHARTS)) expect(r.stderr).toMatch(new RegExp(`update kubernetes:helm\\.sh/v3:Release ${chart} `));
    expect(r.stdout).toMatch(/^meta: deployed-ok at sandbox/m);
    // Helm's second revision of each release: the chart pulled from the mirror (it refuses a request without the login).
    expect(kubectl(["-n", "vault", "get", "secrets", "-l", "owner=helm,name=vault", "-o", "name"]).trim().split("\n")).toHaveLength(2);
  });

  it("refuses to destroy meta while other environments exist; --cascade removes them and the namespaces", () => {
    const refused = home.run(["env", "destroy", "meta", "--yes"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/shop/);
    const r = home.run(["env", "destroy", "meta", "--cascade", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(home.json<Record<string, any>>(["env", "show", "meta"]).status).toBe("destroyed");
    const namespaces = kubectl(["get", "namespaces", "-o", "name"]);
    for (const ns of ["consul", "vault", "monitoring", "ingress-nginx", "cert-manager", "infra", "argocd", "shop"])
      expect(namespaces).not.toContain(`namespace/${ns}\n`);
  });
});

describe("on a terminal, the first time", () => {
  it("asks for the organisation, keeps it in the config as infra init would, and applies nothing when told no", () => {
    const tty = makeHome("infra-bootstrap-tty-");
    const env: NodeJS.ProcessEnv = { ...tty.env, INFRA_GIT_BASE: home.env.INFRA_GIT_BASE, INFRA_CHARTS: chartsDir };
    delete env.INFRA_GITHUB_ORGANISATION;
    try {
      const steps: [string, string][] = [
        ["GitHub organisation", "acme\r"],
        ["apply\\?", "n\r"],
      ];
      const r = atTerminal(env, steps, [process.execPath, BIN, "bootstrap"], { timeout: 120_000, keepPassphrase: true });
      const screen = r.screen;
      expect(r.code, screen).toBe(0);
      expect(screen).toContain(`saved the GitHub organisation acme in ${join(tty.env.INFRA_HOME!, "config.json")}`);
      expect(screen).toContain("bootstrap cancelled: nothing was applied");
      // Nothing started before the question: a declined bootstrap leaves no sandbox behind.
      expect(existsSync(join(tty.env.INFRA_HOME!, "sandbox"))).toBe(false);
      expect(JSON.parse(readFileSync(join(tty.env.INFRA_HOME!, "config.json"), "utf8"))).toMatchObject({ githubOrganisation: "acme" });
      // Next time it is not asked for: off a terminal, only the missing --yes is said.
      const again = tty.run(["bootstrap", "--non-interactive"], { INFRA_GIT_BASE: home.env.INFRA_GIT_BASE, INFRA_CHARTS: chartsDir });
      expect(again.code).toBe(2);
      expect(again.stderr.trim()).toMatch(/^infra: infra bootstrap shows its plan and asks before it applies/);
      expect(tty.run(["env", "list", "--json"]).stdout).not.toContain("meta");
    } finally {
      tty.run(["sandbox", "delete", "--yes", "--force"]);
    }
  });
});

describe("bad input, one line each, nothing written", () => {
  it("an unknown location, a malformed one, an organisation that does not exist, a chart the mirror lacks", () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["--location", "mars"], {}, /^infra: invalid --location 'mars': unknown location kind 'mars'/],
      [["--location", "gcp:x"], {}, /^infra: invalid --location 'gcp:x': write gcp:<project>\/<region>/],
      [["--github-organisation", "nosuch"], {}, /^infra: no organisation nosuch under file:/],
      [[], { INFRA_CHARTS: join(home.dir, "empty-mirror") }, /^infra: chart ingress-nginx 4\.11\.3 is not in .*empty-mirror/],
      [
        ["--registry", "https://Registry.acme.internal"],
        {},
        /^infra: --registry https:\/\/Registry\.acme\.internal: write a registry and path, like registry\.acme\.internal:5000\/platform/,
      ],
    ];
    mkdirSync(join(home.dir, "empty-mirror"), { recursive: true });
    for (const [args, env, want] of cases) {
      const r = home.run(["bootstrap", "--github-organisation", "acme", "--yes", ...args], env);
      expect(r.code, r.stderr).toBe(2);
      // Progress notices aside (what was synced, which file was read), one line says what is wrong.
      const lines = r.stderr
        .trim()
        .split("\n")
        .filter((l) => !/^infra: (synced|bootstrap file:)/.test(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(want);
    }
    // A cluster that does not answer: said before anything is written.
    const kubeconfig = join(home.dir, "away-kubeconfig");
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\ncurrent-context: away\ncontexts: [{ name: away, context: { cluster: away, user: away } }]\nclusters: [{ name: away, cluster: { server: "https://127.0.0.1:1" } }]\nusers: [{ name: away, user: { token: t0k } }]\n',
    );
    const away = home.run(["bootstrap", "--github-organisation", "acme", "--location", "kubernetes:away", "--yes"], {
      KUBECONFIG: kubeconfig,
      INFRA_REGISTRY: join(home.dir, "away.db"),
    });
    expect(away.code).toBe(1);
    expect(
      away.stderr
        .trim()
        .split("\n")
        .filter((l) => !/^infra: (synced|bootstrap file:)/.test(l)),
    ).toEqual(["infra: the cluster at https://127.0.0.1:1 is unreachable: connect ECONNREFUSED 127.0.0.1:1"]);
    expect(home.run(["env", "list", "--json"], { INFRA_REGISTRY: join(home.dir, "away.db") }).stdout).not.toContain("meta");
    const none = home.run(["bootstrap", "--location", "sandbox", "--non-interactive"], { INFRA_GITHUB_ORGANISATION: "" });
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe("infra: the GitHub organisation is not set: pass --github-organisation <org> or set INFRA_GITHUB_ORGANISATION");
  });
});
