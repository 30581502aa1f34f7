// Errors a user can act on. Each carries a kind; the edges choose what a kind
// becomes (the CLI an exit code in src/cli/exit.ts, the server an HTTP status).
export type ErrorKind = "usage" | "not-found" | "conflict" | "locked" | "engine" | "internal";

export class InfraError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind = "internal",
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: a flag, a name, a parameter, a template. Nothing was written. */
export class UsageError extends InfraError {
  constructor(message: string) {
    super(message, "usage");
  }
}

/** The name is taken, or the environment is in a state that refuses the operation. */
export class ConflictError extends InfraError {
  constructor(message: string) {
    super(message, "conflict");
  }
}

/** Another run holds the environment's lock (or this run lost it). */
export class LockedError extends InfraError {
  constructor(message: string) {
    super(message, "locked");
  }
}

export class NotFoundError extends InfraError {
  constructor(message: string) {
    super(message, "not-found");
  }
}

/** The engine (Pulumi, a provider, a cloud API) failed; `reasons` holds one line per failure. */
export class EngineError extends InfraError {
  constructor(
    message: string,
    readonly reasons: string[] = [],
  ) {
    super(message, "engine");
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
