// The meta environment's API for real (issue 19): `infra bootstrap` on a
// sandbox with its real node builds infra's image, pushes it to the sandbox's
// registry, and the API's Deployment runs it by digest on the real node, with
// its SQLite and state on a claim and no bus; bootstrap sends meta to it and
// prints the write token once and the `infra login` line. A colleague's
// machine logs in with them and sees meta; the engine's operations on it are
// refused there (its stack is on the bootstrapping machine).
import { execFileSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { whyNoNode } from "../../../src/sandbox/node.js";
import { chartsDir } from "../../helpers/charts.js";
import { makeHome, type Home } from "../../helpers/cli.js";
import { organisationRepo } from "../../helpers/org-repo.js";
import { metaApi } from "../../../src/cli/meta-api.js";
import { waitFor } from "../../helpers/server.js";

const why = whyNoNode("/nonexistent");
let home: Home;
let colleague: Home;
const kubectl = (args: string[]) =>
  execFileSync("kubectl", args, { env: { ...process.env, KUBECONFIG: join(home.env.INFRA_HOME!, "sandbox", "kubeconfig") }, encoding: "utf8" });

// Only what the API needs: the platform (and ingress, always there); the rest is tested elsewhere.
const BOOTSTRAP_FILE = `services:
  consul: false
  vault: false
  observability: false
  gitops: false
`;

describe.skipIf(!!why)(`infra bootstrap runs its API on the sandbox's real node${why ? ` (skipped: ${why})` : ""}`, () => {
  let first: { code: number; stdout: string; stderr: string };
  let url: string;
  let token: string;

  beforeAll(() => {
    home = makeHome("infra-bootstrap-api-");
    colleague = makeHome("infra-bootstrap-colleague-");
    organisationRepo(home, BOOTSTRAP_FILE);
    home.env.INFRA_CHARTS = chartsDir;
    const s = home.run(["sandbox", "start", "--real-node"]);
    expect(s.code, s.stderr).toBe(0);
    first = home.run(["bootstrap", "--location", "sandbox", "--github-organisation", "acme", "--yes"]);
  }, 1_500_000);
  afterAll(() => {
    home?.run(["sandbox", "delete", "--yes", "--force"]);
  });

  it("builds and pushes infra's image, runs it by digest on the real node, and prints the token once and the login line", () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/infra's image sha256:[0-9a-f]{12}… built in [0-9.]+ s/);
    expect(first.stderr).toMatch(/infra's image sha256:[0-9a-f]{12}… pushed to the sandbox's registry/);
    const m = /^API: (http:\/\/[0-9.]+:7780) \(registry SQLite and state on the API's volume, no bus\); meta recorded there$/m.exec(first.stdout);
    expect(m, first.stdout).not.toBeNull();
    url = m![1]!;
    token = /^write token \(shown once; kept for the next bootstrap in (.+)\):\n {2}(infra_[A-Za-z0-9_-]+)$/m.exec(first.stdout)![2]!;
    const kept = join(home.env.INFRA_HOME!, "meta-api-token");
    expect(readFileSync(kept, "utf8").trim()).toBe(token);
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    expect(first.stdout).toContain(`  infra login ${url}   (paste the write token when asked)`);
    // The pod: on the real node, the image by digest from the sandbox's registry, its home a claim.
    const pod = JSON.parse(kubectl(["-n", "infra", "get", "pod", "-l", "app.kubernetes.io/name=infra-api", "-o", "json"])).items[0];
    expect(pod.spec.nodeName).toBe(JSON.parse(home.run(["sandbox", "status", "--json"]).stdout).realNode.name);
    expect(pod.spec.containers[0].image).toMatch(/^127\.0\.0\.1:\d+\/infra\/infra@sha256:[0-9a-f]{64}$/);
    expect(pod.status.containerStatuses[0].imageID).toContain(pod.spec.containers[0].image.split("@")[1]);
    expect(pod.spec.volumes.find((v: { name: string }) => v.name === "home").persistentVolumeClaim.claimName).toBe("infra-api-home");
    // The token never reached the cluster: only its hash.
    expect(kubectl(["-n", "infra", "get", "secret", "infra-passphrase", "-o", "json"])).not.toContain(Buffer.from(token).toString("base64"));
  });

  it("a colleague logs in with the printed line and token, and sees meta as the bootstrapping machine recorded it", () => {
    const tokenFile = join(colleague.dir, "token");
    writeFileSync(tokenFile, token, { mode: 0o600 });
    const login = colleague.run(["login", url, "--token-file", tokenFile]);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/as token bootstrap-[0-9a-f]{12} \(write\)/);
    const list = colleague.run(["env", "list"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^meta +deployed-ok +meta@1\.0\.0/m);
    const meta = colleague.json<{ tags: Record<string, string>; outputs: Record<string, { value?: string; secret: boolean }> }>(["env", "show", "meta"]);
    expect(meta.tags["infra.recorded-from"]).toMatch(/^infra bootstrap by /);
    expect(meta.outputs.apiUrl?.value).toBe("http://infra-api.infra.svc:7780");
    expect(meta.outputs.kubeconfig).toEqual({ secret: true });
    // Its stack is on the bootstrapping machine: the API refuses to run the engine on it.
    const drift = colleague.run(["env", "drift", "meta"]);
    expect(drift.code).not.toBe(0);
    expect(drift.stderr).toMatch(/environment meta is recorded here from infra bootstrap by .*: its stack is kept there, so drift it there/);
  });

  it("is reached through the API server's service proxy too, the token in X-Infra-Token, as bootstrap does a cloud's", async () => {
    const api = metaApi(home.env.INFRA_HOME!);
    const kubeconfig = readFileSync(join(home.env.INFRA_HOME!, "sandbox", "kubeconfig"), "utf8");
    const reached = await api.reach("sandbox", kubeconfig);
    expect(reached).toEqual({ url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/infra\/services\/http:infra-api:http\/proxy$/) });
    const { url: proxied } = reached as { url: string };
    await api.send(proxied, token, {
      kind: "record",
      environment: "proxied",
      template: "meta@1.0.0",
      location: "gcp:acme-prod/europe-west1",
      from: "the proxy test",
      outputs: { endpoint: { value: "https://34.1.2.3", secret: false } },
      resources: [],
    } as never);
    const shown = colleague.json<{ tags: Record<string, string>; outputs: Record<string, { value?: string }> }>(["env", "show", "proxied"]);
    expect(shown.tags["infra.recorded-from"]).toBe("the proxy test");
    expect(shown.outputs.endpoint?.value).toBe("https://34.1.2.3");
    // Without the token, the proxy passes the API's refusal back.
    await expect(
      api.send(proxied, "infra_not-a-token", {
        kind: "record",
        environment: "other",
        template: "meta@1.0.0",
        location: "sandbox",
        from: "x",
        outputs: {},
        resources: [],
      } as never),
    ).rejects.toThrow(/unknown or revoked token/);
  });

  it("infra login kubernetes:<context> reaches it through the API server, no port-forward: env list and show work", () => {
    const away = makeHome("infra-bootstrap-away-");
    const env = { KUBECONFIG: join(home.env.INFRA_HOME!, "sandbox", "kubeconfig") };
    const tokenFile = join(away.dir, "token");
    writeFileSync(tokenFile, token, { mode: 0o600 });
    const login = away.run(["login", "kubernetes:infra-sandbox", "--token-file", tokenFile], env);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/^logged in to kubernetes:infra-sandbox as token bootstrap-[0-9a-f]{12} \(write\)/);
    const list = away.run(["env", "list"], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^meta +deployed-ok +meta@1\.0\.0/m);
    expect(away.run(["whoami"], env).stdout).toMatch(/^kubernetes:infra-sandbox: token bootstrap-/);
    // A context the kubeconfig lacks: one line, nothing kept.
    const wrong = away.run(["login", "kubernetes:nowhere", "--token-file", tokenFile], env);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr.trim().split("\n")).toHaveLength(1);
    expect(wrong.stderr).toMatch(/nowhere/);
  });

  it("a second bootstrap changes nothing, shows no new token, and sends meta again", () => {
    const again = home.run(["bootstrap", "--location", "sandbox", "--github-organisation", "acme", "--yes"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^meta: deployed-ok at sandbox \(nothing to do\)$/m);
    expect(again.stdout).not.toMatch(/^write token \(shown once/m);
    expect(again.stdout).not.toContain(token);
    expect(again.stdout).toContain(`API: ${url} (registry SQLite and state on the API's volume, no bus); meta recorded there`);
    expect(again.stdout).toContain(`infra login ${url}   (paste the write token when asked; it is in `);
  });

  it("keeps its registry on the claim when its pod is replaced", async () => {
    kubectl(["-n", "infra", "delete", "pod", "-l", "app.kubernetes.io/name=infra-api", "--wait=true"]);
    await waitFor("the API's new pod to answer ready", async () => (await fetch(`${url}/api/v1/ready`).catch(() => undefined))?.ok || undefined, 180);
    const list = colleague.run(["env", "list"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^meta +deployed-ok/m);
  });
});
