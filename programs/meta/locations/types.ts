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
  /** What the location makes for infra's API; absent (sandbox, a kubeconfig context, OpenStack without an S3 endpoint): nothing. */
  api?: LocationApi;
}

/** A cloud's registry for infra's image, a bucket for the API's state, and the identity or credentials that may use them. */
export interface LocationApi {
  /** Where infra's image is pushed (host/path/infra) and the login to push it with (secret); absent: --registry names one. */
  repository?: pulumi.Output<string>;
  login?: pulumi.Output<{ username: string; password: string }>;
  /** The state backend URL (gs://…, s3://…). */
  stateBackend: pulumi.Output<string>;
  /** Annotations of the API's ServiceAccount that give its pods the cloud identity (workload identity, IRSA). */
  serviceAccountAnnotations?: pulumi.Output<Record<string, string>>;
  /** Environment variables that give the API the bucket where no identity can (secret): OpenStack's EC2 credentials. */
  stateCredentials?: pulumi.Output<Record<string, string>>;
}

/** The namespace and service account infra's API runs as: the cloud identity of its bucket is bound to it. */
export const API_NAMESPACE = "infra";
export const API_SERVICE_ACCOUNT = "infra-api";

/** The namespace and service account Vault runs as: cloud identities are bound to it. */
export const VAULT_NAMESPACE = "vault";
export const VAULT_SERVICE_ACCOUNT = "vault";
