// infra's bearer tokens: `infra_` and 32 random bytes, kept anywhere only as a
// SHA-256 hash (the server's registry, the meta environment's Secret).
import { createHash, randomBytes } from "node:crypto";

export const newToken = () => `infra_${randomBytes(32).toString("base64url")}`;
export const hashToken = (secret: string) => createHash("sha256").update(secret).digest("hex");
