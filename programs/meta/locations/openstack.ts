// The meta cluster on OpenStack (the shape of seed 003's OVH set-up): a
// network, subnet and router, security groups, a keypair, three VMs running
// k3s set up by cloud-init (the first initialises embedded etcd, the others
// join it), and a floating IP on the first. The cluster's certificate
// authorities are made here with the tls provider and handed to k3s, so the
// admin kubeconfig is known without logging in to a VM. No KMS: Vault uses
// Shamir keys here (see the README). Credentials: OS_* or clouds.yaml.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { Group } from "../../components/group.js";
import { network } from "../../components/openstack.js";
import { openstackApi, type OpenStackStateOptions } from "./openstack-api.js";
import type { MetaCluster } from "./types.js";

export interface OpenStackOptions extends OpenStackStateOptions {
  externalNetworkId: string;
  image: string;
  flavor: string;
  sshPublicKey: string;
  /** Who may reach the API server and SSH (CIDR). */
  adminCidr: string;
  /** The external network floating IPs come from (OVH: Ext-Net). */
  floatingIpPool?: string;
  k3sVersion?: string;
}

const SERVERS = 3;

/** A certificate authority for k3s, ECDSA P-256, ten years. */
function authority(name: string, cn: string, parent: pulumi.Resource) {
  const key = new tls.PrivateKey(name, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
  const cert = new tls.SelfSignedCert(
    name,
    {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName: cn },
      isCaCertificate: true,
      validityPeriodHours: 87600,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"],
    },
    { parent },
  );
  return { key, cert };
}

export function openstackCluster(name: string, region: string, o: OpenStackOptions): MetaCluster {
  const net = network(`${name}-net`, { externalNetworkId: o.externalNetworkId, cidr: "10.30.0.0/24" });
  const parent = new Group("infra:meta:K3s", `${name}-k3s`);
  const opts = { parent };

  const api = new openstack.networking.SecGroup(`${name}-api`, { description: "k3s API and SSH from the admin range; everything inside the cluster" }, opts);
  const rule = (n: string, args: Omit<openstack.networking.SecGroupRuleArgs, "securityGroupId" | "direction" | "ethertype">) =>
    new openstack.networking.SecGroupRule(`${name}-${n}`, { securityGroupId: api.id, direction: "ingress", ethertype: "IPv4", ...args }, opts);
  rule("api", { protocol: "tcp", portRangeMin: 6443, portRangeMax: 6443, remoteIpPrefix: o.adminCidr });
  rule("ssh", { protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: o.adminCidr });
  rule("https", { protocol: "tcp", portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: "0.0.0.0/0" });
  rule("inside", { remoteGroupId: api.id });
  const keypair = new openstack.compute.Keypair(`${name}-admin`, { publicKey: o.sshPublicKey }, opts);

  const cas = {
    "server-ca": authority(`${name}-server-ca`, "k3s-server-ca", parent),
    "client-ca": authority(`${name}-client-ca`, "k3s-client-ca", parent),
    "request-header-ca": authority(`${name}-request-header-ca`, "k3s-request-header-ca", parent),
    "etcd/server-ca": authority(`${name}-etcd-server-ca`, "etcd-server-ca", parent),
    "etcd/peer-ca": authority(`${name}-etcd-peer-ca`, "etcd-peer-ca", parent),
  };
  const serviceKey = new tls.PrivateKey(`${name}-service-account`, { algorithm: "RSA", rsaBits: 2048 }, opts);
  const adminKey = new tls.PrivateKey(`${name}-admin`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
  const adminCsr = new tls.CertRequest(
    `${name}-admin`,
    { privateKeyPem: adminKey.privateKeyPem, subject: { commonName: "infra-admin", organization: "system:masters" } },
    opts,
  );
  const adminCert = new tls.LocallySignedCert(
    `${name}-admin`,
    {
      certRequestPem: adminCsr.certRequestPem,
      caPrivateKeyPem: cas["client-ca"].key.privateKeyPem,
      caCertPem: cas["client-ca"].cert.certPem,
      validityPeriodHours: 8760,
      allowedUses: ["client_auth", "digital_signature", "key_encipherment"],
    },
    opts,
  );
  const token = new random.RandomPassword(`${name}-k3s-token`, { length: 48, special: false }, opts);
  const fip = new openstack.networking.FloatingIp(`${name}-api`, { pool: o.floatingIpPool ?? "Ext-Net" }, opts);

  const k3sVersion = o.k3sVersion ?? "v1.33.5+k3s1";
  const files = pulumi.all([
    ...Object.entries(cas).flatMap(([path, ca]) => [
      pulumi.output({ path: `${path}.crt`, content: ca.cert.certPem }),
      pulumi.output({ path: `${path}.key`, content: ca.key.privateKeyPem }),
    ]),
    pulumi.output({ path: "service.key", content: serviceKey.privateKeyPem }),
  ]);
  // cloud-init: certificates in place before k3s first starts, then the
  // install script with the token in its environment (never in a command line).
  const userData = (first: boolean, joinAddress: pulumi.Output<string> | undefined) =>
    pulumi.secret(
      pulumi.all([files, token.result, fip.address, joinAddress ?? pulumi.output("")]).apply(([fs, tok, address, join]) => {
        const write = [
          ...(first ? fs.map((f) => ({ path: `/var/lib/rancher/k3s/server/tls/${f.path}`, permissions: "0600", content: f.content })) : []),
          { path: "/etc/rancher/k3s/token", permissions: "0600", content: tok },
        ];
        const args = first ? ["server", "--cluster-init", `--tls-san=${address}`] : ["server", `--server=https://${join}:6443`, `--tls-san=${address}`];
        return [
          "#cloud-config",
          JSON.stringify({
            write_files: write,
            runcmd: [
              [
                "sh",
                "-c",
                `curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION='${k3sVersion}' K3S_TOKEN_FILE=/etc/rancher/k3s/token sh -s - ${args.join(" ")} --disable=traefik --write-kubeconfig-mode=0600`,
              ],
            ],
          }),
        ].join("\n");
      }),
    );
  const servers: openstack.compute.Instance[] = [];
  for (let i = 0; i < SERVERS; i++) {
    servers.push(
      new openstack.compute.Instance(
        `${name}-k3s-${i}`,
        {
          imageName: o.image,
          flavorName: o.flavor,
          keyPair: keypair.name,
          securityGroups: [api.name],
          networks: [{ uuid: net.networkId as pulumi.Input<string> }],
          userData: userData(i === 0, i === 0 ? undefined : servers[0]!.accessIpV4),
          metadata: { "managed-by": "infra", "infra-environment": name, role: i === 0 ? "k3s-init" : "k3s-server" },
        },
        { ...opts, ...(i > 0 && { dependsOn: [servers[0]!] }) },
      ),
    );
  }
  new openstack.compute.FloatingIpAssociate(`${name}-api`, { floatingIp: fip.address, instanceId: servers[0]!.id }, opts);
  parent.finish({ address: fip.address });

  const kubeconfig = pulumi.all([fip.address, cas["server-ca"].cert.certPem, adminCert.certPem, adminKey.privateKeyPem]).apply(([address, ca, cert, key]) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name, cluster: { server: `https://${address}:6443`, "certificate-authority-data": Buffer.from(ca).toString("base64") } }],
      users: [
        {
          name: `${name}-admin`,
          user: { "client-certificate-data": Buffer.from(cert).toString("base64"), "client-key-data": Buffer.from(key).toString("base64") },
        },
      ],
      contexts: [{ name, context: { cluster: name, user: `${name}-admin` } }],
      "current-context": name,
    }),
  );
  const state = openstackApi(name, region, o);
  return { kubeconfig: pulumi.secret(kubeconfig), endpoint: pulumi.interpolate`https://${fip.address}:6443`, ...(state && { api: state }) };
}
