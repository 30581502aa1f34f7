// Health checks as the use cases see them: which outputs are probed, retries
// until the deadline, what a report says, and the status it leaves.
import { describe, expect, it } from "vitest";
import { describeHealth, healthSettings, probeAll, statusAfterCheck, statusTargets } from "../../../src/app/health.js";
import type { ProbeAnswer, Prober } from "../../../src/app/ports.js";
import type { TemplateSpec } from "../../../src/templates/schema.js";

const fast = { intervalMs: 10, timeoutMs: 50, deadlineMs: 200 };

/** A prober that answers from a script, per target, and counts its calls. */
function scripted(answers: Record<string, ProbeAnswer[]>): Prober & { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  return {
    calls,
    async probe(target) {
      calls[target] = (calls[target] ?? 0) + 1;
      const list = answers[target]!;
      return list[Math.min(calls[target]! - 1, list.length - 1)]!;
    },
  };
}

describe("statusTargets", () => {
  it("takes outputs of kind status with a text value, never a secret one", () => {
    expect(
      statusTargets({
        health: { value: "https://a.example.com/healthz", kind: "status", secret: false },
        db: { value: "10.0.0.1:5432", kind: "status", secret: false },
        url: { value: "https://a.example.com", kind: "entrypoint", secret: false },
        hidden: { kind: "status", secret: true },
        empty: { value: "", kind: "status", secret: false },
        count: { value: 3, kind: "status", secret: false },
      }),
    ).toEqual([
      { output: "health", target: "https://a.example.com/healthz" },
      { output: "db", target: "10.0.0.1:5432" },
    ]);
  });
});

describe("probeAll", () => {
  it("retries a failing check until it passes, within the deadline", async () => {
    const p = scripted({
      u: [
        { state: "failing", detail: "ECONNREFUSED" },
        { state: "failing", detail: "ECONNREFUSED" },
        { state: "ok", detail: "HTTP 200" },
      ],
    });
    const r = await probeAll(p, "local", [{ output: "health", target: "u" }], fast);
    expect(r).toEqual({ state: "ok", checks: [{ output: "health", target: "u", state: "ok", detail: "HTTP 200", attempts: 3 }] });
  });

  it("gives up at the deadline with the last answer, and the report is failing", async () => {
    const p = scripted({ u: [{ state: "failing", detail: "HTTP 503" }], v: [{ state: "ok", detail: "connected" }] });
    const t0 = Date.now();
    const r = await probeAll(
      p,
      "local",
      [
        { output: "health", target: "u" },
        { output: "port", target: "v" },
      ],
      fast,
    );
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.state).toBe("failing");
    expect(r.checks[0]).toMatchObject({ state: "failing", detail: "HTTP 503" });
    expect(p.calls.u).toBeGreaterThan(3);
    expect(p.calls.v).toBe(1);
    expect(describeHealth(r)).toBe("unhealthy: health (u): HTTP 503");
  });

  it("does not retry what cannot be checked, and says so", async () => {
    const p = scripted({ u: [{ state: "unverifiable", detail: "kwok simulates its pods" }] });
    const r = await probeAll(p, "sandbox", [{ output: "health", target: "u" }], fast);
    expect(r.state).toBe("unverifiable");
    expect(p.calls.u).toBe(1);
    expect(describeHealth(r)).toBe("not checked: health: kwok simulates its pods");
  });

  it("has nothing to do without status outputs", async () => {
    expect(await probeAll(scripted({}), "local", [], fast)).toEqual({ state: "none", checks: [] });
  });
});

describe("statusAfterCheck", () => {
  const failing = { state: "failing" as const, checks: [] };
  const ok = { state: "ok" as const, checks: [] };
  it("fails a deployed environment, and clears only a failure health set", () => {
    expect(statusAfterCheck("deployed-ok", undefined, failing)).toBe("deployed-fail");
    expect(statusAfterCheck("drifted", undefined, failing)).toBe("deployed-fail");
    expect(statusAfterCheck("deployed-fail", "health: unhealthy: …", failing)).toBeUndefined();
    expect(statusAfterCheck("deployed-fail", "health: unhealthy: …", ok)).toBe("deployed-ok");
    expect(statusAfterCheck("deployed-fail", "update failed", ok)).toBeUndefined();
    expect(statusAfterCheck("deployed-ok", undefined, ok)).toBeUndefined();
    expect(statusAfterCheck("deployed-ok", undefined, { state: "unverifiable", checks: [] })).toBeUndefined();
  });
});

describe("healthSettings", () => {
  it("reads the template's durations, with defaults", () => {
    expect(healthSettings({ health: { interval: "500ms", timeout: "3s", deadline: "1m" } } as TemplateSpec)).toEqual({
      intervalMs: 500,
      timeoutMs: 3000,
      deadlineMs: 60_000,
    });
    expect(healthSettings({} as TemplateSpec)).toEqual({ intervalMs: 2000, timeoutMs: 5000, deadlineMs: 120_000 });
  });
});

describe("Kubernetes objects in a health check", () => {
  it("are read from the registry's record: type token and id", async () => {
    const { kubernetesTargets } = await import("../../../src/app/health.js");
    const r = (type: string, providerId?: string, status = "ok") => ({
      urn: `u:${type}`,
      type,
      name: "app",
      status,
      dependsOn: [],
      ...(providerId && { providerId }),
    });
    expect(
      kubernetesTargets([
        r("kubernetes:apps/v1:Deployment", "shop/app"),
        r("kubernetes:core/v1:Namespace", "shop"),
        r("kubernetes:helm.sh/v3:Release", "data/cache"),
        r("pulumi:providers:kubernetes", "x"),
        r("infra:kubernetes:WebApp"),
        r("kubernetes:core/v1:Service", "shop/old", "pending-delete"),
      ]),
    ).toEqual([
      { output: "app", ref: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "app" }, label: "Deployment shop/app" },
      { output: "app", ref: { apiVersion: "v1", kind: "Namespace", name: "shop" }, label: "Namespace shop" },
    ]);
  });

  it("are judged by kstatus, in progress asked again until the deadline, missing at once", async () => {
    const { judgeObjects } = await import("../../../src/app/health.js");
    let calls = 0;
    const clusters = {
      get: async () => {
        calls++;
        const ready = calls >= 3 ? 2 : 1;
        return [
          { kind: "Deployment", spec: { replicas: 2 }, status: { replicas: 2, updatedReplicas: 2, readyReplicas: ready, availableReplicas: ready } },
          undefined,
        ];
      },
    };
    const targets = [
      { output: "app", ref: { apiVersion: "apps/v1", kind: "Deployment", name: "app" }, label: "Deployment shop/app" },
      { output: "gone", ref: { apiVersion: "v1", kind: "Service", name: "gone" }, label: "Service shop/gone" },
    ];
    const results = await judgeObjects(clusters, "sandbox", targets, fast);
    expect(results).toEqual([
      { output: "app", target: "Deployment shop/app", state: "ok", detail: "Current: 2/2 ready", attempts: 3 },
      { output: "gone", target: "Service shop/gone", state: "failing", detail: "missing: not in the cluster", attempts: 3 },
    ]);
  });
});

describe("a health check that takes a while", () => {
  it("keeps its lock fresh, as an operation does, so no other node takes it for a dead holder's", async () => {
    const { appBench } = await import("../../helpers/app.js");
    const { FIXTURE_TEMPLATES } = await import("../../helpers/cli.js");
    const { checkHealth } = await import("../../../src/app/health.js");
    const b = appBench(() => new Date());
    try {
      await b.registry.create(
        {
          name: "slow",
          description: "",
          template: { id: "probed", version: "1.0.0", source: FIXTURE_TEMPLATES },
          location: "local",
          params: {},
          tags: {},
        },
        "c",
      );
      await b.registry.setOutputs("slow", { health: { value: "http://127.0.0.1:9/healthz", kind: "status", secret: false } });
      await b.registry.transition("slow", "deployed-ok", { operationId: "c" });
      const beats: string[] = [];
      const heartbeat = b.registry.heartbeat.bind(b.registry);
      b.registry.heartbeat = async (name, op) => {
        beats.push(name);
        return heartbeat(name, op);
      };
      // An endpoint that answers after 400 ms; the lock is refreshed every 50 ms meanwhile.
      const prober = { probe: () => new Promise<{ state: "ok"; detail: string }>((r) => setTimeout(() => r({ state: "ok", detail: "HTTP 200" }), 400)) };
      const r = await checkHealth({ ...b.ctx, prober, heartbeatMs: 50 }, "slow");
      expect(r.report.state).toBe("ok");
      expect(beats.length).toBeGreaterThanOrEqual(3);
      expect(await b.registry.lockHolder("slow")).toBeUndefined();
    } finally {
      await b.registry.close();
    }
  });
});
