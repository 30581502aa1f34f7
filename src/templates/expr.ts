// Template expressions: ${params.<name>}, ${components.<name>.<output>},
// ${environments.<parameter>.<output>} (another environment's output, named
// by a parameter of type environment), ${environment.name} and
// ${location.kubeconfig} (the location's cluster). Nothing else:
// no calls, no arithmetic, so a template cannot run code.
export type Ref =
  | { kind: "param"; name: string }
  | { kind: "component"; name: string; output: string }
  | { kind: "environment"; param: string; output: string }
  | { kind: "self" }
  /** What the environment's location provides: its cluster's kubeconfig (sandbox, kubernetes[:context]). */
  | { kind: "location"; field: "kubeconfig" };

export type Part = string | Ref;

const REF = /\$\{([^}]*)\}/g;
const WORD = "[a-zA-Z][a-zA-Z0-9_]*";
const FORMS: [RegExp, (m: RegExpExecArray) => Ref][] = [
  [new RegExp(`^params\\.(${WORD})$`), (m) => ({ kind: "param", name: m[1]! })],
  [new RegExp(`^components\\.(${WORD})\\.(${WORD})$`), (m) => ({ kind: "component", name: m[1]!, output: m[2]! })],
  [new RegExp(`^environments\\.(${WORD})\\.(${WORD})$`), (m) => ({ kind: "environment", param: m[1]!, output: m[2]! })],
  [/^environment\.name$/, () => ({ kind: "self" })],
  [/^location\.kubeconfig$/, () => ({ kind: "location", field: "kubeconfig" })],
];

/** Splits a string into literal text and references; throws on a malformed one. */
export function parseExpr(text: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(REF)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    const body = m[1]!.trim();
    const form = FORMS.map(([re, make]) => {
      const r = re.exec(body);
      return r && make(r);
    }).find(Boolean);
    if (!form) {
      throw new Error(
        `'\${${body}}' is not an expression infra knows: use \${params.NAME}, \${components.NAME.OUTPUT}, \${environments.PARAM.OUTPUT} or \${environment.name}`,
      );
    }
    parts.push(form);
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  if (parts.some((p) => typeof p === "string" && p.includes("${"))) throw new Error(`unclosed '\${' in '${text}'`);
  return parts;
}

/**
 * The boolean parameter a component's `when` names (`${params.NAME}`, and
 * nothing else), read with the same parser as every other expression;
 * undefined when it is not of that form.
 */
export function whenParameter(text: string): string | undefined {
  let parts: Part[];
  try {
    parts = parseExpr(text.trim());
  } catch {
    return undefined;
  }
  const [only] = parts;
  return parts.length === 1 && typeof only === "object" && only.kind === "param" ? only.name : undefined;
}
