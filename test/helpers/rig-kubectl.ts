// Set-up file of the e2e tests: they drive the sandbox with the kubectl the
// sandbox rig builds at its API server's version, not whichever kubectl the
// machine has. Kubernetes supports a kubectl one minor version either side of
// its API server; the machine's was 1.32 against 1.36, and its exec over WebSocket
// sometimes dropped the API server's error (client-go's stream race, fixed since).
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { sandboxRig } from "../../src/sandbox/rig.js";

let bin: string | undefined;
try {
  bin = join(sandboxRig().dir, "bin");
} catch {
  // No rig: the sandbox tests fail on that themselves, with the command that builds it.
}
if (bin && existsSync(join(bin, "kubectl")) && !process.env.PATH?.startsWith(bin + delimiter)) {
  process.env.PATH = `${bin}${delimiter}${process.env.PATH ?? ""}`;
}
