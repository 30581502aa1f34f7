// The one front door: every use case as a command, with one schema and one
// normalisation. The CLI, the REST API, AMQP and the CLI as a client of a
// server only parse their input into a `CommandInput` and present what
// `execute` returns; the rules (names, TTLs, parameters, template references,
// tags, the location default) are here and nowhere else.
import { createHash } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "../core/canonical.js";
import { shown, UsageError, type Hint } from "../core/errors.js";
import { checkName, NAME, NAME_RULE, parseTtl, TTL_RULE } from "../core/inputs.js";
import { parseLocation } from "../core/location.js";

/** An environment name as the schema bounds it; checkName says what is wrong with one that is not. */
const name = z
  .string()
  .max(40)
  .regex(NAME, NAME_RULE)
  .describe("an environment name: lowercase letters, digits and '-', starting with a letter, at most 40 characters");
const KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const key = z.string().regex(KEY, "a key starts with a letter or '_' and holds only letters, digits, '_', '.', '-' (at most 64)");
const scalar = z.union([z.string().max(4096), z.number(), z.boolean()]);
const params = z.record(key, scalar).describe("template parameters by name");
const TEMPLATE_REF = /^[a-z][a-z0-9-]{0,62}(@[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]{1,40})?)?$/;
const VERSION = /^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]{1,40})?$/;
const RECORDED_REF = /^[a-z][a-z0-9-]{0,62}@[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]{1,40})?$/;
const TTL = /^([0-9]{1,6}[mhdw]){1,4}$/;

const location = z
  .string()
  .min(1)
  .max(300)
  .describe("sandbox, kubernetes[:<context>], gcp:<project>/<region>, aws:<region>, openstack:<cloud>/<region>; default: the server's");
const templateRef = z.string().regex(TEMPLATE_REF, "a template id, or id@version (like basic@1.1.0)");
const tags = z.record(key, z.string().max(200));

/** One environment of a set, as a set file or a request declares it. */
const setEntry = z.strictObject({
  name,
  template: templateRef.describe("id@version; an id alone: the newest for a new environment, the version it runs for one that exists"),
  params: params.optional(),
  tags: tags.optional(),
  ttl: z.string().regex(TTL, TTL_RULE).optional().describe("a new environment's planned destruction after this long"),
  description: z.string().max(1000).optional(),
  location: location.optional(),
});

/** The tag that marks an environment as a set's (infra apply). */
export const SET_TAG = "infra.set";

export const commandSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("create"),
    environment: name,
    template: templateRef.describe("id or id@version"),
    params: params.optional(),
    tags: tags.optional(),
    ttl: z.string().regex(TTL, TTL_RULE).optional().describe("planned destruction after this long: 30m, 72h, 7d"),
    description: z.string().max(1000).optional(),
    location: location.optional(),
  }),
  z.strictObject({ kind: z.literal("update"), environment: name, params: params.optional() }),
  z.strictObject({
    kind: z.literal("upgrade"),
    environment: name,
    to: z.string().regex(VERSION, "a template version, like 1.1.0"),
    params: params.optional(),
  }),
  z.strictObject({ kind: z.literal("destroy"), environment: name, cascade: z.boolean().optional() }),
  z.strictObject({ kind: z.literal("recover"), environment: name }),
  z.strictObject({ kind: z.literal("reap"), dryRun: z.boolean().optional() }),
  z.strictObject({ kind: z.literal("extend"), environment: name, ttl: z.string().regex(TTL, TTL_RULE) }),
  z.strictObject({ kind: z.literal("unlock"), environment: name, reason: z.string().max(500).optional() }),
  z.strictObject({ kind: z.literal("forget"), environment: name }),
  z.strictObject({ kind: z.literal("drift"), environment: name }),
  z.strictObject({
    kind: z.literal("reconcile"),
    environment: name,
    pruneUnmanaged: z.boolean().optional().describe("also delete the objects nobody declared in its namespaces (listed, and asked)"),
  }),
  z.strictObject({ kind: z.literal("refresh"), environment: name }),
  z.strictObject({ kind: z.literal("health"), environment: name }),
  z.strictObject({
    kind: z.literal("record"),
    environment: name,
    template: z.string().regex(RECORDED_REF, "id@version, like meta@1.0.0").describe("the template it was made from"),
    templateSource: z.string().min(1).max(500).optional().describe("where that template came from (builtin, a folder, a git URL)"),
    location,
    description: z.string().max(1000).optional(),
    from: z.string().min(1).max(200).describe("who keeps its stack, in words (e.g. infra bootstrap on alice@laptop)"),
    outputs: z
      .record(
        key,
        z.strictObject({ value: z.unknown().optional().describe("any JSON value"), secret: z.boolean(), kind: z.enum(["entrypoint", "status"]).optional() }),
      )
      .refine((o) => Object.keys(o).length <= 200, "at most 200 outputs")
      .optional()
      .describe("its outputs; a secret one without its value"),
    resources: z
      .array(z.strictObject({ urn: z.string().min(1).max(1000), type: z.string().min(1).max(300), name: z.string().min(1).max(300) }))
      .max(5000)
      .optional(),
  }),
  z.strictObject({
    kind: z.literal("apply"),
    set: name.describe("the set's name: its environments carry the tag infra.set=<set>"),
    environments: z.array(setEntry).max(200).describe("every environment of the set, as it should be"),
    prune: z.boolean().optional().describe("destroy the set's environments this list no longer names, dependents first"),
    parallel: z.number().int().min(1).max(64).optional().describe("how many environments run at once (default: the cores)"),
    plan: z.boolean().optional().describe("only make the plan: nothing runs"),
  }),
]);

export type CommandInput = z.input<typeof commandSchema>;
export type CommandKind = CommandInput["kind"];
export const COMMAND_KINDS = commandSchema.options.map((o) => o.shape.kind.value) as CommandKind[];

/** A command after normalisation: values checked, text parameters, durations in ms, the location filled in. */
export type Command =
  | {
      kind: "create";
      environment: string;
      template: string;
      params: Record<string, string>;
      tags: Record<string, string>;
      ttlMs?: number;
      description?: string;
      location: string;
    }
  | { kind: "update"; environment: string; params: Record<string, string> }
  | { kind: "upgrade"; environment: string; to: string; params: Record<string, string> }
  | { kind: "destroy"; environment: string; cascade: boolean }
  | { kind: "recover"; environment: string }
  | { kind: "reap"; dryRun: boolean }
  | { kind: "extend"; environment: string; ttlMs: number }
  | { kind: "unlock"; environment: string; reason?: string }
  | { kind: "forget"; environment: string }
  | { kind: "drift"; environment: string }
  | { kind: "reconcile"; environment: string; pruneUnmanaged: boolean }
  | { kind: "refresh"; environment: string }
  | { kind: "health"; environment: string }
  | {
      kind: "record";
      environment: string;
      template: { id: string; version: string; source: string };
      location: string;
      description: string;
      from: string;
      outputs: Record<string, { value?: unknown; secret: boolean; kind?: "entrypoint" | "status" }>;
      resources: { urn: string; type: string; name: string }[];
    }
  | {
      kind: "apply";
      set: string;
      environments: SetEntry[];
      prune: boolean;
      parallel?: number;
      planOnly: boolean;
      /** Where a new environment the file places nowhere goes. */
      defaultLocation: string;
    };

/** One environment of a set, normalised: an existing one keeps its location unless the entry names one. */
export interface SetEntry {
  name: string;
  template: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  ttlMs?: number;
  description?: string;
  location?: string;
}

export interface Defaults {
  /** The location a create without one gets: the one settings resolver's answer, at the edge that took the command. */
  location: string;
}

/** The first problem of a value that is not a command, as a usage error naming its field. */
function refusal(issues: z.core.$ZodIssue[]): UsageError {
  const i = issues[0]!;
  const field = i.path.map(String).join(".");
  let detail = i.message;
  if (i.code === "unrecognized_keys") {
    const keys = (i as { keys: string[] }).keys.map((k) => shown(k, 40));
    return new UsageError(`unknown field${keys.length > 1 ? "s" : ""} ${keys.join(", ")}`, { field: field || "body" });
  }
  if (i.code === "invalid_union" && field === "kind") detail = `one of ${COMMAND_KINDS.join(", ")}`;
  if (i.code === "invalid_type") detail = `expected ${(i as { expected: string }).expected}`;
  if (i.code === "invalid_value") detail = `one of ${(i as { values: unknown[] }).values.map(String).join(", ")}`;
  // The value as given, where it cannot be a secret (never a parameter's).
  const input = (i as { input?: unknown }).input;
  const hint: Hint = { field: field || "body", ...(typeof input === "string" && !field.startsWith("params") && { value: shown(input, 50) }) };
  if (field === "kind") return new UsageError(detail, { ...hint, allowed: COMMAND_KINDS });
  return new UsageError(detail, hint);
}

const text = (p: Record<string, string | number | boolean> | undefined) => Object.fromEntries(Object.entries(p ?? {}).map(([k, v]) => [k, String(v)]));

/** Checks a command as any door received it and fills in what the settings decide. Throws a UsageError naming the field. */
export function normalise(input: unknown, defaults: Defaults): Command {
  // A missing or unknown kind first: the union's own message says little.
  const kind = (input as { kind?: unknown } | null)?.kind;
  if (typeof kind !== "string" || !(COMMAND_KINDS as string[]).includes(kind)) {
    throw new UsageError(`one of ${COMMAND_KINDS.join(", ")}`, {
      field: "kind",
      allowed: COMMAND_KINDS,
      ...(typeof kind === "string" && { value: shown(kind, 40) }),
    });
  }
  const r = commandSchema.safeParse(input, { reportInput: true });
  if (!r.success) throw refusal(r.error.issues);
  const c = r.data;
  if ("environment" in c) checkName(c.environment);
  switch (c.kind) {
    case "create": {
      const location = c.location ?? defaults.location;
      parseLocation(location);
      return {
        kind: "create",
        environment: c.environment,
        template: c.template,
        params: text(c.params),
        tags: c.tags ?? {},
        location,
        ...(c.ttl !== undefined && { ttlMs: parseTtl(c.ttl) }),
        ...(c.description !== undefined && { description: c.description }),
      };
    }
    case "update":
      return { kind: "update", environment: c.environment, params: text(c.params) };
    case "upgrade":
      return { kind: "upgrade", environment: c.environment, to: c.to, params: text(c.params) };
    case "destroy":
      return { kind: "destroy", environment: c.environment, cascade: !!c.cascade };
    case "recover":
      return { kind: "recover", environment: c.environment };
    case "reap":
      return { kind: "reap", dryRun: !!c.dryRun };
    case "extend":
      return { kind: "extend", environment: c.environment, ttlMs: parseTtl(c.ttl) };
    case "unlock":
      return { kind: "unlock", environment: c.environment, ...(c.reason !== undefined && { reason: c.reason }) };
    case "forget":
      return { kind: "forget", environment: c.environment };
    case "drift":
      return { kind: "drift", environment: c.environment };
    case "reconcile":
      return { kind: "reconcile", environment: c.environment, pruneUnmanaged: !!c.pruneUnmanaged };
    case "refresh":
      return { kind: "refresh", environment: c.environment };
    case "health":
      return { kind: "health", environment: c.environment };
    case "record": {
      parseLocation(c.location);
      const outputs = c.outputs ?? {};
      for (const [k, o] of Object.entries(outputs)) {
        // Refused rather than dropped: a sender that sends a secret's value has a bug worth knowing.
        if (o.secret && o.value !== undefined)
          throw new UsageError("a secret output's value is never recorded: send {secret: true} alone", { field: `outputs.${k}` });
      }
      const at = c.template.indexOf("@");
      return {
        kind: "record",
        environment: c.environment,
        template: { id: c.template.slice(0, at), version: c.template.slice(at + 1), source: c.templateSource ?? "builtin" },
        location: c.location,
        description: c.description ?? "",
        from: c.from,
        outputs,
        resources: c.resources ?? [],
      };
    }
    case "apply": {
      checkName(c.set);
      const seen = new Set<string>();
      const environments = c.environments.map((e, i): SetEntry => {
        checkName(e.name);
        if (seen.has(e.name)) throw new UsageError(`environment ${e.name} is listed twice: one entry per environment`, { field: `environments.${i}.name` });
        seen.add(e.name);
        if (e.location !== undefined) parseLocation(e.location);
        return {
          name: e.name,
          template: e.template,
          params: text(e.params),
          tags: { ...e.tags, [SET_TAG]: c.set },
          ...(e.ttl !== undefined && { ttlMs: parseTtl(e.ttl) }),
          ...(e.description !== undefined && { description: e.description }),
          ...(e.location !== undefined && { location: e.location }),
        };
      });
      return {
        kind: "apply",
        set: c.set,
        environments,
        prune: !!c.prune,
        ...(c.parallel !== undefined && { parallel: c.parallel }),
        planOnly: !!c.plan,
        defaultLocation: defaults.location,
      };
    }
  }
}

/** The command's JSON Schema (the AMQP message and the REST bodies derive from it). */
export const commandJsonSchema = (target: "draft-2020-12" | "draft-7" = "draft-2020-12") => z.toJSONSchema(commandSchema, { target });

/**
 * What identifies a command's content for idempotency: two requests with one
 * key must be the same command (the IETF Idempotency-Key draft answers 422
 * otherwise). Keys sorted, so field order does not matter.
 */
export function fingerprint(c: Command): string {
  // Hashed: a command's parameters may hold secrets, and the registry keeps this.
  return createHash("sha256").update(canonicalJson(c)).digest("hex");
}
