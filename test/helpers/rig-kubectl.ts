// Set-up file of the e2e tests: they drive the sandbox with the kubectl the
// sandbox rig builds at its API server's version, not whichever kubectl the
// machine has. Kubernetes supports a kubectl one minor version either side of
// its API server; the machine's was 1.32 against 1.36, and its exec over WebSocket
// sometimes dropped the API server's error (client-go's stream race, fixed since).
import { delimiter, dirname } from "node:path";
import { rigKubectl } from "../../src/sandbox/rig.js";

// No rig: the sandbox tests fail on that themselves, with the command that builds it.
const kubectl = rigKubectl();
if (kubectl && !process.env.PATH?.startsWith(dirname(kubectl) + delimiter)) {
  process.env.PATH = `${dirname(kubectl)}${delimiter}${process.env.PATH ?? ""}`;
}
