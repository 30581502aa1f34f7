// The inputs of random/pet and random/password (see args.ts).
import { defineArgs } from "./args.js";

export const petArgs = defineArgs({
  length: { kind: "number", description: "number of words", default: 2 },
  prefix: { kind: "string", description: "a prefix for the name" },
});

export const passwordArgs = defineArgs({
  length: { kind: "number", description: "number of characters", default: 24 },
  special: { kind: "boolean", description: "include special characters", default: false },
});
