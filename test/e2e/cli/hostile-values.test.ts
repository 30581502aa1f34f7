// Values that try to become code, secrets that try to leak into process
// arguments or into a command's environment, and stacks that must not be
// adopted. Each on the real engine.
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { locateEngine } from "../../../src/engine/locate.js";
import { makeHome, type Home } from "../../helpers/cli.js";

let home: Home;
beforeAll(() => {
  home = makeHome();
});

describe("a parameter value placed in a command", () => {
  it("is data: no substitution, no second command, printed as given", () => {
    const marker = join(home.dir, "pwned");
    const hostile = `$(touch ${marker}); \`touch ${marker}\`; touch ${marker} && echo "x" | tee ${marker} '`;
    const r = home.run(["env", "create", "talk", "-t", "echo", "-p", `message=${hostile}`]);
    expect(r.code, r.stderr).toBe(0);
    const env = home.json<Record<string, any>>(["env", "show", "talk"]);
    expect(env.outputs.said.value).toBe(hostile);
    expect(existsSync(marker)).toBe(false);
  });

  it("runs the command without infra's passphrase, credentials or tokens", () => {
    const r = home.run(["env", "create", "peek", "-t", "echo", "-p", "message=hi"], {
      AWS_SECRET_ACCESS_KEY: "aws-secret-e2e",
      GITHUB_TOKEN: "ghp-e2e",
      GOOGLE_APPLICATION_CREDENTIALS: "/nowhere.json",
    });
    expect(r.code, r.stderr).toBe(0);
    const seen = (home.json<Record<string, any>>(["env", "show", "peek"]).outputs.variables.value as string).trim().split(/\s+/);
    expect(seen).toEqual(expect.arrayContaining(["PATH", "HOME"]));
    for (const name of [
      "INFRA_PASSPHRASE",
      "PULUMI_CONFIG_PASSPHRASE",
      "AWS_SECRET_ACCESS_KEY",
      "GITHUB_TOKEN",
      "GOOGLE_APPLICATION_CREDENTIALS",
      "PULUMI_BACKEND_URL",
      "INFRA_HOME",
    ]) {
      expect(seen).not.toContain(name);
    }
  });
});

describe("a secret parameter", () => {
  it("never appears in the arguments of any process infra starts", async () => {
    // A pulumi that records its arguments, then runs the real one.
    const real = await locateEngine();
    const root = join(home.dir, "recording-pulumi");
    mkdirSync(join(root, "bin"), { recursive: true });
    if (real.pulumiHome) symlinkSync(real.pulumiHome, join(root, "home"));
    const log = join(home.dir, "argv.log");
    const wrapper = join(root, "bin", "pulumi");
    writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real.command}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    const env = { INFRA_PULUMI_ROOT: root };
    const first = "first-SECRET-4b1d";
    const second = "second-SECRET-77aa";
    let r = home.run(["env", "create", "vault", "-t", "basic", "-p", `apiToken=${first}`], env);
    expect(r.code, r.stderr).toBe(0);
    r = home.run(["env", "update", "vault", "-p", `apiToken=${second}`, "--yes"], env);
    expect(r.code, r.stderr).toBe(0);
    const argv = readFileSync(log, "utf8");
    expect(argv).toContain("config set --secret");
    expect(argv).not.toContain(first);
    expect(argv).not.toContain(second);
    const show = home.json<Record<string, any>>(["env", "show", "vault"]);
    expect(show.outputs.token).toEqual({ secret: true });
  });
});

describe("a stack that already exists in the backend", () => {
  it("is refused, not adopted, when another registry's environment holds resources in it", () => {
    expect(home.run(["env", "create", "shared", "-t", "slow", "-p", "seconds=0"]).code).toBe(0);
    const other = makeHome("infra-e2e-other-");
    const backend = `file://${join(home.env.INFRA_HOME!, "state")}`;
    const r = other.run(["env", "create", "shared", "-t", "slow", "-p", "seconds=0"], { INFRA_BACKEND: backend });
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toMatch(/^infra: the state backend already has a stack infra-env\/shared holding \d+ resources that this registry does not know/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    const list = other.run(["env", "list", "--json"], { INFRA_BACKEND: backend });
    expect(JSON.parse(list.stdout).total).toBe(0);
  });

  it("when empty (a name created again), keeps none of the old configuration", () => {
    expect(home.run(["env", "create", "again", "-t", "basic", "-p", "apiToken=t0k"]).code).toBe(0);
    expect(home.run(["env", "destroy", "again", "--yes"]).code).toBe(0);
    const r = home.run(["env", "create", "again", "-t", "slow", "-p", "seconds=0"]);
    expect(r.code, r.stderr).toBe(0);
    const config = readFileSync(join(home.env.INFRA_HOME!, "workspaces", "again", "Pulumi.again.yaml"), "utf8");
    expect(config).toContain("infra-env:seconds");
    expect(config).not.toMatch(/apiToken|greeting|passwordLength/);
  });
});
