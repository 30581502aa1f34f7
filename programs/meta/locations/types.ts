import type * as pulumi from "@pulumi/pulumi";

/** What a location gives the meta environment's services: a cluster, and a key for Vault's auto-unseal where the cloud has one. */
export interface MetaCluster {
  /** Admin kubeconfig of the cluster (secret). */
  kubeconfig: pulumi.Output<string>;
  /** How Vault unseals itself: a cloud KMS key and the identity that may use it; absent: Shamir keys (see the README). */
  unseal?:
    | {
        kind: "gcpckms";
        project: pulumi.Output<string>;
        region: string;
        keyRing: pulumi.Output<string>;
        cryptoKey: pulumi.Output<string>;
        serviceAccount: pulumi.Output<string>;
      }
    | { kind: "awskms"; region: string; keyId: pulumi.Output<string>; roleArn: pulumi.Output<string> };
  /** Where the cluster is, for the registry's outputs. */
  endpoint: pulumi.Output<string>;
}

/** The namespace and service account Vault runs as: cloud identities are bound to it. */
export const VAULT_NAMESPACE = "vault";
export const VAULT_SERVICE_ACCOUNT = "vault";
