// infra's own image: Debian's C and C++ runtimes and CA certificates taken
// from their .debs, the Node.js this machine runs, the engine rig (the Pulumi
// CLI and its plugins), the production dependencies and the compiled CLI.
// No shell, no package manager; it runs as uid 65532 under a read-only root,
// writing only to /var/lib/infra (its home: registry, workspaces, state) and
// /tmp, both volumes.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { InfraError } from "../core/errors.js";
import { packageRoot } from "../core/package-root.js";
import { enginePins } from "../engine/pins.js";
import { DYNAMIC_PROVIDER, launcherText } from "../engine/dynamic-provider.js";
import { rigDir } from "../engine/locate.js";
import { fetchDebs } from "./debs.js";
import { debianRoot } from "./debian-root.js";
import type { ImageSpec } from "./oci.js";

/**
 * What the programs need at run time: glibc, libstdc++ (node and
 * better-sqlite3), CA certificates, /etc/services; gcc-12-base holds the
 * copyright the gcc runtime libraries' docs link to.
 */
export const DEBIAN_PACKAGES = ["libc6", "libgcc-s1", "libstdc++6", "gcc-12-base", "ca-certificates", "netbase", "base-files"];

export const UID = 65532;
export const HOME = "/var/lib/infra";
export const PORT = 7780;

/** Production packages only (npm's own list), without what nothing loads at run time. */
function dependenciesLayer(root: string, pkg: string): void {
  const listed = execFileSync("npm", ["ls", "--omit=dev", "--parseable", "--all"], { cwd: pkg, encoding: "utf8", maxBuffer: 1 << 26 })
    .split("\n")
    .filter(Boolean)
    .map((p) => relative(join(pkg, "node_modules"), p))
    // Top-level packages: each is copied whole, with what it nests (its own dependencies).
    .filter((p) => p && !p.startsWith("..") && !p.includes(`${sep}node_modules${sep}`) && p.split(sep).length === (p.startsWith("@") ? 2 : 1));
  const dropped = /(\.d\.[cm]?ts|\.ts|\.map|\.md|\.markdown)$/i;
  const native = /^better-sqlite3\/(deps|src)(\/|$)|^better-sqlite3\/build\/(?!Release(\/better_sqlite3\.node)?$)/;
  for (const p of listed.sort()) {
    const from = join(pkg, "node_modules", p);
    cpSync(from, join(root, "app", "node_modules", p), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => {
        const rel = relative(join(pkg, "node_modules"), src).split(sep).join("/");
        const base = rel.split("/").pop() ?? "";
        if (base === ".bin") return false;
        if (native.test(rel)) return false;
        return !dropped.test(base) || base.endsWith(".node");
      },
    });
  }
}

function gitOf(pkg: string, args: string[]): string | undefined {
  try {
    return execFileSync("git", args, { cwd: pkg, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

/** The commit the tree is at, `-dirty` when it has changes. */
export function buildRevision(): string {
  const pkg = packageRoot();
  const head = gitOf(pkg, ["rev-parse", "HEAD"]) ?? "unknown";
  return gitOf(pkg, ["status", "--porcelain", "--untracked-files=no"]) ? `${head}-dirty` : head;
}

/** Every file's time in an image: SOURCE_DATE_EPOCH, else the commit's, so one commit gives one digest. */
export function buildEpoch(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.SOURCE_DATE_EPOCH ?? gitOf(packageRoot(), ["log", "-1", "--format=%ct"]) ?? 0);
}

export interface InfraImage {
  spec: ImageSpec;
  revision: string;
}

/**
 * The image's recipe. Its time is SOURCE_DATE_EPOCH, else the commit's, so
 * one commit gives one digest; a tree with changes is labelled `-dirty`.
 */
export async function infraImage(debCache: string, env: NodeJS.ProcessEnv = process.env): Promise<InfraImage> {
  const pkg = packageRoot();
  const { version } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { version: string };
  if (!existsSync(join(pkg, "dist", "cli", "main.cjs"))) throw new InfraError("infra is not built: run npm run build first");
  const rig = rigDir(env);
  if (!existsSync(join(rig, ".complete"))) throw new InfraError(`the engine rig is not built (${rig}): run npm run rig first`);
  const rigReal = realpathSync(rig);
  const revision = buildRevision();
  const epoch = buildEpoch(env);
  const debs = await fetchDebs(DEBIAN_PACKAGES, debCache);
  const node = realpathSync(process.execPath);
  const pins = enginePins();
  const plugins = readdirSync(join(rigReal, "home", "plugins")).filter((d) => !d.endsWith(".lock") && !d.endsWith(".partial"));
  const spec: ImageSpec = {
    tag: `infra:${version}`,
    epoch,
    layers: [
      { name: `debian: ${debs.map((d) => d.name).join(" ")}`, fill: (root) => debianRoot(root, debs, { name: "nonroot", uid: UID, home: HOME }) },
      {
        name: `node ${process.version}`,
        fill: (root) => {
          mkdirSync(join(root, "usr", "bin"), { recursive: true });
          copyFileSync(node, join(root, "usr", "bin", "node"));
          chmodSync(join(root, "usr", "bin", "node"), 0o755);
        },
      },
      {
        name: `engine: pulumi ${pins.pulumi}, ${plugins.join(" ")}`,
        fill: (root) => {
          const opt = join(root, "opt", "pulumi");
          mkdirSync(join(opt, "bin"), { recursive: true });
          copyFileSync(join(rigReal, "bin", "pulumi"), join(opt, "bin", "pulumi"));
          chmodSync(join(opt, "bin", "pulumi"), 0o755);
          copyFileSync(join(rigReal, "versions.json"), join(opt, "versions.json"));
          // Dynamic resources' provider (the image's /opt is read-only: infra cannot write it at run time).
          writeFileSync(join(opt, "bin", DYNAMIC_PROVIDER), launcherText("/usr/bin/node", "/app/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"), {
            mode: 0o755,
          });
          for (const p of plugins) cpSync(join(rigReal, "home", "plugins", p), join(opt, "home", "plugins", p), { recursive: true });
        },
      },
      { name: "node_modules (production)", fill: (root) => dependenciesLayer(root, pkg) },
      {
        name: `infra ${version} (${revision})`,
        fill: (root) => {
          const app = join(root, "app");
          mkdirSync(app, { recursive: true });
          copyFileSync(join(pkg, "package.json"), join(app, "package.json"));
          // dist's compiled code only (npm run image writes its layout under dist too).
          for (const d of ["bin", "dist/cli", "dist/src", "dist/programs", "templates"])
            cpSync(join(pkg, d), join(app, d), { recursive: true, filter: (src) => !src.endsWith(".map") });
        },
      },
    ],
    config: {
      User: `${UID}:${UID}`,
      Env: [
        "PATH=/usr/bin:/bin:/opt/pulumi/bin",
        `HOME=${HOME}`,
        `INFRA_HOME=${HOME}`,
        "INFRA_PULUMI_ROOT=/opt/pulumi",
        `INFRA_LISTEN=0.0.0.0:${PORT}`,
        "NODE_ENV=production",
        "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
      ],
      Entrypoint: ["/usr/bin/node", "/app/bin/infra"],
      Cmd: ["server"],
      WorkingDir: HOME,
      ExposedPorts: { [`${PORT}/tcp`]: {} },
      Labels: {
        "org.opencontainers.image.title": "infra",
        "org.opencontainers.image.version": version,
        "org.opencontainers.image.revision": revision,
        "org.opencontainers.image.created": new Date(epoch * 1000).toISOString(),
        "org.opencontainers.image.licenses": "Apache-2.0",
        "dev.infra.debian-packages": debs.map((d) => `${d.name}=${d.version}`).join(" "),
        "dev.infra.node": process.version,
        "dev.infra.engine": `pulumi=${pins.pulumi} ${plugins.join(" ")}`,
      },
    },
  };
  return { spec, revision };
}

/** Where `npm run image` caches .debs and compressed layers: outside the clone, so a fresh clone reuses them. */
export function imageCache(env: NodeJS.ProcessEnv = process.env): string {
  return env.INFRA_IMAGE_CACHE || join(dirname(dirname(rigDir(env))), "image");
}
