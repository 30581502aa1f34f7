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
  /**
   * Gone from the organisation's listing at the last sync: its clone stays,
   * so environments made from it can still be updated, destroyed and
   * recovered; new environments cannot use it.
   */
  retired?: boolean;
}

/** GitHub's rule for organisation, user and repository names; nothing that could be a path or an option. */
const GIT_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export function checkGitName(name: string, what: string): string {
  if (!GIT_NAME.test(name) || name === "." || name === ".." || name.startsWith("-") || name.endsWith(".lock")) {
    throw new UsageError(`${what} '${name}' is not a GitHub name: letters, digits, '-', '_' and '.', at most 100`);
  }
  return name;
}

const API_TIMEOUT_MS = 30_000;

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
  checkGitName(org, "organisation");
  if (base.startsWith("file://")) {
    const dir = join(fileURLToPath(base), org);
    if (!existsSync(dir)) throw new UsageError(`no organisation ${org} under ${base}`);
    return readdirSync(dir)
      .filter((n) => n.startsWith(prefix) && GIT_NAME.test(n.replace(/\.git$/, "")))
      .sort()
      .map((n) => ({ name: n.replace(/\.git$/, ""), url: `${base.replace(/\/$/, "")}/${org}/${n}` }));
  }
  if (!base.startsWith("https://")) {
    throw new UsageError(`INFRA_GIT_BASE ${base} is not https:// (nor file://): infra sends your GITHUB_TOKEN only over https`);
  }
  const api = base === "https://github.com" ? "https://api.github.com" : `${base.replace(/\/$/, "")}/api/v3`;
  const headers: Record<string, string> = { Accept: "application/vnd.github+json", "User-Agent": "infra" };
  if (process.env.GITHUB_TOKEN) headers.Authorization = `Bearer ${process.env.GITHUB_TOKEN}`;
  const names: { name: string; url: string }[] = [];
  for (const kind of ["orgs", "users"]) {
    for (let page = 1; page < 100; page++) {
      const res = await fetch(`${api}/${kind}/${org}/repos?per_page=100&page=${page}`, {
        headers,
        signal: AbortSignal.timeout(API_TIMEOUT_MS),
        redirect: "error", // a redirect could carry the token to another host
      }).catch((err: Error) => {
        throw new InfraError(`cannot reach ${api}: ${err.name === "TimeoutError" ? `no answer in ${API_TIMEOUT_MS / 1000} s` : err.message}`);
      });
      if (res.status === 404 && kind === "orgs") break; // maybe a user, not an organisation
      if (!res.ok)
        throw new InfraError(`${api} answered ${res.status} listing the repositories of ${org}${res.status === 403 ? " (rate limit? set GITHUB_TOKEN)" : ""}`);
      const repos = (await res.json()) as { name: string; clone_url: string }[];
      // A listing is input too: a name that is not a GitHub name, or a clone URL elsewhere, is skipped.
      const fit = repos.filter((r) => typeof r.name === "string" && GIT_NAME.test(r.name) && r.name.startsWith(prefix));
      names.push(...fit.filter((r) => sameOrigin(r.clone_url, base)).map((r) => ({ name: r.name, url: r.clone_url })));
      if (repos.length < 100) return names.sort((a, b) => a.name.localeCompare(b.name));
    }
    if (names.length) break;
  }
  if (!names.length) throw new UsageError(`no organisation or user ${org} on ${base}`);
  return names.sort((a, b) => a.name.localeCompare(b.name));
}

function sameOrigin(url: string, base: string): boolean {
  try {
    const host = new URL(url).host;
    return base === "https://github.com" ? host === "github.com" : host === new URL(base).host;
  } catch {
    return false;
  }
}

/**
 * A checkout of one commit of a synced repository, for an environment made
 * from a template at a commit the pin has since moved from.
 */
export async function commitDir(home: string, org: string, repo: string, commit: string): Promise<string | undefined> {
  checkGitName(org, "organisation");
  checkGitName(repo, "repository");
  if (!/^[0-9a-f]{40}$/.test(commit)) return undefined;
  const clone = cloneDir(home, org, repo);
  if (!existsSync(join(clone, ".git"))) return undefined;
  const dir = join(home, "sources", ".commits", org, repo, commit);
  if (existsSync(join(dir, ".complete"))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // git archive of the commit, unpacked: no second clone, no worktree metadata in the main clone.
  const tar = join(dir, "..", `${commit}.tar`);
  await git(["archive", "--format=tar", "-o", tar, commit], clone);
  await run("tar", ["-xf", tar, "-C", dir, "--no-same-owner"]);
  rmSync(tar, { force: true });
  writeFileSync(join(dir, ".complete"), "");
  return dir;
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
  // A repository gone from the listing keeps its clone and pin, retired:
  // environments made from it must still be able to update, destroy and recover.
  for (const p of old.filter((p) => p.org === org && !repos.some((r) => r.name === p.repo))) {
    pins.push({ ...p, retired: true });
    if (!p.retired) changes.push({ repo: `${org}/${p.repo}`, before: p.commit });
  }
  writePins(home, pins);
  return changes;
}
