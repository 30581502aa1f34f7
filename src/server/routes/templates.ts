// /api/v1/templates: what the template folders hold now (a server outlives
// template syncs), broken files with their one-line reason.
import type { FastifyInstance } from "fastify";
import { HttpProblem } from "../problem.js";
import * as S from "../schemas.js";

export interface TemplateView {
  id: string;
  version: string;
  description: string;
  source: string;
  parameters: Record<string, unknown>;
  locations?: string[];
  /** The whole template (its components and outputs too), shown by GET /api/v1/templates/{id}. */
  spec?: unknown;
}

export interface BrokenTemplate {
  file: string;
  source: string;
  reason: string;
}

export async function templateRoutes(
  app: FastifyInstance,
  o: { templates: () => Promise<{ items: TemplateView[]; broken: BrokenTemplate[] }> },
): Promise<void> {
  app.get("/api/v1/templates", { schema: S.listTemplates }, async function listTemplates() {
    const { items, broken } = await o.templates();
    return { items: items.map(({ spec: _whole, ...view }) => view), broken };
  });

  app.get("/api/v1/templates/:id", { schema: S.getTemplate }, async function getTemplate(req) {
    const { id } = req.params as { id: string };
    const versions = (await o.templates()).items.filter((t) => t.id === id);
    if (!versions.length) throw new HttpProblem(404, `no template ${id.slice(0, 100)}`);
    return { id, versions };
  });
}
