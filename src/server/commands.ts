// The AMQP command message: its published schema (zod, also served as JSON
// Schema at /api/v1/amqp/command.schema.json) and the use case each kind runs.
// Messages are untrusted input: strict, bounded, one line saying what is wrong.
import { z } from "zod";
import type { AppContext } from "../app/ports.js";

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const scalar = z.union([z.string().max(4096), z.number(), z.boolean()]);

export const commandSchema = z.strictObject({
  version: z.literal(1),
  /** De-duplicates redeliveries and repeats: one operation per key. */
  idempotencyKey: z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/),
  kind: z.enum(["create", "update", "upgrade", "destroy", "recover"]),
  environment: z.string().regex(NAME),
  template: z.string().max(200).optional(),
  to: z.string().max(50).optional(),
  params: z.record(z.string().max(64), scalar).optional(),
  tags: z.record(z.string().max(64), z.string().max(200)).optional(),
  ttl: z.string().max(20).optional(),
  description: z.string().max(1000).optional(),
  location: z.string().max(300).optional(),
  cascade: z.boolean().optional(),
});

export type Command = z.infer<typeof commandSchema>;

export const commandJsonSchema = () => z.toJSONSchema(commandSchema);

/** The message's body as a command, or one line saying why it is not one. */
export function parseCommand(body: Buffer): { ok: true; command: Command } | { ok: false; reason: string } {
  if (body.length > 256 * 1024) return { ok: false, reason: "the message is larger than 256 KiB" };
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString("utf8"));
  } catch {
    return { ok: false, reason: "the message is not JSON" };
  }
  const r = commandSchema.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { ok: false, reason: `${i.path.join(".") || "(message)"}: ${i.message}` };
  }
  return { ok: true, command: r.data };
}

/** The use case a command runs. */
export async function useCaseOf(c: Command): Promise<(ctx: AppContext) => Promise<unknown>> {
  const text = Object.fromEntries(Object.entries(c.params ?? {}).map(([k, v]) => [k, String(v)]));
  switch (c.kind) {
    case "create": {
      const { createEnvironment } = await import("../app/create.js");
      const { parseTtl } = await import("../core/inputs.js");
      const { UsageError } = await import("../core/errors.js");
      if (!c.template) throw new UsageError("template: a create needs the template (id or id@version)");
      const ttlMs = c.ttl === undefined ? undefined : parseTtl(c.ttl);
      return (ctx) =>
        createEnvironment(ctx, {
          name: c.environment,
          template: c.template!,
          params: text,
          tags: c.tags ?? {},
          location: c.location ?? "sandbox",
          ...(c.description !== undefined && { description: c.description }),
          ...(ttlMs !== undefined && { ttlMs }),
        });
    }
    case "update": {
      const { updateEnvironment } = await import("../app/update.js");
      return (ctx) => updateEnvironment(ctx, { name: c.environment, params: text });
    }
    case "upgrade": {
      const { upgradeEnvironment } = await import("../app/update.js");
      const { UsageError } = await import("../core/errors.js");
      if (!c.to) throw new UsageError("to: an upgrade needs the template version to go to");
      return (ctx) => upgradeEnvironment(ctx, { name: c.environment, to: c.to!, params: text });
    }
    case "destroy": {
      const { destroyEnvironments, planDestroy } = await import("../app/destroy.js");
      return async (ctx) => destroyEnvironments(ctx, await planDestroy(ctx, c.environment, !!c.cascade));
    }
    case "recover": {
      const { recoverEnvironment } = await import("../app/recover.js");
      return (ctx) => recoverEnvironment(ctx, c.environment);
    }
  }
}
