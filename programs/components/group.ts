import * as pulumi from "@pulumi/pulumi";

/** The parent of a component's resources: the registry finds each resource's component through it. */
export class Group extends pulumi.ComponentResource {
  finish(outputs: pulumi.Inputs): void {
    this.registerOutputs(outputs);
  }
}
