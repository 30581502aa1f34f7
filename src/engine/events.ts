// Engine events to the typed events of src/app/events.ts. The raw event is
// kept (scrubbed) in the operation's event file; this is what everyone else sees.
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import type { OperationEvent } from "../app/events.js";

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

export function typedEvents(e: EngineEvent): OperationEvent[] {
  const out: OperationEvent[] = [];
  const pre = e.resourcePreEvent?.metadata;
  if (pre) out.push({ type: "step", state: "started", op: pre.op, resourceType: pre.type, urn: pre.urn, name: nameOf(pre.urn) });
  const done = e.resOutputsEvent?.metadata;
  if (done) out.push({ type: "step", state: "done", op: done.op, resourceType: done.type, urn: done.urn, name: nameOf(done.urn) });
  const failed = e.resOpFailedEvent?.metadata;
  if (failed) out.push({ type: "step", state: "failed", op: failed.op, resourceType: failed.type, urn: failed.urn, name: nameOf(failed.urn) });
  const d = e.diagnosticEvent;
  if (d && (d.severity as string) !== "debug") {
    out.push({ type: "diagnostic", severity: d.severity, message: d.message.trim(), ...(d.urn ? { urn: d.urn } : {}) });
  }
  if (e.summaryEvent) out.push({ type: "summary", changes: e.summaryEvent.resourceChanges as Record<string, number> });
  return out;
}

/**
 * Changes counted from the steps the engine finished, as its summary counts
 * them (providers are not resources of the stack there): what a run did when
 * it ended with no summary (a cancel that let the steps in flight finish).
 */
export class StepCounter {
  readonly counted: Record<string, number> = {};
  private summary: Record<string, number> | undefined;

  see(t: OperationEvent): void {
    if (t.type === "summary") this.summary = t.changes;
    if (t.type === "step" && t.state === "done" && !t.resourceType.startsWith("pulumi:providers:")) {
      // A replacement shows as its create-replacement and delete-replaced steps: one "replace", as the summary says.
      const op = t.op === "create-replacement" ? "replace" : t.op === "delete-replaced" || t.op === "replace" ? undefined : t.op;
      if (op) this.counted[op] = (this.counted[op] ?? 0) + 1;
    }
  }

  /** The engine's own summary when it sent one, else the steps counted. */
  changes(): Record<string, number> {
    return this.summary ?? { ...this.counted };
  }
}
