// Ctrl-C and SIGTERM (systemd, Kubernetes and CI send it) during an
// operation: the first stops the engine after its steps in flight and leaves
// the environment interrupted; a second stops at once.
import { EXIT } from "./exit.js";

export interface Interrupts {
  signal: AbortSignal;
  dispose(): void;
}

export function onInterrupt(what: () => string): Interrupts {
  const abort = new AbortController();
  let count = 0;
  const handler = (sig: NodeJS.Signals) => {
    count++;
    const name = what();
    if (count === 1) {
      process.stderr.write(
        `\ninfra: ${sig === "SIGTERM" ? "terminated; " : ""}stopping ${name}: the engine finishes the steps in flight (${sig === "SIGTERM" ? "SIGTERM" : "Ctrl-C"} again to stop at once)\n`,
      );
      abort.abort();
    } else {
      process.stderr.write(`infra: stopped; ${name} is left interrupted: run infra env recover ${name}\n`);
      process.exit(EXIT.interrupted);
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: abort.signal,
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
