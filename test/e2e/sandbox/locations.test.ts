// The sandbox and kubernetes[:context] locations give an environment its
// cluster's kubeconfig without the user passing one; the sandbox starts when
// it is needed, with a one-line notice.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allBytes, makeHome, type Home } from "../../helpers/cli.js";

let home: Home;
let kubeconfig: string;
const kubectl = (args: string[]) => execFileSync("kubectl", args, { env: { ...process.env, KUBECONFIG: kubeconfig }, encoding: "utf8" });

beforeAll(() => {
  home = makeHome("infra-locations-");
  kubeconfig = join(home.env.INFRA_HOME!, "sandbox", "kubeconfig");
});
afterAll(() => {
  home.run(["sandbox", "delete", "--yes", "--force"]);
});

describe("location sandbox", () => {
  it("starts the sandbox when needed, with a notice, and hands the program its kubeconfig", () => {
    const r = home.run(["env", "create", "probe", "-t", "kubeprobe", "--location", "sandbox"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("infra: starting the sandbox for location sandbox (no container runs in it");
    expect(kubectl(["get", "configmap", "probe-probe", "-o", "name"]).trim()).toBe("configmap/probe-probe");
    expect(home.json<Record<string, any>>(["env", "show", "probe"]).outputs.made).toEqual({ value: "configmap/probe-probe", secret: false });
    // The kubeconfig holds the admin's client key: a secret, in no file but the sandbox's own.
    const key = readFileSync(join(home.env.INFRA_HOME!, "sandbox", "pki", "admin.key"))
      .toString("base64")
      .slice(0, 60);
    for (const dir of ["state", "events", "workspaces"]) expect(allBytes(join(home.env.INFRA_HOME!, dir))).not.toContain(key);
    expect(allBytes(join(home.env.INFRA_HOME!, "registry.db")).includes(key)).toBe(false);
  });

  it("does not start the sandbox for a template that does not read it", () => {
    expect(home.run(["sandbox", "stop"]).code).toBe(0);
    const r = home.run(["env", "create", "plain", "-t", "slow", "-p", "seconds=0", "--location", "sandbox"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("starting the sandbox");
    expect(JSON.parse(home.run(["sandbox", "status", "--json"]).stdout).state).toBe("stopped");
  });

  it("destroys through the same cluster", () => {
    expect(home.run(["sandbox", "start"]).code).toBe(0);
    const r = home.run(["env", "destroy", "probe", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(kubectl(["get", "configmap", "-o", "name"])).not.toContain("probe-probe");
  });
});

describe("location kubernetes:<context>", () => {
  it("uses that context of the user's kubeconfig", () => {
    const r = home.run(["env", "create", "ctx", "-t", "kubeprobe", "--location", "kubernetes:infra-sandbox"], { KUBECONFIG: kubeconfig });
    expect(r.code, r.stderr).toBe(0);
    expect(kubectl(["get", "configmap", "probe-ctx", "-o", "name"]).trim()).toBe("configmap/probe-ctx");
  });

  it("refuses a context that does not exist, naming those that do, in one line", () => {
    const r = home.run(["env", "create", "nope", "-t", "kubeprobe", "--location", "kubernetes:prod"], { KUBECONFIG: kubeconfig });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^infra: no context prod in .*kubeconfig; it has infra-sandbox \(kubectl config get-contexts\)$/);
    expect(home.run(["env", "show", "nope"]).code).toBe(1);
  });

  it("refuses a kubeconfig that does not parse, and a malformed location", () => {
    const bad = join(home.dir, "bad-kubeconfig");
    execFileSync("sh", ["-c", `printf 'clusters: [unclosed\\n' > '${bad}'`]);
    const r = home.run(["env", "create", "nope", "-t", "kubeprobe", "--location", "kubernetes"], { KUBECONFIG: bad });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^infra: .*bad-kubeconfig is not a kubeconfig that parses/);
    const m = home.run(["env", "create", "nope", "-t", "kubeprobe", "--location", "kubernetes:$(reboot)"]);
    expect(m.code).toBe(2);
    expect(m.stderr.trim()).toBe("infra: invalid --location 'kubernetes:$(reboot)': that is not a kubeconfig context name");
  });
});

describe("an environment stranded by infra sandbox delete", () => {
  it("delete is refused while it lives there, --force deletes anyway, and forget records it destroyed (audited)", async () => {
    expect(home.run(["env", "create", "strand", "-t", "kubeprobe", "--location", "sandbox"]).code).toBe(0);
    const refused = home.run(["sandbox", "delete", "--yes"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(
      /^infra: the sandbox holds environments? [a-z, -]*strand[a-z, -]*: destroy (it|them) first \(infra env destroy <name>\), or pass --force to delete the sandbox anyway and then infra env forget each\n$/,
    );
    expect(JSON.parse(home.run(["sandbox", "status", "--json"]).stdout).state).not.toBe("none");
    const forced = home.run(["sandbox", "delete", "--yes", "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/strand/);
    const forgot = home.run(["env", "forget", "strand", "--yes"]);
    expect(forgot.code, forgot.stderr).toBe(0);
    expect(forgot.stdout).toMatch(/^strand: destroyed \(kubeprobe@1\.0\.0\)/);
    // Forgetting calls nothing: no sandbox was started for it.
    expect(JSON.parse(home.run(["sandbox", "status", "--json"]).stdout).processes.every((p: { state: string }) => p.state !== "running")).toBe(true);
    const h = home.json<{ operations: { kind: string; result: string }[] }>(["env", "history", "strand"]);
    expect(h.operations.at(-1)).toMatchObject({ kind: "forget", result: "succeeded" });
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(join(home.env.INFRA_HOME!, "registry.db"), { readonly: true });
    const actions = (
      db.prepare("SELECT a.action FROM audit a JOIN environments e ON e.id = a.env_id WHERE e.name = 'strand'").all() as { action: string }[]
    ).map((r) => r.action);
    db.close();
    expect(actions).toContain("forget");
    // Nothing left to do, and a second forget says so.
    expect(home.run(["env", "forget", "strand", "--yes"]).stdout).toBe("strand: already destroyed; nothing to do\n");
  });
});
