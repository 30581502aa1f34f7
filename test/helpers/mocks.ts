// Pulumi's official mocks, recording every resource a program declares, and
// a way to await an Output so an assertion on it can never silently not run.
import * as pulumi from "@pulumi/pulumi";

export interface Declared {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

export interface MockOptions {
  /** Outputs of other stacks, by stack name, for StackReferences. */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** What provider functions return, by token (default: their inputs). */
  calls?: Record<string, (inputs: Record<string, any>) => Record<string, unknown>>;
  /** Fields the provider would compute, by resource type. */
  computed?: Record<string, (name: string, inputs: Record<string, any>) => Record<string, unknown>>;
}

export function recordResources(project: string, stack: string, options: MockOptions | Record<string, Record<string, unknown>> = {}): Declared[] {
  const o: MockOptions =
    "stackOutputs" in options || "calls" in options || "computed" in options
      ? (options as MockOptions)
      : { stackOutputs: options as Record<string, Record<string, unknown>> };
  const stackOutputs = o.stackOutputs ?? {};
  const declared: Declared[] = [];
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        declared.push({ type: args.type, name: args.name, inputs: args.inputs });
        if (args.type === "pulumi:pulumi:StackReference") {
          const ref = String(args.inputs.name).split("/").pop()!;
          return { id: args.name, state: { name: args.inputs.name, outputs: stackOutputs[ref] ?? {} } };
        }
        const metadata = args.inputs.metadata ? { ...args.inputs.metadata, name: args.inputs.metadata.name ?? args.name } : undefined;
        return {
          id: `${args.name}-id`,
          state: {
            ...args.inputs,
            ...(metadata && { metadata }),
            result: args.type.includes("RandomPassword") ? "mock-password" : undefined,
            ...(o.computed?.[args.type]?.(args.name, args.inputs) ?? {}),
          },
        };
      },
      call: (args) => o.calls?.[args.token]?.(args.inputs) ?? args.inputs,
    },
    project,
    stack,
    false,
  );
  return declared;
}

/** The value of an Output, awaited; rejects instead of hanging when it never resolves. */
export function valueOf<T>(o: pulumi.Input<T> | undefined): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("output never resolved")), 10_000);
    pulumi.output(o).apply((v) => {
      clearTimeout(timer);
      resolve(v as T);
      return v;
    });
  });
}

export async function isSecret(o: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(o);
}

/** Waits until every resource the program declared has reached the mock monitor (the public drain). */
export async function settle(): Promise<void> {
  await pulumi.runtime.disconnect();
}

/**
 * Runs a template's program under the mocks for one environment: sets its
 * config, awaits every output, drains the registrations, and returns what it
 * declared with finders that fail when a resource is missing or doubled.
 */
export async function runTemplate(
  spec: import("../../src/templates/schema.js").TemplateSpec,
  env: string,
  config: Record<string, string>,
  options: MockOptions = {},
) {
  const { PROJECT, templateProgram } = await import("../../src/templates/program.js");
  const { expect } = await import("vitest");
  const declared = recordResources(PROJECT, env, options);
  // One run's parameters only: an optional one an earlier run set must not leak into this one.
  const others = Object.entries(pulumi.runtime.allConfig()).filter(([k]) => !k.startsWith(`${PROJECT}:`));
  pulumi.runtime.setAllConfig(Object.fromEntries(others), []);
  for (const [k, v] of Object.entries(config)) pulumi.runtime.setConfig(`${PROJECT}:${k}`, v);
  const outputs = (await templateProgram(spec, env)()) as Record<string, pulumi.Output<unknown>>;
  const values = Object.fromEntries(await Promise.all(Object.entries(outputs).map(async ([k, o]) => [k, await valueOf(o)])));
  await settle();
  const all = (type: string) => declared.filter((d) => d.type === type);
  const one = (type: string, name?: string): Declared => {
    const found = all(type).filter((d) => !name || d.name === name);
    expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
    return found[0]!;
  };
  return { declared, outputs, values, all, one };
}
