// Bad input: a one-line error that says what to do, the right exit code, no
// stack trace, and nothing written.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { allBytes, makeHome, type Home } from "../../helpers/cli.js";

let home: Home;
let registryBefore: string;

beforeAll(() => {
  home = makeHome();
  // one real environment, for "exists" and "depends" cases
  const r = home.run(["env", "create", "dev", "-t", "slow", "-p", "seconds=0"]);
  expect(r.code, r.stderr).toBe(0);
  registryBefore = allBytes(home.env.INFRA_HOME!);
});

const cases: [string, string[], number, RegExp, NodeJS.ProcessEnv?][] = [
  [
    "unknown template",
    ["env", "create", "x1", "-t", "nope"],
    2,
    /unknown template 'nope': known templates are aws-queue-workers, basic, consumer, echo, failing, gate, gke-web-app, joiner, k8s-namespace-app, kubeprobe, meta, openstack-vm-compose, probed, slow, slowsecret: see infra template list$/,
  ],
  ["unknown template version", ["env", "create", "x1", "-t", "slow@9.9.9"], 2, /template slow has no version 9\.9\.9: it has 1\.0\.0/],
  ["no --template", ["env", "create", "x1"], 2, /required option '-t, --template/],
  ["--param of the wrong type", ["env", "create", "x1", "-t", "slow", "-p", "seconds=soon"], 2, /--param seconds=soon: seconds is an integer \(like 3\)/],
  ["--param out of range", ["env", "create", "x1", "-t", "slow", "-p", "seconds=999"], 2, /seconds is at most 120/],
  ["--param without a value", ["env", "create", "x1", "-t", "slow", "-p", "seconds"], 2, /--param 'seconds' has no value: write --param key=value/],
  ["unknown --param", ["env", "create", "x1", "-t", "slow", "-p", "colour=red"], 2, /template slow has no parameter colour; it has seconds/],
  ["missing required --param", ["env", "create", "x1", "-t", "basic"], 2, /^infra: --param apiToken: template basic needs a value \(string/],
  ["--param failing its pattern", ["env", "create", "x1", "-t", "basic", "-p", "apiToken=t", "-p", "greeting=Hi!"], 2, /greeting is text matching \[a-z\]\+/],
  ["bad --ttl", ["env", "create", "x1", "-t", "slow", "--ttl", "3 days"], 2, /invalid --ttl '3 days': use a duration like 30m, 72h, 7d/],
  ["bad --tag", ["env", "create", "x1", "-t", "slow", "--tag", "team"], 2, /--tag 'team' has no value/],
  ["invalid name", ["env", "create", "Dev_1", "-t", "slow"], 2, /invalid environment name 'Dev_1'/],
  [
    "existing name",
    ["env", "create", "dev", "-t", "slow"],
    3,
    /environment dev already exists \(deployed-ok\): pick another name, or use infra env update dev/,
  ],
  ["show unknown", ["env", "show", "ghost"], 1, /no environment named ghost: see infra env list/],
  ["destroy unknown", ["env", "destroy", "ghost", "--yes"], 1, /no environment named ghost/],
  ["destroy without --yes and no TTY", ["env", "destroy", "dev"], 2, /pass --yes to destroy dev without asking/],
  ["update without --yes and no TTY", ["env", "update", "dev", "-p", "seconds=2"], 2, /pass --yes to apply without asking/],
  [
    "unknown environment to depend on",
    ["env", "create", "x1", "-t", "consumer", "-p", "upstream=ghost"],
    2,
    /--param upstream=ghost: there is no environment ghost/,
  ],
  ["bad --status", ["env", "list", "--status", "happy"], 2, /--status happy: use one of deploying, deployed-validating, deployed-ok/],
  ["bad --limit", ["env", "list", "--limit", "-4"], 2, /--limit -4: use a whole number/],
  ["unknown command", ["env", "explode"], 2, /unknown command 'explode'/],
  ["unknown flag", ["env", "list", "--colour"], 2, /unknown option '--colour'/],
  [
    "missing passphrase",
    ["env", "create", "x1", "-t", "slow", "--non-interactive"],
    2,
    /secrets passphrase is not set: pass --passphrase-file <file> or set INFRA_PASSPHRASE/,
    { INFRA_PASSPHRASE: "" },
  ],
  ["unsupported backend", ["env", "create", "x1", "-t", "slow", "--backend", "ftp://x"], 2, /unsupported state backend 'ftp:\/\/x'/],
  [
    "a template whose plugins are not installed",
    ["env", "create", "x1", "-t", "aws-queue-workers", "-p", "apiImage=a", "-p", "workerImage=b", "--location", "aws:eu-west-1"],
    1,
    /template aws-queue-workers at aws:eu-west-1 needs the aws v\d+\.\d+\.\d+ plugin, not installed in .*: install with `pulumi plugin install resource aws \d+\.\d+\.\d+` .*INFRA_PLUGIN_DOWNLOAD=1/,
  ],
  [
    "no Pulumi engine anywhere",
    ["env", "create", "x1", "-t", "slow"],
    1,
    /the Pulumi CLI was not found \(looked in .*\)\. Install Pulumi v3\.\d+\.\d+ .*npm run rig$/,
    { INFRA_RIG_HOME: "/nonexistent", PATH: "/usr/bin:/bin" },
  ],
];

describe.each(cases)("%s", (_, args, code, message, extra) => {
  it("fails in one line with the right code, writing nothing", () => {
    const r = home.run(args, extra);
    expect(r.code).toBe(code);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toMatch(message);
    expect(lines.length).toBeLessThanOrEqual(2); // the error, and at most a --debug hint
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe("");
    expect(existsSync(join(home.env.INFRA_HOME!, "workspaces", "x1"))).toBe(false);
    expect(home.json<{ total: number }>(["env", "list"]).total).toBe(1);
  });
});

describe("--debug", () => {
  it("adds the stack trace", () => {
    const r = home.run(["env", "show", "ghost", "--debug"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\s+at /m);
  });
});

describe("a corrupt registry file", () => {
  it("says so in one line and leaves the file alone", () => {
    const other = makeHome();
    mkdirSync(other.env.INFRA_HOME!, { recursive: true });
    const file = join(other.env.INFRA_HOME!, "registry.db");
    writeFileSync(file, "garbage ".repeat(1000));
    const r = other.run(["env", "list"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(
      /^infra: the registry .*registry\.db is not a readable SQLite database \(SQLITE_NOTADB\): restore it from a backup, or move it away to start an empty registry$/,
    );
    expect(readFileSync(file, "utf8")).toBe("garbage ".repeat(1000));
  });
});

describe("after every refusal", () => {
  it("the registry and the workspaces hold what they held before", () => {
    const now = allBytes(home.env.INFRA_HOME!);
    // The SQLite WAL may have been checkpointed; compare what it means instead.
    expect(home.json<{ total: number; items: { name: string; status: string }[] }>(["env", "list"]).items).toEqual([
      expect.objectContaining({ name: "dev", status: "deployed-ok" }),
    ]);
    expect(now.includes("x1")).toBe(registryBefore.includes("x1"));
  });
});
