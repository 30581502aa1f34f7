// `infra env create <name> --template <id[@version]>`: parse, run the use case, show the result.
import { createEnvironment } from "../../../app/create.js";
import { UsageError } from "../../../core/errors.js";
import { checkName, parsePairs, parseTtl } from "../../../core/inputs.js";
import { withApp, type EngineOptions } from "../../app.js";
import { setting } from "../../context.js";
import { printEnvironment } from "../../present.js";

export interface CreateOptions extends EngineOptions {
  template?: string;
  param?: string[];
  tag?: string[];
  ttl?: string;
  description?: string;
  location?: string;
}

export async function envCreate(name: string, opts: CreateOptions): Promise<void> {
  checkName(name);
  if (!opts.template) throw new UsageError("infra env create needs --template <id>[@version] (see infra template list)");
  const params = parsePairs(opts.param ?? [], "--param");
  const tags = parsePairs(opts.tag ?? [], "--tag");
  const ttlMs = opts.ttl !== undefined ? parseTtl(opts.ttl) : undefined;
  const location = await setting("location", opts.location, opts);
  // The template and its parameters are checked before the registry is opened: bad input writes nothing.
  // The same store then serves the use case, so the template files are read once.
  const { FileTemplateStore } = await import("../../../templates/store.js");
  const { resolveParams } = await import("../../../templates/params.js");
  const templates = new FileTemplateStore();
  resolveParams((await templates.find(opts.template)).spec, params);
  await withApp(opts, () => name, async (ctx) => {
    const r = await createEnvironment(ctx, {
      name,
      template: opts.template!,
      params,
      tags,
      location,
      ...(opts.description !== undefined && { description: opts.description }),
      ...(ttlMs !== undefined && { ttlMs }),
    });
    printEnvironment(r.environment, opts);
  }, templates);
}
