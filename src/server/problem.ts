// Errors as application/problem+json (RFC 9457): the kind an error carries
// chooses the status here, at the edge; no stack trace ever leaves.
import type { FastifyReply } from "fastify";
import { hintOf, isInfraError, kindOf, sayError } from "../core/errors.js";
import { REST_WORDS } from "./words.js";

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The status for an error: a use case's kind, fastify's own codes, or 500. */
export function statusOf(err: unknown): number {
  if (err instanceof HttpProblem) return err.status;
  if (isInfraError(err)) {
    switch (kindOf(err)) {
      case "usage":
        return 422;
      case "not-found":
        return 404;
      case "conflict":
      case "locked":
        return 409;
      default:
        return 500;
    }
  }
  const e = err as { statusCode?: number; validation?: unknown };
  if (e.validation) return 400;
  if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) return e.statusCode;
  return 500;
}

/** An error as a problem: its status, one line in the API's words, and the hint's field and allowed values. */
export function problemOf(err: unknown): { status: number; detail: string; extra: Record<string, unknown> } {
  const status = statusOf(err);
  const hint = hintOf(err);
  const extra: Record<string, unknown> = err instanceof HttpProblem ? { ...err.extra } : {};
  if (hint.field) extra.field = REST_WORDS.field(hint.field);
  const v = (err as { validation?: { instancePath: string; params: Record<string, unknown> }[] }).validation?.[0];
  if (v) extra.field = v.instancePath.replace(/^\//, "").replace(/\//g, ".") || String(v.params.missingProperty ?? v.params.additionalProperty ?? "body");
  if (hint.allowed) extra.allowed = [...hint.allowed];
  // The parts the detail was made of, for a client to say it in its own words (the CLI names its flags).
  if (isInfraError(err) && status < 500 && typeof (err as { detail?: unknown }).detail === "string") {
    extra.reason = (err as { detail: string }).detail.slice(0, 1000);
    if (hint.value !== undefined) extra.value = hint.value;
    if (hint.remedy) extra.remedy = hint.remedy;
  }
  return { status, detail: detailOf(err, status), extra };
}

/** One line, no stack: a 5xx says only that it failed (the log has the rest). */
export function detailOf(err: unknown, status: number): string {
  if (status >= 500 && !(err instanceof HttpProblem)) return "the server failed to handle this request; its log says why";
  if (isInfraError(err)) return sayError(err, REST_WORDS).split("\n")[0]!.slice(0, 1000);
  const v = (err as { validation?: { keyword: string; instancePath: string; params: Record<string, unknown> }[]; validationContext?: string }).validation?.[0];
  if (v?.keyword === "additionalProperties") {
    return `${(err as { validationContext?: string }).validationContext ?? "body"}${v.instancePath.replace(/\//g, ".")}: unknown field '${String(v.params.additionalProperty).slice(0, 100)}'`;
  }
  const msg = (err as Error).message ?? String(err);
  return msg.split("\n")[0]!.slice(0, 1000);
}

export function sendProblem(reply: FastifyReply, status: number, detail: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply
    .code(status)
    .type("application/problem+json")
    .send({ type: "about:blank", title: TITLES[status] ?? "Error", status, detail, ...extra });
}
