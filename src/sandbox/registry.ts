// The sandbox's OCI registry: rig/registry's oci-registry on loopback, over
// TLS with a certificate from the sandbox's CA, its blobs and manifests kept
// under the sandbox's folder. The real node's containerd pulls every image
// from it (see registryHostsToml), and `infra sandbox push` fills it.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { promisify } from "node:util";
import { InfraError, UsageError } from "../core/errors.js";
import { ensureLeaf, type Pki } from "./pki.js";

const run = promisify(execFile);

/** The registry's program, or undefined where the rig was made without Go (it is ours: no download). */
export function registryBinary(rigDir: string): string | undefined {
  const f = join(rigDir, "bin", "oci-registry");
  return existsSync(f) ? f : undefined;
}

function registryProgram(rigDir: string): string {
  const f = registryBinary(rigDir);
  if (!f)
    throw new InfraError(`the sandbox rig at ${rigDir} has no oci-registry (the sandbox's image registry): install Go and run scripts/sandbox-rig.sh`, "usage");
  return f;
}

export function registryCert(pki: Pki) {
  return ensureLeaf(
    pki,
    "registry",
    "/CN=infra-sandbox-registry",
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n",
  );
}

/** True when the registry answers its API's base (GET /v2/) over TLS with the sandbox's CA. */
export function registryAnswers(port: number, caFile: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port, path: "/v2/", method: "GET", ca: readFileSync(caFile), servername: "localhost", timeout: 1000, agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

export interface ImageName {
  /** The repository path in the sandbox's registry (docker.io's `nginx` is `library/nginx`). */
  repository: string;
  tag: string;
  /** How a pod names it; the real node pulls it from the sandbox's registry whatever registry it names. */
  asNamed: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * Reads an image name as containerd does (docker.io when no registry is
 * named, `library/` for docker.io's one-part names, tag `latest` when none),
 * and gives its path in the sandbox's registry. Digests are not names to push to.
 */
export function imageName(name: string): ImageName {
  const bad = (why: string) => new UsageError(`${JSON.stringify(name)} is not an image name (${why}): use e.g. myapp:1.0 or ghcr.io/acme/api:2`);
  if (name.length > 255) throw bad("longer than 255 characters");
  if (name.includes("@")) throw bad("a digest names content, not where to push it");
  const parts = name.split("/");
  const first = parts[0] ?? "";
  const hasHost = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  if (hasHost && !HOST.test(first)) throw bad(`registry ${JSON.stringify(first)}: a host name or address, and a port`);
  const path = hasHost ? parts.slice(1) : parts;
  const last = path[path.length - 1] ?? "";
  const colon = last.lastIndexOf(":");
  const tag = colon === -1 ? "latest" : last.slice(colon + 1);
  path[path.length - 1] = colon === -1 ? last : last.slice(0, colon);
  if (!TAG.test(tag)) throw bad(`tag ${JSON.stringify(tag)}: letters, digits, _ . - and at most 128`);
  for (const c of path) if (!COMPONENT.test(c)) throw bad(`${JSON.stringify(c)}: lower-case letters and digits, joined by . _ or -`);
  const docker = !hasHost || first === "docker.io" || first === "index.docker.io";
  if (docker && path.length === 1) path.unshift("library");
  return { repository: path.join("/"), tag, asNamed: colon === -1 ? `${name}:latest` : name };
}

/** Pushes a `docker save` tarball or an OCI layout folder; returns the pushed digest. */
export async function pushImage(rigDir: string, address: string, caFile: string, archive: string, name: ImageName): Promise<string> {
  if (!existsSync(archive)) throw new UsageError(`${archive} does not exist: give a docker save tarball or an OCI layout folder`);
  if (statSync(archive).isDirectory() && !existsSync(join(archive, "index.json"))) {
    throw new UsageError(`${archive} is a folder without index.json, not an OCI layout`);
  }
  const target = `${address}/${name.repository}:${name.tag}`;
  try {
    const { stdout } = await run(registryProgram(rigDir), ["push", "--ca", caFile, "--", archive, target], { timeout: 600_000 });
    const m = /@(sha256:[0-9a-f]{64})/.exec(stdout);
    return m?.[1] ?? "";
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const said = (e.stderr ?? "").trim().split("\n").pop() || e.message;
    throw new InfraError(`cannot push ${archive} to the sandbox's registry: ${said.replace(/^oci-registry push: /, "")}`);
  }
}
