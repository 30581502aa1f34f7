import type * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Group } from "./group.js";
import type { ComponentFactory } from "./types.js";

export const pet: ComponentFactory = (name, inputs) => {
  const parent = new Group("infra:random:Pet", name);
  const p = new random.RandomPet(
    name,
    {
      length: (inputs.length as pulumi.Input<number>) ?? 2,
      ...(inputs.prefix !== undefined && { prefix: inputs.prefix as pulumi.Input<string> }),
    },
    { parent },
  );
  parent.finish({ id: p.id });
  return { id: p.id };
};

export const password: ComponentFactory = (name, inputs) => {
  const parent = new Group("infra:random:Password", name);
  const p = new random.RandomPassword(
    name,
    {
      length: (inputs.length as pulumi.Input<number>) ?? 24,
      special: (inputs.special as pulumi.Input<boolean>) ?? false,
    },
    { parent },
  );
  parent.finish({});
  return { result: p.result };
};
