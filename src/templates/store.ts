// The template store the use cases hold: a template by reference (id or
// id@version), or the very one an environment recorded (id, version and
// source), never a namesake from another source.
import type { TemplateStore } from "../app/ports.js";
import { UsageError } from "../core/errors.js";
import { infraHome } from "../core/home.js";
import { commitDir, readPins } from "./git.js";
import { allTemplates, describeSource, findTemplate, recordedByName, scanTemplates, templatesIn, type LoadedTemplate } from "./load.js";

export class FileTemplateStore implements TemplateStore {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** What the template folders hold now (a server outlives template syncs); unchanged files are not parsed again. */
  async find(ref: string): Promise<LoadedTemplate> {
    return findTemplate(ref, this.env, scanTemplates(this.env));
  }

  async recorded(t: { id: string; version: string; source: string }): Promise<LoadedTemplate> {
    const named = recordedByName(t, this.env);
    if (named) return named;
    const same = allTemplates(this.env, { retired: true }).filter((x) => x.spec.id === t.id && x.spec.version === t.version);
    const exact = same.find((x) => x.source === t.source);
    if (exact) return exact;
    const atCommit = await this.atRecordedCommit(t);
    if (atCommit) return atCommit;
    const where = same.length ? ` (${t.id}@${t.version} is there from ${same.map(describeSource).join(", ")}, a different source)` : "";
    throw new UsageError(
      `the template the environment was made from, ${t.id}@${t.version} from ${t.source}, is no longer available${where}: restore that source (INFRA_TEMPLATE_PATH, or infra template sync)`,
    );
  }

  /** A git source whose pin has moved since: the template as it was at the recorded commit. */
  private async atRecordedCommit(t: { id: string; version: string; source: string }): Promise<LoadedTemplate | undefined> {
    const m = /^git\+(.+)#([0-9a-f]{40})$/.exec(t.source);
    if (!m) return undefined;
    const home = infraHome(this.env);
    const pin = readPins(home).find((p) => p.url === m[1]);
    if (!pin) return undefined;
    const dir = await commitDir(home, pin.org, pin.repo, m[2]!);
    return dir ? templatesIn(dir, t.source).templates.find((x) => x.spec.id === t.id && x.spec.version === t.version) : undefined;
  }
}
