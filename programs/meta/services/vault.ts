// Vault: HA on integrated Raft storage, TLS from the meta CA, and the seal:
// the cloud's KMS where the location has one (its identity bound to Vault's
// service account), Shamir keys elsewhere (see the README: infra never keeps
// them in clear).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Group } from "../../components/group.js";
import { withDefaults } from "../../components/args.js";
import type { ComponentFactory } from "../../components/types.js";
import { vaultArgs } from "./args.js";
import type { MetaCluster } from "../locations/types.js";
import { VAULT_NAMESPACE, VAULT_SERVICE_ACCOUNT } from "../locations/types.js";
import { count, namespace, serviceContext } from "./common.js";
import { servingCert } from "./pki.js";
import { metaRelease } from "./release.js";

type Unseal = NonNullable<MetaCluster["unseal"]>;

/** The seal stanza and the service account annotation of a KMS unseal; nothing for Shamir. */
export function sealConfig(unseal: Unseal | undefined): { stanza: pulumi.Output<string>; annotations: pulumi.Output<Record<string, string>> } {
  if (!unseal) return { stanza: pulumi.output(""), annotations: pulumi.output<Record<string, string>>({}) };
  if (unseal.kind === "gcpckms") {
    return {
      stanza: pulumi.interpolate`seal "gcpckms" {\n  project    = "${unseal.project}"\n  region     = "${unseal.region}"\n  key_ring   = "${unseal.keyRing}"\n  crypto_key = "${unseal.cryptoKey}"\n}\n`,
      annotations: unseal.serviceAccount.apply((sa): Record<string, string> => ({ "iam.gke.io/gcp-service-account": sa })),
    };
  }
  return {
    stanza: pulumi.interpolate`seal "awskms" {\n  region     = "${unseal.region}"\n  kms_key_id = "${unseal.keyId}"\n}\n`,
    annotations: unseal.roleArn.apply((arn): Record<string, string> => ({ "eks.amazonaws.com/role-arn": arn })),
  };
}

export const vault: ComponentFactory = (name, inputs) => {
  const a = withDefaults(vaultArgs, inputs);
  const parent = new Group("infra:meta:Vault", name);
  const ctx = serviceContext(name, a, parent);
  const ns = namespace(VAULT_NAMESPACE, ctx);
  const dns = ["vault", `vault.${VAULT_NAMESPACE}`, `vault.${VAULT_NAMESPACE}.svc`, `*.vault-internal`, `*.vault-internal.${VAULT_NAMESPACE}.svc`];
  const cert = servingCert(`${name}-tls`, { certPem: a.caCert, keyPem: a.caKey }, dns, { parent });
  const tlsSecret = new k8s.core.v1.Secret(
    `${name}-tls`,
    {
      metadata: { namespace: ns.metadata.name, name: "vault-tls" },
      type: "kubernetes.io/tls",
      stringData: { "tls.crt": cert.certPem, "tls.key": cert.keyPem, "ca.crt": a.caCert },
    },
    ctx.opts,
  );
  const unseal = a.unseal as Unseal | undefined;
  const seal = sealConfig(unseal);
  const replicas = count(a.replicas, vaultArgs.replicas.default);
  const values = pulumi.all([replicas, seal.stanza, seal.annotations]).apply(([n, stanza, annotations]) => ({
    global: { tlsDisable: false },
    injector: { enabled: false },
    server: {
      serviceAccount: { name: VAULT_SERVICE_ACCOUNT, annotations },
      extraEnvironmentVars: { VAULT_CACERT: "/vault/userconfig/vault-tls/ca.crt" },
      volumes: [{ name: "vault-tls", secret: { secretName: "vault-tls" } }],
      volumeMounts: [{ name: "vault-tls", mountPath: "/vault/userconfig/vault-tls", readOnly: true }],
      standalone: { enabled: false },
      ha: {
        enabled: true,
        replicas: n,
        raft: {
          enabled: true,
          setNodeId: true,
          config: [
            "ui = true",
            'listener "tcp" {\n  address = "[::]:8200"\n  cluster_address = "[::]:8201"\n  tls_cert_file = "/vault/userconfig/vault-tls/tls.crt"\n  tls_key_file = "/vault/userconfig/vault-tls/tls.key"\n  tls_client_ca_file = "/vault/userconfig/vault-tls/ca.crt"\n}',
            'storage "raft" {\n  path = "/vault/data"\n}',
            'service_registration "kubernetes" {}',
            stanza,
          ]
            .filter(Boolean)
            .join("\n"),
        },
        disruptionBudget: { enabled: true, maxUnavailable: n > 1 ? 1 : 0 },
      },
    },
  }));
  const release = metaRelease(ctx, "vault", ns.metadata.name, values, { dependsOn: [tlsSecret] });
  const address = pulumi.interpolate`https://vault.${ns.metadata.name}.svc:8200`;
  const sealKind = unseal?.kind ?? "shamir";
  parent.finish({ address, seal: sealKind });
  return { address, seal: pulumi.output(sealKind), version: release.version };
};
