// openstack-vm-compose@1.1.0 (seed 003 served HTTPS), with Pulumi's mocks:
// Caddy in front of the compose services on 80 (a redirect) and 443, a
// certificate from the environment's CA for the address, or ACME for a domain.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { caddyfile, portClashes, terminatorProblem } from "../../../programs/components/openstack-tls.js";
import { packageRoot } from "../../../src/core/package-root.js";
import { loadTemplateFile } from "../../../src/templates/load.js";
import { runTemplate, type MockOptions } from "../../helpers/mocks.js";

const template = loadTemplateFile(join(packageRoot(), "templates", "openstack-vm-compose", "1.1.0.yaml"), "builtin");
const COMPOSE = "services:\n  web:\n    image: ghcr.io/acme/basegun-front:2.1\n    expose: ['8080']\n";

async function run(config: Record<string, string>) {
  const mocks: MockOptions = {
    calls: { "openstack:images/getImage:getImage": (i) => ({ ...i, id: "img" }) },
    computed: {
      "openstack:networking/floatingIp:FloatingIp": () => ({ address: "203.0.113.10" }),
      "openstack:compute/keypair:Keypair": (n) => ({ name: `${n}-keypair` }),
      "tls:index/selfSignedCert:SelfSignedCert": () => ({ certPem: "-----CA PEM-----\n" }),
      "tls:index/locallySignedCert:LocallySignedCert": () => ({ certPem: "-----SERVER PEM-----\n" }),
      "tls:index/privateKey:PrivateKey": (n) => ({ privateKeyPem: `-----KEY ${n}-----\n` }),
      "tls:index/certRequest:CertRequest": () => ({ certRequestPem: "-----CSR-----\n" }),
    },
  };
  return runTemplate(
    template.spec,
    "preprod",
    {
      compose: COMPOSE,
      sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKey admin@laptop",
      adminCidr: "198.51.100.7/32",
      externalNetworkId: "ext-net-id",
      externalNetwork: "Ext-Net",
      flavor: "b2-7",
      image: "Debian 12",
      volumeSize: "20",
      cidr: "10.20.0.0/24",
      upstream: "web:8080",
      ...config,
    },
    mocks,
  );
}

function cloudInit(r: Awaited<ReturnType<typeof run>>): Record<string, any> {
  const text = r.one("openstack:compute/instance:Instance").inputs.userData.value as string;
  return JSON.parse(text.slice("#cloud-config\n".length));
}
const file = (ci: Record<string, any>, path: string) =>
  (ci.write_files as { path: string; content: string; permissions: string }[]).find((f) => f.path === path);

describe("openstack-vm-compose@1.1.0: HTTPS", () => {
  it("without a domain: Caddy on 80 and 443 with a certificate for the address from the environment's CA; the entrypoint is https", async () => {
    const r = await run({});
    const ci = cloudInit(r);
    expect(ci.runcmd).toContainEqual(["sh", "-c", "cd /opt/app && docker compose -f docker-compose.yml -f docker-compose.tls.yml up -d"]);
    const caddy = file(ci, "/opt/app/Caddyfile")!.content;
    expect(caddy).toContain(":443 {\n\ttls /etc/caddy/tls/cert.pem /etc/caddy/tls/key.pem\n\treverse_proxy web:8080\n}");
    expect(caddy).toContain(":80 {\n\tredir https://{host}{uri} permanent\n}"); // port 80 redirects
    expect(file(ci, "/opt/app/tls/key.pem")).toMatchObject({ permissions: "0600", content: "-----KEY vm-tls-----\n" });
    expect(file(ci, "/opt/app/tls/cert.pem")!.content).toBe("-----SERVER PEM-----\n-----CA PEM-----\n");
    expect(file(ci, "/opt/app/docker-compose.tls.yml")!.content).toContain("ports: ['80:80', '443:443']");
    const csr = r.one("tls:index/certRequest:CertRequest").inputs;
    expect(csr.ipAddresses).toEqual(["203.0.113.10"]);
    expect(r.one("tls:index/selfSignedCert:SelfSignedCert").inputs.isCaCertificate).toBe(true);
    expect(r.values.url).toBe("https://203.0.113.10");
    expect(r.values.caCert).toBe("-----CA PEM-----\n");
    // The user data holds a private key: secret, as before.
    expect(r.one("openstack:compute/instance:Instance").inputs.userData["4dabf18193072939515e22adb298388d"]).toBe("1b47061264138c4ac30d75fd1eb44270");
  });

  it("with a domain and an email: Caddy gets the certificate by ACME and redirects 80 itself", async () => {
    const r = await run({ domain: "shop.example.com", acmeEmail: "ops@example.com" });
    const ci = cloudInit(r);
    expect(file(ci, "/opt/app/Caddyfile")!.content).toBe("{\n\temail ops@example.com\n}\nshop.example.com {\n\treverse_proxy web:8080\n}\n");
    expect(file(ci, "/opt/app/tls/key.pem")).toBeUndefined();
    expect(r.values.url).toBe("https://shop.example.com");
    expect(r.values.caCert).toBe("");
  });

  it("refuses a compose file that publishes 80 or 443, and settings that would be Caddyfile text", () => {
    // The component fails its user data with these (the engine's preview says so); checked here directly.
    expect(
      portClashes("services:\n  a: { ports: ['0.0.0.0:443:8443/tcp'] }\n  b: { ports: [{ published: 80, target: 8080 }] }\n  c: { ports: ['8080'] }\n"),
    ).toEqual(["a (port 443)", "b (port 80)"]);
    expect(terminatorProblem({ upstream: "web:8080 {\n}" })).toMatch(/^upstream/);
    expect(terminatorProblem({ upstream: "web:8080", domain: "x.example.com {\n\trespond hi\n}", email: "a@b.co" })).toMatch(/^domain/);
    expect(terminatorProblem({ upstream: "web:8080", domain: "shop.example.com" })).toMatch(/needs an email/);
    expect(terminatorProblem({ upstream: "web:8080", domain: "shop.example.com", email: "ops@example.com\n}" })).toMatch(/^email/);
    expect(terminatorProblem({ upstream: "web:8080", domain: "shop.example.com", email: "ops@example.com" })).toBeUndefined();
    expect(caddyfile({ upstream: "web:1" })).toContain("reverse_proxy web:1");
  });
});
