// Template sources from git (seed 002): every repository of the GitHub
// organisation (or user) whose name starts with the prefix, cloned under
// $INFRA_HOME/sources/<org>/<repo> and checked out at a commit pinned in
// $INFRA_HOME/sources.json. Only `infra template sync` moves the pins, so the
// templates an environment was made from do not change under it.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { InfraError, UsageError } from "../core/errors.js";

const run = promisify(execFile);

export interface GitPin {
  org: string;
  repo: string;
  url: string;
  commit: string;
  syncedAt: string;
}

export interface SyncChange {
  repo: string;
  before?: string;
  after?: string;
}

export const sourcesFile = (home: string) => join(home, "sources.json");
export const cloneDir = (home: string, org: string, repo: string) => join(home, "sources", org, repo);

export function readPins(home: string): GitPin[] {
  const file = sourcesFile(home);
  if (!existsSync(file)) return [];
  try {
    return JSON.parse(readFileSync(file, "utf8")) as GitPin[];
  } catch (err) {
    throw new InfraError(`cannot read ${file}: ${(err as Error).message}; run infra template sync to write it again`);
  }
}

function writePins(home: string, pins: GitPin[]): void {
  const file = sourcesFile(home);
  writeFileSync(`${file}.tmp`, JSON.stringify(pins, null, 2) + "\n", { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

async function git(args: string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await run("git", args, {
      cwd,
      // Never wait for a password prompt: fail instead.
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "/bin/false" },
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === "ENOENT") throw new InfraError("git is not installed: install it to use template repositories");
    throw new InfraError(`git ${args[0]} failed: ${(e.stderr ?? e.message).trim().split("\n").pop()}`);
  }
}

/**
 * The organisation's repositories whose names start with the prefix. A
 * file:// base is a folder of repositories per organisation (tests, mirrors);
 * anything else is GitHub or GitHub Enterprise, asked through its REST API.
 */
export async function listRepos(base: string, org: string, prefix: string): Promise<{ name: string; url: string }[]> {
  if (base.startsWith("file://")) {
    const dir = join(fileURLToPath(base), org);
    if (!existsSync(dir)) throw new UsageError(`no organisation ${org} under ${base}`);
    return readdirSync(dir)
      .filter((n) => n.startsWith(prefix))
      .sort()
      .map((n) => ({ name: n.replace(/\.git$/, ""), url: `${base.replace(/\/$/, "")}/${org}/${n}` }));
  }
  const api = base === "https://github.com" ? "https://api.github.com" : `${base.replace(/\/$/, "")}/api/v3`;
  const headers: Record<string, string> = { Accept: "application/vnd.github+json", "User-Agent": "infra" };
  if (process.env.GITHUB_TOKEN) headers.Authorization = `Bearer ${process.env.GITHUB_TOKEN}`;
  const names: { name: string; url: string }[] = [];
  for (const kind of ["orgs", "users"]) {
    for (let page = 1; page < 100; page++) {
      const res = await fetch(`${api}/${kind}/${org}/repos?per_page=100&page=${page}`, { headers }).catch((err: Error) => {
        throw new InfraError(`cannot reach ${api}: ${err.message}`);
      });
      if (res.status === 404 && kind === "orgs") break; // maybe a user, not an organisation
      if (!res.ok) throw new InfraError(`${api} answered ${res.status} listing the repositories of ${org}${res.status === 403 ? " (rate limit? set GITHUB_TOKEN)" : ""}`);
      const repos = (await res.json()) as { name: string; clone_url: string }[];
      names.push(...repos.filter((r) => r.name.startsWith(prefix)).map((r) => ({ name: r.name, url: r.clone_url })));
      if (repos.length < 100) return names.sort((a, b) => a.name.localeCompare(b.name));
    }
    if (names.length) break;
  }
  if (!names.length) throw new UsageError(`no organisation or user ${org} on ${base}`);
  return names.sort((a, b) => a.name.localeCompare(b.name));
}

/** Clones new repositories, fetches known ones, and pins each to its default branch's head. */
export async function syncSources(home: string, base: string, org: string, prefix: string): Promise<SyncChange[]> {
  const repos = await listRepos(base, org, prefix);
  const old = readPins(home);
  const pins: GitPin[] = old.filter((p) => p.org !== org);
  const changes: SyncChange[] = [];
  for (const { name, url } of repos) {
    const dir = cloneDir(home, org, name);
    const before = old.find((p) => p.org === org && p.repo === name)?.commit;
    if (existsSync(join(dir, ".git"))) {
      await git(["fetch", "--quiet", "--prune", "origin"], dir);
    } else {
      mkdirSync(join(home, "sources", org), { recursive: true, mode: 0o700 });
      rmSync(dir, { recursive: true, force: true });
      await git(["clone", "--quiet", "--no-checkout", url, dir]);
    }
    const commit = await git(["rev-parse", "origin/HEAD"], dir);
    await git(["checkout", "--quiet", "--detach", "--force", commit], dir);
    pins.push({ org, repo: name, url, commit, syncedAt: new Date().toISOString() });
    changes.push({ repo: `${org}/${name}`, ...(before ? { before } : {}), after: commit });
  }
  for (const p of old.filter((p) => p.org === org && !repos.some((r) => r.name === p.repo))) {
    rmSync(cloneDir(home, org, p.repo), { recursive: true, force: true });
    changes.push({ repo: `${org}/${p.repo}`, before: p.commit });
  }
  writePins(home, pins);
  return changes;
}
