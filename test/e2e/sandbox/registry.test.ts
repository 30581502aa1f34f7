// The sandbox's own image registry (rig/registry's oci-registry, started with
// the sandbox): TLS on loopback with the sandbox's CA, filled by
// `infra sandbox push` from a docker save tarball, kept across stop and start.
// Pulls by the real node are in real-node.test.ts.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImage } from "../../../src/sandbox/node-images.js";
import { sandboxRig } from "../../../src/sandbox/rig.js";
import { makeHome, type Home } from "../../helpers/cli.js";

let home: Home;
let archive = "";
let registry: { address: string; ca: string };

/** A GET on the registry's API, trusting the sandbox's CA only. */
function get(path: string, accept = "application/vnd.docker.distribution.manifest.v2+json"): Promise<{ status: number; digest?: string; body: string }> {
  const [host, port] = registry.address.split(":");
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), path, ca: readFileSync(registry.ca), headers: { accept }, agent: false }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, digest: res.headers["docker-content-digest"] as string | undefined, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  home = makeHome("infra-registry-");
  const dir = mkdtempSync(join(tmpdir(), "infra-image-"));
  archive = await buildImage(dir, {
    name: "hello:1",
    files: (root) => writeFileSync(join(root, "hello.txt"), "hello\n"),
    entrypoint: ["/hello"],
  });
  const r = home.run(["sandbox", "start"]);
  expect(r.code, r.stderr).toBe(0);
  registry = home.json<{ registry: { address: string; ca: string } }>(["sandbox", "status"]).registry;
});
afterAll(() => {
  home?.run(["sandbox", "delete", "--yes", "--force"]);
});

describe("the sandbox's registry", () => {
  it("runs with the sandbox, on loopback, and status says where and with which CA", () => {
    expect(registry.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(registry.ca).toBe(join(home.env.INFRA_HOME!, "sandbox", "pki", "ca.crt"));
    const text = home.run(["sandbox", "status"]).stdout;
    expect(text).toContain(`registry:   ${registry.address} (TLS, CA ${registry.ca}); infra sandbox push IMAGE.tar NAME:TAG fills it`);
    expect(text).toMatch(/registry\s+running\s+\d+\s+\d+/);
  });

  it("takes a docker save tarball under another registry's name, at the path containerd will ask for", async () => {
    const r = home.run(["sandbox", "push", archive, "ghcr.io/acme/hello:1", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const pushed = JSON.parse(r.stdout);
    expect(pushed).toMatchObject({ pushed: `${registry.address}/acme/hello:1`, asNamed: "ghcr.io/acme/hello:1" });
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const m = await get("/v2/acme/hello/manifests/1");
    expect(m.status).toBe(200);
    expect(m.digest).toBe(pushed.digest);
    const plain = home.run(["sandbox", "push", archive, "hello"]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain(`pushed ${registry.address}/library/hello:latest`);
    expect(plain.stdout).toContain("the real node pulls it as hello:latest");
  });

  it("refuses a bad name, a missing file and a file that is no image, in one line each, pushing nothing", async () => {
    const bad = home.run(["sandbox", "push", archive, "Acme/Hello:1"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain('is not an image name ("Acme": lower-case letters and digits');
    const missing = home.run(["sandbox", "push", join(home.dir, "nope.tar"), "x:1"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.tar does not exist: give a docker save tarball or an OCI layout folder/);
    writeFileSync(join(home.dir, "notes.txt"), "not a tarball\n");
    const junk = home.run(["sandbox", "push", join(home.dir, "notes.txt"), "x:1"]);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/^infra: cannot push .*notes\.txt to the sandbox's registry: .*not an image tarball/);
    expect((await get("/v2/library/x/manifests/1")).status).toBe(404);
  });

  it("keeps its images across stop and start; push says when it is not running", async () => {
    expect(home.run(["sandbox", "stop"]).code).toBe(0);
    const stopped = home.run(["sandbox", "push", archive, "x:1"]);
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toContain("the sandbox's registry is not running: infra sandbox start");
    expect(home.run(["sandbox", "start"]).code).toBe(0);
    expect(home.json<{ registry: { address: string } }>(["sandbox", "status"]).registry.address).toBe(registry.address);
    expect((await get("/v2/acme/hello/manifests/1")).status).toBe(200);
    expect(JSON.parse((await get("/v2/_catalog", "application/json")).body).repositories.sort()).toEqual(["acme/hello", "library/hello"]);
  });
});

describe("a sandbox rig made without Go (no oci-registry)", () => {
  it("starts without a registry and says so in one line; push says it is not running", () => {
    const rig = sandboxRig();
    const base = mkdtempSync(join(tmpdir(), "infra-rig-no-go-"));
    const copy = join(base, rig.dir.split("/").pop()!);
    mkdirSync(join(copy, "bin"), { recursive: true });
    for (const b of readdirSync(join(rig.dir, "bin"))) if (b !== "oci-registry") symlinkSync(join(rig.dir, "bin", b), join(copy, "bin", b));
    symlinkSync(join(rig.dir, "share"), join(copy, "share"));
    writeFileSync(join(copy, ".complete"), "");
    const h = makeHome("infra-no-registry-");
    const env = { INFRA_SANDBOX_RIG_HOME: base };
    try {
      const r = h.run(["sandbox", "start"], env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain("infra: the image registry is not started: the sandbox rig was built without Go (install Go and run scripts/sandbox-rig.sh)");
      const s = JSON.parse(h.run(["sandbox", "status", "--json"], env).stdout);
      expect(s.state).toBe("running");
      expect(s.registry).toBeUndefined();
      expect(s.processes.map((p: { program: string }) => p.program)).not.toContain("registry");
      const push = h.run(["sandbox", "push", archive, "x:1"], env);
      expect(push.code).toBe(2);
      expect(push.stderr).toContain("the sandbox's registry is not running");
    } finally {
      h.run(["sandbox", "delete", "--yes", "--force"], env);
    }
  });
});
