// Turns a template into an inline Pulumi program. @pulumi/pulumi is loaded
// inside the program function only, so importing this module is cheap.
import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import type { Input, Output } from "@pulumi/pulumi";
import { catalogue } from "../../programs/components/catalogue.js";
import { parseExpr, type Part, whenParameter } from "./expr.js";
import { componentOrder, outputText } from "./order.js";
import type { TemplateSpec } from "./schema.js";

/** Every environment is a stack of this project; its stack name is the environment's name. */
export const PROJECT = "infra-env";

/** Stack config infra sets itself, apart from the template's parameters: `infra:<key>`. */
export const LOCATION_NAMESPACE = "infra";
export const LOCATION_KUBECONFIG = "locationKubeconfig";

/** Whether a template reads what its location provides (then the location must provide it). */
export function usesLocation(spec: TemplateSpec): boolean {
  const texts = [
    ...spec.components.flatMap((c) => Object.values(c.with).flatMap((v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.values(v) : [v].flat()))),
    ...Object.values(spec.outputs).map(outputText),
  ];
  return texts.some((t) => typeof t === "string" && /\$\{\s*location\.kubeconfig\s*\}/.test(t)) || makesCluster(spec);
}

/** Whether a component reads the location itself (meta/cluster): then a cloud location is one it makes a cluster in. */
export function makesCluster(spec: TemplateSpec): boolean {
  return spec.components.some((c) => Object.hasOwn(catalogue, c.use) && catalogue[c.use]!.readsLocation);
}

export function templateProgram(spec: TemplateSpec, envName: string): PulumiFn {
  return async () => {
    const pulumi = await import("@pulumi/pulumi");
    const config = new pulumi.Config();
    const params: Record<string, Input<unknown>> = {};
    const refs: Record<string, InstanceType<typeof pulumi.StackReference>> = {};
    for (const [name, p] of Object.entries(spec.parameters)) {
      if (p.optional) {
        // A secret stays secret whatever its type.
        const numeric = p.type === "integer" || p.type === "number";
        const v = p.secret
          ? numeric
            ? config.getSecretNumber(name)
            : p.type === "boolean"
              ? config.getSecretBoolean(name)
              : config.getSecret(name)
          : numeric
            ? config.getNumber(name)
            : p.type === "boolean"
              ? config.getBoolean(name)
              : config.get(name);
        if (v !== undefined) params[name] = v;
        continue;
      }
      if (p.secret && (p.type === "integer" || p.type === "number")) params[name] = config.requireSecretNumber(name);
      else if (p.secret && p.type === "boolean") params[name] = config.requireSecretBoolean(name);
      else if (p.secret) params[name] = config.requireSecret(name);
      else if (p.type === "integer" || p.type === "number") params[name] = config.requireNumber(name);
      else if (p.type === "boolean") params[name] = config.requireBoolean(name);
      else params[name] = config.require(name);
      if (p.type === "environment") {
        refs[name] = new pulumi.StackReference(`env-${name}`, { name: `organization/${PROJECT}/${config.require(name)}` });
      }
    }
    const components: Record<string, Record<string, Output<unknown>>> = {};
    let location: Output<string> | undefined;

    const value = (part: Exclude<Part, string>): Input<unknown> => {
      switch (part.kind) {
        case "param":
          return params[part.name];
        case "component":
          return components[part.name]![part.output];
        case "environment":
          return refs[part.param]!.getOutput(part.output);
        case "self":
          return envName;
        case "location":
          return (location ??= new pulumi.Config(LOCATION_NAMESPACE).requireSecret(LOCATION_KUBECONFIG));
      }
    };
    // "${x}" alone keeps x's type; text around references makes a string.
    const resolve = (text: unknown): Input<unknown> => {
      if (Array.isArray(text)) return text.map(resolve);
      if (text && typeof text === "object") return Object.fromEntries(Object.entries(text).map(([k, v]) => [k, resolve(v)]));
      if (typeof text !== "string") return text as Input<unknown>;
      const parts = parseExpr(text);
      if (parts.length === 1 && typeof parts[0] !== "string") return value(parts[0]!);
      return pulumi.all(parts.map((p) => (typeof p === "string" ? p : value(p)))).apply((vals) => vals.map(String).join(""));
    };

    const off = new Set<string>();
    for (const c of componentOrder(spec)) {
      // A switched-off component is not created; whatever reads it gets nothing.
      if (c.when && params[whenParameter(c.when)!] !== true) {
        components[c.name] = new Proxy({}, { get: () => undefined });
        off.add(c.name);
        continue;
      }
      const make = await catalogue[c.use]!.load();
      const inputs = Object.fromEntries(Object.entries(c.with).map(([k, v]) => [k, resolve(v)]));
      components[c.name] = make(c.name, inputs);
    }
    // An output that reads a switched-off component is left out, not exported as undefined
    // (the engine warns "Undefined value" on every run otherwise).
    const readsOff = (text: string) => parseExpr(text).some((p) => typeof p !== "string" && p.kind === "component" && off.has(p.name));
    return Object.fromEntries(
      Object.entries(spec.outputs)
        .filter(([, v]) => !readsOff(outputText(v)))
        .map(([k, v]) => [k, resolve(outputText(v))]),
    );
  };
}
