// The inputs of command/local (see args.ts).
import { defineArgs } from "./args.js";

export const localArgs = defineArgs({
  create: {
    kind: "string",
    required: true,
    literal: true,
    description: "the command run on create (and on update when there is no update command); no expressions: read values from environment",
  },
  update: { kind: "string", literal: true, description: "the command run on update" },
  delete: { kind: "string", literal: true, description: "the command run on delete" },
  environment: {
    kind: "map",
    description: "variables the command sees (NAME: value, expressions allowed); the command sees no other variable of infra's but PATH, HOME, LANG and TMPDIR",
  },
  triggers: { kind: "any", description: "values whose change replaces the command (runs delete, then create)" },
});
