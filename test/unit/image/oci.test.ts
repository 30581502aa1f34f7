// The OCI layout writer: the same files give the same digests whatever their
// times and owners on disk; a changed byte gives another; the layout is what
// OCI tools read (index → manifest → config and gzip layers with sorted,
// root-owned entries).
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildLayout, type ImageSpec } from "../../../src/image/oci.js";

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "infra-oci-"));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function spec(text: string, touched: number): ImageSpec {
  return {
    tag: "demo:1",
    epoch: 1_700_000_000,
    config: { User: "65532:65532", Env: ["PATH=/bin"], Entrypoint: ["/bin/hello"], WorkingDir: "/", Labels: { a: "b" } },
    layers: [
      {
        name: "files",
        fill: (root) => {
          mkdirSync(join(root, "bin"));
          for (const f of ["zeta", "alpha", "hello"]) writeFileSync(join(root, "bin", f), `${f}: ${text}\n`);
          chmodSync(join(root, "bin", "hello"), 0o755);
          utimesSync(join(root, "bin", "hello"), touched, touched);
        },
      },
      { name: "empty", fill: () => {} },
    ],
  };
}

const json = (dir: string, digest: string) => JSON.parse(readFileSync(join(dir, "blobs", "sha256", digest.slice(7)), "utf8"));

describe("buildLayout", () => {
  it("gives the same digest for the same files, another when a byte changes", async () => {
    const a = await buildLayout(spec("hi", 1000), join(tmp, "a"), join(tmp, "cache"));
    const b = await buildLayout(spec("hi", 2_000_000), join(tmp, "b"), join(tmp, "cache-2"));
    expect(b.digest).toBe(a.digest);
    expect(b.layers.map((l) => l.digest)).toEqual(a.layers.map((l) => l.digest));
    const c = await buildLayout(spec("ho", 1000), join(tmp, "c"), join(tmp, "cache"));
    expect(c.digest).not.toBe(a.digest);
    expect(c.layers[1]!.digest).toBe(a.layers[1]!.digest);
  });

  it("writes a layout OCI tools read: index, manifest, config, gzip layers of sorted root-owned entries at the fixed time", async () => {
    const out = join(tmp, "out");
    const built = await buildLayout(spec("hi", 1000), out, join(tmp, "cache"));
    expect(JSON.parse(readFileSync(join(out, "oci-layout"), "utf8"))).toEqual({ imageLayoutVersion: "1.0.0" });
    const index = JSON.parse(readFileSync(join(out, "index.json"), "utf8"));
    expect(index.manifests).toEqual([expect.objectContaining({ digest: built.digest, annotations: { "org.opencontainers.image.ref.name": "demo:1" } })]);
    const manifest = json(out, built.digest);
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual(Array(2).fill("application/vnd.oci.image.layer.v1.tar+gzip"));
    const config = json(out, manifest.config.digest);
    expect(config).toMatchObject({
      created: "2023-11-14T22:13:20.000Z",
      config: { User: "65532:65532" },
      rootfs: { diff_ids: built.layers.map((l) => l.diffId) },
    });
    const listing = execFileSync("tar", ["-tvzf", join(out, "blobs", "sha256", manifest.layers[0].digest.slice(7)), "--numeric-owner"], {
      encoding: "utf8",
      env: { ...process.env, TZ: "UTC" },
    });
    const lines = listing.trim().split("\n");
    expect(lines.map((l) => l.split(/\s+/).pop())).toEqual(["./", "./bin/", "./bin/alpha", "./bin/hello", "./bin/zeta"]);
    for (const l of lines) expect(l).toMatch(/^\S+ 0\/0 .* 2023-11-14 22:13 /);
    expect(lines[3]).toMatch(/^-rwxr-xr-x /);
  });
});
