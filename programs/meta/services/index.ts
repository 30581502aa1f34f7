// The meta environment's services, each a component templates can use
// (templates/meta): see programs/components/catalogue.ts for their inputs.
export { cluster } from "./cluster.js";
export { ca } from "./pki.js";
export { consul } from "./consul.js";
export { vault } from "./vault.js";
export { observability } from "./observability.js";
export { ingress } from "./ingress.js";
export { platform } from "./platform.js";
export { gitops } from "./gitops.js";
