// Use case: record an environment another infra made and keeps the stack of
// (seed 002: bootstrap "sends data describing the environment that was just
// created" to the API in the meta environment). The registry then lists it
// with its outputs and resources; nothing here runs the engine, and the
// engine's operations on it are refused (src/app/operation.ts): its stack is
// in the state backend of the machine that made it.
import { ConflictError } from "../core/errors.js";
import type { Operation } from "../core/status.js";
import type { Environment, OutputValue, ResourceRecord } from "../registry/types.js";
import { selfIdentity } from "../registry/rules.js";
import type { OperationResult } from "./operation.js";
import type { AppContext } from "./ports.js";

/** The tag a recorded environment carries: who keeps its stack (e.g. "infra bootstrap on alice@laptop"). */
export const RECORDED_TAG = "infra.recorded-from";

export interface RecordInput {
  name: string;
  /** As the maker's registry has it (its source too: a server finds a built-in one among its own). */
  template: { id: string; version: string; source: string };
  location: string;
  description: string;
  /** Where its stack is kept, in words. */
  from: string;
  /** Non-secret values as they are; a secret one's value never arrives. */
  outputs: Record<string, OutputValue>;
  resources: { urn: string; type: string; name: string; status?: string }[];
}

/** Who keeps the stack of a recorded environment, or undefined for one this registry manages. */
export function recordedElsewhere(tags: Record<string, string> | undefined): string | undefined {
  return tags?.[RECORDED_TAG];
}

/** An engine operation on a recorded environment is refused, naming where its stack is. */
export function refuseRecorded(env: Pick<Environment, "name" | "status" | "tags">, kind: Operation): void {
  const from = env.status === "destroyed" ? undefined : recordedElsewhere(env.tags);
  if (from !== undefined) throw new ConflictError(`environment ${env.name} is recorded here from ${from}: its stack is kept there, so ${kind} it there`);
}

export async function recordEnvironment(ctx: AppContext, input: RecordInput): Promise<OperationResult> {
  const { registry, actor } = ctx;
  const { name } = input;
  const existing = await registry.get(name);
  const live = existing && existing.status !== "destroyed";
  if (live && recordedElsewhere(existing.tags) === undefined) {
    throw new ConflictError(`environment ${name} is managed here: a record of another's would hide it; pick another name`);
  }
  if (live && existing.location !== input.location) {
    throw new ConflictError(`environment ${name} is recorded at ${existing.location}, not ${input.location}: destroy it where it was made first`);
  }
  const opId = globalThis.crypto.randomUUID();
  await registry.lock(name, { operationId: opId, owner: actor.who, ...selfIdentity(), host: actor.host, pid: actor.pid });
  const template = input.template;
  try {
    await registry.begin(name, {
      operation: { id: opId, kind: "record", who: actor.who },
      ...(!live && {
        create: { name, description: input.description, template, location: input.location, params: {}, tags: { [RECORDED_TAG]: input.from } },
      }),
    });
    ctx.listen?.({ type: "started", environment: name, operation: opId, kind: "record" });
    const resources: ResourceRecord[] = input.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, status: r.status ?? "created", dependsOn: [] }));
    const outputs = Object.fromEntries(
      Object.entries(input.outputs).map(([k, o]) => [k, o.secret ? { secret: true } : { value: o.value, secret: false, ...(o.kind && { kind: o.kind }) }]),
    );
    await registry.commit(name, opId, {
      result: "succeeded",
      // A record again of what is recorded and fine leaves its status (and history) as it is.
      ...(!(live && existing.status === "deployed-ok") && { status: "deployed-ok", reason: `recorded from ${input.from}` }),
      template,
      outputs,
      resources,
      summary: { resources: resources.length },
      audit: {
        who: actor.who,
        action: "record",
        detail: { operation: opId, from: input.from, template: `${template.id}@${template.version}`, resources: resources.length },
      },
    });
    ctx.listen?.({ type: "finished", result: "succeeded", changes: {}, message: `${name}: recorded from ${input.from}` });
    return { operationId: opId, changes: {}, environment: (await registry.get(name))! };
  } finally {
    await registry.unlock(name, opId).catch(() => {});
  }
}
