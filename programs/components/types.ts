import type { Input, Output } from "@pulumi/pulumi";

/** Creates a component's resources under `name` and returns its outputs. */
export type ComponentFactory = (name: string, inputs: Record<string, Input<unknown>>) => Record<string, Output<unknown>>;
