// Vault's Shamir unseal keys and root token, never at rest in clear: sealed
// with the secrets passphrase (scrypt, AES-256-GCM) in a 0600 file under the
// infra home. Only `infra vault keys --show` (asked for, audited) prints them.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { InfraError, UsageError } from "../core/errors.js";

export interface VaultKeys {
  keys: string[];
  threshold: number;
  rootToken: string;
  initializedAt: string;
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export const keysFile = (home: string, environment: string) => join(home, "vault", `${environment}.keys.enc`);

function key(passphrase: string, salt: Buffer): Buffer {
  return scryptSync(passphrase, salt, 32, SCRYPT);
}

export function sealKeys(file: string, keys: VaultKeys, passphrase: string): void {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(passphrase, salt), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(keys), "utf8"), cipher.final()]);
  const doc = {
    v: 1,
    kdf: "scrypt",
    cipher: "aes-256-gcm",
    salt: salt.toString("base64"),
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    data: data.toString("base64"),
  };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(doc), { mode: 0o600 });
  renameSync(tmp, file); // never half-written
}

export function openKeys(file: string, passphrase: string): VaultKeys {
  if (!existsSync(file)) throw new UsageError(`no Vault keys at ${file}: infra vault init makes them`);
  let doc: { v: number; salt: string; iv: string; tag: string; data: string };
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new InfraError(`${file} is not a keys file infra wrote`);
  }
  try {
    const d = createDecipheriv("aes-256-gcm", key(passphrase, Buffer.from(doc.salt, "base64")), Buffer.from(doc.iv, "base64"));
    d.setAuthTag(Buffer.from(doc.tag, "base64"));
    return JSON.parse(Buffer.concat([d.update(Buffer.from(doc.data, "base64")), d.final()]).toString("utf8")) as VaultKeys;
  } catch {
    throw new UsageError(`cannot open ${file}: the secrets passphrase is not the one it was sealed with`);
  }
}
