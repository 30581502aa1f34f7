// What bootstrap decides for the meta environment's API, per location: the
// image shipped (or why not), the store, the state, and the write token (made
// once and shown, or the one this machine keeps when the cluster has its hash).
import { describe, expect, it } from "vitest";
import { apiSetup, type MetaApi } from "../../../src/app/bootstrap-api.js";
import { hashToken } from "../../../src/core/token.js";
import type { Environment } from "../../../src/registry/types.js";

const DIGEST = `sha256:${"a".repeat(64)}`;
function fakeApi(o: { realNode?: boolean; kept?: string } = {}): MetaApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async ship(location) {
      calls.push(`ship ${location}`);
      if (location === "sandbox")
        return o.realNode ? { image: `127.0.0.1:5000/infra/infra@${DIGEST}`, realNode: true } : { skipped: "the sandbox has no real node" };
      return { layout: "/home/a/.infra/image/infra", digest: DIGEST };
    },
    async build() {
      calls.push("build");
      return { layout: "/home/a/.infra/image/infra", digest: DIGEST };
    },
    async reach() {
      return { unreachable: "not in this test" };
    },
    async send() {},
    token: () => o.kept,
    saveToken: () => "/home/a/.infra/meta-api-token",
  };
}
const meta = (tokenHash?: string) => ({ name: "meta", status: "deployed-ok", params: tokenHash ? { apiTokenHash: tokenHash } : {} }) as unknown as Environment;
const quiet = () => {};

describe("apiSetup", () => {
  it("sandbox with its real node: the image by digest, SQLite and no bus, reachable, a new token", async () => {
    const s = await apiSetup(fakeApi({ realNode: true }), "sandbox", undefined, undefined, quiet);
    expect(s.params).toMatchObject({ apiStore: "embedded", apiImage: `127.0.0.1:5000/infra/infra@${DIGEST}`, apiRealNode: "true" });
    expect(s).toMatchObject({ real: true, reachable: true });
    expect(s.newToken).toMatch(/^infra_/);
    expect(s.params.apiTokenHash).toBe(hashToken(s.newToken!));
  });

  it("sandbox without it: said why, no token, nothing shipped", async () => {
    const s = await apiSetup(fakeApi(), "sandbox", undefined, undefined, quiet);
    expect(s.notices).toEqual(["the sandbox has no real node"]);
    expect(s).toMatchObject({ real: false, reachable: false });
    expect(s.newToken).toBeUndefined();
    expect(s.params.apiTokenHash).toBeUndefined();
  });

  it("a cloud: the layout for its program to push, a bucket not a claim, a token, reached through a port-forward", async () => {
    const s = await apiSetup(fakeApi(), "gcp:acme-prod/europe-west1", undefined, undefined, quiet);
    expect(s.params).toMatchObject({ apiStateOnVolume: "false", apiImageLayout: "/home/a/.infra/image/infra", apiImageDigest: DIGEST });
    expect(s.params.apiStore).toBeUndefined();
    expect(s).toMatchObject({ real: true, reachable: false });
    expect(s.newToken).toMatch(/^infra_/);
  });

  it("a kubeconfig context: nothing shipped without --registry; with it, built and named", async () => {
    const none = fakeApi();
    expect((await apiSetup(none, "kubernetes:prod", undefined, undefined, quiet)).params).toEqual({});
    expect(none.calls).toEqual([]);
    const s = await apiSetup(fakeApi(), "kubernetes:prod", undefined, undefined, quiet, "registry.acme.internal/platform");
    expect(s.params).toMatchObject({ apiRegistry: "registry.acme.internal/platform", apiImageDigest: DIGEST });
    expect(s.real).toBe(true);
  });

  it("keeps this machine's token while the cluster has its hash; a new one otherwise", async () => {
    const kept = "infra_kept-token";
    const same = await apiSetup(fakeApi({ realNode: true, kept }), "sandbox", meta(hashToken(kept)), undefined, quiet);
    expect(same.newToken).toBeUndefined();
    expect(same.token).toBe(kept);
    const other = await apiSetup(fakeApi({ realNode: true, kept }), "sandbox", meta(hashToken("infra_another")), undefined, quiet);
    expect(other.newToken).toMatch(/^infra_/);
    expect(other.newToken).not.toBe(kept);
  });

  it("an image the bootstrap file names: nothing built, nothing pushed", async () => {
    const a = fakeApi({ realNode: true });
    const s = await apiSetup(a, "gcp:acme-prod/europe-west1", undefined, "registry.acme.internal/infra:1.2.0", quiet);
    expect(a.calls).toEqual([]);
    expect(s.params.apiImageLayout).toBeUndefined();
  });
});
