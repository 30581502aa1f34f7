// Pulumi's official mocks, recording every resource a program declares, and
// a way to await an Output so an assertion on it can never silently not run.
import * as pulumi from "@pulumi/pulumi";

export interface Declared {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

export function recordResources(project: string, stack: string, stackOutputs: Record<string, Record<string, unknown>> = {}): Declared[] {
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
        return { id: `${args.name}-id`, state: { ...args.inputs, ...(metadata && { metadata }), result: args.type.includes("RandomPassword") ? "mock-password" : undefined } };
      },
      call: (args) => args.inputs,
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
