// What a preview says will change, per resource and field, from the engine's
// step events (their detailed diffs and the old and new state), never from its
// text: the resource, its kind, each field old -> new, and for a replacement
// the fields that force it. Secret values arrive masked ([secret]).
import type { StepEventMetadata } from "@pulumi/pulumi/automation/index.js";
import type { PlannedChange } from "../app/events.js";

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** a.b[0].c -> ["a", "b", 0, "c"]; a plain scan, no regular expression. */
export function pathParts(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  let cur = "";
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === ".") {
      if (cur) parts.push(cur);
      cur = "";
    } else if (ch === "[") {
      if (cur) parts.push(cur);
      cur = "";
      const end = path.indexOf("]", i);
      if (end < 0) return [...parts, path.slice(i)];
      const inner = path.slice(i + 1, end);
      parts.push(/^[0-9]+$/.test(inner) ? Number(inner) : inner.replace(/^"|"$/g, ""));
      i = end;
    } else cur += ch;
  }
  if (cur) parts.push(cur);
  return parts;
}

function at(value: unknown, path: string): unknown {
  let v = value;
  for (const p of pathParts(path)) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** A resource step of a preview as a planned change; undefined for what does not change. */
export function plannedChange(m: StepEventMetadata): PlannedChange | undefined {
  const op = String(m.op);
  if (op === "same" || op === "read" || op === "refresh" || m.type.startsWith("pulumi:providers:")) return undefined;
  // Components (and the stack) hold no state of their own: their resources say what changes.
  if ((m.new ?? m.old)?.custom === false || m.type.startsWith("infra:") || m.type === "pulumi:pulumi:Stack") return undefined;
  // A replacement shows as several steps; its "replace" step carries the diff, the others repeat it.
  if (op === "create-replacement" || op === "delete-replaced" || op === "discard-replaced") return undefined;
  const replaces = new Set(m.keys ?? []);
  const fields: PlannedChange["fields"] = [];
  if (op === "update" || op === "replace") {
    const paths = m.detailedDiff ? Object.keys(m.detailedDiff) : (m.diffs ?? []);
    for (const path of paths.sort()) {
      const d = m.detailedDiff?.[path];
      const oldSide = d && !d.inputDiff ? m.old?.outputs : m.old?.inputs;
      const kind = String(d?.diffKind ?? "update");
      const top = String(pathParts(path)[0] ?? path);
      fields.push({
        path,
        ...(kind.startsWith("add") ? {} : { old: at(oldSide, path) }),
        ...(kind.startsWith("delete") ? {} : { new: at(m.new?.inputs, path) }),
        replaces: kind.endsWith("-replace") || replaces.has(path) || replaces.has(top),
      });
    }
  }
  return { op, type: m.type, name: nameOf(m.urn), fields };
}
