// What the in-cluster PostgreSQL adds beyond one primary (seeds 000 and 004):
// hot standbys streaming from it, behind a read-only Service, and scheduled
// backups (pg_dump, custom format) to a volume of their own. Shell here is
// fixed text; every value reaches it as an environment variable.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { placement } from "./placement.js";

/** pg_hba with replication from the cluster's network (scram-sha-256), used when standbys stream. */
export const PG_HBA = [
  "local all all trust",
  "host all all 127.0.0.1/32 trust",
  "host all all ::1/128 trust",
  "host all all all scram-sha-256",
  "host replication all all scram-sha-256",
  "",
].join("\n");

/** A standby's first start: a base backup of the primary, writing standby.signal and the connection (-R). */
export const CLONE = [
  'if [ -s "$PGDATA/PG_VERSION" ]; then exit 0; fi',
  'until pg_basebackup -h "$PRIMARY_HOST" -U "$POSTGRES_USER" -D "$PGDATA" -R -X stream; do echo "waiting for the primary"; rm -rf "$PGDATA"; sleep 3; done',
  'chmod 700 "$PGDATA"',
].join("\n");

/** A backup: a dump in custom format (pg_restore reads it), then what is older than the keep is removed. */
export const BACKUP = [
  "set -e",
  'f="/backups/app-$(date -u +%Y%m%dT%H%M%SZ).dump"',
  'pg_dump -h "$PRIMARY_HOST" -U "$POSTGRES_USER" -Fc -f "$f.part" "$POSTGRES_DB"',
  'mv "$f.part" "$f"',
  // -exec rm, not -delete: busybox's find (the sandbox's stand-in image) has no -delete.
  'find /backups -name "app-*.dump" -mtime "+$KEEP_DAYS" -exec rm -f {} +',
  'echo "backed up to $f"',
].join("\n");

export interface ExtrasArgs {
  name: string;
  namespace: pulumi.Input<string>;
  image: pulumi.Input<string>;
  secretName: pulumi.Input<string>;
  primaryHost: pulumi.Input<string>;
  standbys: number;
  backupSchedule: string;
  backupKeepDays: pulumi.Input<number>;
  backupStorage: pulumi.Input<string>;
  storage: pulumi.Input<string>;
  /** On infra's sandbox: the pods run on its real node. */
  realNode?: pulumi.Input<boolean | undefined>;
  labels: (app: string) => Record<string, string>;
  opts: pulumi.CustomResourceOptions;
}

const env = (a: ExtrasArgs) => [
  { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
  { name: "PRIMARY_HOST", value: a.primaryHost },
  // libpq reads the password from here: never an argument.
  { name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: a.secretName, key: "POSTGRES_PASSWORD" } } },
];

/** The standbys' StatefulSet and the read-only Service; undefined with none. */
export function standbys(a: ExtrasArgs): { readHost: pulumi.Output<string> } | undefined {
  if (a.standbys < 1) return undefined;
  const name = `${a.name}-standby`;
  const podLabels = { ...a.labels(name), "infra.dev/postgres-role": "standby" };
  const service = new k8s.core.v1.Service(
    `${a.name}-ro`,
    {
      metadata: { namespace: a.namespace, name: `${a.name}-ro`, labels: a.labels(`${a.name}-ro`) },
      spec: { selector: podLabels, ports: [{ name: "postgres", port: 5432, targetPort: "postgres" }] },
    },
    a.opts,
  );
  new k8s.apps.v1.StatefulSet(
    name,
    {
      metadata: { namespace: a.namespace, name, labels: podLabels },
      spec: {
        serviceName: service.metadata.name,
        replicas: a.standbys,
        selector: { matchLabels: podLabels },
        template: {
          metadata: { labels: podLabels },
          spec: {
            ...placement(a.realNode),
            securityContext: { runAsUser: 999, fsGroup: 999 },
            initContainers: [
              {
                name: "clone",
                image: a.image,
                command: ["sh", "-c", CLONE],
                envFrom: [{ secretRef: { name: a.secretName } }],
                env: env(a),
                volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }],
              },
            ],
            containers: [
              {
                name: "postgres",
                image: a.image,
                ports: [{ name: "postgres", containerPort: 5432 }],
                envFrom: [{ secretRef: { name: a.secretName } }],
                env: env(a),
                readinessProbe: { exec: { command: ["pg_isready", "-U", "app"] }, periodSeconds: 10 },
                resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
                volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }],
              },
            ],
          },
        },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: a.storage } } } }],
      },
    },
    a.opts,
  );
  return { readHost: pulumi.interpolate`${service.metadata.name}.${a.namespace}.svc.cluster.local` };
}

/** The backup CronJob and its volume; nothing without a schedule. */
export function backups(a: ExtrasArgs): void {
  if (!a.backupSchedule) return;
  const name = `${a.name}-backup`;
  const claim = new k8s.core.v1.PersistentVolumeClaim(
    `${a.name}-backups`,
    {
      metadata: { namespace: a.namespace, name: `${a.name}-backups`, labels: a.labels(name) },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: a.backupStorage } } },
    },
    a.opts,
  );
  new k8s.batch.v1.CronJob(
    name,
    {
      metadata: { namespace: a.namespace, name, labels: a.labels(name) },
      spec: {
        schedule: a.backupSchedule,
        concurrencyPolicy: "Forbid",
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            template: {
              metadata: { labels: a.labels(name) },
              spec: {
                restartPolicy: "OnFailure",
                ...placement(a.realNode),
                securityContext: { runAsUser: 999, fsGroup: 999 },
                containers: [
                  {
                    name: "backup",
                    image: a.image,
                    command: ["sh", "-c", BACKUP],
                    envFrom: [{ secretRef: { name: a.secretName } }],
                    env: [...env(a), { name: "KEEP_DAYS", value: pulumi.output(a.backupKeepDays).apply(String) }],
                    volumeMounts: [{ name: "backups", mountPath: "/backups" }],
                  },
                ],
                volumes: [{ name: "backups", persistentVolumeClaim: { claimName: claim.metadata.name } }],
              },
            },
          },
        },
      },
    },
    a.opts,
  );
}
