import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { Group } from "./group.js";
import type { ComponentFactory } from "./types.js";

/** What a command keeps of infra's environment: nothing that could be a secret. */
const KEPT = ["PATH", "HOME", "LANG", "TMPDIR"];
const NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;

/**
 * The interpreter every command runs under: it starts a shell with an empty
 * environment but the kept variables, the template's own and the provider's
 * PULUMI_COMMAND_* ones. The passphrase, cloud credentials and tokens in
 * infra's environment (the engine and its plugins inherit them) stay out.
 * Variable names are checked identifiers; values are never in the text.
 */
export function interpreter(names: string[]): string[] {
  for (const n of names) if (!NAME.test(n)) throw new Error(`environment variable name ${n} is not NAME_LIKE_THIS`);
  const pass = [...new Set([...KEPT, ...names, "PULUMI_COMMAND_STDOUT", "PULUMI_COMMAND_STDERR"])].map((n) => `${n}="$${n}"`);
  return ["/bin/sh", "-c", `exec /usr/bin/env -i ${pass.join(" ")} /bin/sh -c "$1"`, "infra-command"];
}

export const local: ComponentFactory = (name, inputs) => {
  const parent = new Group("infra:command:Local", name);
  const environment = (inputs.environment ?? {}) as Record<string, pulumi.Input<unknown>>;
  const c = new command.local.Command(
    name,
    {
      create: inputs.create as pulumi.Input<string>,
      interpreter: interpreter(Object.keys(environment)),
      environment: Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, pulumi.output(v as pulumi.Input<string>).apply(String)])),
      ...(inputs.update !== undefined && { update: inputs.update as pulumi.Input<string> }),
      ...(inputs.delete !== undefined && { delete: inputs.delete as pulumi.Input<string> }),
      ...(inputs.triggers !== undefined && { triggers: inputs.triggers as pulumi.Input<unknown[]> }),
    },
    { parent },
  );
  parent.finish({ stdout: c.stdout });
  return { stdout: c.stdout, stderr: c.stderr };
};
