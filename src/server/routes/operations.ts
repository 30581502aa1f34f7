// /api/v1/operations: an operation's record, and its events as server-sent
// events while it runs (what the registry knows once it has ended).
import type { FastifyInstance } from "fastify";
import type { OperationEvent } from "../../app/events.js";
import type { Registry } from "../../registry/types.js";
import type { Operations } from "../operations.js";
import { HttpProblem } from "../problem.js";
import * as S from "../schemas.js";

export async function operationRoutes(app: FastifyInstance, o: { registry: Registry; operations: Operations }): Promise<void> {
  app.get("/api/v1/operations/:id", { schema: S.getOperation }, async function getOperation(req) {
    const { id } = req.params as { id: string };
    const op = await o.registry.operation(id);
    if (!op) throw new HttpProblem(404, `no operation ${id}`);
    const { eventsFile: _hidden, ...shown } = op;
    return shown;
  });

  app.get("/api/v1/operations/:id/events", { schema: S.operationEvents }, async function operationEvents(req, reply) {
    const { id } = req.params as { id: string };
    const live = o.operations.get(id);
    const record = live ? undefined : await o.registry.operation(id);
    if (!live && !record) throw new HttpProblem(404, `no operation ${id}`);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (e: OperationEvent) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    const end = (result: string) => {
      res.write(`event: end\ndata: ${JSON.stringify({ operation: id, result })}\n\n`);
      res.end();
    };
    if (live) {
      for (const e of live.events) send(e);
      if (live.done) return end(String((await o.registry.operation(id))?.result ?? "finished"));
      const listener = (e: OperationEvent | undefined) => {
        if (e) return send(e);
        void o.registry.operation(id).then((r) => end(String(r?.result ?? "finished")));
      };
      live.listeners.add(listener);
      req.raw.on("close", () => live.listeners.delete(listener));
      return;
    }
    // Run by another server, or before this one started: what the registry knows.
    end(record!.result);
  });
}
