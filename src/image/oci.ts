// An OCI image layout written with no Docker and no daemon. Reproducible:
// each layer is a tar with sorted entries, owner 0:0 and one fixed time, the
// config has a fixed `created`, and gzip's header carries no time or name, so
// the same files give the same digests. A layer's gzip is kept in a cache by
// its uncompressed digest: a warm build only tars and hashes.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, linkSync, mkdirSync, renameSync, rmSync, statSync, copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { createGzip } from "node:zlib";

const run = promisify(execFile);

export interface Layer {
  /** What it holds (the history says it). */
  name: string;
  /** Lays the layer's files out under `root`. */
  fill: (root: string) => void | Promise<void>;
}

export interface RunConfig {
  User: string;
  Env: string[];
  Entrypoint: string[];
  Cmd?: string[];
  WorkingDir: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Labels: Record<string, string>;
}

export interface ImageSpec {
  /** The tag the layout's index names (org.opencontainers.image.ref.name). */
  tag: string;
  layers: Layer[];
  config: RunConfig;
  /** Seconds since the epoch: every file's time and the config's `created`. */
  epoch: number;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface Built {
  /** The manifest's digest: what a Deployment names. */
  digest: string;
  layers: (Descriptor & { name: string; diffId: string; unpacked: number })[];
  /** The layout folder. */
  out: string;
}

/** GNU tar's options for a reproducible archive: sorted entries, owner 0:0, every file at `epoch`, no atime or ctime. */
export function reproducibleTar(epoch: number): string[] {
  return [
    "--sort=name",
    "--owner=0",
    "--group=0",
    "--numeric-owner",
    `--mtime=@${epoch}`,
    "--format=posix",
    "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime",
  ];
}

async function sha256File(file: string): Promise<string> {
  const h = createHash("sha256");
  await pipeline(createReadStream(file), h);
  return h.digest("hex");
}

/** Writes `blob` into the layout's blobs by its digest (a hard link when it can). */
function putBlob(out: string, hex: string, from: string): void {
  const to = join(out, "blobs", "sha256", hex);
  if (existsSync(to)) return;
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

function putJson(out: string, value: unknown): Descriptor & { hex: string } {
  const text = JSON.stringify(value);
  const hex = createHash("sha256").update(text).digest("hex");
  writeFileSync(join(out, "blobs", "sha256", hex), text);
  return { mediaType: "", digest: `sha256:${hex}`, size: Buffer.byteLength(text), hex };
}

async function buildLayer(layer: Layer, epoch: number, cache: string) {
  const work = join(cache, "work", createHash("sha256").update(layer.name).digest("hex").slice(0, 16));
  rmSync(work, { recursive: true, force: true });
  const root = join(work, "root");
  mkdirSync(root, { recursive: true });
  await layer.fill(root);
  const tar = join(work, "layer.tar");
  await run("tar", [...reproducibleTar(epoch), "-cf", tar, "-C", root, "."], { maxBuffer: 1 << 24 });
  const diffHex = await sha256File(tar);
  const unpacked = statSync(tar).size;
  const gz = join(cache, "layers", `${diffHex}.tar.gz`);
  if (!existsSync(gz)) {
    mkdirSync(join(cache, "layers"), { recursive: true });
    await pipeline(createReadStream(tar), createGzip({ level: 6 }), createWriteStream(`${gz}.part`));
    renameSync(`${gz}.part`, gz);
  }
  rmSync(work, { recursive: true, force: true });
  return { gz, diffId: `sha256:${diffHex}`, unpacked };
}

/**
 * Builds `spec` into the OCI layout folder `out` (made afresh), using `cache`
 * for layer work and compressed layers. Returns the manifest's digest.
 */
export async function buildLayout(spec: ImageSpec, out: string, cache: string): Promise<Built> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "blobs", "sha256"), { recursive: true });
  const layers: Built["layers"] = [];
  for (const layer of spec.layers) {
    const { gz, diffId, unpacked } = await buildLayer(layer, spec.epoch, cache);
    const hex = await sha256File(gz);
    putBlob(out, hex, gz);
    layers.push({
      name: layer.name,
      mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
      digest: `sha256:${hex}`,
      size: statSync(gz).size,
      diffId,
      unpacked,
    });
  }
  const created = new Date(spec.epoch * 1000).toISOString();
  const config = putJson(out, {
    created,
    architecture: "amd64",
    os: "linux",
    config: spec.config,
    rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((l) => ({ created, created_by: `infra image: ${l.name}` })),
  });
  const manifest = putJson(out, {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: config.digest, size: config.size },
    layers: layers.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })),
  });
  writeFileSync(join(out, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(
    join(out, "index.json"),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          digest: manifest.digest,
          size: manifest.size,
          annotations: { "org.opencontainers.image.ref.name": spec.tag },
        },
      ],
    }),
  );
  return { digest: manifest.digest, layers, out };
}
