// Errors a user can act on. Each carries the exit code the CLI returns:
// 1 failure, 2 usage error (bad input), 3 locked or conflict.
export const EXIT = { ok: 0, failure: 1, usage: 2, conflict: 3 } as const;

export class InfraError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: a flag, a name, a parameter. Nothing was written. */
export class UsageError extends InfraError {
  constructor(message: string) {
    super(message, EXIT.usage);
  }
}

/** Another operation holds the environment, or the name is taken. */
export class ConflictError extends InfraError {
  constructor(message: string) {
    super(message, EXIT.conflict);
  }
}

export class NotFoundError extends InfraError {
  constructor(message: string) {
    super(message, EXIT.failure);
  }
}
