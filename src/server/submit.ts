// A command from the REST API or the bus, submitted: normalised by the one
// front door (src/app/commands.ts), de-duplicated by its idempotency key
// (src/app/idempotency.ts), run by the workers. Both doors call this.
import { fingerprint, normalise, type CommandInput, type Defaults } from "../app/commands.js";
import { execute } from "../app/execute.js";
import { submitOnce, type Submitted } from "../app/idempotency.js";
import type { Registry } from "../registry/types.js";
import type { Operations } from "./operations.js";

export interface Submitter {
  /** `scope`: whose keys these are (a token's name, or the bus); `who`: the actor the audit log names. */
  submit(input: CommandInput | unknown, o: { who: string; scope: string; key?: string }): Promise<Submitted>;
}

export function submitter(registry: Registry, operations: Operations, defaults: () => Defaults): Submitter {
  return {
    async submit(input, o) {
      const command = normalise(input, defaults());
      return submitOnce(registry, o.scope, o.key, fingerprint(command), () => operations.start(o.who, (ctx) => execute(ctx, command)));
    },
  };
}
