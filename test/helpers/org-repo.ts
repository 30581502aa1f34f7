// The organisation's template repository, as bootstrap finds it: a git
// repository on disk at <home>/git/acme/infra-templates holding the bootstrap
// file, with INFRA_GIT_BASE pointing the home at it.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Home } from "./cli.js";

export function organisationRepo(home: Home, bootstrapFile: string): string {
  const root = join(home.dir, "git");
  const repo = join(root, "acme", "infra-templates");
  mkdirSync(repo, { recursive: true });
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" });
  execFileSync("git", ["init", "--quiet", "-b", "main", repo]);
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "t");
  writeFileSync(join(repo, "infra-bootstrap.yaml"), bootstrapFile);
  git("add", ".");
  git("commit", "--quiet", "-m", "bootstrap file");
  home.env.INFRA_GIT_BASE = pathToFileURL(root).href;
  return repo;
}
