// npm run image [-- --out DIR]: builds infra's image as an OCI layout folder
// (push it with `infra sandbox push DIR infra:TAG`, or skopeo/crane anywhere).
import { join } from "node:path";
import { parseArgs } from "node:util";
import { packageRoot } from "../core/package-root.js";
import { infraImage, imageCache } from "./infra-image.js";
import { buildLayout } from "./oci.js";

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: "string" }, json: { type: "boolean" } } });
  const out = values.out ?? join(packageRoot(), "dist", "image");
  const cache = imageCache();
  const started = Date.now();
  const { spec, revision } = await infraImage(join(cache, "debs"));
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
