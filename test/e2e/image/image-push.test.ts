// The push a cloud location's meta program makes of infra's image
// (programs/components/image-push.ts), against a registry on loopback that
// asks for a login (rig/registry, as Artifact Registry and ECR do): the
// login reaches the pusher through its environment only, the pushed digest is
// the one built, the outputs keep no login, and a wrong login is one line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imagePushProvider } from "../../../programs/components/image-push.js";
import { buildLayout } from "../../../src/image/oci.js";
import { ensurePki } from "../../../src/sandbox/pki.js";
import { sandboxRig } from "../../../src/sandbox/rig.js";
import { startRegistry, type OciRegistry } from "../../helpers/oci.js";

let dir: string;
let registry: OciRegistry;
let built: { digest: string };
const layout = () => join(dir, "layout");
const PASSWORD = "push-Pass-7d1";
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "infra-image-push-"));
  const pki = await ensurePki(join(dir, "pki"));
  registry = await startRegistry({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert, user: "oauth2accesstoken", password: PASSWORD });
  // The registry's CA, as a user behind a private one trusts it: the pusher honours SSL_CERT_FILE.
  saved.SSL_CERT_FILE = process.env.SSL_CERT_FILE;
  process.env.SSL_CERT_FILE = pki.caCert;
  built = await buildLayout(
    {
      tag: "tiny:1",
      epoch: 1_700_000_000,
      layers: [
        {
          name: "one file",
          fill: (root) => {
            mkdirSync(join(root, "etc"));
            writeFileSync(join(root, "etc", "hello"), "hello\n");
          },
        },
      ],
      config: { User: "65532:65532", Env: [], Entrypoint: ["/bin/true"], WorkingDir: "/", Labels: {} },
    },
    layout(),
    join(dir, "cache"),
  );
}, 120_000);
afterAll(() => {
  registry?.close();
  process.env.SSL_CERT_FILE = saved.SSL_CERT_FILE;
  if (saved.SSL_CERT_FILE === undefined) delete process.env.SSL_CERT_FILE;
  rmSync(dir, { recursive: true, force: true });
});

const inputs = (password: string) => {
  const repository = `${registry.host}/acme-prod/meta-infra/infra`;
  return {
    layout: layout(),
    digest: built.digest,
    repository,
    tag: built.digest.slice(7, 19),
    pusher: join(sandboxRig().dir, "bin", "oci-registry"),
    login: { username: "oauth2accesstoken", password },
    image: `${repository}@${built.digest}`,
  };
};

describe("the push of infra's image to a cloud's registry", () => {
  it("pushes the layout with the login from its environment, by digest, and keeps no login in its outputs", async () => {
    const r = await imagePushProvider.create!(inputs(PASSWORD));
    expect(r.id).toBe(`${registry.host}/acme-prod/meta-infra/infra@${built.digest}`);
    expect(r.outs.image).toBe(r.id);
    expect(JSON.stringify(r.outs)).not.toContain(PASSWORD);
    expect(r.outs.login).toBeUndefined();
    // A new login alone is no change; a new digest replaces.
    const same = await imagePushProvider.diff!(r.id, r.outs, inputs("another-token"));
    expect(same.changes).toBe(false);
    const next = await imagePushProvider.diff!(r.id, r.outs, { ...inputs(PASSWORD), digest: `sha256:${"0".repeat(64)}` });
    expect(next).toMatchObject({ changes: true, replaces: ["digest"] });
  });

  it("says in one line when the registry refuses the login", async () => {
    const err = (await imagePushProvider.create!(inputs("wrong")).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^cannot push infra's image to 127\.0\.0\.1:\d+\/acme-prod\/meta-infra\/infra: .*(UNAUTHORIZED|401)/);
    expect(err.message.split("\n")).toHaveLength(1);
    expect(err.message).not.toContain("wrong");
  });
});
