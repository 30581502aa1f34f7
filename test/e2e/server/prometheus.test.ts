// A real Prometheus (Debian's) scrapes a running infra server, with the meta
// environment's own alert rules for the API loaded: after a create through
// the API, the operation counter and the duration histogram come back through
// Prometheus's HTTP API; after a failed create, InfraOperationsFailing fires.
import { spawn, type ChildProcess, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { apiRules } from "../../../programs/meta/services/alerts.js";
import { makeHome, type Home } from "../../helpers/cli.js";
import { api, freePort, operationEnd, startServer, type TestServer, waitFor, writeToken } from "../../helpers/server.js";

const PROMETHEUS = spawnSync("prometheus", ["--version"]).status === 0;

let home: Home;
let server: TestServer;
let token: string;
let prometheus: ChildProcess;
let promUrl: string;
let promLog = "";

/** An instant query's vector, as [labels, value] pairs. */
async function query(expr: string): Promise<{ metric: Record<string, string>; value: number }[]> {
  const r = (await (await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  expect(r.status).toBe("success");
  return r.data.result.map((x) => ({ metric: x.metric, value: Number(x.value[1]) }));
}

beforeAll(async () => {
  if (!PROMETHEUS) throw new Error("prometheus is not installed: run the tests with npm test (scripts/services.sh installs it as root)");
  home = makeHome("infra-prometheus-");
  token = writeToken(home);
  server = await startServer(home, ["--concurrency", "2"]);
  const dir = mkdtempSync(join(tmpdir(), "infra-prometheus-"));
  // The rules the meta environment's PrometheusRule carries, for a job named as its ServiceMonitor's.
  writeFileSync(join(dir, "rules.yml"), stringify({ groups: [{ name: "infra-api", interval: "1s", rules: apiRules("infra-api") }] }));
  writeFileSync(
    join(dir, "prometheus.yml"),
    stringify({
      global: { scrape_interval: "1s", evaluation_interval: "1s" },
      rule_files: [join(dir, "rules.yml")],
      scrape_configs: [{ job_name: "infra-api", metrics_path: "/metrics", static_configs: [{ targets: [new URL(server.url).host] }] }],
    }),
  );
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    "prometheus",
    [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  prometheus.stdout!.on("data", (d) => (promLog += d));
  prometheus.stderr!.on("data", (d) => (promLog += d));
  await waitFor(
    "Prometheus's first scrape of the server",
    async () => (await query('up{job="infra-api"} == 1').catch(() => [])).length === 1,
    60,
    () => promLog,
  );
}, 120_000);

afterAll(() => {
  prometheus?.kill("SIGTERM");
  server?.proc.kill("SIGKILL");
});

describe("infra server's metrics, scraped by Prometheus", () => {
  it("the rules load, and none fires while nothing failed", async () => {
    const rules = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as { data: { groups: { rules: { name: string; health: string }[] }[] } };
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name)).toEqual(["InfraOperationsFailing", "InfraApiDown", "InfraBusDisconnected"]);
    await waitFor(
      "every rule evaluated",
      () =>
        fetch(`${promUrl}/api/v1/rules`).then(async (r) => {
          const d = (await r.json()) as typeof rules;
          return d.data.groups.flatMap((g) => g.rules).every((x) => x.health === "ok");
        }),
      30,
    );
    expect(await query('ALERTS{alertstate="firing"}')).toEqual([]);
  });

  it("a create through the API: its counter and its duration come back through Prometheus", async () => {
    const res = await api(server.url, "/api/v1/environments", token, {
      method: "POST",
      body: JSON.stringify({ name: "scraped", template: "basic", params: { apiToken: "t" } }),
    });
    expect(res.status).toBe(202);
    const { operationId } = (await res.json()) as { operationId: string };
    expect(await operationEnd(server.url, token, operationId)).toBe("succeeded");
    const finished = await waitFor(
      "the counter in Prometheus",
      async () => {
        const v = await query('infra_operations_finished_total{job="infra-api",kind="create",result="succeeded"}');
        return v[0] && v[0].value >= 1 && v;
      },
      30,
      () => promLog,
    );
    expect(finished[0]!.value).toBe(1);
    const [count] = await query('infra_operation_duration_seconds_count{kind="create",result="succeeded"}');
    expect(count!.value).toBe(1);
    const [sum] = await query('infra_operation_duration_seconds_sum{kind="create",result="succeeded"}');
    expect(sum!.value).toBeGreaterThan(0);
    const [environments] = await query('infra_environments{status="deployed-ok"}');
    expect(environments!.value).toBe(1);
    const [requests] = await query('sum(infra_http_requests_total{route="/api/v1/environments",status="202"})');
    expect(requests!.value).toBe(1);
  });

  it("a failed create fires InfraOperationsFailing, for its kind", async () => {
    const res = await api(server.url, "/api/v1/environments", token, {
      method: "POST",
      body: JSON.stringify({ name: "broken", template: "failing" }),
    });
    expect(res.status).toBe(202);
    const { operationId } = (await res.json()) as { operationId: string };
    expect(await operationEnd(server.url, token, operationId)).toBe("failed");
    const firing = await waitFor(
      "the alert",
      async () => {
        const v = await query('ALERTS{alertname="InfraOperationsFailing",alertstate="firing"}');
        return v.length > 0 && v;
      },
      60,
      () => promLog,
    );
    expect(firing.map((a) => a.metric.kind)).toEqual(["create"]);
    expect(firing[0]!.metric.severity).toBe("warning");
  });
});
