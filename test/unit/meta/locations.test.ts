// The meta environment's cloud locations, under Pulumi's mocks: what each
// declares, checked against what issue 11 and the seeds ask.
import { describe, expect, it } from "vitest";
import { metaCluster, providerConfig } from "../../../programs/meta/locations/index.js";
import { CLOUD_MOCKS } from "../../helpers/meta.js";
import { recordResources, settle, valueOf, isSecret } from "../../helpers/mocks.js";

async function declare(stack: string, make: () => ReturnType<typeof metaCluster>) {
  const declared = recordResources("infra-meta", stack, CLOUD_MOCKS);
  const cluster = make();
  const kubeconfig = await valueOf(cluster.kubeconfig);
  const secret = await isSecret(cluster.kubeconfig);
  await settle();
  const of = (type: string) => declared.filter((d) => d.type === type);
  return { declared, cluster, kubeconfig: JSON.parse(kubeconfig!), secret, of };
}

describe("gcp:<project>/<region>", () => {
  it("makes a private GKE Autopilot cluster with workload identity, and a KMS key Vault's identity may use", async () => {
    const r = await declare("gcp", () => metaCluster("meta", { kind: "gcp", project: "acme-prod", region: "europe-west1" }));
    const gke = r.of("gcp:container/cluster:Cluster")[0]!.inputs;
    expect(gke).toMatchObject({
      enableAutopilot: true,
      privateClusterConfig: { enablePrivateNodes: true },
      workloadIdentityConfig: { workloadPool: "acme-prod.svc.id.goog" },
    });
    expect(r.of("gcp:compute/routerNat:RouterNat")).toHaveLength(1);
    expect(r.of("gcp:compute/subnetwork:Subnetwork")[0]!.inputs.secondaryIpRanges.map((x: { rangeName: string }) => x.rangeName)).toEqual(["pods", "services"]);
    expect(r.of("gcp:kms/cryptoKey:CryptoKey")[0]!.inputs).toMatchObject({ purpose: "ENCRYPT_DECRYPT", rotationPeriod: "7776000s" });
    expect(r.of("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember")[0]!.inputs).toMatchObject({
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: "serviceAccount:meta-vault@acme-prod.iam.gserviceaccount.com",
    });
    expect(r.of("gcp:serviceaccount/iAMMember:IAMMember")[0]!.inputs.member).toBe("serviceAccount:acme-prod.svc.id.goog[vault/vault]");
    expect(r.cluster.unseal?.kind).toBe("gcpckms");
    expect(r.secret).toBe(true);
    expect(r.kubeconfig.users[0].user.exec.command).toBe("gke-gcloud-auth-plugin");
    expect(providerConfig({ kind: "gcp", project: "acme-prod", region: "europe-west1" })).toEqual({ "gcp:project": "acme-prod", "gcp:region": "europe-west1" });
  });
});

describe("aws:<region>", () => {
  it("makes EKS over 3 AZs with private nodes, IRSA and a rotating KMS key only Vault's service account may use", async () => {
    const r = await declare("aws", () => metaCluster("meta", { kind: "aws", region: "eu-west-1" }));
    expect(r.of("aws:ec2/natGateway:NatGateway")).toHaveLength(3);
    const subnets = r.of("aws:ec2/subnet:Subnet").map((s) => s.name);
    expect(subnets.filter((n) => n.includes("private"))).toHaveLength(3);
    const ng = r.of("aws:eks/nodeGroup:NodeGroup")[0]!.inputs;
    expect(ng.subnetIds).toHaveLength(3);
    expect(ng.scalingConfig).toEqual({ desiredSize: 3, minSize: 3, maxSize: 6 });
    expect(r.of("aws:iam/openIdConnectProvider:OpenIdConnectProvider")[0]!.inputs.clientIdLists).toEqual(["sts.amazonaws.com"]);
    expect(r.of("aws:kms/key:Key")[0]!.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    const trust = JSON.parse(r.of("aws:iam/role:Role").find((x) => x.name === "meta-vault")!.inputs.assumeRolePolicy);
    expect(trust.Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub"]).toBe("system:serviceaccount:vault:vault");
    const policy = JSON.parse(r.of("aws:iam/rolePolicy:RolePolicy")[0]!.inputs.policy);
    expect(policy.Statement[0]).toEqual({
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
      Resource: "arn:aws:kms:eu-west-1:123:key/k",
    });
    expect(r.kubeconfig.users[0].user.exec.args).toEqual(["eks", "get-token", "--cluster-name", "meta-eks", "--region", "eu-west-1"]);
    expect(r.secret).toBe(true);
  });
});

describe("openstack:<cloud>/<region>", () => {
  it("makes three k3s servers by cloud-init, CAs made here, and a kubeconfig known without logging in", async () => {
    const r = await declare("os", () =>
      metaCluster("meta", {
        kind: "openstack",
        cloud: "ovh",
        region: "GRA11",
        options: { externalNetworkId: "ext", image: "Ubuntu 24.04", flavor: "b3-8", sshPublicKey: "ssh-ed25519 AAAA admin", adminCidr: "203.0.113.0/24" },
      }),
    );
    const vms = r.of("openstack:compute/instance:Instance");
    expect(vms).toHaveLength(3);
    // Secret inputs reach the mocks wrapped ({ value }): user data carries keys and the token.
    const data = vms.map((v) => {
      const u = v.inputs.userData as string | { value: string };
      expect(typeof u, "user data is secret").toBe("object");
      return (u as { value: string }).value;
    });
    expect(data[0]).toContain("--cluster-init");
    expect(data[1]).toContain("--server=https://10.30.0.10:6443");
    expect(data[0]).toContain("/var/lib/rancher/k3s/server/tls/client-ca.key");
    // The join token is a file the installer reads, never in a command line.
    for (const d of data) expect(JSON.parse(d.split("\n").slice(1).join("\n")).runcmd[0][2]).not.toContain("k3s-token-value");
    const rules = r.of("openstack:networking/secGroupRule:SecGroupRule").map((x) => x.inputs);
    expect(rules.filter((x) => x.portRangeMin === 6443 || x.portRangeMin === 22).every((x) => x.remoteIpPrefix === "203.0.113.0/24")).toBe(true);
    expect(r.of("openstack:compute/floatingIpAssociate:FloatingIpAssociate")).toHaveLength(1);
    expect(r.kubeconfig.clusters[0].cluster.server).toBe("https://51.0.0.7:6443");
    expect(Buffer.from(r.kubeconfig.users[0].user["client-certificate-data"], "base64").toString()).toContain("ADMIN");
    expect(r.cluster.unseal).toBeUndefined();
    expect(r.secret).toBe(true);
    expect(providerConfig({ kind: "openstack", cloud: "ovh", region: "GRA11" })).toEqual({ "openstack:cloud": "ovh", "openstack:region": "GRA11" });
  });
});
