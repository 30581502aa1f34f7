// What bootstrap refuses before anything runs, and what it hands the meta
// template from the bootstrap file: here OpenStack's cluster options, which
// the meta program's OpenStack location cannot do without.
import { describe, expect, it } from "vitest";
import { bootstrap, type BootstrapInput } from "../../../src/app/bootstrap.js";
import type { MetaApi } from "../../../src/app/bootstrap-api.js";
import { EMPTY_BOOTSTRAP, parseBootstrapFile } from "../../../src/app/bootstrap-file.js";
import { appBench } from "../../helpers/app.js";

const OPENSTACK = `
openstack:
  externalNetworkId: 0f9c3f2a-8a51-4bb8-b2d5-6c5e0c0a1b2c
  image: Ubuntu 24.04
  flavor: b3-8
  sshPublicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHb0ZmFrZWtleWZvcnRlc3RzMDEyMzQ1Njc4OTAxMjM0 ann@box
  adminCidr: 203.0.113.0/24
`;

const input = (location: string, file = EMPTY_BOOTSTRAP): BootstrapInput => ({ location, organisation: "acme", prefix: "infra-", file });

describe("bootstrap at openstack", () => {
  it("refuses without the file's openstack: section, in one line, having run nothing", async () => {
    const b = appBench();
    const err = await bootstrap(b.ctx, input("openstack:ovh/GRA11")).catch((e: Error) => e);
    expect(err).toMatchObject({ kind: "usage" });
    expect((err as Error).message).toMatch(/^bootstrap at openstack:ovh\/GRA11 needs .*openstack: section to infra-bootstrap\.yaml/);
    expect((err as Error).message).not.toContain("\n");
    expect(b.engine.calls).toEqual([]);
    expect(await b.registry.get("meta")).toBeUndefined();
  });

  it("hands the section to the meta template as its cluster options", async () => {
    const b = appBench();
    const file = await parseBootstrapFile(OPENSTACK, "infra-bootstrap.yaml");
    await bootstrap(b.ctx, input("openstack:ovh/GRA11", file));
    const options = b.engine.config.get("meta")?.clusterOptions as { value: string };
    expect(JSON.parse(options.value)).toMatchObject({
      externalNetworkId: "0f9c3f2a-8a51-4bb8-b2d5-6c5e0c0a1b2c",
      flavor: "b3-8",
      adminCidr: "203.0.113.0/24",
    });
  });

  it("refuses the section anywhere else, and a malformed one, naming the field", async () => {
    const b = appBench();
    const file = await parseBootstrapFile(OPENSTACK, "infra-bootstrap.yaml");
    await expect(bootstrap(b.ctx, input("sandbox", file))).rejects.toThrow(/openstack: is for an openstack:<cloud>\/<region> location, not sandbox/);
    await expect(parseBootstrapFile(OPENSTACK.replace("203.0.113.0/24", "everyone"), "f.yaml")).rejects.toThrow(
      /^f\.yaml: openstack\.adminCidr: who may reach the API server and SSH, as a CIDR/,
    );
    await expect(parseBootstrapFile(`${OPENSTACK}  password: hunter2\n`, "f.yaml")).rejects.toThrow(/^f\.yaml: openstack: Unrecognized key/);
  });
});

describe("bootstrap in a cluster this machine has no route into (a cloud's)", () => {
  const DIGEST = `sha256:${"b".repeat(64)}`;
  function cloudApi(calls: string[]): MetaApi {
    return {
      ship: async () => ({ layout: "/home/a/.infra/image/infra", digest: DIGEST }),
      build: async () => ({ layout: "/home/a/.infra/image/infra", digest: DIGEST }),
      reach: async (location, kubeconfig) => {
        calls.push(`reach ${location} ${kubeconfig ?? "(none)"}`);
        return { url: "https://34.1.2.3/api/v1/namespaces/infra/services/http:infra-api:http/proxy" };
      },
      send: async (url, _token, command) => void calls.push(`send ${command.kind} ${"environment" in command ? command.environment : ""} to ${url}`),
      token: () => undefined,
      saveToken: () => "/home/a/.infra/meta-api-token",
    };
  }

  it("sends meta through its API server's service proxy with meta's kubeconfig; its user then port-forwards", async () => {
    const b = appBench();
    b.engine.stackOutputs.set("meta", { kubeconfig: { value: "apiVersion: v1\nkind: Config\n", secret: true } });
    const calls: string[] = [];
    const r = await bootstrap(b.ctx, { ...input("gcp:acme-prod/europe-west1"), api: cloudApi(calls) });
    expect(calls).toEqual([
      "reach gcp:acme-prod/europe-west1 apiVersion: v1\nkind: Config\n",
      "send record meta to https://34.1.2.3/api/v1/namespaces/infra/services/http:infra-api:http/proxy",
    ]);
    expect(r.api).toMatchObject({ recorded: true, portForward: true, through: "the API server's service proxy" });
    expect(r.api?.url).toBeUndefined();
  });

  it("says why when meta has no kubeconfig to reach it with, and sends nothing", async () => {
    const b = appBench();
    const calls: string[] = [];
    const r = await bootstrap(b.ctx, { ...input("aws:eu-west-1"), api: cloudApi(calls) });
    expect(calls).toEqual([]);
    expect(r.api).toMatchObject({ recorded: false, portForward: true, why: expect.stringMatching(/no kubeconfig output/) });
  });
});

describe("the API's state backend named", () => {
  it("goes to the template over the location's bucket and the volume; what is not a bucket is refused, naming where it came from", async () => {
    const b = appBench();
    await bootstrap(b.ctx, { ...input("aws:eu-west-1"), apiBackend: "s3://acme-infra-state?region=eu-west-1" });
    const config = b.engine.config.get("meta")!;
    expect(config.apiBackend).toMatchObject({ value: "s3://acme-infra-state?region=eu-west-1" });
    expect(config.apiStateOnVolume).toMatchObject({ value: "false" });

    const other = appBench();
    const flag = await bootstrap(other.ctx, { ...input("sandbox"), apiBackend: "file:///var/lib/infra/state" }).catch((e: Error) => e);
    expect(flag).toMatchObject({ kind: "usage", hint: { field: "apiBackend" } });
    expect((flag as Error).message).toMatch(/file:\/\/\/var\/lib\/infra\/state is not a bucket the API's pods can reach: name one as s3:\/\/<bucket>/);
    const file = await parseBootstrapFile("apiBackend: https://api.pulumi.com\n", "infra-bootstrap.yaml");
    await expect(bootstrap(other.ctx, input("sandbox", file))).rejects.toThrow(
      /^infra-bootstrap\.yaml: apiBackend: https:\/\/api\.pulumi\.com is not a bucket/,
    );
    expect(other.engine.calls).toEqual([]);
  });
});
