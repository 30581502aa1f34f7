// `infra env list`: environments, filtered by status, tags and text.
import { UsageError } from "../../../core/errors.js";
import { parsePairs } from "../../../core/inputs.js";
import { STATUSES } from "../../../core/status.js";
import { withRegistry } from "../../app-context.js";
import type { EnvironmentSummary } from "../../../registry/types.js";
import { remoteSession } from "../../remote.js";
import type { GlobalOptions } from "../../context.js";
import { formatTags, out, printJson, shortDate, table } from "../../output.js";

export async function envList(
  opts: GlobalOptions & { status?: string; search?: string; tag?: string[]; limit?: string; dependsOn?: string; neededBy?: string },
): Promise<void> {
  if (opts.status && !(STATUSES as readonly string[]).includes(opts.status)) {
    throw new UsageError(`--status ${opts.status}: use one of ${STATUSES.join(", ")}`);
  }
  const tags = parsePairs(opts.tag ?? [], "--tag");
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit ${opts.limit}: use a whole number (0 for all)`);
  const remote = remoteSession();
  if (remote) {
    // The server's answer, as it gives it: `--json` here equals GET /api/v1/environments.
    const q = new URLSearchParams({ limit: String(Math.min(limit || 9999, 9999)) });
    if (opts.status) q.set("status", opts.status);
    if (opts.search) q.set("search", opts.search);
    for (const [k, v] of Object.entries(tags)) q.append("tag", `${k}=${v}`);
    if (opts.dependsOn) q.set("dependsOn", opts.dependsOn);
    if (opts.neededBy) q.set("neededBy", opts.neededBy);
    const { get } = await import("../../client.js");
    const body = await get<{ items: EnvironmentSummary[]; total: number }>(remote, `/api/v1/environments?${q}`);
    if (opts.json) return printJson(body);
    return show(body.items, body.total);
  }
  const { listRelated } = await import("../../../app/graph.js");
  await withRegistry(async (r) => {
    const { items, total } = await listRelated(
      r,
      { ...(opts.status && { status: opts.status }), ...(opts.search && { search: opts.search }), tags, limit },
      { ...(opts.dependsOn !== undefined && { dependsOn: opts.dependsOn }), ...(opts.neededBy !== undefined && { neededBy: opts.neededBy }) },
    );
    if (opts.json) return printJson({ total, items });
    show(items, total);
  });
}

function show(items: EnvironmentSummary[], total: number): void {
  if (!items.length) return out(total ? "" : "no environments (create one with infra env create <name> --template <id>)");
  const rows = items.map((e) => [
    e.name,
    e.status,
    `${e.template.id}@${e.template.version}`,
    shortDate(e.createdAt),
    shortDate(e.expiresAt),
    formatTags(e.tags),
  ]);
  let text = table(["NAME", "STATUS", "TEMPLATE", "CREATED", "EXPIRES", "TAGS"], rows);
  if (total > items.length) text += `(${items.length} of ${total}; --limit 0 shows all)\n`;
  out(text);
}
