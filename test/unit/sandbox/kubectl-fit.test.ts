import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kubectlAdvice, kubectlFit } from "../../../src/sandbox/kubectl-fit.js";

/** A PATH holding only a kubectl that prints `out` and exits with `code`. */
function pathWith(out: string, code = 0): string {
  const dir = mkdtempSync(join(tmpdir(), "infra-kubectl-"));
  // echo is sh's own: the PATH the test gives holds nothing else.
  writeFileSync(join(dir, "kubectl"), `#!/bin/sh\necho '${out}'\nexit ${code}\n`);
  chmodSync(join(dir, "kubectl"), 0o755);
  return dir;
}
const client = (gitVersion: string) => pathWith(JSON.stringify({ clientVersion: { major: "1", minor: "x", gitVersion } }));
const fit = (path: string, rigKubectl?: string) => kubectlFit("v1.36.3", rigKubectl, { PATH: path });

describe("the kubectl on PATH against the sandbox's API server", () => {
  it("fits at the same minor version and one either side", () => {
    for (const v of ["v1.36.0", "v1.35.9", "v1.37.1-rc.0"]) expect(fit(client(v))).toMatchObject({ version: v, fits: true });
    expect(kubectlAdvice(fit(client("v1.36.0")), "v1.36.3")).toBeUndefined();
  });

  it("does not fit further off, and says by how much and what to use", () => {
    const rig = mkdtempSync(join(tmpdir(), "infra-rig-"));
    const f = fit(client("v1.32.4-dispatcher"), join(rig, "bin", "kubectl"));
    expect(f).toEqual({ version: "v1.32.4-dispatcher", skew: 4, fits: false, rigKubectl: join(rig, "bin", "kubectl") });
    expect(kubectlAdvice(f, "v1.36.3")).toBe(
      `v1.32.4-dispatcher on PATH is 4 minor versions from the API server's v1.36.3 (kubectl supports one either way): use the sandbox rig's, ${join(rig, "bin", "kubectl")}`,
    );
    expect(fit(client("v1.38.0"))).toMatchObject({ skew: 2, fits: false });
  });

  it("without a rig's kubectl, names the script that builds one", () => {
    const f = fit(client("v1.30.0"));
    expect(f.rigKubectl).toBeUndefined();
    expect(kubectlAdvice(f, "v1.36.3")).toMatch(/: scripts\/sandbox-rig\.sh builds one that fits$/);
  });

  it("no kubectl, one that fails, or one whose version cannot be read: does not fit, said plainly", () => {
    const none = fit(mkdtempSync(join(tmpdir(), "infra-empty-")));
    expect(none).toEqual({ fits: false });
    expect(kubectlAdvice(none, "v1.36.3")).toMatch(/^no kubectl on PATH answers: /);
    expect(fit(pathWith("{}", 1))).toEqual({ fits: false });
    expect(fit(pathWith("not json"))).toEqual({ fits: false });
    const odd = fit(client("devel"));
    expect(odd).toEqual({ version: "devel", fits: false });
    expect(kubectlAdvice(odd, "v1.36.3")).toMatch(/^devel on PATH is of a version infra cannot compare with the API server's v1\.36\.3/);
    expect(kubectlAdvice(fit(client("v2.36.0")), "v1.36.3")).toMatch(/is of another major version than/);
  });
});
