// The stand-in for the official postgres image (npm run image -- --image
// postgres), made from Debian's packages, on the sandbox's real node:
// k8s-namespace-app@1.3.0 with a PostgreSQL primary and a standby there
// (realNode), the image pulled from the sandbox's registry. A row written on
// the primary is read on the standby (it streams), the read-only Service
// selects the standby, and a backup run from the CronJob writes a dump into
// its volume.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { whyNoNode } from "../../../src/sandbox/node.js";
import { makeHome, type Home } from "../../helpers/cli.js";
import { waitFor } from "../../helpers/server.js";

const why = whyNoNode("/nonexistent");

describe.skipIf(!!why)(`PostgreSQL from Debian's packages on the sandbox's real node${why ? ` (skipped: ${why})` : ""}`, () => {
  let home: Home;
  let tmp: string;
  const kubectl = (args: string[]) =>
    execFileSync("kubectl", ["-n", "pg", ...args], {
      env: { ...process.env, KUBECONFIG: join(home.env.INFRA_HOME!, "sandbox", "kubeconfig") },
      encoding: "utf8",
    });
  const sql = (pod: string, query: string) => kubectl(["exec", pod, "-c", "postgres", "--", "psql", "-U", "app", "-d", "app", "-tA", "-c", query]).trim();

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "infra-pg-image-"));
    home = makeHome("infra-pg-image-home-");
    const built = spawnSync(
      process.execPath,
      [join(process.cwd(), "dist", "src", "image", "main.js"), "--image", "postgres", "--out", join(tmp, "pg"), "--json"],
      {
        encoding: "utf8",
        timeout: 900_000,
      },
    );
    expect(built.status, built.stderr).toBe(0);
    expect(home.run(["sandbox", "start", "--real-node"]).code).toBe(0);
    const pushed = home.run(["sandbox", "push", join(tmp, "pg"), "postgres:15"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const r = home.run([
      "env",
      "create",
      "pg",
      "-t",
      "k8s-namespace-app@1.3.0",
      "--location",
      "sandbox",
      ...["-p", "image=infra.sandbox/httpd:1", "-p", "port=8080", "-p", "realNode=true"],
      ...["-p", "postgres=true", "-p", "postgresStandbys=1", "-p", "postgresVersion=15"],
    ]);
    expect(r.code, r.stderr).toBe(0);
  }, 1_200_000);
  afterAll(() => {
    home?.run(["sandbox", "delete", "--yes", "--force"]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it("the standby streams: a row written on the primary is read there, and it is in recovery", async () => {
    expect(kubectl(["get", "pod", "db-0", "-o", "jsonpath={.spec.nodeName}"])).toBe("sandbox-real-0");
    expect(kubectl(["get", "pod", "db-standby-0", "-o", "jsonpath={.spec.nodeName}"])).toBe("sandbox-real-0");
    sql("db-0", "CREATE TABLE orders (id int); INSERT INTO orders VALUES (42);");
    expect(sql("db-standby-0", "SELECT pg_is_in_recovery()")).toBe("t");
    const read = await waitFor("the row on the standby", () => {
      const r = spawnSync(
        "kubectl",
        ["-n", "pg", "exec", "db-standby-0", "-c", "postgres", "--", "psql", "-U", "app", "-d", "app", "-tA", "-c", "SELECT id FROM orders"],
        {
          env: { ...process.env, KUBECONFIG: join(home.env.INFRA_HOME!, "sandbox", "kubeconfig") },
          encoding: "utf8",
        },
      );
      return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
    });
    expect(read).toBe("42");
    expect(sql("db-0", "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")).toBe("1");
  });

  it("the read-only Service selects the standby alone", () => {
    const standby = kubectl(["get", "pod", "db-standby-0", "-o", "jsonpath={.status.podIP}"]);
    const endpoints = kubectl(["get", "endpointslices", "-l", "kubernetes.io/service-name=db-ro", "-o", "jsonpath={.items[*].endpoints[*].addresses[*]}"]);
    expect(endpoints.trim().split(/\s+/)).toEqual([standby]);
  });

  it("a backup run from its CronJob writes a dump into the backups volume", async () => {
    kubectl(["create", "job", "--from=cronjob/db-backup", "now"]);
    kubectl(["wait", "--for=condition=complete", "job/now", "--timeout=120s"]);
    expect(kubectl(["logs", "job/now"])).toMatch(/^backed up to \/backups\/app-\d{8}T\d{6}Z\.dump$/m);
    const volume = kubectl(["get", "pvc", "db-backups", "-o", "jsonpath={.spec.volumeName}"]);
    const files = readdirSync(join(home.env.INFRA_HOME!, "sandbox", "volumes", volume));
    expect(files.filter((f) => /^app-\d{8}T\d{6}Z\.dump$/.test(f))).toHaveLength(1);
  });
});
