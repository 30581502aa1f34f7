// Preview environments: a pull request's events read into commands, names
// within 40 characters, the preview file's placeholders, the hook's signature.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { normalise } from "../../../src/app/commands.js";
import { previewCommand, previewName, readPullRequest } from "../../../src/server/preview.js";
import { signedBy } from "../../../src/server/routes/hooks.js";

const pr = (action: string, extra: Record<string, unknown> = {}) => ({
  action,
  number: 42,
  repository: { full_name: "Acme/Shop_Front.end" },
  pull_request: { head: { sha: "c".repeat(40), ref: "feature/x" } },
  ...extra,
});

describe("preview environments", () => {
  it("names a pull request's environment pr-<repository>-<number>, a valid name of at most 40 characters", () => {
    expect(previewName("acme/shop", 7)).toBe("pr-shop-7");
    expect(previewName("Acme/Shop_Front.end", 42)).toBe("pr-shop-front-end-42");
    const long = previewName(`acme/${"very-long-repository-name-".repeat(4)}`, 123456);
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^pr-[a-z0-9-]+[a-z0-9]-123456$/);
    expect(previewName("acme/___", 1)).toBe("pr-repo-1");
    for (const n of [long, previewName("acme/9lives", 3)]) expect(() => normalise({ kind: "destroy", environment: n }, { location: "local" })).not.toThrow();
  });

  it("reads opened, reopened and synchronize as apply, closed as destroy, and leaves other actions alone", () => {
    expect(readPullRequest(pr("opened"))).toEqual({
      action: "apply",
      repository: "Acme/Shop_Front.end",
      number: 42,
      sha: "c".repeat(40),
      branch: "feature/x",
      environment: "pr-shop-front-end-42",
    });
    expect(readPullRequest(pr("synchronize"))!.action).toBe("apply");
    expect(readPullRequest(pr("closed"))!.action).toBe("destroy");
    expect(readPullRequest(pr("labeled"))).toBeUndefined();
    expect(() => readPullRequest(pr("opened", { repository: { full_name: "../../etc" } }))).toThrow(/repository\.full_name/);
    expect(() => readPullRequest({ action: "opened" })).toThrow(/not a pull_request event infra can read/);
  });

  it("fills the preview file's placeholders as text and sets a TTL backstop", () => {
    const e = readPullRequest(pr("opened"))!;
    const c = previewCommand(e, "template: web@1.0.0\nparams:\n  image: shop:${head.sha}\n  branch: ${head.ref}\n  n: ${pr.number}\n  same: $${x}\n");
    expect(c).toMatchObject({
      kind: "apply",
      set: "pr-shop-front-end-42",
      environments: [
        {
          name: "pr-shop-front-end-42",
          template: "web@1.0.0",
          params: { image: `shop:${"c".repeat(40)}`, branch: "feature/x", n: "42", same: "$${x}" },
          ttl: "72h",
          tags: { repository: "Acme/Shop_Front.end", pr: "42" },
        },
      ],
    });
    expect(() => previewCommand(e, "template: web\nsurprise: 1\n")).toThrow(/infra-preview\.yaml: the file: Unrecognized key/);
    expect(() => previewCommand(e, "{{")).toThrow(/infra-preview\.yaml is not YAML/);
  });

  it("checks the signature over the exact body, in constant time", () => {
    const secret = Buffer.from("s3cret-s3cret-s3cret");
    const body = Buffer.from('{"a":1}');
    const sig = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
    expect(signedBy(secret, body, sig)).toBe(true);
    expect(signedBy(secret, Buffer.from('{"a":2}'), sig)).toBe(false);
    expect(signedBy(secret, body, sig.slice(0, -2))).toBe(false);
    expect(signedBy(secret, body, sig.replace("sha256=", "sha1="))).toBe(false);
    expect(signedBy(secret, body, undefined)).toBe(false);
  });
});
