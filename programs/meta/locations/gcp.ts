// The meta cluster on GCP (seed 000): a VPC with secondary ranges and Cloud
// NAT, GKE Autopilot with private nodes and workload identity, and a KMS key
// ring and key that Vault's service account (through workload identity) uses
// to auto-unseal. Credentials: the user's Application Default Credentials.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gkeAutopilot, network } from "../../components/gcp.js";
import { Group } from "../../components/group.js";
import { gcpApi } from "./gcp-api.js";
import { VAULT_NAMESPACE, VAULT_SERVICE_ACCOUNT, type MetaCluster } from "./types.js";

export function gcpCluster(name: string, project: string, region: string): MetaCluster {
  const net = network(`${name}-net`, { project, region });
  const gke = gkeAutopilot(`${name}-gke`, { project, region, network: net.network!, subnet: net.subnet!, deletionProtection: true });
  const parent = new Group("infra:meta:GcpUnseal", `${name}-unseal`);
  const opts = { parent };
  // A key ring cannot be deleted in GCP (destroy only forgets it); the key is
  // protected: destroying it would make Vault's data unreadable for ever.
  const ring = new gcp.kms.KeyRing(`${name}-vault`, { project, location: region, name: `${name}-vault` }, opts);
  const key = new gcp.kms.CryptoKey(
    `${name}-vault-unseal`,
    {
      keyRing: ring.id,
      name: "vault-unseal",
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: "7776000s", // 90 days
    },
    { ...opts, protect: true },
  );
  const sa = new gcp.serviceaccount.Account(
    `${name}-vault`,
    { project, accountId: `${name}-vault`.slice(0, 30), displayName: "Vault auto-unseal (infra meta)" },
    opts,
  );
  new gcp.kms.CryptoKeyIAMMember(
    `${name}-vault-unseal`,
    {
      cryptoKeyId: key.id,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: pulumi.interpolate`serviceAccount:${sa.email}`,
    },
    opts,
  );
  // Vault's Kubernetes service account acts as this Google one (workload identity); no key file exists.
  new gcp.serviceaccount.IAMMember(
    `${name}-vault-wi`,
    {
      serviceAccountId: sa.name,
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${project}.svc.id.goog[${VAULT_NAMESPACE}/${VAULT_SERVICE_ACCOUNT}]`,
    },
    opts,
  );
  parent.finish({ key: key.id });
  return {
    kubeconfig: pulumi.secret(gke.kubeconfig as pulumi.Output<string>),
    endpoint: pulumi.interpolate`https://${gke.endpoint}`,
    unseal: { kind: "gcpckms", project: pulumi.output(project), region, keyRing: ring.name, cryptoKey: key.name, serviceAccount: sa.email },
    api: gcpApi(name, project, region),
  };
}
