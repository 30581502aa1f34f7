// One broken template file is set aside, not fatal: the others stay usable,
// the list shows it and why, and only using it is refused. The same through a
// synced repository whose newest commit broke a template: environments made
// from the commit before still update and destroy.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeHome, type Home } from "../../helpers/cli.js";

const pet = (id: string, version: string) =>
  `id: ${id}\nversion: ${version}\ndescription: a pet\ncomponents:\n  - name: pet\n    use: random/pet\noutputs:\n  petName: \${components.pet.id}\n`;
// An expression in a command's text: a shell would run the value as code, so the file is refused.
const injected = `id: cmd\nversion: 1.0.0\ndescription: refused\nparameters:\n  m:\n    type: string\ncomponents:\n  - name: say\n    use: command/local\n    with:\n      create: echo \${params.m}\n`;

let home: Home;
let folder: string;
beforeAll(() => {
  home = makeHome("infra-broken-");
  folder = join(home.dir, "templates");
  mkdirSync(folder);
  writeFileSync(join(folder, "good-1.0.0.yaml"), pet("good", "1.0.0"));
  writeFileSync(join(folder, "bad-1.0.0.yaml"), "id: bad\nversion: 1.0.0\ncomponents: [unclosed\n");
  writeFileSync(join(folder, "cmd-1.0.0.yaml"), injected);
  home.env.INFRA_TEMPLATE_PATH = folder;
});
afterAll(() => {
  for (const e of ["g1", "w1"]) home.run(["env", "destroy", e, "--yes"]);
});

describe("a folder with one good and two broken templates", () => {
  it("lists all three, the broken ones with their one-line reason", () => {
    const list = home
      .json<{ id?: string; version?: string; broken: boolean; reason?: string; file: string }[]>(["template", "list"])
      .filter((t) => t.file.startsWith(folder));
    expect(list.filter((t) => !t.broken).map((t) => t.id)).toEqual(["good"]);
    const broken = list.filter((t) => t.broken).sort((a, b) => a.file.localeCompare(b.file));
    expect(broken.map((t) => `${t.id}@${t.version}`)).toEqual(["bad@1.0.0", "cmd@1.0.0"]);
    expect(broken[0]!.reason).toMatch(/^not valid YAML/);
    expect(broken[1]!.reason).toMatch(/^components\.0\.with\.create: an expression cannot go into a command/);
    const text = home.run(["template", "list"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^bad +1\.0\.0 +\S+bad-1\.0\.0\.yaml +BROKEN: not valid YAML/m);
    expect(text.stderr).toBe("infra: 2 template files are broken and set aside; infra template validate <file> says why\n");
  });

  it("creates from the good one", () => {
    const r = home.run(["env", "create", "g1", "-t", "good"]);
    expect(r.code, r.stderr).toBe(0);
  });

  it("refuses the broken one in one line naming the file, and writes nothing", () => {
    const r = home.run(["env", "create", "b1", "-t", "bad"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^infra: --template: template bad@1\.0\.0 is broken, so it cannot be used until its file is fixed: \S+bad-1\.0\.0\.yaml: not valid YAML/,
    );
    expect(home.run(["env", "show", "b1"]).code).toBe(1);
  });
});

describe("a synced repository whose newest commit broke a template", () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" }).trim();
  const sync = () => home.run(["template", "sync", "--github-organisation", "acme", "--repository-prefix", "infra-"]);

  it("keeps what environments made before need, and refuses only the broken version", () => {
    const root = join(home.dir, "gitroot");
    repo = join(root, "acme", "infra-web");
    mkdirSync(repo, { recursive: true });
    execFileSync("git", ["init", "--quiet", "-b", "main", repo]);
    git("config", "user.email", "t@example.com");
    git("config", "user.name", "t");
    writeFileSync(join(repo, "web-1.0.0.yaml"), pet("web", "1.0.0"));
    git("add", ".");
    git("commit", "--quiet", "-m", "first");
    home.env.INFRA_GIT_BASE = pathToFileURL(root).href;
    expect(sync().code).toBe(0);
    expect(home.run(["env", "create", "w1", "-t", "web"]).code).toBe(0);

    // The bad commit: 1.0.0 edited into something invalid, and a broken 1.1.0.
    writeFileSync(join(repo, "web-1.0.0.yaml"), pet("web", "1.0.0").replace("random/pet", "random/nope"));
    writeFileSync(join(repo, "web-1.1.0.yaml"), "id: web\nversion: 1.1.0\n\tbad: tab\n");
    git("add", ".");
    git("commit", "--quiet", "-m", "broken");
    const s = sync();
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/^infra: broken, set aside: \S+web-1\.0\.0\.yaml: components\.0\.use: unknown component 'random\/nope'/m);
    expect(s.stderr).toMatch(/^infra: broken, set aside: \S+web-1\.1\.0\.yaml/m);

    const refused = home.run(["env", "create", "w2", "-t", "web@1.1.0"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/template web@1\.1\.0 is broken/);
    // w1 was made from the first commit: it updates and destroys from that one.
    const u = home.run(["env", "update", "w1", "--yes"]);
    expect(u.code, u.stderr).toBe(0);
    const d = home.run(["env", "destroy", "w1", "--yes"]);
    expect(d.code, d.stderr).toBe(0);
  });
});
