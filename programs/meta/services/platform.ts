// The event bus (RabbitMQ), the registry's database (PostgreSQL) and the infra
// API's Deployment and Service, wired to both through a Secret (store
// `shared`), or with its own SQLite on its volume and no bus (store
// `embedded`: the sandbox, where those two are simulated pods). With no state
// backend given, the environments' state lives on that volume too, so the API
// is one replica (the volume is ReadWriteOnce).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { join } from "node:path";
import { Group } from "../../components/group.js";
import { withDefaults } from "../../components/args.js";
import type { ComponentFactory } from "../../components/types.js";
import { platformArgs } from "./args.js";
import { count, namespace, serviceContext } from "./common.js";
import { placement } from "../../components/placement.js";
import { API_PORT, apiPodSpec, BOOTSTRAP_TOKEN_KEY } from "./api-pod.js";
import { ImagePush } from "../../components/image-push.js";
import { sandboxRig } from "../../../src/sandbox/rig.js";
import { API_SERVICE_ACCOUNT } from "../locations/types.js";
import { metaRelease } from "./release.js";

/** The API's image: the one bootstrap built here, pushed to the location's registry by digest; else the one named. */
function apiImage(
  name: string,
  a: ReturnType<typeof withDefaults<typeof platformArgs>>,
  parent: pulumi.Resource,
): { ref: pulumi.Input<string>; push?: ImagePush } {
  if (!a.imageLayout) return { ref: a.apiImage as pulumi.Input<string> };
  const named = a.imageRegistry ? `${String(a.imageRegistry)}/infra` : undefined;
  const repository = pulumi.output(named ?? (a.imageRepository as pulumi.Input<string | undefined>)).apply((r) => {
    if (!r) throw new Error("infra's image was built for a location that makes no registry: name one with --registry, or an image with apiImage");
    return r;
  });
  const digest = String(a.imageDigest);
  const push = new ImagePush(
    `${name}-api-image`,
    {
      layout: String(a.imageLayout),
      digest,
      repository,
      tag: digest.slice("sha256:".length, "sha256:".length + 12),
      pusher: join(sandboxRig().dir, "bin", "oci-registry"),
      // A registry named: the pusher logs in as docker login keeps it (an empty login says so).
      login: named ? { username: "", password: "" } : (a.registryLogin as pulumi.Input<{ username: string; password: string }>),
      image: pulumi.interpolate`${repository}@${digest}`,
    },
    { parent },
  );
  return { ref: push.image, push };
}

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
  const embedded = String(a.apiStore) === "embedded";
  const backend = a.apiBackend ? String(a.apiBackend) : undefined;
  const tokenHash = a.apiTokenHash ? String(a.apiTokenHash) : undefined;
  // The secrets passphrase the API decrypts its stacks' state with (the bootstrapping user's), and
  // the hash of the write token bootstrap showed that user once (the API registers it at start).
  const passphrase = new k8s.core.v1.Secret(
    `${name}-passphrase`,
    {
      metadata: { namespace: ns.metadata.name, name: "infra-passphrase" },
      stringData: { passphrase: pulumi.secret(a.apiPassphrase ?? ""), ...(tokenHash && { [BOOTSTRAP_TOKEN_KEY]: tokenHash }) },
    },
    ctx.opts,
  );
  // Its home (registry file, workspaces, state without a backend) survives a restart on a claim;
  // with a bucket (given, or the cloud location's) and the shared store, nothing of it needs to.
  const onVolume = embedded || (!backend && String(a.stateOnVolume) !== "false");
  const home = !onVolume
    ? undefined
    : new k8s.core.v1.PersistentVolumeClaim(
        `${name}-api-home`,
        {
          metadata: { namespace: ns.metadata.name, name: "infra-api-home" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "8Gi" } } },
        },
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
  const replicas = home ? pulumi.output(1) : count(a.apiReplicas, platformArgs.apiReplicas.default);
  const stateUrl = pulumi.output(backend ?? (a.locationBackend as pulumi.Input<string | undefined>)).apply((b) => {
    if (!b && !onVolume) throw new Error("the API's state needs a home: a bucket (apiBackend, or the location's) or its volume (apiStateOnVolume)");
    return b || undefined;
  });
  const env = stateUrl.apply((b) => [
    ...(b ? [{ name: "INFRA_BACKEND", value: b }] : []),
    // Traces to the meta environment's OpenTelemetry collector.
    ...(a.otlpEndpoint
      ? [
          { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: String(a.otlpEndpoint) },
          { name: "OTEL_SERVICE_NAME", value: "infra-api" },
        ]
      : []),
  ]);
  const image = apiImage(name, a, parent);
  // Credentials for the location's bucket where no cloud identity gives them (OpenStack's S3 API).
  const stateSecret = a.stateCredentials
    ? new k8s.core.v1.Secret(
        `${name}-state-credentials`,
        {
          metadata: { namespace: ns.metadata.name, name: "infra-state-credentials" },
          stringData: pulumi.secret(a.stateCredentials as pulumi.Input<Record<string, string>>),
        },
        ctx.opts,
      )
    : undefined;
  // Its own identity: a cloud location's annotations give it the bucket's (workload identity, IRSA).
  const account = new k8s.core.v1.ServiceAccount(
    `${name}-api`,
    {
      metadata: {
        namespace: ns.metadata.name,
        name: API_SERVICE_ACCOUNT,
        annotations: pulumi.output(a.apiAnnotations as pulumi.Input<Record<string, string> | undefined>).apply((x) => x ?? {}),
      },
    },
    ctx.opts,
  );
  const labels = { "app.kubernetes.io/name": "infra-api" };
  const api = new k8s.apps.v1.Deployment(
    `${name}-api`,
    {
      metadata: { namespace: ns.metadata.name, name: "infra-api", labels },
      spec: {
        replicas,
        // One volume, one writer: the old pod goes before the new one mounts it.
        ...(home && { strategy: { type: "Recreate" } }),
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: API_SERVICE_ACCOUNT,
            ...apiPodSpec({
              image: image.ref,
              passphraseSecret: "infra-passphrase",
              ...(!embedded && { envSecret: "infra-credentials" }),
              ...(stateSecret && { stateSecret: "infra-state-credentials" }),
              ...(tokenHash && { bootstrapToken: true }),
              ...(home && { homeClaim: "infra-api-home" }),
              env: env as unknown as { name: string; value: string }[],
            }),
            ...placement(pulumi.output(a.realNode).apply((r) => String(r) === "true")),
          },
        },
      },
    },
    {
      ...ctx.opts,
      dependsOn: [
        ...(embedded ? [] : [bus, db]),
        passphrase,
        account,
        ...(home ? [home] : []),
        ...(stateSecret ? [stateSecret] : []),
        ...(image.push ? [image.push] : []),
      ],
    },
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
      // One replica on its volume: a drain may take it (a budget of 1 would block the drain for ever).
      spec: { minAvailable: replicas.apply((n) => (n > 1 ? 1 : 0)), selector: { matchLabels: labels } },
    },
    ctx.opts,
  );
  const apiUrl = pulumi.interpolate`http://${svc.metadata.name}.${ns.metadata.name}.svc:${API_PORT}`;
  const apiStore = stateUrl.apply((b) =>
    embedded
      ? "registry SQLite and state on the API's volume, no bus"
      : `registry PostgreSQL, bus RabbitMQ, state ${b ? b.replace(/\/\/[^/@]*@/, "//") : "on the API's volume"}`,
  );
  parent.finish({ apiUrl, deployment: api.metadata.name });
  return {
    apiUrl,
    apiStore,
    busUrl: pulumi.secret(pulumi.interpolate`amqp://infra:${busPassword.result}@rabbitmq.${ns.metadata.name}.svc:5672`),
    databaseUrl: pulumi.secret(pulumi.interpolate`postgres://infra:${dbPassword.result}@postgresql.${ns.metadata.name}.svc:5432/infra`),
    rabbitmqVersion: bus.version,
    postgresqlVersion: db.version,
  };
};
