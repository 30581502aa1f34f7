import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { Group } from "./group.js";
import type { ComponentFactory } from "./types.js";

export const local: ComponentFactory = (name, inputs) => {
  const parent = new Group("infra:command:Local", name);
  const c = new command.local.Command(name, {
    create: inputs.create as pulumi.Input<string>,
    ...(inputs.update !== undefined && { update: inputs.update as pulumi.Input<string> }),
    ...(inputs.delete !== undefined && { delete: inputs.delete as pulumi.Input<string> }),
    ...(inputs.triggers !== undefined && { triggers: inputs.triggers as pulumi.Input<unknown[]> }),
  }, { parent });
  parent.finish({ stdout: c.stdout });
  return { stdout: c.stdout, stderr: c.stderr };
};
