// The template format: YAML validated with zod. A template composes
// components (programs/components) whose inputs are expressions over the
// template's parameters, earlier components' outputs and other environments'
// outputs. Treat every template as untrusted input.
import { z } from "zod";
import { whenParameter } from "./expr.js";
import { parsePath } from "./paths.js";

const NAME = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$|^[a-z]$/;
const KEY = /^[a-z][a-zA-Z0-9_]{0,62}$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$/;

const scalar = z.union([z.string().max(4096), z.number(), z.boolean()]);

export const parameterSchema = z
  .strictObject({
    type: z.enum(["string", "integer", "number", "boolean", "environment"]),
    description: z.string().max(1000).default(""),
    default: scalar.optional(),
    /** Kept encrypted in the stack config, shown as [secret] everywhere. */
    secret: z.boolean().default(false),
    /** May be left out (no default): expressions reading it get nothing. */
    optional: z.boolean().default(false),
    enum: z.array(scalar).min(1).max(100).optional(),
    /** A regular expression the whole value must match (strings only; checked for safety). */
    pattern: z.string().max(200).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .refine((p) => !(p.secret && p.default !== undefined), { message: "a secret parameter cannot have a default" })
  .refine((p) => p.type !== "environment" || !p.secret, { message: "an environment parameter cannot be secret" })
  .refine((p) => !(p.optional && p.default !== undefined), { message: "an optional parameter has no default (give one or the other)" });

export const componentSchema = z.strictObject({
  name: z.string().regex(KEY, "component names are lowerCamelCase: a letter, then letters, digits or _"),
  /** A component id: <group>/<name>, e.g. random/password. */
  use: z.string().regex(/^[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*$/, "use a component id like random/password"),
  with: z
    .record(
      z.string().regex(KEY),
      z.union([
        scalar,
        z.array(scalar).max(100),
        // A map input (a command's environment): names like NAME_LIKE_THIS.
        z.record(z.string().regex(ENV_NAME, "variable names are NAME_LIKE_THIS: capitals, digits and _"), scalar),
      ]),
    )
    .default({}),
  /** Only when this boolean parameter is true: ${params.NAME}. */
  when: z
    .string()
    .max(200)
    .refine((w) => whenParameter(w) !== undefined, "when takes one boolean parameter: ${params.NAME}")
    .optional(),
});

/** Location kinds: where an environment's resources live. */
export const LOCATION_KINDS = ["local", "sandbox", "kubernetes", "gcp", "aws", "openstack"] as const;

export const outputSchema = z.union([
  z.string().max(1000),
  z.strictObject({
    value: z.string().max(1000),
    /** entrypoint: where users go (a URL); status: a health or status endpoint. */
    kind: z.enum(["entrypoint", "status", "info"]).default("info"),
    description: z.string().max(500).default(""),
  }),
]);

/** A duration in a template: 500ms, 5s, 2m. */
const DURATION = /^[1-9][0-9]{0,5}(ms|s|m)$/;
const duration = z.string().regex(DURATION, "a duration like 500ms, 5s or 2m");

/** How the status outputs are probed after a deployment and on demand (infra env health). */
export const healthSchema = z.strictObject({
  /** Between two attempts at a failing check. */
  interval: duration.default("2s"),
  /** One attempt's limit. */
  timeout: duration.default("5s"),
  /** How long a check may keep failing before it counts as failed. */
  deadline: duration.default("2m"),
});

/** Drift ignore rules: fields of a kind that something else owns (an HPA's replicas). */
export const driftSchema = z.strictObject({
  ignore: z
    .array(
      z.strictObject({
        /** A Kubernetes kind (Deployment) or a full type token (kubernetes:apps/v1:Deployment). */
        kind: z
          .string()
          .max(200)
          .regex(
            /^[A-Za-z][A-Za-z0-9]{0,62}$|^[a-z][a-z0-9-]*:[A-Za-z0-9./_-]*:[A-Za-z][A-Za-z0-9]*$/,
            "a kind like Deployment, or a type like kubernetes:apps/v1:Deployment",
          ),
        paths: z
          .array(z.string().refine((p) => parsePath(p) !== undefined, "not a field path: keys joined by dots, [n] or [*] for list items, e.g. spec.replicas"))
          .min(1)
          .max(50),
      }),
    )
    .max(50)
    .default([]),
  /** What the server's sweep does when it finds the environment drifted: reconcile puts it back (Argo CD's selfHeal). */
  remediate: z.enum(["none", "reconcile"]).default("none"),
});

export const templateSchema = z.strictObject({
  id: z.string().regex(NAME, "template ids are lowercase letters, digits and '-', starting with a letter"),
  version: z.string().regex(SEMVER, "versions are semver, like 1.2.0"),
  description: z.string().max(2000).default(""),
  parameters: z.record(z.string().regex(KEY, "parameter names are lowerCamelCase"), parameterSchema).default({}),
  components: z.array(componentSchema).min(1).max(200),
  /** The location kinds it can be created in; all when absent. */
  locations: z.array(z.enum(LOCATION_KINDS)).min(1).optional(),
  outputs: z.record(z.string().regex(KEY), outputSchema).default({}),
  tags: z.record(z.string().regex(KEY), z.string().max(200)).default({}),
  health: healthSchema.optional(),
  drift: driftSchema.optional(),
});

export type TemplateSpec = z.infer<typeof templateSchema>;
export type ParameterSpec = z.infer<typeof parameterSchema>;
export type ComponentSpec = z.infer<typeof componentSchema>;
