// `infra env list`: environments, filtered by status, tags and text.
import { UsageError } from "../../../core/errors.js";
import { parsePairs } from "../../../core/inputs.js";
import { STATUSES } from "../../../core/status.js";
import { withRegistry } from "../../app.js";
import type { GlobalOptions } from "../../context.js";
import { formatTags, out, printJson, shortDate, table } from "../../output.js";

export async function envList(opts: GlobalOptions & { status?: string; search?: string; tag?: string[]; limit?: string }): Promise<void> {
  if (opts.status && !(STATUSES as readonly string[]).includes(opts.status)) {
    throw new UsageError(`--status ${opts.status}: use one of ${STATUSES.join(", ")}`);
  }
  const tags = parsePairs(opts.tag ?? [], "--tag");
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit ${opts.limit}: use a whole number (0 for all)`);
  await withRegistry(async (r) => {
    const { items, total } = await r.list({
      ...(opts.status && { status: opts.status }),
      ...(opts.search && { search: opts.search }),
      tags,
      limit,
    });
    if (opts.json) return printJson({ total, items });
    if (!items.length) return out(total ? "" : "no environments (create one with infra env create <name> --template <id>)");
    const rows = items.map((e) => [e.name, e.status, `${e.template.id}@${e.template.version}`, shortDate(e.createdAt), shortDate(e.expiresAt), formatTags(e.tags)]);
    let text = table(["NAME", "STATUS", "TEMPLATE", "CREATED", "EXPIRES", "TAGS"], rows);
    if (total > items.length) text += `(${items.length} of ${total}; --limit 0 shows all)\n`;
    out(text);
  });
}
