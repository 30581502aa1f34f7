// POST /api/v1/hooks/github: pull request events become preview environments.
// No bearer token (GitHub sends none): the body's HMAC-SHA256 with the shared
// secret (X-Hub-Signature-256), compared in constant time, before anything is
// read; a delivery seen before (X-GitHub-Delivery) runs nothing. The commands
// go through the one front door like any request's; how each ends goes back
// to GitHub as a commit status and one comment on the pull request.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { SetPlan } from "../../app/set-plan.js";
import type { Registry } from "../../registry/types.js";
import type { GitHub } from "../github.js";
import { PREVIEW_FILE, previewCommand, readPullRequest, type PullRequestEvent } from "../preview.js";
import { HttpProblem } from "../problem.js";
import * as S from "../schemas.js";
import type { Submitter } from "../submit.js";

export interface HookOptions {
  registry: Registry;
  submitter: Submitter;
  /** Absent: the hook answers 404, saying how to turn it on. */
  github?: { secret: Buffer; client: GitHub };
  role: { secondaryOf?: string };
}

const CONTEXT = "infra/preview";
const DELIVERY = /^[A-Za-z0-9-]{1,100}$/;
const FOLLOW_MS = 500;
const FOLLOW_FOR_MS = 2 * 60 * 60 * 1000;

/** Whether the signature header is the body's HMAC-SHA256 with the secret (constant time). */
export function signedBy(secret: Buffer, body: Buffer, header: unknown): boolean {
  if (typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const given = Buffer.from(header.slice(7), "hex");
  const want = createHmac("sha256", secret).update(body).digest();
  return given.length === want.length && timingSafeEqual(given, want);
}

export async function hookRoutes(app: FastifyInstance, o: HookOptions): Promise<void> {
  // The body as bytes: the signature is over exactly what was sent.
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  app.post("/api/v1/hooks/github", { schema: S.githubHook }, async function githubHook(req, reply) {
    if (!o.github)
      throw new HttpProblem(404, "GitHub webhooks are off: start infra server with INFRA_GITHUB_WEBHOOK_SECRET_FILE (or INFRA_GITHUB_WEBHOOK_SECRET)");
    if (o.role.secondaryOf) throw new HttpProblem(503, `this server is a secondary of ${o.role.secondaryOf}: point the webhook at the primary`);
    const body = req.body as Buffer;
    if (!Buffer.isBuffer(body) || !signedBy(o.github.secret, body, req.headers["x-hub-signature-256"])) {
      throw new HttpProblem(401, "the X-Hub-Signature-256 header is missing or is not this body's signature with the webhook's secret");
    }
    const delivery = req.headers["x-github-delivery"];
    if (typeof delivery !== "string" || !DELIVERY.test(delivery)) throw new HttpProblem(400, "no X-GitHub-Delivery header", { field: "x-github-delivery" });
    const event = req.headers["x-github-event"];
    if (event === "ping") return { status: "pong" };
    // Each delivery once: a repeat (GitHub's redelivery, a replay) runs nothing.
    const mark = randomUUID();
    const kept = await o.registry.rememberIdempotent("github-delivery", delivery, mark);
    if (kept.operationId !== mark) return { status: "replayed", delivery };
    if (event !== "pull_request") return { status: "ignored", reason: `infra acts on pull_request events, not ${String(event).slice(0, 50)}` };
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw new HttpProblem(400, "the body is not JSON");
    }
    const pr = readPullRequest(parsed);
    if (!pr) return { status: "ignored", reason: "infra acts on opened, reopened, synchronize and closed" };
    const gh = o.github.client;
    const who = { who: `github:${pr.repository}`, scope: "github" };
    if (pr.action === "destroy") {
      const s = await o.submitter.submit({ kind: "destroy", environment: pr.environment }, who).catch((err: unknown) => {
        // A pull request closed before its environment was made: nothing to destroy.
        if ((err as { kind?: string }).kind === "not-found") return { outcome: undefined, operationId: undefined };
        throw err;
      });
      void follow(o, req.log, pr, { operationId: s.operationId });
      reply.code(202);
      return { status: "accepted", environment: pr.environment, action: "destroy", ...(s.operationId && { operationId: s.operationId }) };
    }
    const file = await gh.file(pr.repository, PREVIEW_FILE, pr.sha).catch((err: unknown) => {
      throw new HttpProblem(502, `could not read ${PREVIEW_FILE} of ${pr.repository}: ${(err as Error).message}`);
    });
    if (file === undefined) return { status: "ignored", reason: `${pr.repository} has no ${PREVIEW_FILE} at ${pr.sha.slice(0, 7)}` };
    let s: Awaited<ReturnType<Submitter["submit"]>>;
    try {
      s = await o.submitter.submit(previewCommand(pr, file), who);
    } catch (err) {
      // Refused (a bad infra-preview.yaml, a template that does not exist): the pull request says why.
      void report(o, req.log, pr, { state: "failure", description: (err as Error).message.split("\n")[0]! });
      throw err;
    }
    const plan = s.outcome?.kind === "set" ? s.outcome.result : undefined;
    // In order: GitHub shows a commit's latest status.
    void report(o, req.log, pr, { state: "pending", description: `${pr.environment}: ${plan?.steps[0]?.action ?? "apply"} running` }).then(() =>
      follow(o, req.log, pr, { plan }),
    );
    reply.code(202);
    return { status: "accepted", environment: pr.environment, action: plan?.steps[0]?.action ?? "apply" };
  });
}

/** Waits for the run to end (in this process), then says how it went on the pull request. */
async function follow(o: HookOptions, log: FastifyBaseLogger, pr: PullRequestEvent, run: { plan?: SetPlan; operationId?: string }): Promise<void> {
  const until = Date.now() + FOLLOW_FOR_MS;
  const wait = () => new Promise((r) => setTimeout(r, FOLLOW_MS).unref());
  try {
    let failed: string | undefined;
    if (run.plan) {
      while (!run.plan.done && Date.now() < until) await wait();
      const step = run.plan.steps[0];
      if (step && step.result !== "succeeded" && step.result !== "unchanged") failed = step.message ?? `${step.action} ${step.result ?? "did not end"}`;
    } else if (run.operationId) {
      for (;;) {
        const op = await o.registry.operation(run.operationId);
        if (op && op.result !== "running") {
          if (op.result !== "succeeded") failed = op.message ?? `destroy ${op.result}`;
          break;
        }
        if (Date.now() > until) break;
        await wait();
      }
    }
    const env = await o.registry.get(pr.environment);
    const entry = env && Object.entries(env.outputs).find(([, v]) => v.kind === "entrypoint" && typeof v.value === "string");
    if (failed) return await report(o, log, pr, { state: "failure", description: `${pr.environment}: ${failed}` });
    if (pr.action === "destroy") return await report(o, log, pr, { state: "success", description: `${pr.environment} destroyed (pull request closed)` });
    await report(o, log, pr, {
      state: "success",
      description: `${pr.environment} ${env?.status ?? "deployed"}`,
      ...(entry && { targetUrl: String(entry[1].value) }),
    });
  } catch (err) {
    log.warn({ environment: pr.environment, reason: (err as Error).message }, "a preview environment's run could not be followed");
  }
}

/** A commit status and the pull request's comment; GitHub's refusals are logged, never thrown. */
async function report(
  o: HookOptions,
  log: FastifyBaseLogger,
  pr: PullRequestEvent,
  s: { state: "pending" | "success" | "failure"; description: string; targetUrl?: string },
): Promise<void> {
  const gh = o.github!.client;
  if (!gh.canReport) return;
  try {
    const env = s.state === "pending" ? undefined : await o.registry.get(pr.environment);
    await gh.status(pr.repository, pr.sha, CONTEXT, s);
    if (s.state === "pending") return;
    const outputs = Object.entries(env?.outputs ?? {}).filter(([, v]) => v.kind === "entrypoint" && v.value !== undefined);
    const cell = (v: unknown) =>
      String(v)
        .replace(/[|\r\n`]/g, " ")
        .slice(0, 300);
    const lines = [
      `**infra preview** \`${pr.environment}\`: ${cell(s.description)} (commit ${pr.sha.slice(0, 7)})`,
      ...(outputs.length && pr.action !== "destroy"
        ? ["", "| entrypoint | address |", "| --- | --- |", ...outputs.map(([k, v]) => `| ${cell(k)} | ${cell(v.value)} |`)]
        : []),
    ];
    await gh.comment(pr.repository, pr.number, `<!-- infra-preview:${pr.environment} -->`, lines.join("\n"));
  } catch (err) {
    log.warn({ environment: pr.environment, reason: (err as Error).message }, "GitHub did not take the preview's status");
  }
}
