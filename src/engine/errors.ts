// Engine failures to error kinds, in one place (as the Automation API's own
// errors.ts does for its classes). The reasons come from the error
// diagnostics the engine sent during the run, one line per failing resource;
// the error's text is the fallback.
import { EngineError, InfraError, LockedError, NotFoundError } from "../core/errors.js";

export interface Diagnostic {
  severity: string;
  message: string;
  urn?: string;
}

const MAX_REASON = 400;

const oneLine = (s: string) => {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > MAX_REASON ? `${t.slice(0, MAX_REASON - 1)}…` : t;
};

/** "N errors occurred: * a * b" becomes [a, b]; a single message stays whole. */
function splitErrors(message: string): string[] {
  const body = message.replace(/^\s*(error:\s*)?\d+ errors? occurred:\s*/i, "");
  const items = body.split(/\n\s*\*\s+/).map((s) => s.replace(/^\s*\*\s+/, ""));
  return items.map(oneLine).filter(Boolean);
}

/** One line per failing resource: "name (type): what went wrong". */
export function failureReasons(diagnostics: Diagnostic[]): string[] {
  const reasons: string[] = [];
  for (const d of diagnostics) {
    if (d.severity !== "error") continue;
    // The stack's own "update failed" adds nothing to the resources' reasons.
    if (/^(error:\s*)?update failed\s*$/i.test(d.message.trim())) continue;
    // urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>
    const who = d.urn ? `${d.urn.slice(d.urn.lastIndexOf("::") + 2)} (${(d.urn.split("::")[2] ?? "?").split("$").pop()})` : "";
    for (const r of splitErrors(d.message)) reasons.push(who ? `${who}: ${r}` : r);
  }
  return [...new Set(reasons)];
}

/** The error lines of the engine's own output, when no diagnostic said why. */
function textReasons(text: string): string[] {
  const lines = text
    .split("\n")
    .map((l) => l.trim().replace(/^stderr:\s*/, ""))
    .filter((l) => /^error:/.test(l) && !/^error: update failed$/.test(l))
    .map((l) => oneLine(l.replace(/^error:\s*/, "")))
    .filter((l) => !/^\d+ errors? occurred:?$/.test(l));
  return [...new Set(lines)];
}

/** An engine failure as an error of a kind, with every reason the engine gave. */
export function engineFailure(what: string, err: unknown, diagnostics: Diagnostic[]): InfraError {
  if (err instanceof InfraError) return err;
  const e = err as Error;
  if (e?.name === "ConcurrentUpdateError") {
    return new LockedError(`${what}: the Pulumi state is locked by another update; if no infra run is going on, run infra env recover`);
  }
  if (e?.name === "StackNotFoundError") return new NotFoundError(`${what}: the Pulumi stack does not exist in this state backend`);
  const text = e?.message ?? String(err);
  let reasons = failureReasons(diagnostics);
  if (!reasons.length) reasons = textReasons(text);
  // The Automation API's wrapping ("code: -2", "stdout:", "stderr:") says nothing: the CLI's own words instead.
  if (!reasons.length)
    reasons = text
      .split("\n")
      .map((l) => oneLine(l.replace(/^\s*(stderr|stdout|err\?):\s*/, "")))
      .filter((l) => l && !/^code: -?\d+$/.test(l))
      .slice(0, 1);
  if (!reasons.length) reasons = [oneLine(text.split("\n")[0] ?? "unknown error")];
  return new EngineError(reasons.length === 1 ? `${what}: ${reasons[0]}` : `${what}: ${reasons.length} errors`, reasons);
}
