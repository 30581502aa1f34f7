// Preview environments for pull requests: a GitHub pull_request event, read
// into what infra does (apply a set of one, or destroy), with the template the
// repository's infra-preview.yaml names. Every value from the payload or the
// file is untrusted: checked, and only ever a parameter's value.
import { parse } from "yaml";
import { z } from "zod";
import type { CommandInput } from "../app/commands.js";
import { UsageError } from "../core/errors.js";
import { REPOSITORY } from "./github.js";

export const PREVIEW_FILE = "infra-preview.yaml";
const DEFAULT_TTL = "72h";

export interface PullRequestEvent {
  action: "apply" | "destroy";
  repository: string;
  number: number;
  sha: string;
  branch: string;
  environment: string;
}

const payload = z.object({
  action: z.string().max(50),
  number: z.number().int().positive().max(1e9),
  repository: z.object({ full_name: z.string().regex(REPOSITORY) }),
  pull_request: z.object({ head: z.object({ sha: z.string().regex(/^[0-9a-f]{40}$/), ref: z.string().max(255) }) }),
});

/** The environment of a pull request: pr-<repository>-<number>, within a name's 40 characters. */
export function previewName(repository: string, number: number): string {
  const repo = repository
    .split("/")[1]!
    .toLowerCase()
    .split("")
    .map((ch) => (/[a-z0-9]/.test(ch) ? ch : "-"))
    .join("")
    .split("-")
    .filter(Boolean)
    .join("-");
  const tail = `-${number}`;
  const room = 40 - 3 - tail.length;
  const cut = repo.slice(0, Math.max(0, room)).replace(/-+$/, "");
  return `pr-${cut || "repo"}${tail}`;
}

/** A pull_request event's meaning; undefined for an action infra leaves alone (labeled, edited, …). */
export function readPullRequest(body: unknown): PullRequestEvent | undefined {
  const r = payload.safeParse(body);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new UsageError(`not a pull_request event infra can read: ${i.path.join(".")}: ${i.message}`, { field: "body" });
  }
  const p = r.data;
  const action = ["opened", "reopened", "synchronize"].includes(p.action) ? "apply" : p.action === "closed" ? "destroy" : undefined;
  if (!action) return undefined;
  const repository = p.repository.full_name;
  return {
    action,
    repository,
    number: p.number,
    sha: p.pull_request.head.sha,
    branch: p.pull_request.head.ref,
    environment: previewName(repository, p.number),
  };
}

const previewFile = z.strictObject({
  template: z.string().max(200),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  ttl: z.string().max(20).optional(),
  location: z.string().max(300).optional(),
  description: z.string().max(1000).optional(),
});

/**
 * The apply command of a pull request's environment, from its infra-preview.yaml: `${head.sha}`,
 * `${head.ref}`, `${pr.number}` and `${repository}` in a parameter become the pull request's
 * (plain text replacement); a TTL of 72h unless the file says otherwise (the backstop for a lost close).
 */
export function previewCommand(e: PullRequestEvent, text: string): CommandInput {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new UsageError(`${PREVIEW_FILE} is not YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const r = previewFile.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new UsageError(`${PREVIEW_FILE}: ${i.path.join(".") || "the file"}: ${i.message} (it holds template, params, ttl, location)`);
  }
  const f = r.data;
  const fill = (v: string | number | boolean) =>
    typeof v !== "string"
      ? v
      : [
          ["${head.sha}", e.sha],
          ["${head.ref}", e.branch],
          ["${pr.number}", String(e.number)],
          ["${repository}", e.repository],
        ].reduce((s, [k, val]) => s.split(k!).join(val!), v);
  const params = Object.fromEntries(Object.entries(f.params ?? {}).map(([k, v]) => [k, fill(v)]));
  return {
    kind: "apply",
    set: e.environment,
    environments: [
      {
        name: e.environment,
        template: f.template,
        params,
        ttl: f.ttl ?? DEFAULT_TTL,
        description: f.description ?? `preview of ${e.repository}#${e.number}`,
        tags: { repository: e.repository, pr: String(e.number) },
        ...(f.location && { location: f.location }),
      },
    ],
  };
}
