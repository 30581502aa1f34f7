// `infra audit`: the registry's audit log (or, logged in, the server's).
import type { AuditPage, AuditQuery } from "../../app/audit.js";
import { UsageError } from "../../core/errors.js";
import { withRegistry } from "../app-context.js";
import type { GlobalOptions } from "../context.js";
import { out, printJson, table } from "../output.js";
import { remoteSession } from "../remote.js";

type Options = GlobalOptions & { env?: string; actor?: string; action?: string; since?: string; limit?: string; before?: string };

function whole(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,16}$/.test(v)) throw new UsageError(`${flag} ${v.slice(0, 20)}: use a whole number`);
  return Number(v);
}

export async function audit(opts: Options): Promise<void> {
  const q: AuditQuery = {
    ...(opts.env !== undefined && { environment: opts.env }),
    ...(opts.actor !== undefined && { actor: opts.actor }),
    ...(opts.action !== undefined && { action: opts.action }),
    ...(opts.since !== undefined && { since: opts.since }),
  };
  const limit = whole(opts.limit, "--limit");
  const before = whole(opts.before, "--before");
  if (limit !== undefined) q.limit = limit;
  if (before !== undefined) q.before = before;
  const remote = remoteSession();
  let page: AuditPage;
  if (remote) {
    const { get } = await import("../client.js");
    const params = new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, String(v)]));
    page = await get<AuditPage>(remote, `/api/v1/audit${params.size ? `?${params}` : ""}`);
  } else {
    const { auditPage } = await import("../../app/audit.js");
    page = await withRegistry((registry) => auditPage(registry, q));
  }
  if (opts.json) return printJson(page);
  if (!page.items.length) return out("no audit entries match");
  const detail = (d: Record<string, unknown>) => {
    const parts = Object.entries(d)
      .filter(([k, v]) => k !== "resources" && (typeof v !== "object" || v === null))
      .map(([k, v]) => `${k}=${String(v)}`);
    return parts.join(" ").slice(0, 80);
  };
  const rows = page.items.map((e) => [String(e.seq), e.at.replace("T", " ").slice(0, 19), e.who, e.action, e.environment ?? "", detail(e.detail)]);
  out(table(["SEQ", "AT (UTC)", "WHO", "ACTION", "ENVIRONMENT", "DETAIL"], rows));
  if (page.next !== undefined) out(`more: infra audit --before ${page.next}${opts.env ? ` --env ${opts.env}` : ""}`);
}
