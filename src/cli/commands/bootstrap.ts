// `infra bootstrap --location <loc> --github-organisation <org> [--repository-prefix <p>]`:
// sync the organisation's template repositories, read the bootstrap file,
// show the plan and ask, then deploy or update the meta environment and
// create the initial environments (the use case in src/app/bootstrap.ts).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../core/errors.js";
import { parseLocation } from "../../core/location.js";
import { readConfig, resolveSetting, writeConfig } from "../../config/settings.js";
import type { BootstrapPlan } from "../../app/bootstrap.js";
import { REGISTRY } from "../../app/bootstrap-file.js";
import { assertCanAsk, withApp, type EngineOptions } from "../app-context.js";
import { infraHome } from "../../core/home.js";
import { interactive, passphrase, promptOutput, setting } from "../context.js";
import { formatValue, out, plural, printJson } from "../output.js";

export interface BootstrapOptions extends EngineOptions {
  location?: string;
  githubOrganisation?: string;
  repositoryPrefix?: string;
  charts?: string;
  file?: string;
  registry?: string;
  apiBackend?: string;
}

const say = (line: string) => process.stderr.write(`infra: ${line}\n`);

function describePlan(plan: BootstrapPlan): string {
  const lines = [`bootstrap will ${plan.action} the meta environment at ${plan.location}:`];
  for (const c of plan.charts) lines.push(`  ${c.service.padEnd(13)} ${c.chart} ${c.version} from ${c.from}`);
  lines.push(plan.environments.length ? `then create: ${plan.environments.join(", ")}` : "no initial environments");
  for (const n of plan.notices) lines.push(`note: ${n}`);
  return lines.join("\n");
}

/** Where the write token is: just shown, or kept from the first bootstrap. */
const pasteHint = (shown: string | undefined, home: string) => `(paste the write token when asked${shown ? "" : `; it is in ${join(home, "meta-api-token")}`})`;

function checkedRegistry(text: string): string {
  if (text.length > 300 || !REGISTRY.test(text)) {
    throw new UsageError(`--registry ${text.slice(0, 100)}: write a registry and path, like registry.acme.internal:5000/platform (no scheme, lower case)`);
  }
  return text;
}

export async function bootstrapCommand(opts: BootstrapOptions): Promise<void> {
  // Settings first (asked on a terminal, a one-line error naming the flag otherwise).
  const location = await setting("location", opts.location, opts);
  parseLocation(location);
  const askedOrganisation = resolveSetting("githubOrganisation", opts.githubOrganisation).value === undefined;
  const organisation = await setting("githubOrganisation", opts.githubOrganisation, opts);
  const prefix = await setting("repositoryPrefix", opts.repositoryPrefix, opts);
  const charts = resolveSetting("charts", opts.charts).value;
  const registry = opts.registry === undefined ? undefined : checkedRegistry(opts.registry);
  assertCanAsk(opts, "infra bootstrap shows its plan and asks before it applies");
  const { parseBootstrapFile, EMPTY_BOOTSTRAP, BOOTSTRAP_FILE } = await import("../../app/bootstrap-file.js");

  // The organisation's template repositories, as `infra template sync` does.
  const { syncSources, cloneDir } = await import("../../templates/git.js");
  const home = infraHome();
  const base = process.env.INFRA_GIT_BASE ?? "https://github.com";
  const synced = await syncSources(home, base, organisation, prefix);
  // Asked for on a terminal and found: kept for next time, as infra init keeps it.
  if (askedOrganisation) {
    const file = writeConfig({ ...readConfig(home), githubOrganisation: organisation }, home);
    if (!opts.json) say(`saved the GitHub organisation ${organisation} in ${file} (infra init changes it)`);
  }
  if (!opts.json)
    say(`synced ${plural(synced.filter((c) => c.after).length, "template repository", "template repositories")} of ${organisation} (${prefix}…) from ${base}`);

  let file = EMPTY_BOOTSTRAP;
  if (opts.file) {
    let text: string;
    try {
      text = readFileSync(opts.file, "utf8");
    } catch (err) {
      throw new UsageError(`cannot read --file ${opts.file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
    file = await parseBootstrapFile(text, opts.file);
  } else {
    const found = synced
      .filter((c) => c.after)
      .map((c) => join(cloneDir(home, organisation, c.repo.split("/")[1]!), BOOTSTRAP_FILE))
      .filter((f) => existsSync(f));
    if (found.length > 1) throw new UsageError(`two bootstrap files: ${found.join(" and ")}; keep one, or pass --file`);
    if (found[0]) {
      file = await parseBootstrapFile(readFileSync(found[0], "utf8"), found[0]);
      if (!opts.json) say(`bootstrap file: ${found[0]}`);
    }
  }

  const githubToken = process.env.INFRA_GITHUB_TOKEN ?? process.env.GITHUB_TOKEN;
  // The API in the cluster decrypts the same stacks' state: it gets this passphrase, as a Secret.
  const apiPassphrase = await passphrase(opts);
  const { bootstrap } = await import("../../app/bootstrap.js");
  const { metaApi } = await import("../meta-api.js");
  await withApp(
    opts,
    () => "meta",
    async (ctx) => {
      const r = await bootstrap(ctx, {
        location,
        organisation,
        prefix,
        ...(charts && { charts }),
        ...(registry && { registry }),
        ...(opts.apiBackend !== undefined && { apiBackend: opts.apiBackend }),
        // From the environment only, never a flag: a token in argv is visible to every user of the machine.
        ...(githubToken && { githubToken }),
        apiPassphrase,
        api: metaApi(home),
        file,
        approve: async (plan) => {
          if (!opts.json) process.stderr.write(describePlan(plan) + "\n");
          if (opts.yes || !interactive(opts)) return !!opts.yes;
          const { confirm } = await import("@inquirer/prompts");
          return confirm({ message: "apply?", default: false }, await promptOutput());
        },
      });
      if (opts.json)
        return printJson({
          plan: r.plan,
          cancelled: !!r.cancelled,
          meta: r.meta?.environment,
          // The token is shown once, here too; the rest of the API's state without it.
          api: r.api,
          environments: r.environments.map((e) => ({ name: e.name, existed: !!e.existed, status: e.created?.environment.status })),
        });
      if (r.cancelled) return out("bootstrap cancelled: nothing was applied");
      const meta = r.meta!.environment;
      const changed = Object.entries(r.meta!.changes).filter(([k, n]) => k !== "same" && n > 0);
      const lines = [`meta: ${meta.status} at ${meta.location}${r.plan.action === "update" && !changed.length ? " (nothing to do)" : ""}`];
      const entry = Object.entries(meta.outputs).filter(([, o]) => o.kind === "entrypoint" && o.value !== undefined && o.value !== "");
      if (entry.length) lines.push("entrypoints:", ...entry.map(([k, o]) => `  ${k} = ${formatValue(o)}`));
      for (const e of r.environments) lines.push(`${e.name}: ${e.existed ? "exists, left as it is" : e.created!.environment.status}`);
      const api = r.api;
      if (api?.url) lines.push(`API: ${api.url}${api.store ? ` (${api.store})` : ""}${api.recorded ? "; meta recorded there" : ""}`);
      if (api?.through && api.recorded) lines.push(`API: running${api.store ? ` (${api.store})` : ""}; meta recorded there through ${api.through}`);
      if (api?.why) lines.push(`API: ${api.portForward ? `running${api.store ? ` (${api.store})` : ""}; ` : "not reached from here: "}${api.why}`);
      if (api?.newToken) lines.push(`write token (shown once; kept for the next bootstrap in ${api.tokenFile}):`, `  ${api.newToken}`);
      lines.push(
        "next:",
        ...(api?.url ? [`  infra login ${api.url}   ${pasteHint(api.newToken, home)}`] : []),
        ...(api?.portForward
          ? [
              `  infra login kubernetes:<the meta cluster's context>   ${pasteHint(api.newToken, home)}`,
              "  (through its API server; or kubectl -n infra port-forward service/infra-api 7780:7780, then infra login http://127.0.0.1:7780)",
            ]
          : []),
        "  infra env show meta",
        "  infra env list",
        "  infra env create <name> --template k8s-namespace-app@1.0.0 --param image=…   (in the meta cluster)",
      );
      // Without a cloud KMS, Vault waits sealed for its Shamir keys (see infra vault).
      // On the sandbox Vault's pods are simulated: there is nothing to initialise, so the line would only fail.
      if (meta.outputs.vaultSeal?.value === "shamir" && meta.location !== "sandbox")
        lines.push(`  infra vault init   (Vault starts sealed: no cloud KMS at ${meta.location})`);
      out(lines.join("\n"));
    },
  );
}
