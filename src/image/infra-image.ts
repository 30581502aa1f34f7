// infra's own image: Debian's C and C++ runtimes and CA certificates taken
// from their .debs, the Node.js this machine runs, the engine rig (the Pulumi
// CLI and its plugins), the production dependencies and the compiled CLI.
// No shell, no package manager; it runs as uid 65532 under a read-only root,
// writing only to /var/lib/infra (its home: registry, workspaces, state) and
// /tmp, both volumes.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { InfraError } from "../core/errors.js";
import { packageRoot } from "../core/package-root.js";
import { enginePins } from "../engine/pins.js";
import { DYNAMIC_PROVIDER, launcherText } from "../engine/dynamic-provider.js";
import { rigDir } from "../engine/locate.js";
import { type Deb, extractDeb, fetchDebs } from "./debs.js";
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

const PASSWD = `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${UID}:${UID}:nonroot:${HOME}:/sbin/nologin\n`;
const GROUP = `root:x:0:\nnonroot:x:${UID}:\n`;

/** Documentation a running program never reads; each package's copyright stays. */
function pruneDocs(root: string): void {
  for (const dir of ["usr/share/man", "usr/share/info", "usr/share/lintian", "usr/share/locale", "usr/share/bug"])
    rmSync(join(root, dir), { recursive: true, force: true });
  const docs = join(root, "usr", "share", "doc");
  if (!existsSync(docs)) return;
  for (const pkg of readdirSync(docs)) {
    if (!lstatSync(join(docs, pkg)).isDirectory()) continue;
    for (const f of readdirSync(join(docs, pkg))) if (f !== "copyright") rmSync(join(docs, pkg, f), { recursive: true, force: true });
  }
}

async function debianLayer(root: string, debs: Deb[]): Promise<void> {
  const scratch = `${root}.base-files`;
  for (const deb of debs) {
    // base-files brings a whole system's skeleton: only os-release is wanted (scanners read it).
    if (deb.name === "base-files") {
      await extractDeb(deb, scratch);
      mkdirSync(join(root, "usr", "lib"), { recursive: true });
      copyFileSync(join(scratch, "usr", "lib", "os-release"), join(root, "usr", "lib", "os-release"));
      mkdirSync(join(root, "etc"), { recursive: true });
      copyFileSync(join(scratch, "usr", "lib", "os-release"), join(root, "etc", "os-release"));
      rmSync(scratch, { recursive: true, force: true });
    } else await extractDeb(deb, root);
    // What a scanner reads to know the packages, as distroless keeps it (one control file each).
    const status = join(root, "var", "lib", "dpkg", "status.d");
    mkdirSync(status, { recursive: true });
    writeFileSync(join(status, deb.name), execFileSync("dpkg-deb", ["-f", deb.file], { encoding: "utf8" }));
  }
  pruneDocs(root);
  // update-ca-certificates is a shell script run at install; the bundle it would make, made here.
  rmSync(join(root, "usr", "sbin", "update-ca-certificates"), { force: true });
  const mozilla = join(root, "usr", "share", "ca-certificates", "mozilla");
  const pems = readdirSync(mozilla)
    .filter((f) => f.endsWith(".crt"))
    .sort()
    .map((f) => readFileSync(join(mozilla, f), "utf8"));
  mkdirSync(join(root, "etc", "ssl", "certs"), { recursive: true });
  writeFileSync(join(root, "etc", "ssl", "certs", "ca-certificates.crt"), pems.join(""));
  writeFileSync(join(root, "etc", "passwd"), PASSWD);
  writeFileSync(join(root, "etc", "group"), GROUP);
  writeFileSync(join(root, "etc", "nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
  for (const d of ["tmp", "var/lib/infra", "home"]) mkdirSync(join(root, d), { recursive: true });
  chmodSync(join(root, "tmp"), 0o1777);
}

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
  const head = gitOf(pkg, ["rev-parse", "HEAD"]) ?? "unknown";
  const dirty = gitOf(pkg, ["status", "--porcelain", "--untracked-files=no"]);
  const revision = dirty ? `${head}-dirty` : head;
  const epoch = Number(env.SOURCE_DATE_EPOCH ?? gitOf(pkg, ["log", "-1", "--format=%ct"]) ?? 0);
  const debs = await fetchDebs(DEBIAN_PACKAGES, debCache);
  const node = realpathSync(process.execPath);
  const pins = enginePins();
  const plugins = readdirSync(join(rigReal, "home", "plugins")).filter((d) => !d.endsWith(".lock") && !d.endsWith(".partial"));
  const spec: ImageSpec = {
    tag: `infra:${version}`,
    epoch,
    layers: [
      { name: `debian: ${debs.map((d) => d.name).join(" ")}`, fill: (root) => debianLayer(root, debs) },
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
