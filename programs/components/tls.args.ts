// The inputs of tls/self-signed-cert (see args.ts).
import { defineArgs } from "./args.js";

export const selfSignedCertArgs = defineArgs({
  commonName: { kind: "string", description: "the certificate's common name", required: true },
  dnsNames: { kind: "list", description: "subject alternative DNS names", default: [] },
  validityHours: { kind: "number", description: "validity in hours", default: 720 },
  isCa: { kind: "boolean", description: "make it a CA certificate", default: false },
});
