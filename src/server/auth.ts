// Bearer tokens: made by `infra server token create`, shown once, kept in the
// registry only as a SHA-256 hash. Read tokens may GET; write tokens may also
// change environments.
import { hashToken, newToken } from "../core/token.js";
import type { Registry, TokenRecord, TokenRole } from "../registry/types.js";
import { UsageError } from "../core/errors.js";
import { HttpProblem } from "./problem.js";

const TOKEN_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export { hashToken };

export async function createToken(registry: Registry, name: string, role: string, who: string): Promise<string> {
  if (!TOKEN_NAME.test(name)) throw new UsageError(`--name ${name.slice(0, 64)}: token names are lowercase letters, digits and '-'`);
  if (role !== "read" && role !== "write") throw new UsageError(`--role ${role.slice(0, 20)}: read or write`);
  const secret = newToken();
  await registry.createToken({ name, hash: hashToken(secret), role: role as TokenRole }, who);
  return secret;
}

/** The name a bootstrap token gets: from its hash, so a second start finds it and a revoked one stays revoked. */
export const bootstrapTokenName = (hash: string) => `bootstrap-${hash.slice(0, 12)}`;

/**
 * Registers the write token `infra bootstrap` showed its user once, by the hash the meta
 * environment mounted (the secret itself never reaches the cluster). Once only: a token with
 * that name revoked since is not brought back.
 */
export async function registerBootstrapToken(registry: Registry, hash: string): Promise<"registered" | "known" | "revoked"> {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new UsageError("--bootstrap-token-hash-file: the file holds no SHA-256 (64 hexadecimal digits)");
  if (await registry.tokenByHash(hash)) return "known";
  const name = bootstrapTokenName(hash);
  if ((await registry.tokens()).some((t) => t.name === name)) return "revoked";
  await registry.createToken({ name, hash, role: "write" }, "infra bootstrap");
  return "registered";
}

/**
 * The header a client sends the token in, bare, where Authorization is not its own: a Kubernetes API
 * server's service proxy authenticates the caller with Authorization and takes it off before proxying.
 */
export const TOKEN_HEADER = "X-Infra-Token";
const TOKEN = /^[A-Za-z0-9_-]{1,200}$/;

/** The token a request's Authorization header (or X-Infra-Token) carries: 401 when there is none or it is unknown. */
export async function authenticate(registry: Registry, header: string | undefined, tokenHeader?: string | string[]): Promise<TokenRecord> {
  const bare = typeof tokenHeader === "string" && TOKEN.test(tokenHeader) ? tokenHeader : undefined;
  const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header ?? "");
  const presented = m?.[1] ?? (header === undefined ? bare : undefined);
  if (!presented)
    throw new HttpProblem(401, `this endpoint needs a token: Authorization: Bearer <token> (infra server token create), or ${TOKEN_HEADER}: <token>`);
  const token = await registry.tokenByHash(hashToken(presented));
  if (!token) throw new HttpProblem(401, "unknown or revoked token");
  return token;
}

export function mayWrite(token: TokenRecord): void {
  if (token.role !== "write") throw new HttpProblem(403, `token ${token.name} may only read: changes need a write token`);
}
