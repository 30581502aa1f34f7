// `infra init` through its prompts in a real pseudo-terminal, and without one.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, makeHome } from "../../helpers/cli.js";
import { atTerminal } from "../../helpers/terminal.js";

function drive(env: NodeJS.ProcessEnv, steps: [string, string][], args: string[] = []) {
  return atTerminal(env, steps, [process.execPath, BIN, "init", ...args], { timeout: 60_000 });
}

describe("infra init on a terminal", () => {
  it("asks each question, never a passphrase it would not keep, writes 0600", () => {
    const home = makeHome();
    const r = drive(home.env, [
      ["State backend:", "\r"],
      ["Default location", "\r"],
      ["GitHub organisation", "acme\r"],
      ["Repository prefix", "envs-\r"],
    ]);
    expect(r.code, r.screen).toBe(0);
    expect(r.screen).not.toMatch(/passphrase:/i);
    expect(r.screen).toContain("The secrets passphrase (it encrypts every environment's secrets) is never stored");
    const file = join(home.env.INFRA_HOME!, "config.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(home.env.INFRA_HOME!).mode & 0o777).toBe(0o700);
    const text = readFileSync(file, "utf8");
    expect(JSON.parse(text)).toEqual({
      backend: `file://${join(home.env.INFRA_HOME!, "state")}`,
      location: "sandbox",
      githubOrganisation: "acme",
      repositoryPrefix: "envs-",
    });
  });

  it("checks each answer as it is given and asks again: a backend, a location, an organisation", () => {
    const home = makeHome();
    const r = drive(home.env, [
      ["State backend:", "ftp://nope\r"],
      ["unsupported state backend 'ftp://nope'", "\u0015s3://bucket/infra\r"],
      ["Default location", "\u0015mars\r"],
      ["mars: unknown location kind", "\u0015aws:eu-west-1\r"],
      ["GitHub organisation", "acme corp\r"],
      ["is not a GitHub organisation name", "\u0015acme\r"],
      ["Repository prefix", "\r"],
    ]);
    expect(r.code, r.screen).toBe(0);
    expect(JSON.parse(readFileSync(join(home.env.INFRA_HOME!, "config.json"), "utf8"))).toMatchObject({
      backend: "s3://bucket/infra",
      location: "aws:eu-west-1",
      githubOrganisation: "acme",
    });
  });

  it("refuses a flag's value that would fail later, naming the flag, and writes nothing", () => {
    const home = makeHome();
    const r = home.run(["init", "--non-interactive", "--location", "mars"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^infra: mars: unknown location kind.* \(--location or INFRA_LOCATION\)\n$/);
    expect(existsSync(join(home.env.INFRA_HOME!, "config.json"))).toBe(false);
  });
});

describe("infra init without a terminal", () => {
  it("takes flags and env vars, asks nothing, and never hangs", () => {
    const home = makeHome();
    const r = home.run(["init", "--github-organisation", "acme", "--backend", "s3://bucket/infra"], { INFRA_LOCATION: "aws:eu-west-1" });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(home.env.INFRA_HOME!, "config.json"), "utf8"))).toMatchObject({
      backend: "s3://bucket/infra",
      location: "aws:eu-west-1",
      githubOrganisation: "acme",
      repositoryPrefix: "infra-",
    });
    expect(r.stdout).toContain("The passphrase comes from INFRA_PASSPHRASE; it is not stored.");
  });

  it("refuses a bad backend in one line, writing nothing", () => {
    const home = makeHome();
    const r = home.run(["init", "--non-interactive", "--backend", "/tmp/state"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^infra: unsupported state backend '\/tmp\/state': use file:\/\/\/<absolute dir>.* \(--backend or INFRA_BACKEND\)$/);
    expect(existsSync(join(home.env.INFRA_HOME!, "config.json"))).toBe(false);
  });
});

describe("a command that lacks a setting, on a terminal", () => {
  it("asks for the passphrase instead of failing, and masks it", () => {
    const home = makeHome();
    const steps: [string, string][] = [["secrets passphrase", "typed-at-the-prompt\r"]];
    const r = atTerminal(home.env, steps, [process.execPath, BIN, "env", "create", "p1", "-t", "slow", "-p", "seconds=0"], { timeout: 120_000 });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/p1: deployed-ok/);
    expect(r.stdout).not.toContain("typed-at-the-prompt");
    expect(home.run(["env", "destroy", "p1", "--yes"], { INFRA_PASSPHRASE: "typed-at-the-prompt" }).code).toBe(0);
  });
});

describe("prompts with stdout sent to a file", () => {
  it("are drawn on the terminal (stderr), and the file gets only the JSON result", () => {
    const home = makeHome();
    const out = join(home.dir, "init.json");
    const steps: [string, string][] = [
      ["State backend:", "\r"],
      ["Default location", "\r"],
      ["GitHub organisation", "\r"],
      ["Repository prefix", "\r"],
    ];
    const shell = `exec "$0" "$1" init --json > "$2"`;
    const r = atTerminal(home.env, steps, ["/bin/sh", "-c", shell, process.execPath, BIN, out], { timeout: 60_000 });
    expect(r.code, r.screen).toBe(0);
    const json = JSON.parse(readFileSync(out, "utf8"));
    expect(json.location).toBe("sandbox");
    expect(readFileSync(out, "utf8")).not.toMatch(/State backend|passphrase|\x1b\[/i);
  });
});
