// `infra env recover <name>`: after an interrupted or failed run.
// `infra env forget <name>`: when the environment's cluster is gone for good.
import type { EngineOptions } from "../../app-context.js";
import { submitCommand } from "./submit.js";

export async function envRecover(name: string, opts: EngineOptions): Promise<void> {
  await submitCommand({ kind: "recover", environment: name }, opts);
}

export async function envForget(name: string, opts: EngineOptions): Promise<void> {
  await submitCommand({ kind: "forget", environment: name }, opts);
}
