// What a submitted command answers over HTTP: 202 + Location for an
// operation, 200 with the outcome when none had to run.
import type { FastifyReply } from "fastify";
import type { Submitted } from "../../app/idempotency.js";
import type { Registry } from "../../registry/types.js";

export async function answer(reply: FastifyReply, registry: Registry, submitted: Promise<Submitted>): Promise<unknown> {
  const s = await submitted;
  if (!s.operationId) {
    const o = s.outcome;
    reply.code(200);
    if (!o) return { status: "unchanged" };
    switch (o.kind) {
      case "unchanged":
        return { status: "unchanged", reason: o.why, environment: o.environment.name };
      case "reaped":
        return { status: "done", order: o.result.order, kept: o.result.kept, destroyed: o.result.destroyed.map((d) => d.name), failed: o.result.failed };
      case "extended":
        return { status: "done", environment: o.environment, expiresAt: o.expiresAt };
      case "unlocked":
        return { status: "done", environment: o.environment, removed: o.removed ?? null };
      case "operations":
        return { status: "done" };
      case "drift":
        return { status: "done", drift: o.result.drift ?? [] };
      case "health":
        return { status: "done", environment: o.result.environment, health: o.result.report };
      case "set":
        return { status: "done", ...o.result };
    }
  }
  const op = await registry.operation(s.operationId);
  reply.code(202).header("location", `/api/v1/operations/${s.operationId}`);
  return { operationId: s.operationId, environment: s.environment ?? op?.environment, status: op?.result ?? "running", ...(s.replayed && { replayed: true }) };
}
