// Template repositories of an organisation, over file:// (never the network).
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";

let home: Home;
let root: string;
let repo: string;
const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" }).trim();
const template = (version: string) =>
  `id: web\nversion: ${version}\ndescription: from git\ncomponents:\n  - name: pet\n    use: random/pet\noutputs:\n  petName: \${components.pet.id}\n`;

beforeAll(() => {
  home = makeHome();
  root = join(home.dir, "gitroot");
  repo = join(root, "acme", "infra-web");
  mkdirSync(repo, { recursive: true });
  mkdirSync(join(root, "acme", "unrelated"), { recursive: true });
  execFileSync("git", ["init", "--quiet", "-b", "main", repo]);
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "t");
  writeFileSync(join(repo, "web-1.0.0.yaml"), template("1.0.0"));
  // A link pointing outside the repository: must never be read.
  writeFileSync(join(home.dir, "outside.yaml"), template("6.6.6").replace("id: web", "id: outside"));
  symlinkSync(join(home.dir, "outside.yaml"), join(repo, "escape.yaml"));
  git("add", ".");
  git("commit", "--quiet", "-m", "first");
  home.env.INFRA_GIT_BASE = pathToFileURL(root).href;
  home.env.INFRA_TEMPLATE_PATH = "";
});
afterAll(() => {
  home.run(["env", "destroy", "w1", "--yes"]);
});

const sync = () => home.run(["template", "sync", "--github-organisation", "acme", "--repository-prefix", "infra-"]);

describe("infra template sync", () => {
  it("clones the organisation's repositories that match the prefix and pins each", () => {
    const first = git("rev-parse", "HEAD");
    const r = sync();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`acme/infra-web: added at ${first.slice(0, 7)}`);
    const list = home.json<{ id: string; version: string; source: string }[]>(["template", "list"]).filter((t) => t.source !== "builtin");
    expect(list.map((t) => `${t.id}@${t.version}`)).toEqual(["web@1.0.0"]); // not the linked outside.yaml
    expect(list[0]!.source).toBe(`git+${pathToFileURL(repo).href}#${first}`);
  });

  it("records the source commit of an environment made from it", () => {
    const r = home.run(["env", "create", "w1", "-t", "web"]);
    expect(r.code, r.stderr).toBe(0);
    const show = home.json<Record<string, any>>(["env", "show", "w1"]);
    expect(show.template).toEqual({ id: "web", version: "1.0.0", source: `git+${pathToFileURL(repo).href}#${git("rev-parse", "HEAD")}` });
  });

  it("keeps the pin until the next sync, then moves it", () => {
    const first = git("rev-parse", "HEAD");
    writeFileSync(join(repo, "web-1.1.0.yaml"), template("1.1.0"));
    // The same version, edited in place: environments made from the first commit must not see it.
    writeFileSync(join(repo, "web-1.0.0.yaml"), template("1.0.0") + "  moved: ${components.pet.id}\n");
    git("add", ".");
    git("commit", "--quiet", "-m", "second");
    const second = git("rev-parse", "HEAD");
    const fromGit = () => home.json<{ version: string; source: string }[]>(["template", "list"]).filter((t) => t.source !== "builtin");
    expect(fromGit().map((t) => t.version)).toEqual(["1.0.0"]);
    const r = sync();
    expect(r.stdout.trim()).toBe(`acme/infra-web: ${first.slice(0, 7)} -> ${second.slice(0, 7)}`);
    expect(fromGit().map((t) => t.version)).toEqual(["1.1.0", "1.0.0"]);
    expect(sync().stdout.trim()).toBe(`acme/infra-web: unchanged at ${second.slice(0, 7)}`);
  });

  it("updates an environment from the template at the commit it was made from, not the moved pin", () => {
    const r = home.run(["env", "update", "w1", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    const show = home.json<Record<string, any>>(["env", "show", "w1"]);
    expect(Object.keys(show.outputs)).toEqual(["petName"]);
    expect(show.template.source).toMatch(/#[0-9a-f]{40}$/);
  });

  it("drops a repository that no longer matches", () => {
    renameSync(repo, join(root, "acme", "old-web"));
    const r = sync();
    expect(r.stdout.trim()).toMatch(/^acme\/infra-web: removed \(was [0-9a-f]{7}\)$/);
    expect(home.json<{ source: string }[]>(["template", "list"]).filter((t) => t.source !== "builtin")).toEqual([]);
    // ... but keeps what environments made from it need.
    const gone = home.run(["env", "destroy", "w1", "--yes"]);
    expect(gone.code, gone.stderr).toBe(0);
    renameSync(join(root, "acme", "old-web"), repo);
  });

  it("says what is missing, in one line", () => {
    const none = home.run(["template", "sync"], { INFRA_GITHUB_ORGANISATION: "" });
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe("infra: no GitHub organisation: pass --github-organisation, set INFRA_GITHUB_ORGANISATION, or run infra init");
    const ghost = home.run(["template", "sync", "--github-organisation", "ghost"]);
    expect(ghost.code).toBe(2);
    expect(ghost.stderr.trim()).toMatch(/^infra: no organisation ghost under file:/);
  });
});
