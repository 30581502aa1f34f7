// `infra env create <name> --template <id[@version]>`: flags into a command of the front door.
import { UsageError } from "../../../core/errors.js";
import { parsePairs } from "../../../core/inputs.js";
import type { EngineOptions } from "../../app-context.js";
import { askMissingSecrets, readParams, type ParamOptions } from "../../params.js";
import { remoteSession } from "../../remote.js";
import { submitCommand } from "./submit.js";

export interface CreateOptions extends EngineOptions, ParamOptions {
  template?: string;
  tag?: string[];
  ttl?: string;
  description?: string;
  location?: string;
}

export async function envCreate(name: string, opts: CreateOptions): Promise<void> {
  if (!opts.template) throw new UsageError("infra env create needs --template <id>[@version] (see infra template list)");
  const params = await readParams(opts);
  const tags = parsePairs(opts.tag ?? [], "--tag");
  if (!remoteSession()) {
    // A required secret nobody gave is asked for (masked) rather than refused; the use case finds the
    // template again, from the parse cache (src/templates/load.ts): the files are not parsed twice.
    const { FileTemplateStore } = await import("../../../templates/store.js");
    await askMissingSecrets((await new FileTemplateStore().find(opts.template)).spec, params, opts);
  }
  await submitCommand(
    {
      kind: "create",
      environment: name,
      template: opts.template,
      params,
      tags,
      ...(opts.ttl !== undefined && { ttl: opts.ttl }),
      ...(opts.description !== undefined && { description: opts.description }),
      ...(opts.location !== undefined && { location: opts.location }),
    },
    opts,
  );
}
