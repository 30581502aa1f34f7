// OpenStack components: the shape of seed 003 (one VM per environment,
// started by cloud-init, running the user's compose file; Swift for objects;
// logs shipped by a Filebeat container). Credentials come from the usual
// OS_* variables or clouds.yaml of the user running infra.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { withDefaults } from "./args.js";
import { composeVmArgs, networkArgs, swiftContainerArgs } from "./openstack.args.js";
import { Group } from "./group.js";
import type { ComponentFactory } from "./types.js";

export const network: ComponentFactory = (name, inputs) => {
  const a = withDefaults(networkArgs, inputs);
  const parent = new Group("infra:openstack:Network", name);
  const opts = { parent };
  const net = new openstack.networking.Network(name, { adminStateUp: true }, opts);
  const subnet = new openstack.networking.Subnet(
    name,
    {
      networkId: net.id,
      cidr: a.cidr,
      ipVersion: 4,
      dnsNameservers: ["1.1.1.1", "9.9.9.9"],
    },
    opts,
  );
  const router = new openstack.networking.Router(name, { externalNetworkId: a.externalNetworkId }, opts);
  new openstack.networking.RouterInterface(name, { routerId: router.id, subnetId: subnet.id }, opts);
  parent.finish({ networkId: net.id });
  return { networkId: net.id, subnetId: subnet.id };
};

/** cloud-init (JSON is YAML): Docker from Debian's packages, the compose files, the service that runs them. */
function cloudInit(compose: string, logging?: { endpoint: string; token: string }): string {
  const files = [
    { path: "/opt/app/docker-compose.yml", permissions: "0600", content: compose },
    ...(logging
      ? [
          {
            path: "/opt/app/docker-compose.logging.yml",
            permissions: "0600",
            content: [
              "services:",
              "  filebeat:",
              "    image: docker.elastic.co/beats/filebeat:8.15.0",
              "    restart: unless-stopped",
              "    user: root",
              "    volumes:",
              "      - /opt/app/filebeat.yml:/usr/share/filebeat/filebeat.yml:ro",
              "      - /var/lib/docker/containers:/var/lib/docker/containers:ro",
              "",
            ].join("\n"),
          },
          {
            path: "/opt/app/filebeat.yml",
            permissions: "0600",
            content: [
              "filebeat.inputs:",
              "  - type: container",
              "    paths: ['/var/lib/docker/containers/*/*.log']",
              "output.logstash:",
              `  hosts: ['${logging.endpoint}']`,
              "  ssl.enabled: true",
              "fields_under_root: true",
              `fields: { X-OVH-TOKEN: '${logging.token}' }`,
              "",
            ].join("\n"),
          },
        ]
      : []),
  ];
  const composeArgs = logging ? "-f docker-compose.yml -f docker-compose.logging.yml" : "-f docker-compose.yml";
  return (
    "#cloud-config\n" +
    JSON.stringify({
      package_update: true,
      package_upgrade: true,
      packages: ["docker.io", "docker-compose-v2", "unattended-upgrades", "fail2ban"],
      write_files: files,
      runcmd: [
        ["systemctl", "enable", "--now", "docker"],
        ["sh", "-c", `cd /opt/app && docker compose ${composeArgs} up -d`],
      ],
    })
  );
}

export const composeVm: ComponentFactory = (name, inputs) => {
  const a = withDefaults(composeVmArgs, inputs);
  const parent = new Group("infra:openstack:ComposeVm", name);
  const opts = { parent };
  const sg = new openstack.networking.SecGroup(name, { description: `infra ${name}: ssh from the admin range, http and https` }, opts);
  const rule = (id: string, port: number, cidr: pulumi.Input<string>) =>
    new openstack.networking.SecGroupRule(
      `${name}-${id}`,
      {
        securityGroupId: sg.id,
        direction: "ingress",
        ethertype: "IPv4",
        protocol: "tcp",
        portRangeMin: port,
        portRangeMax: port,
        remoteIpPrefix: cidr,
      },
      opts,
    );
  rule("ssh", 22, a.adminCidr);
  rule("http", 80, "0.0.0.0/0");
  rule("https", 443, "0.0.0.0/0");
  const keypair = new openstack.compute.Keypair(name, { publicKey: a.sshPublicKey }, opts);
  const port = new openstack.networking.Port(
    name,
    {
      networkId: a.networkId,
      securityGroupIds: [sg.id],
      fixedIps: [{ subnetId: a.subnetId }],
    },
    opts,
  );
  const logging =
    a.logEndpoint !== undefined && a.logToken !== undefined
      ? pulumi
          .all([a.logEndpoint, a.logToken])
          .apply(([endpoint, token]) => (endpoint ? { endpoint: String(endpoint), token: String(token ?? "") } : undefined))
      : pulumi.output(undefined);
  // The user data holds the compose file and maybe a log token: keep it secret.
  const userData = pulumi.secret(pulumi.all([a.compose, logging]).apply(([compose, log]) => cloudInit(String(compose), log)));
  const vm = new openstack.compute.Instance(
    name,
    {
      flavorName: a.flavor,
      keyPair: keypair.name,
      userData,
      networks: [{ port: port.id }],
      blockDevices: [
        {
          sourceType: "image",
          uuid: openstack.images.getImageOutput({ name: a.image, mostRecent: true }, { parent }).id,
          destinationType: "volume",
          volumeSize: a.volumeSize,
          bootIndex: 0,
          deleteOnTermination: true,
        },
      ],
    },
    opts,
  );
  const fip = new openstack.networking.FloatingIp(name, { pool: a.externalNetwork }, opts);
  new openstack.networking.FloatingIpAssociate(name, { floatingIp: fip.address, portId: port.id }, { ...opts, dependsOn: [vm] });
  parent.finish({ address: fip.address });
  return { address: fip.address, instanceId: vm.id };
};

export const swiftContainer: ComponentFactory = (name, inputs) => {
  const a = withDefaults(swiftContainerArgs, inputs);
  const parent = new Group("infra:openstack:SwiftContainer", name);
  const c = new openstack.objectstorage.Container(
    name,
    {
      name: a.name ?? name,
      // Objects stay private; the app reaches them with its own credentials.
      containerRead: "",
      versioning: a.versioning,
    },
    { parent },
  );
  parent.finish({ name: c.name });
  return { name: c.name };
};
