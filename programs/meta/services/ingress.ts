// Ingress and certificates (seed 000): ingress-nginx and cert-manager with a
// ClusterIssuer: the meta CA's (works offline, on the sandbox) and, with an
// ACME email, Let's Encrypt through HTTP-01 on the nginx class.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Group } from "../../components/group.js";
import { withDefaults } from "../../components/args.js";
import type { ComponentFactory } from "../../components/types.js";
import { ingressArgs } from "./args.js";
import { count, namespace, serviceContext } from "./common.js";
import { metaRelease } from "./release.js";

export const ingress: ComponentFactory = (name, inputs) => {
  const a = withDefaults(ingressArgs, inputs);
  const parent = new Group("infra:meta:Ingress", name);
  const ctx = serviceContext(name, a, parent);
  const replicas = count(a.replicas, ingressArgs.replicas.default);
  const nginxNs = namespace("ingress-nginx", ctx);
  const nginx = metaRelease(
    ctx,
    "ingress-nginx",
    nginxNs.metadata.name,
    replicas.apply((n) => ({
      controller: {
        replicaCount: n,
        minAvailable: n > 1 ? 1 : 0,
        metrics: { enabled: true, serviceMonitor: { enabled: false } },
        service: { type: "LoadBalancer", externalTrafficPolicy: "Local" },
        ingressClassResource: { name: "nginx", default: true },
      },
    })),
  );
  const cmNs = namespace("cert-manager", ctx);
  const cm = metaRelease(ctx, "cert-manager", cmNs.metadata.name, { crds: { enabled: true } });
  const caSecret = new k8s.core.v1.Secret(
    `${name}-ca`,
    {
      metadata: { namespace: cmNs.metadata.name, name: "infra-meta-ca" },
      type: "kubernetes.io/tls",
      stringData: { "tls.crt": a.caCert, "tls.key": pulumi.secret(a.caKey) },
    },
    ctx.opts,
  );
  // On the sandbox cert-manager's pods are simulated: nothing would issue from the issuer, and the
  // real chart's webhook, simulated too, could not admit it (bootstrap leaves it out and says so).
  const caIssuer =
    String(a.caIssuer) === "false"
      ? undefined
      : new k8s.apiextensions.CustomResource(
          `${name}-ca-issuer`,
          {
            apiVersion: "cert-manager.io/v1",
            kind: "ClusterIssuer",
            metadata: { name: "infra-ca" },
            spec: { ca: { secretName: "infra-meta-ca" } },
          },
          { ...ctx.opts, dependsOn: [cm, caSecret] },
        );
  const issuers: pulumi.Output<string>[] = caIssuer ? [caIssuer.metadata.name] : [];
  if (a.acmeEmail) {
    const acme = new k8s.apiextensions.CustomResource(
      `${name}-letsencrypt`,
      {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: "letsencrypt" },
        spec: {
          acme: {
            server: a.acmeServer,
            email: a.acmeEmail,
            privateKeySecretRef: { name: "letsencrypt-account" },
            solvers: [{ http01: { ingress: { ingressClassName: "nginx" } } }],
          },
        },
      },
      { ...ctx.opts, dependsOn: [cm, nginx] },
    );
    issuers.push(acme.metadata.name);
  }
  parent.finish({ issuers });
  return {
    ingressClass: pulumi.output("nginx"),
    issuer: caIssuer ? caIssuer.metadata.name : pulumi.output(""),
    nginxVersion: nginx.version,
    certManagerVersion: cm.version,
  };
};
