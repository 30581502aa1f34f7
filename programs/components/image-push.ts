// infra's image pushed to a cloud's registry (Artifact Registry, ECR) by the
// meta environment: a dynamic resource whose create pushes the OCI layout
// bootstrap built on this machine (with the sandbox rig's oci-registry, no
// Docker) and names it by digest. The login reaches the pusher through its
// environment, never its arguments; it is not among the outputs. A push is
// the digest's: a new login alone changes nothing.
import * as pulumi from "@pulumi/pulumi";

export interface ImagePushInputs {
  /** The OCI layout folder bootstrap built. */
  layout: string;
  /** What bootstrap built (sha256:…): the pushed manifest must be it. */
  digest: string;
  /** host/path of the image in the registry, without tag or digest. */
  repository: string;
  tag: string;
  /** The sandbox rig's oci-registry (its `push`). */
  pusher: string;
  login: { username: string; password: string };
  /** repository@digest, what pods name. */
  image: string;
}

type Outs = Omit<ImagePushInputs, "login">;

// Serialized with its closure and run in the engine's dynamic provider host: each function requires what it uses.
export const imagePushProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ImagePushInputs) {
    const { execFileSync } = require("node:child_process");
    let said: string;
    try {
      said = execFileSync(inputs.pusher, ["push", "--", inputs.layout, `${inputs.repository}:${inputs.tag}`], {
        encoding: "utf8",
        env: {
          // Only what a push needs: where to find CAs (a corporate one) and docker's config, then the login.
          ...Object.fromEntries(
            ["PATH", "HOME", "SSL_CERT_FILE", "SSL_CERT_DIR", "DOCKER_CONFIG"].filter((k) => process.env[k]).map((k) => [k, process.env[k]]),
          ),
          OCI_REGISTRY_USERNAME: inputs.login.username,
          OCI_REGISTRY_PASSWORD: inputs.login.password,
        },
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 900_000,
      });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`cannot push infra's image to ${inputs.repository}: ${(e.stderr ?? "").trim().split("\n").pop() || e.message}`);
    }
    const pushed = /@(sha256:[0-9a-f]{64})/.exec(said)?.[1];
    if (pushed !== inputs.digest) throw new Error(`${inputs.repository} holds ${pushed ?? "no digest"} for infra's image, built as ${inputs.digest}`);
    const { login: _login, ...outs } = inputs;
    return { id: `${inputs.repository}@${inputs.digest}`, outs };
  },
  async diff(_id: string, olds: Outs, news: ImagePushInputs) {
    const changed = olds.digest !== news.digest || olds.repository !== news.repository || olds.tag !== news.tag;
    return { changes: changed, replaces: changed ? ["digest"] : [], deleteBeforeReplace: false };
  },
  // The image stays when meta moves on or goes: a registry's retention policy prunes, not a stack.
  async delete() {},
};

export class ImagePush extends pulumi.dynamic.Resource {
  declare readonly image: pulumi.Output<string>;
  declare readonly digest: pulumi.Output<string>;
  constructor(name: string, args: { [K in keyof ImagePushInputs]: pulumi.Input<ImagePushInputs[K]> }, opts?: pulumi.CustomResourceOptions) {
    super(imagePushProvider, name, { ...args, login: pulumi.secret(args.login) }, opts, "infra", "ImagePush");
  }
}
