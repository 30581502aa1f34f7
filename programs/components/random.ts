import * as random from "@pulumi/random";
import { withDefaults } from "./args.js";
import { Group } from "./group.js";
import { passwordArgs, petArgs } from "./random.args.js";
import type { ComponentFactory } from "./types.js";

export const pet: ComponentFactory = (name, inputs) => {
  const a = withDefaults(petArgs, inputs);
  const parent = new Group("infra:random:Pet", name);
  const p = new random.RandomPet(
    name,
    {
      length: a.length,
      ...(a.prefix !== undefined && { prefix: a.prefix }),
    },
    { parent },
  );
  parent.finish({ id: p.id });
  return { id: p.id };
};

export const password: ComponentFactory = (name, inputs) => {
  const a = withDefaults(passwordArgs, inputs);
  const parent = new Group("infra:random:Password", name);
  const p = new random.RandomPassword(name, { length: a.length, special: a.special }, { parent });
  parent.finish({});
  return { result: p.result };
};
