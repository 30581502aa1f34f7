// Errors a user can act on. Each carries a kind and, where it helps, a hint
// as data (the input at fault, what is allowed, the remedy); the edges choose
// the words: the CLI a flag and an exit code (src/cli/exit.ts), the REST API
// a field and an HTTP status, AMQP a message field. Nothing here names a flag.
export type ErrorKind = "usage" | "not-found" | "conflict" | "locked" | "engine" | "internal";

/** What a user can do about it, said by each edge in its own words. */
export type Remedy =
  /** Send the same request again with this option set (the CLI's --cascade, REST's ?cascade=true, AMQP's cascade: true). */
  | { option: "cascade" | "force" | "location"; effect?: string; or?: boolean }
  /** Run another use case on the environment. */
  | { run: "recover" | "update" | "create" | "unlock" | "destroy-cascade" | "forget" | "health"; environment: string; or?: boolean }
  /** Look something up first. */
  | { see: "environments" | "templates" | "template" | "logs"; id?: string; operation?: string; or?: boolean };

export interface Hint {
  /** The input at fault, as the command names it: name, template, ttl, location, params.<key>, tags, to, cascade, body. */
  field?: string;
  /** The value as given, cut to a readable length (never a secret's). */
  value?: string;
  /** The values it may take. */
  allowed?: readonly string[];
  remedy?: Remedy;
}

/** How an edge says an input and a remedy (src/cli/words.ts, src/server/words.ts). */
export interface Words {
  /** An input: "--ttl" on the CLI, "ttl" in a body. */
  field(field: string): string;
  /** A field's value, quoted as this edge quotes it: "--param k=v", "ttl '3x'". */
  valued?(field: string, value: string): string;
  remedy(r: Remedy): string;
}

/** The words of no edge in particular: logs, the registry's operation messages. */
export const NEUTRAL: Words = {
  field: (f) => (f === "name" || f === "environment" ? "environment name" : f.startsWith("params.") ? `parameter ${f.slice(7)}` : f),
  valued: (f, v) => (f.startsWith("params.") ? `parameter ${f.slice(7)}=${v}` : `invalid ${NEUTRAL.field(f)} '${v}'`),
  remedy: (r) =>
    "option" in r
      ? `set ${r.option}${r.effect ? ` ${r.effect}` : ""}`
      : "run" in r
        ? r.run === "destroy-cascade"
          ? `destroy ${r.environment} with cascade`
          : r.run === "forget"
            ? `if the cluster is gone for good, forget ${r.environment}`
            : r.run === "health"
              ? `check ${r.environment}'s health again once it is fixed`
              : `${r.run} ${r.environment}`
        : r.see === "logs"
          ? `see the events of operation ${r.operation}`
          : `see the ${r.see}${r.id ? ` (${r.id})` : ""}`,
};

/** The one line an error says, in an edge's words. */
export function describe(detail: string, hint: Hint, words: Words): string {
  let text = detail;
  if (hint.field) {
    const name =
      hint.value === undefined ? words.field(hint.field) : (words.valued?.(hint.field, hint.value) ?? `invalid ${words.field(hint.field)} '${hint.value}'`);
    text = `${name}: ${text}`;
  }
  const r = hint.remedy;
  // Where to read more goes in brackets after the problem; a remedy follows it.
  if (r && "see" in r && r.see === "logs") text += ` (${words.remedy(r)})`;
  else if (r) text += `${r.or ? ", or " : ": "}${words.remedy(r)}`;
  return text;
}

export class InfraError extends Error {
  /** The problem alone, without the field it is about or the remedy (each edge adds its own words). */
  readonly detail: string;
  constructor(
    detail: string,
    readonly kind: ErrorKind = "internal",
    readonly hint: Hint = {},
  ) {
    super(describe(detail, hint, NEUTRAL));
    this.detail = detail;
    this.name = new.target.name;
  }
}

/** An error's line in an edge's words (any error: one that is not ours says its message). */
export function sayError(err: unknown, words: Words): string {
  const e = err as { detail?: unknown; hint?: Hint; message?: string };
  if (isInfraError(err) && typeof e.detail === "string") return describe(e.detail, e.hint ?? {}, words);
  return String(e?.message ?? err);
}

/** Bad input: a flag, a name, a parameter, a template. Nothing was written. */
export class UsageError extends InfraError {
  constructor(message: string, hint: Hint = {}) {
    super(message, "usage", hint);
  }
}

/** The name is taken, or the environment is in a state that refuses the operation. */
export class ConflictError extends InfraError {
  constructor(message: string, hint: Hint = {}) {
    super(message, "conflict", hint);
  }
}

/** Another run holds the environment's lock (or this run lost it). */
export class LockedError extends InfraError {
  constructor(message: string, hint: Hint = {}) {
    super(message, "locked", hint);
  }
}

export class NotFoundError extends InfraError {
  constructor(message: string, hint: Hint = {}) {
    super(message, "not-found", hint);
  }
}

/** The engine (Pulumi, a provider, a cloud API) failed; `reasons` holds one line per failure. */
export class EngineError extends InfraError {
  constructor(
    message: string,
    readonly reasons: string[] = [],
    hint: Hint = {},
  ) {
    super(message, "engine", hint);
  }
}

const KINDS: ReadonlySet<string> = new Set<ErrorKind>(["usage", "not-found", "conflict", "locked", "engine", "internal"]);

/**
 * Whether an error is one of ours: by class, or by its kind when it comes
 * from a second copy of this module (code the CLI bundle loads from dist).
 */
export function isInfraError(err: unknown): err is InfraError {
  if (err instanceof InfraError) return true;
  const kind = (err as { kind?: unknown } | null)?.kind;
  return err instanceof Error && typeof kind === "string" && KINDS.has(kind);
}

/** An error's kind; errors that are not ours (a bug, a library's throw) are internal. */
export function kindOf(err: unknown): ErrorKind {
  return isInfraError(err) ? err.kind : "internal";
}

/** An error's hint (none for errors that are not ours). */
export function hintOf(err: unknown): Hint {
  return (isInfraError(err) && (err as InfraError).hint) || {};
}

/** A value as a message may quote it: printable, at most `max` characters, its length said when cut. */
export function shown(value: unknown, max = 80): string {
  const text = String(value).replace(/[^\x20-\x7e\u00a0-\uffff]/g, "?");
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
