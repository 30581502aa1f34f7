// An OCI registry on loopback for the tests (rig/registry, built into the
// sandbox rig), and a push of a chart the way `helm push` stores one: a config
// blob with the chart's metadata, one layer with the chart archive, a manifest
// tagged with the chart's version.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { parse } from "yaml";
import { sandboxRig } from "../../src/sandbox/rig.js";
import { chartsDir } from "./charts.js";

export interface OciRegistry {
  /** host:port */
  host: string;
  push(archive: string, chart: string, version: string): Promise<void>;
  close(): void;
}

interface Options {
  cert: string;
  key: string;
  ca: string;
  user: string;
  password: string;
}

export async function startRegistry(o: Options): Promise<OciRegistry> {
  const bin = join(sandboxRig().dir, "bin", "oci-registry");
  if (!existsSync(bin)) throw new Error(`${bin} is missing: scripts/sandbox-rig.sh builds it where Go is installed`);
  const child: ChildProcess = spawn(bin, ["--addr", "127.0.0.1:0", "--cert", o.cert, "--key", o.key, "--user", o.user], {
    env: { PATH: process.env.PATH, OCI_REGISTRY_PASSWORD: o.password },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const host = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on("exit", (code) => reject(new Error(`oci-registry exited ${code}`)));
  });
  const ca = readFileSync(o.ca);
  const auth = `Basic ${Buffer.from(`${o.user}:${o.password}`).toString("base64")}`;
  const call = (method: string, path: string, body?: Buffer, type?: string) =>
    new Promise<{ status: number; location?: string }>((resolve, reject) => {
      const [hostname, port] = host.split(":");
      const req = request(
        {
          host: hostname,
          port: Number(port),
          method,
          path,
          ca,
          headers: { authorization: auth, ...(body && { "content-length": body.length, "content-type": type ?? "application/octet-stream" }) },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const digest = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
  const blob = async (repo: string, b: Buffer) => {
    const start = await call("POST", `/v2/${repo}/blobs/uploads/`);
    if (start.status !== 202 || !start.location) throw new Error(`blob upload: ${start.status}`);
    const loc = new URL(start.location, `https://${host}`);
    loc.searchParams.set("digest", digest(b));
    const put = await call("PUT", loc.pathname + loc.search, b);
    if (put.status !== 201) throw new Error(`blob put: ${put.status}`);
    return { digest: digest(b), size: b.length };
  };
  return {
    host,
    async push(archive, chart, version) {
      const repo = `charts/${chart}`;
      const meta = { ...(parse(readFileSync(join(chartsDir, chart, "Chart.yaml"), "utf8")) as object), version };
      const config = await blob(repo, Buffer.from(JSON.stringify(meta)));
      const layer = await blob(repo, readFileSync(archive));
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          config: { mediaType: "application/vnd.cncf.helm.config.v1+json", ...config },
          layers: [{ mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip", ...layer }],
        }),
      );
      const r = await call("PUT", `/v2/${repo}/manifests/${version}`, manifest, "application/vnd.oci.image.manifest.v1+json");
      if (r.status !== 201) throw new Error(`manifest put: ${r.status}`);
    },
    close: () => void child.kill(),
  };
}
