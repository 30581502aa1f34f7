// The sandbox's certificates, made locally: a CA, the API server's serving
// certificate (loopback names only) and an admin client certificate
// (system:masters), plus the service-account signing key. openssl writes the
// keys to files; no key ever passes through a process's arguments.
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import { InfraError } from "../core/errors.js";

const run = promisify(execFile);

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  saKey: string;
  saPub: string;
}

export function pkiPaths(dir: string): Pki {
  const f = (n: string) => join(dir, n);
  return {
    dir,
    caCert: f("ca.crt"),
    caKey: f("ca.key"),
    serverCert: f("apiserver.crt"),
    serverKey: f("apiserver.key"),
    adminCert: f("admin.crt"),
    adminKey: f("admin.key"),
    saKey: f("sa.key"),
    saPub: f("sa.pub"),
  };
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run("openssl", args, { cwd, timeout: 60_000 });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === "ENOENT") throw new InfraError("openssl is not installed: the sandbox makes its certificates with it (apt-get install openssl)", "usage");
    throw new InfraError(`openssl ${args[0]} failed: ${(e.stderr ?? e.message).trim().split("\n").pop()}`);
  }
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

async function leaf(p: Pki, name: string, subject: string, ext: string): Promise<void> {
  writeFileSync(join(p.dir, `${name}.ext`), ext, { mode: 0o600 });
  await openssl(["req", "-new", ...EC, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject], p.dir);
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${name}.crt`,
      "-days",
      "3650",
      "-extfile",
      `${name}.ext`,
    ],
    p.dir,
  );
  rmSync(join(p.dir, `${name}.csr`), { force: true });
  rmSync(join(p.dir, `${name}.ext`), { force: true });
}

/** A certificate signed by the sandbox's CA, made once (an existing one is kept, and so is the CA). */
export async function ensureLeaf(p: Pki, name: string, subject: string, ext: string): Promise<{ cert: string; key: string }> {
  const cert = join(p.dir, `${name}.crt`);
  const key = join(p.dir, `${name}.key`);
  if (!existsSync(cert) || !existsSync(key)) {
    await leaf(p, name, subject, ext);
    chmodSync(cert, 0o600);
    chmodSync(key, 0o600);
  }
  return { cert, key };
}

/** Makes the certificates once; a sandbox keeps them across stop and start. */
export async function ensurePki(dir: string): Promise<Pki> {
  const p = pkiPaths(dir);
  if ([p.caCert, p.serverCert, p.adminCert, p.saKey, p.saPub].every((f) => existsSync(f))) return p;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await openssl(
    [
      "req",
      "-x509",
      ...EC,
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-days",
      "3650",
      "-subj",
      "/CN=infra-sandbox-ca",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  const names = ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"];
  await leaf(
    p,
    "apiserver",
    "/CN=kube-apiserver",
    `subjectAltName=${[...names.map((n) => `DNS:${n}`), "IP:127.0.0.1", "IP:10.96.0.1"].join(",")}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n`,
  );
  await leaf(p, "admin", "/O=system:masters/CN=infra-sandbox-admin", "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n");
  const sa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  writeFileSync(p.saKey, sa.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  writeFileSync(p.saPub, sa.publicKey.export({ type: "spki", format: "pem" }), { mode: 0o600 });
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o600);
  return p;
}
