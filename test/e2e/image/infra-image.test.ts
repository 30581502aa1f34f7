// infra's own image (npm run image): built twice from one tree, the same
// digest; its layers hold no shell, no package manager and nothing secret of
// the machine that built it; on the sandbox's real node it runs as the meta
// environment's API pod declares it (programs/meta/services/api-pod.ts: uid
// 65532, a read-only root, the passphrase a mounted Secret), pulled by digest,
// and answers /api/v1/ready through its Service.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { API_PORT, apiPodSpec } from "../../../programs/meta/services/api-pod.js";
import { whyNoNode } from "../../../src/sandbox/node.js";
import { makeHome, type Home } from "../../helpers/cli.js";
import { waitFor } from "../../helpers/server.js";

const MARKER = `image-build-secret-${process.pid}`;
let tmp: string;
type Built = { digest: string; out: string; layers: { digest: string; name: string }[]; seconds: number };
const built: Built[] = [];

function build(out: string): Built {
  const r = spawnSync(process.execPath, [join(process.cwd(), "dist", "src", "image", "main.js"), "--out", out, "--json"], {
    // A secret of the building machine's environment: it must not reach the image.
    env: { ...process.env, INFRA_PASSPHRASE: MARKER, PULUMI_CONFIG_PASSPHRASE: MARKER },
    encoding: "utf8",
    timeout: 900_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Built;
}

const blob = (b: Built, digest: string) => join(b.out, "blobs", "sha256", digest.slice(7));
const imageConfig = (b: Built) => {
  const manifest = JSON.parse(readFileSync(blob(b, b.digest), "utf8")) as { config: { digest: string } };
  return JSON.parse(readFileSync(blob(b, manifest.config.digest), "utf8")) as { config: { User: string; Env: string[]; Entrypoint: string[] } };
};

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "infra-image-"));
  built.push(build(join(tmp, "a")), build(join(tmp, "b")));
}, 1_800_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("infra's image", () => {
  it("is reproducible: one tree, one digest", () => {
    expect(built[1]!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(built[1]!.digest).toBe(built[0]!.digest);
  });

  it("holds no shell, no package manager, nothing of the building machine's secrets; runs as uid 65532", () => {
    const root = join(tmp, "root");
    mkdirSync(root);
    for (const l of built[0]!.layers) {
      const listing = execFileSync("tar", ["-tvzf", blob(built[0]!, l.digest), "--numeric-owner"], { encoding: "utf8", maxBuffer: 1 << 28 });
      for (const line of listing.trim().split("\n")) expect(line.split(/\s+/)[1], line).toBe("0/0");
      execFileSync("tar", ["-xzf", blob(built[0]!, l.digest), "-C", root]);
    }
    const forbidden = new Set([
      "sh",
      "bash",
      "dash",
      "ash",
      "zsh",
      "busybox",
      "apt",
      "apt-get",
      "dpkg",
      "dpkg-deb",
      "rpm",
      "apk",
      "npm",
      "npx",
      "perl",
      "python3",
    ]);
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (forbidden.has(e.name) && (e.isSymbolicLink() || statSync(p).mode & 0o111)) found.push(p.slice(root.length));
      }
    };
    walk(root);
    expect(found).toEqual([]);
    // grep exits 1 when nothing matches.
    expect(spawnSync("grep", ["-rlF", MARKER, root]).status).toBe(1);
    expect(spawnSync("grep", ["-rlE", "^-----BEGIN ([A-Z]+ )?PRIVATE KEY-----$", root], { encoding: "utf8" }).stdout).toBe("");
    const { config } = imageConfig(built[0]!);
    expect(config.User).toBe("65532:65532");
    expect(config.Entrypoint).toEqual(["/usr/bin/node", "/app/bin/infra"]);
    expect(config.Env.join("\n")).not.toMatch(/PASSPHRASE|TOKEN|PASSWORD/);
    // The runtime the programs link against is the one in the image.
    expect(statSync(join(root, "lib64", "ld-linux-x86-64.so.2")).isFile() || statSync(join(root, "lib64", "ld-linux-x86-64.so.2")).isSymbolicLink()).toBe(true);
  });
});

const why = whyNoNode("/nonexistent");
describe.skipIf(!!why)(`infra's image on the sandbox's real node${why ? ` (skipped: ${why})` : ""}`, () => {
  let home: Home;
  const kubectl = (args: string[], input?: string) =>
    execFileSync("kubectl", args, {
      env: { ...process.env, KUBECONFIG: join(home.env.INFRA_HOME!, "sandbox", "kubeconfig") },
      encoding: "utf8",
      ...(input && { input }),
    });
  beforeAll(() => {
    home = makeHome("infra-image-node-");
    const r = home.run(["sandbox", "start", "--real-node"]);
    expect(r.code, r.stderr).toBe(0);
  }, 600_000);
  afterAll(() => {
    home?.run(["sandbox", "delete", "--yes", "--force"]);
  });

  it("runs as the meta environment's API pod declares, pulled by digest, and answers /api/v1/ready through its Service", async () => {
    const pushed = home.json<{ digest: string }>(["sandbox", "push", built[0]!.out, "ghcr.io/infra/infra:test"]);
    expect(pushed.digest).toBe(built[0]!.digest);
    const labels = { "app.kubernetes.io/name": "infra-api" };
    const pod = apiPodSpec({ image: `ghcr.io/infra/infra@${pushed.digest}`, passphraseSecret: "infra-passphrase" });
    const objects = [
      { apiVersion: "v1", kind: "Secret", metadata: { name: "infra-passphrase" }, stringData: { passphrase: "in-cluster-passphrase" } },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "infra-api", labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              ...pod,
              nodeSelector: { "infra.sandbox/real-node": "true" },
              tolerations: [{ key: "infra.sandbox/real-node", operator: "Exists", effect: "NoSchedule" }],
            },
          },
        },
      },
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "infra-api" },
        spec: { selector: labels, ports: [{ name: "http", port: API_PORT, targetPort: "http" }] },
      },
    ];
    kubectl(["apply", "-f", "-"], objects.map((o) => stringify(o)).join("---\n"));
    kubectl(["rollout", "status", "deployment/infra-api", "--timeout=180s"]);
    const ip = kubectl(["get", "service", "infra-api", "-o", "jsonpath={.spec.clusterIP}"]);
    const ready = await waitFor("the API's Service to answer", () => {
      const r = spawnSync("curl", ["-s", "-m", "3", `http://${ip}:${API_PORT}/api/v1/ready`], { encoding: "utf8" });
      return r.status === 0 && r.stdout ? r.stdout : undefined;
    });
    expect(JSON.parse(ready)).toMatchObject({ status: "ok", checks: { registry: "ok", engine: "ok" } });
    // The process runs as the image's user, not root.
    const ps = execFileSync("ps", ["-eo", "uid=,args="], { encoding: "utf8" });
    const line = ps.split("\n").find((l) => l.includes("/app/bin/infra server --passphrase-file"));
    expect(line?.trim().split(/\s+/)[0]).toBe("65532");
    expect(kubectl(["get", "pod", "-l", "app.kubernetes.io/name=infra-api", "-o", "jsonpath={.items[0].status.containerStatuses[0].imageID}"])).toContain(
      pushed.digest,
    );
  });
});
