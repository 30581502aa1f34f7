// Where infra keeps its state: $INFRA_HOME, or ~/.infra.
import { homedir } from "node:os";
import { join } from "node:path";

export function infraHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.INFRA_HOME || join(homedir(), ".infra");
}
