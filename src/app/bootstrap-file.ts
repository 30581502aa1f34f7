// The bootstrap file (infra-bootstrap.yaml in one of the organisation's
// template repositories, or --file): which meta services, chart versions and
// values, and the environments that should exist. Untrusted input: parsed
// with a size limit, checked strictly, each problem one line.
import { z } from "zod";
import { UsageError } from "../core/errors.js";
import { NAME } from "../core/inputs.js";

export const BOOTSTRAP_FILE = "infra-bootstrap.yaml";
/** host[:port]/path of an image repository's parent, as OCI distribution names it (lower case). */
export const REGISTRY = /^[a-z0-9]([a-z0-9.-]{0,252}[a-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*){0,8}$/;
const MAX_BYTES = 64 * 1024;
const KEY = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;

const chartOverride = z.strictObject({
  version: z
    .string()
    .regex(/^v?[0-9][0-9A-Za-z.+-]{0,40}$/, "a chart version like 1.6.1")
    .optional(),
  values: z.record(z.string(), z.unknown()).optional(),
});

export const bootstrapFileSchema = z.strictObject({
  services: z
    .strictObject({
      consul: z.boolean().optional(),
      vault: z.boolean().optional(),
      observability: z.boolean().optional(),
      gitops: z.boolean().optional(),
    })
    .default({}),
  sizes: z
    .strictObject({
      consulServers: z.number().int().min(1).max(7).optional(),
      vaultReplicas: z.number().int().min(1).max(7).optional(),
      ingressReplicas: z.number().int().min(1).max(10).optional(),
      apiReplicas: z.number().int().min(1).max(10).optional(),
    })
    .default({}),
  mirror: z.string().max(1000).optional(),
  acmeEmail: z.string().max(200).optional(),
  apiImage: z.string().max(300).optional(),
  /** Where the API keeps its environments' state, over the location's (like --api-backend): a bucket its pods can reach. */
  apiBackend: z.string().max(500).optional(),
  /** Where bootstrap ships infra's image where the location makes no registry (like --registry). */
  registry: z.string().max(300).regex(REGISTRY, "a registry and path, like registry.acme.internal:5000/platform").optional(),
  /** The cluster on OpenStack: what the meta program's OpenStack location needs (no defaults a cloud could guess). */
  openstack: z
    .strictObject({
      externalNetworkId: z.string().regex(/^[0-9a-fA-F-]{8,64}$/, "the ID of the cloud's external network (a UUID)"),
      image: z.string().min(1).max(200),
      flavor: z.string().min(1).max(100),
      sshPublicKey: z
        .string()
        .regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]{16,8000}( [^\n]{0,200})?$/, "one OpenSSH public key line"),
      adminCidr: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "who may reach the API server and SSH, as a CIDR like 203.0.113.0/24"),
      floatingIpPool: z.string().min(1).max(100).optional(),
      k3sVersion: z
        .string()
        .regex(/^v\d+\.\d+\.\d+\+k3s\d+$/, "a k3s release like v1.31.4+k3s1")
        .optional(),
      /** Swift's S3 API: the API's state goes to a container there; absent, it stays on the API's volume. */
      stateEndpoint: z
        .string()
        .max(300)
        .regex(/^https:\/\/[a-z0-9]([a-z0-9.-]{0,252}[a-z0-9])?(:[0-9]{1,5})?\/?$/, "Swift's S3 endpoint, like https://s3.gra.io.cloud.ovh.net")
        .optional(),
      stateVersioning: z.boolean().optional(),
    })
    .optional(),
  charts: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, "chart names are lowercase"), chartOverride).default({}),
  environments: z
    .array(
      z.strictObject({
        name: z.string().regex(NAME, "environment names are lowercase letters, digits and '-', starting with a letter, at most 40 characters"),
        template: z.string().max(200),
        params: z.record(z.string().regex(KEY), z.union([z.string().max(4096), z.number(), z.boolean()])).default({}),
        tags: z.record(z.string().regex(KEY), z.string().max(200)).default({}),
        location: z.string().max(300).optional(),
        description: z.string().max(1000).optional(),
      }),
    )
    .max(100)
    .default([]),
});

export type BootstrapFile = z.infer<typeof bootstrapFileSchema>;

export const EMPTY_BOOTSTRAP: BootstrapFile = bootstrapFileSchema.parse({});

/** Parses a bootstrap file's text; `where` names it in errors. */
export async function parseBootstrapFile(text: string, where: string): Promise<BootstrapFile> {
  if (Buffer.byteLength(text) > MAX_BYTES) throw new UsageError(`${where}: larger than ${MAX_BYTES / 1024} KiB`);
  const { parse } = await import("yaml");
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 50 }) ?? {};
  } catch (err) {
    throw new UsageError(`${where}: not YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const r = bootstrapFileSchema.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new UsageError(`${where}: ${i.path.join(".") || "(top)"}: ${i.message}`);
  }
  const names = new Set<string>();
  for (const e of r.data.environments) {
    if (e.name === "meta") throw new UsageError(`${where}: environments: meta is the meta environment itself; name yours otherwise`);
    if (names.has(e.name)) throw new UsageError(`${where}: environments: ${e.name} is listed twice`);
    names.add(e.name);
  }
  return r.data;
}
