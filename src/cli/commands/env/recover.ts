// `infra env recover <name>`: after an interrupted or failed run.
import type { EngineOptions } from "../../app.js";
import { submitCommand } from "./submit.js";

export async function envRecover(name: string, opts: EngineOptions): Promise<void> {
  await submitCommand({ kind: "recover", environment: name }, opts);
}
