// The event bus (RabbitMQ), the registry's database (PostgreSQL) and the infra
// API's Deployment and Service, wired to both through a Secret.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Group } from "../../components/group.js";
import { withDefaults } from "../../components/args.js";
import type { ComponentFactory } from "../../components/types.js";
import { platformArgs } from "./args.js";
import { count, namespace, serviceContext } from "./common.js";
import { API_PORT, apiPodSpec } from "./api-pod.js";
import { metaRelease } from "./release.js";

export const platform: ComponentFactory = (name, inputs) => {
  const a = withDefaults(platformArgs, inputs);
  const parent = new Group("infra:meta:Platform", name);
  const ctx = serviceContext(name, a, parent);
  const ns = namespace("infra", ctx);
  const busPassword = new random.RandomPassword(`${name}-bus`, { length: 32, special: false }, { parent });
  const dbPassword = new random.RandomPassword(`${name}-db`, { length: 32, special: false }, { parent });
  const creds = new k8s.core.v1.Secret(
    `${name}-credentials`,
    {
      metadata: { namespace: ns.metadata.name, name: "infra-credentials" },
      stringData: {
        "rabbitmq-password": busPassword.result,
        "postgres-password": dbPassword.result,
        password: dbPassword.result,
        INFRA_AMQP_URL: pulumi.interpolate`amqp://infra:${busPassword.result}@rabbitmq.${ns.metadata.name}.svc:5672`,
        INFRA_REGISTRY: pulumi.interpolate`postgres://infra:${dbPassword.result}@postgresql.${ns.metadata.name}.svc:5432/infra`,
      },
    },
    ctx.opts,
  );
  // The secrets passphrase the API decrypts its stacks' state with (the bootstrapping user's).
  const passphrase = new k8s.core.v1.Secret(
    `${name}-passphrase`,
    { metadata: { namespace: ns.metadata.name, name: "infra-passphrase" }, stringData: { passphrase: pulumi.secret(a.apiPassphrase ?? "") } },
    ctx.opts,
  );
  const bus = metaRelease(
    ctx,
    "rabbitmq",
    ns.metadata.name,
    {
      auth: { username: "infra", existingPasswordSecret: "infra-credentials", existingSecretPasswordKey: "rabbitmq-password" },
      replicaCount: 1,
      persistence: { enabled: true, size: "8Gi" },
    },
    { dependsOn: [creds] },
  );
  const db = metaRelease(
    ctx,
    "postgresql",
    ns.metadata.name,
    {
      auth: { username: "infra", database: "infra", existingSecret: "infra-credentials" },
      primary: { persistence: { enabled: true, size: "8Gi" } },
    },
    { dependsOn: [creds] },
  );
  const replicas = count(a.apiReplicas, platformArgs.apiReplicas.default);
  const labels = { "app.kubernetes.io/name": "infra-api" };
  const api = new k8s.apps.v1.Deployment(
    `${name}-api`,
    {
      metadata: { namespace: ns.metadata.name, name: "infra-api", labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: apiPodSpec({
            image: a.apiImage,
            passphraseSecret: "infra-passphrase",
            envSecret: "infra-credentials",
            // Traces to the meta environment's OpenTelemetry collector.
            env: a.otlpEndpoint
              ? [
                  { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: a.otlpEndpoint },
                  { name: "OTEL_SERVICE_NAME", value: "infra-api" },
                ]
              : [],
          }),
        },
      },
    },
    { ...ctx.opts, dependsOn: [bus, db, passphrase] },
  );
  const svc = new k8s.core.v1.Service(
    `${name}-api`,
    {
      metadata: { namespace: ns.metadata.name, name: "infra-api", labels },
      spec: { selector: labels, ports: [{ name: "http", port: API_PORT, targetPort: "http" }] },
    },
    ctx.opts,
  );
  new k8s.policy.v1.PodDisruptionBudget(
    `${name}-api`,
    {
      metadata: { namespace: ns.metadata.name, name: "infra-api" },
      spec: { minAvailable: 1, selector: { matchLabels: labels } },
    },
    ctx.opts,
  );
  const apiUrl = pulumi.interpolate`http://${svc.metadata.name}.${ns.metadata.name}.svc:${API_PORT}`;
  parent.finish({ apiUrl, deployment: api.metadata.name });
  return {
    apiUrl,
    busUrl: pulumi.secret(pulumi.interpolate`amqp://infra:${busPassword.result}@rabbitmq.${ns.metadata.name}.svc:5672`),
    databaseUrl: pulumi.secret(pulumi.interpolate`postgres://infra:${dbPassword.result}@postgresql.${ns.metadata.name}.svc:5432/infra`),
    rabbitmqVersion: bus.version,
    postgresqlVersion: db.version,
  };
};
