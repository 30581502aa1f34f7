// `infra env history <name>`: status transitions and operations.
import { NotFoundError } from "../../../core/errors.js";
import { checkName } from "../../../core/inputs.js";
import type { Environment, Registry } from "../../../registry/types.js";
import { withRegistry } from "../../app-context.js";
import { remoteSession } from "../../remote.js";
import type { GlobalOptions } from "../../context.js";
import { out, printJson, shortDate, table } from "../../output.js";

export async function envHistory(name: string, opts: GlobalOptions): Promise<void> {
  checkName(name);
  const remote = remoteSession();
  const run = async (r: Pick<Registry, "get" | "history" | "operations">) => {
    await mustGet(r, name);
    const [history, operations] = await Promise.all([r.history(name), r.operations(name)]);
    if (opts.json) return printJson({ history, operations });
    let text = table(
      ["AT", "FROM", "TO", "OPERATION", "REASON"],
      history.map((h) => [shortDate(h.at), h.from, h.to, h.operationId?.slice(0, 8) ?? "", h.reason ?? ""]),
    );
    text +=
      "\n" +
      table(
        ["OPERATION", "KIND", "RESULT", "STARTED", "ENDED", "BY", "CHANGES"],
        operations.map((o) => [
          o.id,
          o.kind,
          o.result,
          shortDate(o.startedAt),
          shortDate(o.endedAt),
          o.who,
          Object.entries(o.summary ?? {})
            .map(([k, n]) => `${k}=${n}`)
            .join(" "),
        ]),
      );
    out(text);
  };
  if (remote) return run((await import("../../client.js")).remoteReader(remote));
  await withRegistry(run);
}

async function mustGet(r: Pick<Registry, "get">, name: string): Promise<Environment> {
  const env = await r.get(name);
  if (!env) throw new NotFoundError(`no environment named ${name}: see infra env list`);
  return env;
}
