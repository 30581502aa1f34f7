// k8s-namespace-app@1.3.0's PostgreSQL (seeds 004 and 000), with Pulumi's
// mocks: a primary and hot standbys streaming from it, a read-only Service
// that selects the standbys only, and scheduled backups to a volume.
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { BACKUP, CLONE, PG_HBA } from "../../../programs/components/postgres-extras.js";
import { packageRoot } from "../../../src/core/package-root.js";
import { loadTemplateFile } from "../../../src/templates/load.js";
import { runTemplate } from "../../helpers/mocks.js";

const v13 = loadTemplateFile(join(packageRoot(), "templates", "k8s-namespace-app", "1.3.0.yaml"), "builtin");

function run(config: Record<string, string>) {
  pulumi.runtime.setConfig("infra:locationKubeconfig", "apiVersion: v1\nkind: Config\nclusters: []\n");
  return runTemplate(v13.spec, "shop", {
    image: "ghcr.io/acme/web:1",
    port: "8080",
    replicas: "1",
    maxReplicas: "2",
    domain: "apps.example.com",
    realNode: "false",
    postgres: "true",
    postgresStandbys: "1",
    postgresBackupSchedule: "0 3 * * *",
    postgresBackupKeepDays: "7",
    postgresVersion: "16",
    ...config,
  });
}

describe("k8s-namespace-app@1.3.0 with PostgreSQL", () => {
  it("runs a primary and a standby that clones it and streams; the -ro Service selects the standby only", async () => {
    const r = await run({});
    const sets = r.all("kubernetes:apps/v1:StatefulSet").map((d) => d.inputs);
    const primary = sets.find((s) => s.metadata.name === "db")!;
    const standby = sets.find((s) => s.metadata.name === "db-standby")!;
    expect(primary.spec.replicas).toBe(1);
    expect(standby.spec.replicas).toBe(1);
    const primaryPod = primary.spec.template.metadata.labels;
    const standbyPod = standby.spec.template.metadata.labels;
    expect(primaryPod["infra.dev/postgres-role"]).toBe("primary");
    expect(standbyPod["infra.dev/postgres-role"]).toBe("standby");
    // Each StatefulSet owns only its own pods.
    const matches = (selector: Record<string, string>, podLabels: Record<string, string>) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    expect(matches(primary.spec.selector.matchLabels, standbyPod)).toBe(false);
    expect(matches(standby.spec.selector.matchLabels, primaryPod)).toBe(false);
    const services = Object.fromEntries(r.all("kubernetes:core/v1:Service").map((d) => [d.inputs.metadata.name, d.inputs.spec.selector]));
    expect(matches(services.db, primaryPod) && !matches(services.db, standbyPod)).toBe(true);
    expect(matches(services["db-ro"], standbyPod) && !matches(services["db-ro"], primaryPod)).toBe(true);
    // The primary takes replication connections; the standby's first start is a base backup of it (-R: standby.signal).
    expect(primary.spec.template.spec.containers[0].args).toEqual(["postgres", "-c", "hba_file=/etc/postgresql/pg_hba.conf"]);
    expect(r.one("kubernetes:core/v1:ConfigMap").inputs.data["pg_hba.conf"]).toBe(PG_HBA);
    expect(PG_HBA).toContain("host replication all all scram-sha-256");
    const clone = standby.spec.template.spec.initContainers[0];
    expect(clone.command).toEqual(["sh", "-c", CLONE]);
    expect(CLONE).toContain('pg_basebackup -h "$PRIMARY_HOST" -U "$POSTGRES_USER" -D "$PGDATA" -R -X stream');
    expect(clone.env.find((e: { name: string }) => e.name === "PRIMARY_HOST").value).toBe("db.shop.svc.cluster.local");
    // The password comes from the Secret, never an argument.
    expect(clone.env.find((e: { name: string }) => e.name === "PGPASSWORD").valueFrom).toEqual({ secretKeyRef: { name: "db", key: "POSTGRES_PASSWORD" } });
    expect(JSON.stringify(clone.command)).not.toContain("mock-password");
    expect(r.values.databaseReadUrl).toBe("postgres://app:mock-password@db-ro.shop.svc.cluster.local:5432/app");
    expect(r.values.databaseUrl).toBe("postgres://app:mock-password@db.shop.svc.cluster.local:5432/app");
  });

  it("backs up on a schedule to a volume of its own, keeping a week", async () => {
    const r = await run({});
    const cron = r.one("kubernetes:batch/v1:CronJob").inputs;
    expect(cron.spec).toMatchObject({ schedule: "0 3 * * *", concurrencyPolicy: "Forbid" });
    const job = cron.spec.jobTemplate.spec.template.spec;
    expect(job.containers[0].command).toEqual(["sh", "-c", BACKUP]);
    expect(BACKUP).toContain('pg_dump -h "$PRIMARY_HOST" -U "$POSTGRES_USER" -Fc');
    expect(job.containers[0].env.find((e: { name: string }) => e.name === "KEEP_DAYS").value).toBe("7");
    expect(job.volumes[0].persistentVolumeClaim.claimName).toBe("db-backups");
    expect(r.one("kubernetes:core/v1:PersistentVolumeClaim").inputs.spec.resources.requests.storage).toBe("5Gi");
  });

  it("without standbys and with backups off it is 1.2.0's single PostgreSQL, and reads go to the primary", async () => {
    const r = await run({ postgresStandbys: "0", postgresBackupSchedule: "off" });
    expect(r.all("kubernetes:apps/v1:StatefulSet")).toHaveLength(1);
    expect(r.all("kubernetes:batch/v1:CronJob")).toHaveLength(0);
    expect(r.all("kubernetes:core/v1:ConfigMap")).toHaveLength(0);
    const sts = r.one("kubernetes:apps/v1:StatefulSet").inputs;
    expect(sts.spec.template.spec.containers[0].args).toBeUndefined();
    expect(sts.spec.template.metadata.labels["infra.dev/postgres-role"]).toBeUndefined();
    expect(r.values.databaseReadUrl).toBe(r.values.databaseUrl);
  });

  it("on the sandbox's real node with realNode: the primary, the standbys and the backups' pods ask for it; the version names the image", async () => {
    const r = await run({ realNode: "true", postgresVersion: "15" });
    const pods = [
      ...r.all("kubernetes:apps/v1:StatefulSet").map((d) => d.inputs.spec.template.spec),
      ...r.all("kubernetes:batch/v1:CronJob").map((d) => d.inputs.spec.jobTemplate.spec.template.spec),
    ];
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.nodeSelector).toEqual({ "infra.sandbox/real-node": "true" });
      expect(pod.tolerations).toEqual([{ key: "infra.sandbox/real-node", operator: "Exists", effect: "NoSchedule" }]);
      expect(pod.containers[0].image).toBe("postgres:15");
    }
    const plain = await run({});
    for (const d of plain.all("kubernetes:apps/v1:StatefulSet")) expect(d.inputs.spec.template.spec.nodeSelector).toBeUndefined();
  });
});
