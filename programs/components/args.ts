// A component's inputs, declared once beside its code: each one's kind,
// whether it is required, its default and its description. From that one
// declaration the implementation gets its inputs typed with the defaults
// applied (withDefaults), and the catalogue gets the words `infra template
// show` prints (describeInputs), so a default in the help can never disagree
// with the code's. No @pulumi/* import at run time: the catalogue reads this
// without loading the engine.
import type { Input } from "@pulumi/pulumi";

interface KindTypes {
  string: string;
  number: number;
  boolean: boolean;
  list: string[];
  map: Record<string, string>;
  /** Anything (a value whose shape the component checks itself). */
  any: unknown;
}
export type Kind = keyof KindTypes;

export interface Arg<K extends Kind = Kind> {
  kind: K;
  description: string;
  required?: boolean;
  /** The value the component uses when the template gives none. */
  default?: KindTypes[K];
  /** A default that is not a constant, in words (the component's name, the ambient kubeconfig). */
  defaultText?: string;
  /** Text the template must write as is: no expressions (a command, which a shell runs). */
  literal?: boolean;
}

export type ArgSpec = Record<string, Arg>;

/** A map's entries are resolved one by one (each may be an expression), so the map itself is plain. */
type ValueOf<A extends Arg> = A["kind"] extends "map" ? Record<string, Input<string>> : Input<KindTypes[A["kind"]]>;

/** The inputs as the implementation sees them: required ones and those with a default are always there. */
export type Args<S extends ArgSpec> = {
  [K in keyof S]: S[K] extends { required: true } | { default: unknown } ? ValueOf<S[K]> : ValueOf<S[K]> | undefined;
};

/** Declares a component's inputs; the compiler checks each default against its kind. */
export function defineArgs<const S extends ArgSpec>(spec: S & { [K in keyof S]: Arg<S[K]["kind"]> }): S {
  // Checked at run time too: a default cast past the compiler still cannot disagree with its kind.
  for (const [name, a] of Object.entries(spec)) {
    if (a.default === undefined || a.kind === "any") continue;
    const d = a.default;
    const ok = a.kind === "list" ? Array.isArray(d) : a.kind === "map" ? typeof d === "object" && d !== null && !Array.isArray(d) : typeof d === a.kind;
    if (!ok) throw new Error(`input ${name}: its default ${JSON.stringify(d)} is not a ${a.kind}`);
  }
  return spec;
}

/** The template's inputs for this spec, each default in place of a missing one. */
export function withDefaults<S extends ArgSpec>(spec: S, inputs: Record<string, Input<unknown> | undefined>): Args<S> {
  const out: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(spec)) out[k] = inputs[k] ?? a.default;
  return out as Args<S>;
}

export interface InputInfo {
  required: boolean;
  description: string;
  literal?: boolean;
  /** A map of names to values (environment variables). */
  map?: boolean;
}

function shown(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** What the catalogue says of each input: the description, then the default the code uses. */
export function describeInputs(spec: ArgSpec): Record<string, InputInfo> {
  return Object.fromEntries(
    Object.entries(spec).map(([k, a]) => {
      const d = a.default !== undefined ? ` (default ${shown(a.default)})` : a.defaultText ? ` (default: ${a.defaultText})` : "";
      const info: InputInfo = { required: !!a.required, description: `${a.description}${d}` };
      if (a.literal) info.literal = true;
      if (a.kind === "map") info.map = true;
      return [k, info];
    }),
  );
}
