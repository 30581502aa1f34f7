// Reading a component's inputs: templates hand them over untyped.
import type * as pulumi from "@pulumi/pulumi";

export type Inputs = Record<string, pulumi.Input<unknown>>;

/** An input as a string, or the default. */
export const str = (v: pulumi.Input<unknown> | undefined, d: string) => (v ?? d) as pulumi.Input<string>;

/** An input as a number, or the default. */
export const num = (v: pulumi.Input<unknown> | undefined, d: number) => (v ?? d) as pulumi.Input<number>;
