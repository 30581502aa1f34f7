// The use cases' test bench: an engine that only remembers what it was asked
// (the real one is the e2e tests'), a real SQLite registry, the fixture templates.
import { createHmac } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DriftedResource, OperationEvent } from "../../src/app/events.js";
import type { AppContext, ConfigValue, EngineRunner, StackSession } from "../../src/app/ports.js";
import { SqliteRegistry } from "../../src/registry/sqlite.js";
import { FileTemplateStore } from "../../src/templates/store.js";
import { FIXTURE_TEMPLATES } from "./cli.js";

export /** An engine that remembers what it was asked; `hold` keeps an up running until aborted. */
class FakeEngine implements EngineRunner {
  calls: string[] = [];
  config = new Map<string, Record<string, ConfigValue>>();
  hold = false;
  /** Environments whose up fails. */
  failing = new Set<string>();
  /** Each stack's outputs as the engine reads them back, secrets with their values. */
  stackOutputs = new Map<string, Record<string, { value: unknown; secret: boolean }>>();
  /** What the next drift check of each environment finds (nothing: in sync). */
  drifted = new Map<string, DriftedResource[]>();
  async check(): Promise<void> {}
  seal(text: string): string {
    return createHmac("sha256", "test-passphrase").update(text).digest("hex");
  }
  async open(name: string): Promise<StackSession> {
    const step = async (verb: string, signal?: AbortSignal) => {
      this.calls.push(`${verb} ${name}`);
      if (verb === "up" && this.failing.has(name)) throw new Error(`${name}: asked to fail`);
      if (this.hold && verb === "up") {
        await new Promise((_, reject) => signal?.addEventListener("abort", () => reject(new Error("cancelled")), { once: true }));
      }
      return { changes: { same: 1 } };
    };
    return {
      name,
      configure: async (v) => void this.config.set(name, v),
      snapshotConfig: () => undefined,
      restoreConfig: () => {},
      saveLastGood: () => {},
      lastGood: () => undefined,
      preview: (_l, _r, s) => step("preview", s),
      up: async (_l, _r, s) => ({ ...(await step("up", s)), outputs: { url: { value: `https://${name}`, secret: false } } }),
      destroy: (_l, _r, s) => step("destroy", s),
      refresh: (_l, _r, s) => step("refresh", s),
      drift: async (_l, _r, s) => {
        await step("drift", s);
        return { resources: this.drifted.get(name) ?? [] };
      },
      releaseAbandoned: async () => void this.calls.push(`release ${name}`),
      forget: async () => void this.calls.push(`forget ${name}`),
      resources: async () => [],
      outputs: async () => this.stackOutputs.get(name) ?? {},
    };
  }
}

export interface Bench {
  registry: SqliteRegistry;
  engine: FakeEngine;
  ctx: AppContext;
  events: OperationEvent[];
  dir: string;
}

export function appBench(now = () => new Date("2026-11-24T00:00:00Z")): Bench {
  const dir = mkdtempSync(join(tmpdir(), "infra-app-"));
  const registry = new SqliteRegistry(join(dir, "registry.db"));
  const engine = new FakeEngine();
  const events: OperationEvent[] = [];
  const ctx: AppContext = {
    registry,
    engine,
    templates: new FileTemplateStore({ ...process.env, INFRA_TEMPLATE_PATH: FIXTURE_TEMPLATES, INFRA_HOME: dir }),
    actor: { who: "ann@box", host: "box", pid: process.pid },
    home: dir,
    now,
    listen: (e) => events.push(e),
  };
  return { registry, engine, ctx, events, dir };
}
