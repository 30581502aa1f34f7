import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { withDefaults } from "./args.js";
import { localArgs } from "./command.args.js";
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
  const a = withDefaults(localArgs, inputs);
  const parent = new Group("infra:command:Local", name);
  const environment = a.environment ?? {};
  const c = new command.local.Command(
    name,
    {
      create: a.create,
      interpreter: interpreter(Object.keys(environment)),
      environment: Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, pulumi.output(v).apply(String)])),
      ...(a.update !== undefined && { update: a.update }),
      ...(a.delete !== undefined && { delete: a.delete }),
      ...(a.triggers !== undefined && { triggers: a.triggers as pulumi.Input<unknown[]> }),
    },
    { parent },
  );
  parent.finish({ stdout: c.stdout });
  return { stdout: c.stdout, stderr: c.stderr };
};
