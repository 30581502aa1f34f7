// The inputs of local/file (see args.ts).
import { defineArgs } from "./args.js";

export const fileArgs = defineArgs({
  content: { kind: "string", required: true, description: "what the file holds (expressions allowed)" },
});
