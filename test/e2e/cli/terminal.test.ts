// At a real terminal (a pty, as a person at a keyboard): Ctrl-C stops a run
// while the spinner draws; a declined change is not a failure; output to a
// closed pipe ends quietly; a destroy that finds nothing to do succeeds; a
// long value is cut in messages.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, makeHome, type Home } from "../../helpers/cli.js";
import { atTerminal as terminal } from "../../helpers/terminal.js";

let home: Home;

/** Runs infra in a pty with these [screen regex, keys] steps; the transcript and the exit code. */
function atTerminal(steps: [string, string][], args: string[]) {
  return terminal(home.env, steps, [process.execPath, BIN, ...args], { keepPassphrase: true });
}

beforeAll(() => {
  home = makeHome("infra-terminal-");
});
afterAll(() => {
  for (const e of ["nap", "nap2", "pet"]) home.run(["env", "destroy", e, "--yes"]);
});

describe("Ctrl-C at a terminal while the spinner draws", () => {
  it("stops the run: the environment is interrupted and the message says how to recover", () => {
    const r = atTerminal([["creating", "\x03"]], ["env", "create", "nap", "-t", "slow", "-p", "seconds=6"]);
    expect(r.screen).toMatch(/stopping nap: the engine finishes the steps in flight \(Ctrl-C again to stop at once\)/);
    expect(r.screen).toMatch(/run infra env recover nap/);
    expect(r.code).not.toBe(0);
    expect(home.json<{ status: string }>(["env", "show", "nap"]).status).toBe("interrupted");
    expect(home.run(["env", "recover", "nap"]).code).toBe(0);
  });

  it("a second Ctrl-C stops at once", () => {
    const started = Date.now();
    const r = atTerminal(
      [
        ["creating", "\x03"],
        ["Ctrl-C again", "\x03"],
      ],
      ["env", "create", "nap2", "-t", "slow", "-p", "seconds=30"],
    );
    expect(r.code).toBe(130);
    expect(r.screen).toMatch(/stopped; nap2 is left interrupted: run infra env recover nap2/);
    expect(Date.now() - started).toBeLessThan(25_000);
    home.run(["env", "recover", "nap2"]);
  });
});

describe("declining a change", () => {
  it("is recorded as declined, not as a failure, and exits 0", () => {
    expect(home.run(["env", "create", "pet", "-t", "slow", "-p", "seconds=0"]).code).toBe(0);
    const r = atTerminal([["apply these changes to pet\\?", "n\r"]], ["env", "update", "pet", "-p", "seconds=1"]);
    expect(r.code, r.screen).toBe(0);
    expect(r.screen).toMatch(/pet: not changed \(declined\)/);
    const h = home.json<{ operations: { kind: string; result: string }[] }>(["env", "history", "pet"]);
    expect(h.operations.at(-1)).toMatchObject({ kind: "update", result: "declined" });
    expect(home.json<{ status: string }>(["env", "show", "pet"]).status).toBe("deployed-ok");
  });
});

describe("destroying what is destroyed", () => {
  it("succeeds both times; the second says there was nothing to do and runs nothing", () => {
    expect(home.run(["env", "destroy", "pet", "--yes"]).code).toBe(0);
    const ops = home.json<{ operations: unknown[] }>(["env", "history", "pet"]).operations.length;
    const again = home.run(["env", "destroy", "pet", "--yes"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe("pet: already destroyed; nothing to do\n");
    expect(home.json<{ operations: unknown[] }>(["env", "history", "pet"]).operations.length).toBe(ops);
  });
});

describe("a closed pipe", () => {
  it("ends quietly with exit 0, as git log | head does", () => {
    const r = spawnSync(
      "bash",
      ["-c", `set -o pipefail; "${process.execPath}" "${BIN}" template list --json | head -c 10 >/dev/null; echo "rc=\${PIPESTATUS[0]}"`],
      { env: home.env, encoding: "utf8" },
    );
    expect(r.stdout.trim()).toBe("rc=0");
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at /);
  });
});

describe("a long value in a message", () => {
  it("is cut to a readable length, with its length said", () => {
    const long = "x".repeat(4001);
    const r = home.run(["env", "create", "nap3", "-t", "slow", "-p", `seconds=${long}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--param seconds=${"x".repeat(80)}… (4001 characters): seconds is an integer`);
    expect(r.stderr.length).toBeLessThan(300);
  });
});

describe("a preview shows the changes, not only their count", () => {
  it("an update: each resource, its kind, the fields old -> new, and what forces a replacement", () => {
    expect(home.run(["env", "create", "pv", "-t", "basic@1.0.0", "-p", "apiToken=t"]).code).toBe(0);
    const r = home.run(["env", "update", "pv", "-p", "greeting=bonjour", "-p", "passwordLength=24", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      [
        "preview of pv: 2 replaced, 8 unchanged",
        "  ± hello (command:local:Command) replaced",
        '      environment.GREETING: "hello" → "bonjour"',
        '      triggers[0]: "hello" → "bonjour"  (forces replacement)',
        "  ± password (random:index/randomPassword:RandomPassword) replaced",
        "      length: 20 → 24  (forces replacement)",
      ].join("\n"),
    );
    // Engine words are translated in the step lines.
    expect(r.stderr).not.toMatch(/create-replacement|delete-replaced/);
    expect(r.stderr).toContain("  create (replacement) command:local:Command hello");
  });

  it("an upgrade, and --json carries the same preview", () => {
    const r = home.run(["env", "upgrade", "pv", "--to", "1.1.0", "--yes", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).preview).toEqual([{ op: "create", type: "random:index/randomPet:RandomPet", name: "buddy", fields: [] }]);
  });

  it("a destroy lists what it deletes before it asks", () => {
    const r = atTerminal([["destroy pv and every resource in it\\?", "n\r"]], ["env", "destroy", "pv"]);
    expect(r.code, r.screen).toBe(0);
    for (const line of [
      "  - buddy (random:index/randomPet:RandomPet) deleted",
      "  - cert (tls:index/selfSignedCert:SelfSignedCert) deleted",
      "  - hello (command:local:Command) deleted",
      "  - password (random:index/randomPassword:RandomPassword) deleted",
    ])
      expect(r.screen).toContain(line);
    expect(r.screen).toMatch(/pv: not changed \(declined\)/);
    expect(home.run(["env", "destroy", "pv", "--yes"]).code).toBe(0);
  });
});
