// The openstack-vm-compose template (seed 003), with Pulumi's mocks: preprod
// and prod as two environments of the one template.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../../src/core/package-root.js";
import { loadTemplateFile } from "../../../src/templates/load.js";
import { PROJECT } from "../../../src/templates/program.js";
import { runTemplate, type MockOptions } from "../../helpers/mocks.js";

const template = loadTemplateFile(join(packageRoot(), "templates", "openstack-vm-compose", "1.0.0.yaml"), "builtin");
const SIG = "4dabf18193072939515e22adb298388d";
const COMPOSE = "services:\n  web:\n    image: ghcr.io/acme/basegun-front:2.1\n    ports: ['80:8080']\n";

async function run(env: string, config: Record<string, string>, secrets: Record<string, string> = {}) {
  const mocks: MockOptions = {
    calls: { "openstack:images/getImage:getImage": (i) => ({ ...i, id: `img-${String(i.name).replace(/ /g, "-")}` }) },
    computed: {
      "openstack:networking/floatingIp:FloatingIp": () => ({ address: "203.0.113.10" }),
      "openstack:compute/keypair:Keypair": (n) => ({ name: `${n}-keypair` }),
    },
  };
  const base = {
    compose: COMPOSE,
    sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKey admin@laptop",
    adminCidr: "198.51.100.7/32",
    externalNetworkId: "ext-net-id",
    externalNetwork: "Ext-Net",
    flavor: "b2-7",
    image: "Debian 12",
    volumeSize: "20",
    cidr: "10.20.0.0/24",
  };
  // Secret config the way the engine hands it to a program.
  if (Object.keys(secrets).length) process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(Object.keys(secrets).map((k) => `${PROJECT}:${k}`));
  const r = await runTemplate(template.spec, env, { ...base, ...config, ...secrets }, mocks);
  return { ...r, userData: r.one("openstack:compute/instance:Instance").inputs.userData };
}

/** The instance's user data is secret; unwrap it to read the cloud-init inside. */
function cloudInit(userData: Record<string, any>): Record<string, any> {
  expect(userData[SIG]).toBe("1b47061264138c4ac30d75fd1eb44270");
  const text = userData.value as string;
  expect(text.startsWith("#cloud-config\n")).toBe(true);
  return JSON.parse(text.slice("#cloud-config\n".length));
}

describe("openstack-vm-compose as preprod", () => {
  it("gives the environment its own network routed to the external one", async () => {
    const r = await run("preprod", {});
    expect(r.one("openstack:networking/subnet:Subnet").inputs).toMatchObject({ cidr: "10.20.0.0/24", ipVersion: 4 });
    expect(r.one("openstack:networking/router:Router").inputs.externalNetworkId).toBe("ext-net-id");
    expect(r.one("openstack:networking/routerInterface:RouterInterface").inputs).toMatchObject({ routerId: "net-id", subnetId: "net-id" });
  });

  it("opens ssh to the admin range only, and http and https to all", async () => {
    const r = await run("preprod", {});
    const rules = r.all("openstack:networking/secGroupRule:SecGroupRule").map((d) => `${d.inputs.portRangeMin}<-${d.inputs.remoteIpPrefix}`);
    expect(rules.sort()).toEqual(["22<-198.51.100.7/32", "443<-0.0.0.0/0", "80<-0.0.0.0/0"]);
    expect(r.one("openstack:networking/port:Port").inputs.securityGroupIds).toEqual(["vm-id"]);
  });

  it("boots a VM from a volume, with the keypair, and a floating IP on its port", async () => {
    const r = await run("preprod", {});
    const vm = r.one("openstack:compute/instance:Instance").inputs;
    expect(vm.flavorName).toBe("b2-7");
    expect(vm.keyPair).toBe("vm-keypair");
    expect(vm.networks).toEqual([{ port: "vm-id" }]);
    expect(vm.blockDevices[0]).toMatchObject({ uuid: "img-Debian-12", volumeSize: 20, destinationType: "volume", bootIndex: 0 });
    expect(r.one("openstack:compute/keypair:Keypair").inputs.publicKey).toMatch(/^ssh-ed25519 /);
    expect(r.one("openstack:networking/floatingIp:FloatingIp").inputs.pool).toBe("Ext-Net");
    expect(r.one("openstack:networking/floatingIpAssociate:FloatingIpAssociate").inputs).toEqual({ floatingIp: "203.0.113.10", portId: "vm-id" });
    expect(r.values.url).toBe("http://203.0.113.10");
  });

  it("installs Docker with cloud-init and runs the compose file, without log shipping", async () => {
    const r = await run("preprod", {});
    const ci = cloudInit(r.userData);
    expect(ci.packages).toEqual(expect.arrayContaining(["docker.io", "docker-compose-v2"]));
    expect(ci.write_files).toEqual([{ path: "/opt/app/docker-compose.yml", permissions: "0600", content: COMPOSE }]);
    expect(ci.runcmd).toContainEqual(["sh", "-c", "cd /opt/app && docker compose -f docker-compose.yml up -d"]);
  });

  it("keeps its objects in a private, versioned Swift container of its own", async () => {
    const r = await run("preprod", {});
    expect(r.one("openstack:objectstorage/container:Container").inputs).toMatchObject({ name: "preprod-objects", containerRead: "", versioning: true });
    expect(r.values.objects).toBe("preprod-objects");
  });
});

describe("openstack-vm-compose as prod, with log shipping", () => {
  it("is the same template with its own size, names, and a Filebeat container", async () => {
    const r = await run("prod", { flavor: "b2-15", volumeSize: "50", logEndpoint: "gra2.logs.ovh.com:6514" }, { logToken: "ovh-token-123" });
    expect(r.one("openstack:compute/instance:Instance").inputs.flavorName).toBe("b2-15");
    expect(r.one("openstack:compute/instance:Instance").inputs.blockDevices[0].volumeSize).toBe(50);
    expect(r.values.objects).toBe("prod-objects");
    const ci = cloudInit(r.userData);
    expect(ci.write_files.map((f: { path: string }) => f.path)).toEqual([
      "/opt/app/docker-compose.yml",
      "/opt/app/docker-compose.logging.yml",
      "/opt/app/filebeat.yml",
    ]);
    const filebeat = ci.write_files[2].content as string;
    expect(filebeat).toContain("hosts: ['gra2.logs.ovh.com:6514']");
    expect(filebeat).toContain("ovh-token-123"); // inside the secret user data only
    expect(ci.runcmd).toContainEqual(["sh", "-c", "cd /opt/app && docker compose -f docker-compose.yml -f docker-compose.logging.yml up -d"]);
  });
});
