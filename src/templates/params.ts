// Checking --param values against a template's typed parameters.
import { RE2JS } from "re2js";
import { shown, UsageError } from "../core/errors.js";
import type { ParameterSpec, TemplateSpec } from "./schema.js";

export type ParamValue = string | number | boolean;

/** The longest text a parameter may hold: a value is a setting, not a document. */
export const MAX_VALUE_LENGTH = 4096;

/**
 * A secret parameter's value as the registry shows it. On update, a secret
 * not given again keeps this value: its real one stays in the stack's
 * encrypted config, and is not set again.
 */
export const SECRET = "[secret]";

/** A value checked against its parameter's type and rules; throws a UsageError naming it. */
export function checkValue(name: string, p: ParameterSpec, raw: string | ParamValue): ParamValue {
  const bad = (what: string): never => {
    throw new UsageError(`${name} is ${what}`, { field: `params.${name}`, value: p.secret ? "[secret]" : shown(raw) });
  };
  let v: ParamValue;
  switch (p.type) {
    case "integer":
      v = typeof raw === "number" ? raw : /^-?\d+$/.test(String(raw)) ? Number(raw) : bad("an integer (like 3)");
      if (!Number.isSafeInteger(v)) bad("an integer (like 3)");
      break;
    case "number":
      v = typeof raw === "number" ? raw : /^-?\d+(\.\d+)?$/.test(String(raw)) ? Number(raw) : bad("a number (like 2.5)");
      break;
    case "boolean":
      v = typeof raw === "boolean" ? raw : raw === "true" ? true : raw === "false" ? false : bad("true or false");
      break;
    default:
      v = String(raw);
  }
  if (p.enum && !p.enum.includes(v)) bad(`one of ${p.enum.join(", ")}`);
  if (typeof v === "number") {
    if (p.min !== undefined && v < p.min) bad(`at least ${p.min}`);
    if (p.max !== undefined && v > p.max) bad(`at most ${p.max}`);
  }
  if (typeof v === "string") {
    if (p.min !== undefined && v.length < p.min) bad(`at least ${p.min} characters long`);
    if (p.max !== undefined && v.length > p.max) bad(`at most ${p.max} characters long`);
    if (v.length > MAX_VALUE_LENGTH) bad(`at most ${MAX_VALUE_LENGTH} characters long`);
    // RE2's engine runs in time linear in the input: no pattern can make it backtrack.
    if (p.pattern !== undefined && !RE2JS.matches(p.pattern, v)) bad(`text matching ${p.pattern}`);
  }
  return v;
}

/**
 * The full, typed parameter set for a run: given values over previous ones
 * over defaults. Unknown names and missing required values are errors.
 */
export function resolveParams(spec: TemplateSpec, given: Record<string, string>, previous: Record<string, ParamValue> = {}): Record<string, ParamValue> {
  const known = Object.keys(spec.parameters);
  for (const k of Object.keys(given)) {
    if (!spec.parameters[k]) {
      throw new UsageError(`template ${spec.id} has no parameter ${shown(k, 64)}; it has ${known.join(", ") || "none"}`, {
        field: `params.${shown(k, 64)}`,
        allowed: known,
        remedy: { see: "template", id: spec.id },
      });
    }
  }
  const out: Record<string, ParamValue> = {};
  for (const [name, p] of Object.entries(spec.parameters)) {
    if (p.secret && given[name] === undefined && previous[name] === SECRET) {
      out[name] = SECRET;
      continue;
    }
    const raw = given[name] ?? previous[name] ?? p.default;
    if (raw === undefined && p.optional) continue;
    if (raw === undefined) {
      throw new UsageError(`template ${spec.id} needs a value (${p.type}${p.description ? `: ${p.description}` : ""})`, { field: `params.${name}` });
    }
    out[name] = checkValue(name, p, raw);
  }
  return out;
}

/** Parameters as the registry keeps them: secret values replaced. */
export function redactParams(spec: TemplateSpec, values: Record<string, ParamValue>): Record<string, ParamValue> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, spec.parameters[k]?.secret ? SECRET : v]));
}
