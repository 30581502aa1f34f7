// Debian packages taken apart the way distroless images are made: `apt-get
// download` fetches the .deb (kept in a cache by its file name, which holds
// the version), `dpkg-deb -x` lays its files out. Nothing is installed,
// no maintainer script runs, and no package manager goes into the image.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { InfraError } from "../core/errors.js";

const run = promisify(execFile);

export interface Deb {
  name: string;
  version: string;
  file: string;
}

/** The version apt would install (its candidate), and the .deb's file name. */
async function candidate(name: string): Promise<{ version: string; arch: string }> {
  const { stdout } = await run("apt-cache", ["show", "--no-all-versions", name]);
  const field = (f: string) => new RegExp(`^${f}: (.+)$`, "m").exec(stdout)?.[1]?.trim();
  const version = field("Version");
  const arch = field("Architecture");
  if (!version || !arch) throw new InfraError(`apt knows no package ${name}: run apt-get update`);
  return { version, arch };
}

/** Fetches each package into `cache` unless it is there already; returns them in the order asked. */
export async function fetchDebs(names: string[], cache: string): Promise<Deb[]> {
  mkdirSync(cache, { recursive: true });
  const debs: Deb[] = [];
  for (const name of names) {
    const { version, arch } = await candidate(name);
    // apt names the file with the version's colon (an epoch) escaped.
    const file = join(cache, `${name}_${version.replace(/:/g, "%3a")}_${arch}.deb`);
    if (!existsSync(file)) {
      const tmp = join(cache, `.download-${process.pid}`);
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp);
      try {
        await run("apt-get", ["download", "-q", `${name}=${version}`], { cwd: tmp, timeout: 300_000 });
        const got = readdirSync(tmp).find((f) => f.endsWith(".deb"));
        if (!got) throw new InfraError(`apt-get download ${name}=${version} wrote no .deb`);
        renameSync(join(tmp, got), file);
      } catch (err) {
        if (err instanceof InfraError) throw err;
        const said = ((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split("\n").pop();
        throw new InfraError(`cannot download Debian's ${name} ${version}: ${said}`);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    debs.push({ name, version, file });
  }
  return debs;
}

/** Lays a package's files out under `root` (its data only: no scripts run). */
export async function extractDeb(deb: Deb, root: string): Promise<void> {
  await run("dpkg-deb", ["-x", deb.file, root]);
}
