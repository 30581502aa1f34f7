// The meta cluster on AWS: a VPC over 3 AZs (public and private subnets, a NAT
// gateway per AZ), EKS with a managed node group in the private subnets, an
// OIDC provider for IAM roles for service accounts, and a KMS key Vault's
// service account (through that role) uses to auto-unseal. Credentials: the
// user's AWS profile or AWS_* variables.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { vpc } from "../../components/aws-network.js";
import { Group } from "../../components/group.js";
import { awsApi } from "./aws-api.js";
import { VAULT_NAMESPACE, VAULT_SERVICE_ACCOUNT, type MetaCluster } from "./types.js";

const assume = (service: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

/** A role only one Kubernetes service account may take, through the cluster's OIDC issuer (IRSA). */
export function irsaTrust(oidcArn: pulumi.Output<string>, issuer: pulumi.Output<string>, subject: string): pulumi.Output<string> {
  return pulumi.all([oidcArn, issuer]).apply(([arn, url]) => {
    const host = url.replace(/^https:\/\//, "");
    return JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: arn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { [`${host}:sub`]: subject, [`${host}:aud`]: "sts.amazonaws.com" } },
        },
      ],
    });
  });
}

export function awsCluster(name: string, region: string, opts: { nodeType?: string; nodes?: number; kubernetesVersion?: string } = {}): MetaCluster {
  const net = vpc(`${name}-vpc`, { azCount: 3, cidr: "10.20.0.0/16" });
  const parent = new Group("infra:meta:Eks", `${name}-eks`);
  const o = { parent };
  const tags = { "managed-by": "infra", "infra-environment": name };

  const clusterRole = new aws.iam.Role(`${name}-eks-cluster`, { assumeRolePolicy: assume("eks.amazonaws.com"), tags }, o);
  new aws.iam.RolePolicyAttachment(`${name}-eks-cluster`, { role: clusterRole.name, policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" }, o);
  const cluster = new aws.eks.Cluster(
    `${name}-eks`,
    {
      roleArn: clusterRole.arn,
      version: opts.kubernetesVersion ?? "1.33",
      vpcConfig: {
        subnetIds: pulumi.all([net.privateSubnetIds!, net.publicSubnetIds!]).apply(([a, b]) => [...(a as string[]), ...(b as string[])]),
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
      },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      enabledClusterLogTypes: ["api", "audit", "authenticator"],
      tags,
    },
    o,
  );

  const nodeRole = new aws.iam.Role(`${name}-eks-nodes`, { assumeRolePolicy: assume("ec2.amazonaws.com"), tags }, o);
  for (const policy of ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"]) {
    new aws.iam.RolePolicyAttachment(`${name}-eks-nodes-${policy}`, { role: nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${policy}` }, o);
  }
  const nodes = opts.nodes ?? 3;
  new aws.eks.NodeGroup(
    `${name}-eks-nodes`,
    {
      clusterName: cluster.name,
      nodeRoleArn: nodeRole.arn,
      subnetIds: net.privateSubnetIds as pulumi.Input<string[]>,
      instanceTypes: [opts.nodeType ?? "m6i.large"],
      scalingConfig: { desiredSize: nodes, minSize: nodes, maxSize: nodes * 2 },
      updateConfig: { maxUnavailable: 1 },
      tags,
    },
    o,
  );

  // IAM roles for service accounts: the cluster's OIDC issuer, trusted by IAM.
  const issuer = cluster.identities.apply((ids) => ids[0]!.oidcs![0]!.issuer!);
  const oidc = new aws.iam.OpenIdConnectProvider(
    `${name}-eks-oidc`,
    {
      url: issuer,
      clientIdLists: ["sts.amazonaws.com"],
      tags,
    },
    o,
  );

  const key = new aws.kms.Key(
    `${name}-vault-unseal`,
    {
      description: `Vault auto-unseal for the infra meta environment ${name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags,
    },
    { ...o, protect: true },
  );
  const subject = `system:serviceaccount:${VAULT_NAMESPACE}:${VAULT_SERVICE_ACCOUNT}`;
  const vaultRole = new aws.iam.Role(
    `${name}-vault`,
    {
      assumeRolePolicy: irsaTrust(oidc.arn, issuer, subject),
      tags,
    },
    o,
  );
  new aws.iam.RolePolicy(
    `${name}-vault-unseal`,
    {
      role: vaultRole.id,
      policy: key.arn.apply((arn) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"], Resource: arn }],
        }),
      ),
    },
    o,
  );
  parent.finish({ cluster: cluster.name });

  const kubeconfig = pulumi.all([cluster.name, cluster.endpoint, cluster.certificateAuthority]).apply(([n, endpoint, ca]) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: n, cluster: { server: endpoint, "certificate-authority-data": ca.data } }],
      contexts: [{ name: n, context: { cluster: n, user: n } }],
      "current-context": n,
      users: [
        {
          name: n,
          user: {
            exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", n, "--region", region] },
          },
        },
      ],
    }),
  );
  return {
    kubeconfig: pulumi.secret(kubeconfig),
    endpoint: cluster.endpoint,
    unseal: { kind: "awskms", region, keyId: key.keyId, roleArn: vaultRole.arn },
    api: awsApi(name, oidc.arn, issuer, tags),
  };
}
