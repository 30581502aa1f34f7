// npm run image [-- --out DIR] [-- --image postgres]: builds infra's image (or
// the stand-in for the official postgres image) as an OCI layout folder (push
// it with `infra sandbox push DIR NAME:TAG`, or skopeo/crane anywhere).
import { join } from "node:path";
import { parseArgs } from "node:util";
import { packageRoot } from "../core/package-root.js";
import { buildEpoch, buildRevision, imageCache, infraImage } from "./infra-image.js";
import { postgresImage } from "./postgres-image.js";
import { buildLayout } from "./oci.js";

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: "string" }, json: { type: "boolean" }, image: { type: "string", default: "infra" } } });
  if (values.image !== "infra" && values.image !== "postgres") throw new Error(`--image ${values.image}: infra or postgres`);
  const out = values.out ?? join(packageRoot(), "dist", values.image === "infra" ? "image" : `image-${values.image}`);
  const cache = imageCache();
  const started = Date.now();
  const { spec, revision } =
    values.image === "infra"
      ? await infraImage(join(cache, "debs"))
      : { spec: (await postgresImage(join(cache, "debs"), buildEpoch())).spec, revision: buildRevision() };
  const built = await buildLayout(spec, out, join(cache, "build"));
  const seconds = (Date.now() - started) / 1000;
  const size = built.layers.reduce((n, l) => n + l.size, 0);
  const unpacked = built.layers.reduce((n, l) => n + l.unpacked, 0);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ out, tag: spec.tag, digest: built.digest, revision, size, unpacked, seconds, layers: built.layers })}\n`);
    return 0;
  }
  process.stdout.write(
    `${spec.tag} (${revision})\n  digest   ${built.digest}\n  layout   ${out}\n  size     ${mb(size)} compressed, ${mb(unpacked)} unpacked, in ${seconds.toFixed(1)} s\n`,
  );
  for (const l of built.layers) process.stdout.write(`  layer    ${mb(l.size).padStart(9)}  ${l.name}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`npm run image: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
