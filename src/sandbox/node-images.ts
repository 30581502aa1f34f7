// Images for the real node with no registry on the internet: made here from
// files the node rig holds (our pause program, Debian's static busybox), in
// the `docker save` layout containerd imports. Reproducible: fixed owners,
// times and order, so the same files give the same digests.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { reproducibleTar } from "../image/oci.js";

const run = promisify(execFile);

export const TEST_IMAGE = "infra.sandbox/httpd:1";

export interface LocalImage {
  name: string;
  /** Lays the image's files out in `root`. */
  files: (root: string) => void;
  entrypoint: string[];
}

const TAR = reproducibleTar(0);

/**
 * Writes `name`.tar in `dir` and returns its path. Made at every start (a
 * fraction of a second): a rig with a newer program gives a newer image, and
 * the same files give the same digest, which containerd then keeps.
 */
export async function buildImage(dir: string, image: LocalImage): Promise<string> {
  const slug = image.name.replace(/[^a-z0-9]+/g, "-");
  const out = join(dir, `${slug}.tar`);
  const work = join(dir, `${slug}.work`);
  rmSync(work, { recursive: true, force: true });
  const root = join(work, "rootfs");
  mkdirSync(root, { recursive: true });
  image.files(root);
  await run("tar", [...TAR, "-cf", join(work, "layer.tar"), "-C", root, "."]);
  const layer = readFileSync(join(work, "layer.tar"));
  const diffId = `sha256:${createHash("sha256").update(layer).digest("hex")}`;
  const config = JSON.stringify({
    architecture: "amd64",
    os: "linux",
    config: { Entrypoint: image.entrypoint, Env: ["PATH=/bin"], WorkingDir: "/" },
    rootfs: { type: "layers", diff_ids: [diffId] },
    history: [{ created_by: "infra sandbox (local image)" }],
  });
  const configName = `${createHash("sha256").update(config).digest("hex")}.json`;
  writeFileSync(join(work, configName), config);
  writeFileSync(join(work, "manifest.json"), JSON.stringify([{ Config: configName, RepoTags: [image.name], Layers: ["layer.tar"] }]));
  await run("tar", [...TAR, "-cf", `${out}.part`, "-C", work, "manifest.json", configName, "layer.tar"]);
  rmSync(work, { recursive: true, force: true });
  await run("mv", ["-f", `${out}.part`, out]);
  return out;
}

export function pauseImage(pauseBinary: string, name: string): LocalImage {
  return {
    name,
    files: (root) => {
      copyFileSync(pauseBinary, join(root, "pause"));
      chmodSync(join(root, "pause"), 0o755);
    },
    entrypoint: ["/pause"],
  };
}

/** The test image: busybox's httpd serving /www on 8080, a shell for exec, and probe (an API client). */
export function testImage(busybox: string, probe: string): LocalImage {
  return {
    name: TEST_IMAGE,
    files: (root) => {
      mkdirSync(join(root, "bin"));
      mkdirSync(join(root, "www"));
      mkdirSync(join(root, "tmp"));
      copyFileSync(busybox, join(root, "bin", "busybox"));
      chmodSync(join(root, "bin", "busybox"), 0o755);
      copyFileSync(probe, join(root, "bin", "probe"));
      chmodSync(join(root, "bin", "probe"), 0o755);
      for (const tool of ["sh", "ls", "cat", "echo", "sleep", "hostname", "nc", "nslookup", "env", "ps", "httpd"])
        symlinkSync("busybox", join(root, "bin", tool));
      writeFileSync(join(root, "www", "index.html"), "hello from the sandbox's real node\n");
      // What a web-app component probes (kubernetes/web-app's default health path).
      writeFileSync(join(root, "www", "healthz"), "ok\n");
    },
    entrypoint: ["/bin/busybox", "httpd", "-f", "-v", "-p", "8080", "-h", "/www"],
  };
}
