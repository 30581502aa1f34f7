// OpenStack components: the shape of seed 003 (one VM per environment,
// started by cloud-init, running the user's compose file; Swift for objects;
// logs shipped by a Filebeat container). Credentials come from the usual
// OS_* variables or clouds.yaml of the user running infra.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { withDefaults } from "./args.js";
import { portClashes, terminatorFiles, terminatorProblem, type TerminatorSettings } from "./openstack-tls.js";
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
function cloudInit(compose: string, logging?: { endpoint: string; token: string }, tls?: TerminatorSettings): string {
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
    ...(tls ? terminatorFiles(tls) : []),
  ];
  const composeArgs = ["-f docker-compose.yml", ...(logging ? ["-f docker-compose.logging.yml"] : []), ...(tls ? ["-f docker-compose.tls.yml"] : [])].join(" ");
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
  // Made before the VM: the certificate of the address (no domain) goes into its user data.
  const fip = new openstack.networking.FloatingIp(name, { pool: a.externalNetwork }, opts);
  const https = httpsFor(name, a, fip.address, parent);
  // The user data holds the compose file, maybe a log token and a private key: keep it secret.
  const userData = pulumi.secret(
    pulumi.all([a.compose, logging, https.settings]).apply(([compose, log, tls]) => {
      if (tls) {
        const clashes = portClashes(String(compose));
        if (clashes.length) {
          throw new Error(
            `the compose file publishes port 80 or 443 (${clashes.join(", ")}), which the HTTPS terminator takes: publish neither, and set upstream to the service's name:port`,
          );
        }
      }
      return cloudInit(String(compose), log, tls);
    }),
  );
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
  new openstack.networking.FloatingIpAssociate(name, { floatingIp: fip.address, portId: port.id }, { ...opts, dependsOn: [vm] });
  parent.finish({ address: fip.address, url: https.url });
  return { address: fip.address, instanceId: vm.id, url: https.url, caCertPem: https.caCertPem };
};

/**
 * The HTTPS terminator's settings (none without an upstream: the compose file serves plain HTTP),
 * the entrypoint, and the environment's CA certificate when it signed the address's certificate.
 */
function httpsFor(
  name: string,
  a: ReturnType<typeof withDefaults<typeof composeVmArgs>>,
  address: pulumi.Output<string>,
  parent: pulumi.Resource,
): { settings: pulumi.Output<TerminatorSettings | undefined>; url: pulumi.Output<string>; caCertPem: pulumi.Output<string> } {
  const given = pulumi.all([a.upstream, a.domain, a.acmeEmail]).apply(([upstream, domain, email]) => {
    if (!upstream) return undefined;
    const t = { upstream: String(upstream), ...(domain && { domain: String(domain) }), ...(email && { email: String(email) }) };
    const problem = terminatorProblem(t);
    if (problem) throw new Error(problem);
    return t;
  });
  const none = pulumi.output("");
  if (a.upstream === undefined) return { settings: pulumi.output(undefined), url: pulumi.interpolate`http://${address}`, caCertPem: none };
  // The environment's CA, and the address's certificate it signs (used when there is no domain).
  const caKey = new tls.PrivateKey(`${name}-ca`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
  const ca = new tls.SelfSignedCert(
    `${name}-ca`,
    {
      privateKeyPem: caKey.privateKeyPem,
      isCaCertificate: true,
      validityPeriodHours: 24 * 365 * 5,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
      subject: { commonName: `infra ${name} CA`, organization: "infra" },
    },
    { parent },
  );
  const key = new tls.PrivateKey(`${name}-tls`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
  const csr = new tls.CertRequest(`${name}-tls`, { privateKeyPem: key.privateKeyPem, ipAddresses: [address], subject: { commonName: address } }, { parent });
  const cert = new tls.LocallySignedCert(
    `${name}-tls`,
    {
      certRequestPem: csr.certRequestPem,
      caPrivateKeyPem: caKey.privateKeyPem,
      caCertPem: ca.certPem,
      validityPeriodHours: 24 * 365,
      earlyRenewalHours: 24 * 30,
      allowedUses: ["server_auth", "digital_signature", "key_encipherment"],
    },
    { parent },
  );
  const settings = pulumi
    .all([given, cert.certPem, ca.certPem, key.privateKeyPem])
    .apply(([t, certPem, caPem, keyPem]) => (t ? { ...t, ...(!t.domain && { cert: { certPem: `${certPem}${caPem}`, keyPem } }) } : undefined));
  return {
    settings,
    url: pulumi.all([given, address]).apply(([t, addr]) => (t ? `https://${t.domain ?? addr}` : `http://${addr}`)),
    caCertPem: pulumi.all([given, ca.certPem]).apply(([t, pem]) => (t && !t.domain ? pem : "")),
  };
}

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
