// The command-line program. Every command module is imported by its action,
// so `infra --help` loads commander and nothing else.
import { Command, CommanderError, Option } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isInfraError, kindOf, sayError } from "../core/errors.js";
import { CLI_WORDS } from "./words.js";
import { EXIT, exitCode } from "./exit.js";
import { packageRoot } from "../core/package-root.js";

const collect = (value: string, previous: string[]) => [...previous, value];

declare const __INFRA_VERSION__: string | undefined;

function version(): string {
  // The bundle has it built in; reading package.json costs a millisecond.
  if (typeof __INFRA_VERSION__ === "string") return __INFRA_VERSION__;
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** Runs an action with its arguments and the global options merged into its own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command module types its own options
function act(fn: (args: string[], opts: any) => Promise<void>) {
  return async (...args: unknown[]) => {
    const cmd = args.at(-1) as Command;
    await fn(args.slice(0, cmd.registeredArguments.length) as string[], cmd.optsWithGlobals());
  };
}

/** An action that works on this machine only: refused in one line while logged in to a server. */
function localAct(what: string, fn: (args: string[], opts: any) => Promise<void>) {
  return act(async (args, opts) => {
    (await import("./remote.js")).localOnly(what);
    await fn(args, opts);
  });
}

export function program(): Command {
  const cli = new Command("infra")
    .description("Bootstrap a meta environment and stamp out environments as Pulumi stacks, kept in a registry.")
    .version(version(), "-V, --version")
    .option("--json", "machine-readable output on stdout")
    .option("--debug", "show stack traces")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--non-interactive", "never prompt; fail at once when a setting is missing")
    .addHelpText(
      "after",
      "\nEnvironment: INFRA_HOME (default ~/.infra), INFRA_PASSPHRASE, INFRA_BACKEND, NO_COLOR.\nExit codes: 0 ok, 1 failure, 2 usage error, 3 locked or conflict.",
    )
    .showSuggestionAfterError()
    .exitOverride();

  cli
    .command("init")
    .description("first-time set-up: state backend, passphrase, location, GitHub organisation")
    .option("--backend <url>", "state backend: file:///dir, s3://, gs://, azblob://, https://api.pulumi.com (INFRA_BACKEND)")
    .option("--location <loc>", "default location (INFRA_LOCATION)")
    .option("--github-organisation <org>", "organisation with template repositories (INFRA_GITHUB_ORGANISATION)")
    .option("--repository-prefix <prefix>", "prefix of those repositories (INFRA_REPOSITORY_PREFIX)")
    .addHelpText("after", "\nExamples:\n  infra init\n  INFRA_PASSPHRASE=… infra init --non-interactive --backend s3://my-state --github-organisation acme")
    .action(act(async (_, opts) => (await import("./commands/init.js")).init(opts)));

  const env = cli.command("env").description("create, inspect, update and destroy environments");
  const engineOpts = (c: Command) =>
    c
      .option("--backend <url>", "state backend (INFRA_BACKEND; default from infra init)")
      .option("--passphrase-file <file>", "read the secrets passphrase from a file (or set INFRA_PASSPHRASE)");

  engineOpts(
    cli
      .command("bootstrap")
      .description("deploy or update the meta environment (a cluster with its platform services), then the environments the bootstrap file lists")
      .option(
        "--location <loc>",
        "sandbox (default), kubernetes[:<context>], gcp:<project>/<region>, aws:<region>, openstack:<cloud>/<region> (INFRA_LOCATION)",
      )
      .option("--github-organisation <org>", "the organisation with the template repositories (INFRA_GITHUB_ORGANISATION)")
      .option("--repository-prefix <prefix>", "only its repositories starting with this (INFRA_REPOSITORY_PREFIX; default infra-)")
      .option("--charts <source>", "one mirror for every chart: https URL, oci://… or a folder (INFRA_CHARTS)")
      .option("--registry <host/path>", "push infra's image there (with docker login's login) where the location makes no registry")
      .option("--api-backend <url>", "the API's state backend in the cluster: s3://, gs:// or azblob:// (default: the location's bucket, else its volume)")
      .option("--file <path>", "a bootstrap file (default: infra-bootstrap.yaml in a synced template repository)")
      .addHelpText(
        "after",
        "\nExamples:\n  infra bootstrap --github-organisation acme\n  infra bootstrap --location gcp:acme-prod/europe-west1 --github-organisation acme --yes\n  infra bootstrap --location kubernetes:prod --github-organisation acme --charts oci://registry.acme.internal/charts",
      ),
  ).action(localAct("infra bootstrap", async (_, opts) => (await import("./commands/bootstrap.js")).bootstrapCommand(opts)));
  engineOpts(
    env
      .command("create <name>")
      .description("create an environment from a template")
      .requiredOption("-t, --template <id[@version]>", "the template (see infra template list)")
      .option("-p, --param <key=value>", "a template parameter (repeatable; wins over --param-file)", collect, [])
      .option("--param-file <file>", "parameters from a YAML or JSON map; - reads standard input (repeatable): keeps secrets out of argv", collect, [])
      .option("--tag <key=value>", "a tag (repeatable)", collect, [])
      .option("--ttl <duration>", "planned destruction after this long: 30m, 72h, 7d")
      .option("-d, --description <text>", "what the environment is for")
      .option("--location <loc>", "where it runs (default from infra init)")
      .addHelpText(
        "after",
        "\nA required secret parameter nobody gave is asked for (masked) on a terminal.\nExamples:\n  infra env create dev --template k8s-namespace-app --param image=nginx:1.27 --ttl 72h --tag team=shop\n  infra env create pr-123 --template k8s-namespace-app@1.0.0 --param-file params.yaml --description 'PR 123'\n  sops -d ci-secrets.yaml | infra env create ci --template basic --param-file -",
      ),
  ).action(act(async ([name], opts) => (await import("./commands/env/create.js")).envCreate(name!, opts)));

  env
    .command("list")
    .description("list environments")
    .option("--status <status>", "only this status")
    .option("--tag <key=value>", "only with this tag (repeatable)", collect, [])
    .option("--search <text>", "full-text search over names, descriptions and tags")
    .option("--limit <n>", "at most n, newest first (default 50; 0 for all)")
    .option("--depends-on <name>", "only those that depend on it, directly or through others")
    .option("--needed-by <name>", "only those it needs, directly or through others")
    .addHelpText(
      "after",
      "\nExamples:\n  infra env list --status deployed-ok --tag team=shop\n  infra env list --search checkout --json\n  infra env list --depends-on db      # what breaks if db goes",
    )
    .action(act(async (_, opts) => (await import("./commands/env/list.js")).envList(opts)));

  env
    .command("show <name>")
    .description("status, template, outputs, resources, dependencies, history and last operation")
    .action(act(async ([name], opts) => (await import("./commands/env/show.js")).envShow(name!, opts)));

  engineOpts(
    env
      .command("update <name>")
      .description("change parameters: previews, shows the changes, asks, applies")
      .option("-p, --param <key=value>", "a new parameter value (repeatable)", collect, [])
      .option("--param-file <file>", "new values from a YAML or JSON map; - reads standard input (repeatable)", collect, [])
      .addHelpText("after", "\nExamples:\n  infra env update dev --param replicas=3\n  infra env update dev --param-file secrets.yaml --yes"),
  ).action(act(async ([name], opts) => (await import("./commands/env/update.js")).envUpdate(name!, opts)));

  engineOpts(
    env
      .command("upgrade <name>")
      .description("move to another version of its template: previews, shows the changes, asks, applies")
      .requiredOption("--to <version>", "the template version to move to")
      .option("-p, --param <key=value>", "a value for a parameter the new version adds or changes (repeatable)", collect, [])
      .option("--param-file <file>", "such values from a YAML or JSON map; - reads standard input (repeatable)", collect, [])
      .addHelpText("after", "\nExample:\n  infra env upgrade dev --to 1.1.0"),
  ).action(act(async ([name], opts) => (await import("./commands/env/update.js")).envUpgrade(name!, opts)));

  engineOpts(
    env
      .command("destroy <name>")
      .description("destroy every resource of an environment; it stays in the registry as destroyed")
      .option("--cascade", "destroy the environments that depend on it first")
      .addHelpText(
        "after",
        "\nRefused while another environment depends on it, unless --cascade.\nExamples:\n  infra env destroy pr-123 --yes\n  infra env destroy db --cascade --yes   # its dependents first, then db",
      ),
  ).action(act(async ([name], opts) => (await import("./commands/env/destroy.js")).envDestroy(name!, opts)));

  engineOpts(
    env
      .command("reap")
      .description("destroy expired environments (--ttl), dependents first; one a live environment depends on is kept")
      .option("--dry-run", "say what would be destroyed, destroy nothing")
      .addHelpText("after", "\nExamples:\n  infra env reap --dry-run\n  infra env reap --yes      # from cron or CI"),
  ).action(act(async (_, opts) => (await import("./commands/env/reap.js")).envReap(opts)));

  env
    .command("extend <name>")
    .description("move an environment's planned destruction to a new time to live from now")
    .option("--ttl <duration>", "from now: 30m, 24h, 7d")
    .addHelpText("after", "\nExample:\n  infra env extend pr-123 --ttl 24h")
    .action(act(async ([name], opts) => (await import("./commands/env/reap.js")).envExtend(name!, opts)));

  engineOpts(env.command("recover <name>").description("after an interrupted run: clear the engine's pending operations, refresh, and apply again")).action(
    act(async ([name], opts) => (await import("./commands/env/recover.js")).envRecover(name!, opts)),
  );

  env
    .command("unlock <name>")
    .description("remove the lock of a run that is gone for good (audited); then recover")
    .option("--force", "required: the lock goes even if its run is alive")
    .option("--reason <text>", "why, for the audit log")
    .addHelpText(
      "after",
      "\nA lock whose process is gone on this machine is released on its own; use this for a run on\nanother machine that will not come back.\nExample:\n  infra env unlock dev --force --reason 'CI runner lost'",
    )
    .action(act(async ([name], opts) => (await import("./commands/env/unlock.js")).envUnlock(name!, opts)));

  engineOpts(
    env
      .command("forget <name>")
      .description("drop an environment whose cluster is gone for good: its state is emptied, nothing is called, it is recorded destroyed (audited)")
      .addHelpText(
        "after",
        "\nFor an environment stranded by infra sandbox delete, or a cluster torn down by hand; destroy\nis the way while its cluster answers.\nExample:\n  infra env forget dev --yes",
      ),
  ).action(act(async ([name], opts) => (await import("./commands/env/recover.js")).envForget(name!, opts)));

  env
    .command("health <name>")
    .description("probe its status outputs now (http(s) URLs, host:port) and judge its Kubernetes objects; exit 5 when one fails")
    .addHelpText(
      "after",
      "\nEach output of kind status is probed, with the template's interval, timeout and deadline (defaults\n2s, 5s, 2m). A failing check makes a deployed environment deployed-fail; a later passing check\nmakes it deployed-ok again (a failure an operation left stays). On the sandbox, Ingress hosts are\nreached through its ingress with the real node; kwok's pods answer nothing, which is said, not failed.\nOn a cluster (the sandbox, a kubeconfig context), every Kubernetes object it declared is judged by\nkstatus's rules (Deployments, StatefulSets, DaemonSets and Jobs by their rollout, Pods, claims, load\nbalancers, CRDs; others by a Ready condition): in progress until the deadline, then failing.\nThe same checks run after every create, update, upgrade and reconcile (status deployed-validating).\nExit codes: 0 healthy or nothing to check, 5 unhealthy, 1 the check could not run, 3 locked.\nExample:\n  infra env health shop",
    )
    .action(act(async ([name], opts) => (await import("./commands/env/health.js")).envHealth(name!, opts)));

  engineOpts(
    env
      .command("drift [name]")
      .description("does the world still hold what it declares? each resource changed (field: declared -> actual) or missing; exit 4 when drifted")
      .option("--last", "the last check as the registry keeps it; nothing is run")
      .option("--all", "every deployed environment, one after another; a locked one is said and skipped")
      .addHelpText(
        "after",
        "\nA refresh preview: nothing is written to the environment's state. The registry records each check;\nthe status becomes drifted, and deployed-ok again once a check finds it in sync.\nExit codes: 0 in sync, 4 drifted, 1 the check failed, 2 bad input, 3 locked or not checkable.\nThen: infra env reconcile puts back what it declares.\nExample:\n  infra env drift dev",
      ),
  ).action(act(async ([name], opts) => (await import("./commands/env/drift.js")).envDrift(name, opts)));

  engineOpts(
    env
      .command("reconcile <name>")
      .description("put back what it declares: an update that refreshes first; shows the preview and asks (--yes)")
      .option("--prune-unmanaged", "also delete the objects nobody declared in its namespaces (lists them and asks)")
      .addHelpText(
        "after",
        "\nWhat was changed outside infra is changed back, what was deleted is made again, with the recorded\ntemplate and parameters. Objects nobody declared are left alone, unless --prune-unmanaged (what a\nmanaged object owns, and what Kubernetes makes by itself, are never touched).\nExample:\n  infra env drift dev; infra env reconcile dev --yes --prune-unmanaged",
      ),
  ).action(act(async ([name], opts) => (await import("./commands/env/drift.js")).envReconcile(name!, opts)));

  engineOpts(
    env
      .command("refresh <name>")
      .description("accept what was changed outside infra into its state (shows the drift, asks; --yes); nothing outside is changed")
      .addHelpText(
        "after",
        "\nThe opposite of reconcile: the state takes what is there. A later update applies the template\nagain over it.\nExample:\n  infra env drift dev; infra env refresh dev --yes",
      ),
  ).action(act(async ([name], opts) => (await import("./commands/env/drift.js")).envRefresh(name!, opts)));

  env
    .command("history <name>")
    .description("status transitions and operations")
    .action(act(async ([name], opts) => (await import("./commands/env/history.js")).envHistory(name!, opts)));

  env
    .command("logs <name>")
    .description("the engine events kept for an operation (the last one by default)")
    .option("--operation <id>", "an operation id (or its start) from infra env history")
    .action(act(async ([name], opts) => (await import("./commands/env/logs.js")).envLogs(name!, opts)));

  cli
    .command("login <url>")
    .description("use an infra server: every env, template and audit command then goes through its API")
    .option("--token-file <file>", "the token (a file, or - for standard input; else asked, masked, on a terminal)")
    .option("--ca-file <file>", "a private CA that signed the server's certificate (or SSL_CERT_FILE)")
    .addHelpText(
      "after",
      "\nThe token is checked, then kept 0600 in the infra home; never pass it as an argument.\nkubernetes[:<context>] reaches the infra API in that cluster through its API server (your kubeconfig's credentials; no port-forward).\nExamples:\n  infra login https://infra.example.com\n  infra login http://127.0.0.1:7780 --token-file ~/.config/infra-token\n  infra login kubernetes:meta",
    )
    .action(act(async ([url], opts) => (await import("./commands/login.js")).login(url!, opts)));
  cli
    .command("logout")
    .description("forget the server: commands use this machine's registry again")
    .action(act(async (_, opts) => (await import("./commands/login.js")).logout(opts)));
  cli
    .command("whoami")
    .description("the server and token in use, or that commands run locally")
    .action(act(async (_, opts) => (await import("./commands/login.js")).whoami(opts)));

  const vault = cli.command("vault").description("Vault's Shamir keys where the meta environment has no cloud KMS (sandbox, kubeconfig context, OpenStack)");
  for (const [action, description] of [
    ["init", "initialise Vault once, keep its keys sealed with the secrets passphrase, unseal every server"],
    ["unseal", "unseal the Vault servers that are sealed (after a restart) with the kept keys"],
    ["keys", "print the unseal keys and the root token (--show; asks first; audited)"],
  ] as const) {
    const c = engineOpts(
      vault
        .command(action)
        .description(description)
        .option("--environment <name>", "the meta environment (default meta)")
        .option("--address <url>", "reach Vault at this address instead of through the cluster's API server")
        .option("--ca-file <file>", "with --address: the CA that signed Vault's certificate"),
    );
    if (action === "keys") c.option("--show", "yes, print them");
    c.action(localAct(`infra vault ${action}`, async (_, opts) => (await import("./commands/vault.js")).vaultCommand(action, opts)));
  }

  const server = cli.command("server").description("the REST API (api/v1) and its workers; tokens for it");
  engineOpts(
    server
      .command("start", { isDefault: true })
      .description("serve api/v1 (the default subcommand: infra server)")
      .option("--listen <host:port>", "address (INFRA_LISTEN; default 127.0.0.1:7780)")
      .option("--concurrency <n>", "operations at once (INFRA_CONCURRENCY; default 4)")
      .option("--grace <seconds>", "on SIGTERM, how long running operations may finish (default 30)")
      .option("--reap-every <duration>", "run the TTL reaper this often (default 5m; off to disable)")
      .option("--drift-every <duration>", "check every deployed environment this often: drift, reconcile where opted in, health (default off; e.g. 30m)")
      .option("--drift-concurrency <n>", "environments checked at once by that sweep, each on a worker (default 2)")
      .option("--amqp-url <url>", "RabbitMQ: commands from infra.commands, notifications to infra.events (INFRA_AMQP_URL; none: REST only)")
      .option("--secondary", "serve reads only, refusing changes (a disaster-recovery secondary)")
      .option("--primary-cluster-name <name>", "the primary a secondary names in its refusals")
      .option("--bootstrap-token-hash-file <file>", "register the write token whose SHA-256 this file holds (infra bootstrap's, from a Secret), once")
      .addHelpText(
        "after",
        "\nThe passphrase comes from INFRA_PASSPHRASE or --passphrase-file (a server never prompts).\nExamples:\n  INFRA_PASSPHRASE=… infra server --listen 0.0.0.0:7780\n  infra server token create --name ci --role write",
      ),
  ).action(localAct("infra server", async (_, opts) => (await import("./commands/server.js")).serverCommand(opts)));
  server
    .command("promote")
    .description("make a secondary the primary: its registry (a PostgreSQL standby) is promoted, then it takes changes")
    .option("--url <url>", "the secondary's address")
    .option("--token-file <file>", "a write token (or set INFRA_TOKEN)")
    .option("--force", "promote even though the primary still streams to the standby (two primaries: the old one must be stopped at once)")
    .addHelpText(
      "after",
      "\nRefused while the registry's primary still streams to the standby: stop the primary first.\nExample:\n  INFRA_TOKEN=… infra server promote --url http://10.0.0.7:7780",
    )
    .action(act(async (_, opts) => (await import("./commands/server.js")).serverPromote(opts)));
  const token = server.command("token").description("bearer tokens for the API (kept hashed in the registry)");
  token
    .command("create")
    .description("make a token: printed once")
    .option("--name <name>", "what the audit log calls it")
    .option("--role <role>", "read (GET only) or write (default read)")
    .action(act(async (_, opts) => (await import("./commands/server.js")).tokenCreate(opts)));
  token
    .command("list")
    .description("tokens, revoked ones included")
    .action(act(async (_, opts) => (await import("./commands/server.js")).tokenList(opts)));
  token
    .command("revoke <name>")
    .description("revoke a token at once")
    .action(act(async ([name], opts) => (await import("./commands/server.js")).tokenRevoke(name!, opts)));

  const template = cli.command("template").description("the templates environments are made from");
  template
    .command("list")
    .description("built-in templates and those on INFRA_TEMPLATE_PATH")
    .action(act(async (_, opts) => (await import("./commands/template.js")).templateList(opts)));
  template
    .command("sync")
    .description("clone or fetch the organisation's template repositories and pin each to its newest commit")
    .option("--github-organisation <org>", "the organisation (INFRA_GITHUB_ORGANISATION; default from infra init)")
    .option("--repository-prefix <prefix>", "only repositories whose names start with this (INFRA_REPOSITORY_PREFIX)")
    .addHelpText(
      "after",
      "\nRepositories come from GitHub (GITHUB_TOKEN is used when set), or from INFRA_GIT_BASE\n(a GitHub Enterprise URL, or file:///dir with a folder per organisation).\nExample:\n  infra template sync --github-organisation acme --repository-prefix infra-",
    )
    .action(act(async (_, opts) => (await import("./commands/template.js")).templateSync(opts)));
  template
    .command("validate <file>")
    .description("check a template file: schema, expressions, components, safety limits")
    .addHelpText("after", "\nExample:\n  infra template validate templates/k8s-namespace-app/1.0.0.yaml")
    .action(act(async ([file], opts) => (await import("./commands/template.js")).templateValidate(file!, opts)));
  template
    .command("show <id[@version]>")
    .description("a template's parameters, components and outputs")
    .action(act(async ([ref], opts) => (await import("./commands/template.js")).templateShow(ref!, opts)));
  template
    .command("components [id]")
    .description("the components a template can use; with an id, its inputs (defaults as the code uses them) and outputs")
    .addHelpText("after", "\nExample:\n  infra template components kubernetes/web-app")
    .action(act(async ([id], opts) => (await import("./commands/template.js")).templateComponents(id, opts)));

  engineOpts(
    cli
      .command("apply")
      .description("make a set of environments what a file declares: a plan, then each one in dependency order, several at once")
      .requiredOption("-f, --file <path>", "a set file, or a folder of them (*.yaml)")
      .option("--plan", "only show the plan (with --json: as JSON); nothing runs")
      .option("--prune", "also destroy the set's environments the file no longer lists, dependents first")
      .option("--parallel <n>", "how many environments run at once (default: the cores)")
      .addHelpText(
        "after",
        "\nA set file:\n  set: shop\n  environments:\n    db:  { template: basic@1.0.0, params: { apiToken: { env: SHOP_TOKEN } } }\n    api: { template: consumer@1.0.0, params: { upstream: db }, tags: { team: shop }, ttl: 72h }\n\nAn environment whose template version, parameters and upstream outputs are as last applied does not\nrun; a failure skips only what reads from it. The set's environments carry the tag infra.set=<set>.\nExit codes: 0 all applied (or nothing to do), 1 one failed or was skipped, 2 bad input, 3 a conflict.\nExamples:\n  infra apply -f shop.yaml --plan\n  infra apply -f sets/shop/ --prune --yes --parallel 4",
      ),
  ).action(act(async (_, opts) => (await import("./commands/apply.js")).apply(opts)));

  cli
    .command("graph [name]")
    .description("the environments and what each reads from another (with a name, around it), or one environment's resources")
    .option("--format <format>", "dot (default), mermaid, json (--json too) or svg")
    .option("--focus <name>", "around one environment (as the name argument)")
    .option("--depth <n>", "with a name: how many steps out, both ways (default: all)")
    .option("--resources", "with a name: its resources, with parent (dashed) and dependency edges")
    .option("--all", "destroyed environments too")
    .addHelpText(
      "after",
      "\nExamples:\n  infra graph --format svg > environments.svg\n  infra graph api --depth 1 --format mermaid   # GitHub renders it in a ```mermaid block\n  infra graph api --resources --format svg > api.svg",
    )
    .action(act(async ([name], opts) => (await import("./commands/graph.js")).graph(name, opts)));

  cli
    .command("audit")
    .description("the audit log, newest first: who did what to which environment")
    .option("--env <name>", "one environment's entries")
    .option("--actor <who>", "one actor's (user@host, a token's name, reaper)")
    .option("--action <action>", "one action (create, destroy, drift-check, lock-forced, …)")
    .option("--since <when>", "a duration back from now (30m, 24h, 7d) or a time (2026-12-01T09:00Z)")
    .option("--limit <n>", "entries per page (default 50)")
    .option("--before <seq>", "the next page: the number the previous page ended with")
    .addHelpText("after", "\nExample:\n  infra audit --env dev --since 7d\n  infra audit --actor reaper --json")
    .action(act(async (_, opts) => (await import("./commands/audit.js")).audit(opts)));

  const sandbox = cli
    .command("sandbox")
    .description("a local Kubernetes control plane with simulated nodes (no Docker; no container runs)")
    .addHelpText(
      "after",
      "\nThe sandbox runs etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on\n127.0.0.1. kwok simulates nodes and pods: Deployments become Ready, but nothing listens and no\nimage is pulled. Data, logs and the admin kubeconfig are under $INFRA_HOME/sandbox.",
    );
  sandbox
    .command("start")
    .description("start the sandbox (a no-op when it runs); waits until the API server is ready and a node is Ready")
    .option("--port <n>", "the API server's port on 127.0.0.1 (default: the one it had, else a free one)")
    .option("--nodes <n>", "how many simulated nodes (default 1)")
    .option("--real-node", "also run a real node (kubelet, containerd): real containers; as root, one per machine (remembered)")
    .option("--no-real-node", "kwok's simulated nodes only (remembered)")
    .option("--timeout <seconds>", "how long to wait for readiness (default 120)")
    .addHelpText("after", "\nExamples:\n  infra sandbox start\n  export KUBECONFIG=$(infra sandbox status --json | jq -r .kubeconfig)")
    .action(localAct("infra sandbox", async (_, opts) => (await import("./commands/sandbox/sandbox.js")).sandboxStart(opts)));
  sandbox
    .command("status")
    .description("each process: state, pid, ports, uptime, memory; the kubeconfig")
    .action(localAct("infra sandbox", async (_, opts) => (await import("./commands/sandbox/sandbox.js")).sandboxStatus(opts)));
  sandbox
    .command("push <image> <name>")
    .description("put an image (a docker save tarball or an OCI layout folder) in the sandbox's registry, where the real node pulls from")
    .addHelpText(
      "after",
      "\nThe real node pulls every image from the sandbox's registry, whatever registry its name says: push\nghcr.io/acme/api:2 here and a pod naming ghcr.io/acme/api:2 runs it. Other tools push to the address\n`infra sandbox status` shows, trusting its CA (skopeo --dest-cert-dir, crane with SSL_CERT_FILE,\ndocker with /etc/docker/certs.d/<address>/ca.crt).\n\nExamples:\n  docker save myapp:1 -o myapp.tar && infra sandbox push myapp.tar myapp:1\n  infra sandbox push ./oci-layout ghcr.io/acme/api:2",
    )
    .action(localAct("infra sandbox", async ([image, name], opts) => (await import("./commands/sandbox/sandbox.js")).sandboxPush(image!, name!, opts)));
  sandbox
    .command("stop")
    .description("stop every process; the data stays")
    .action(localAct("infra sandbox", async (_, opts) => (await import("./commands/sandbox/sandbox.js")).sandboxStop(opts)));
  sandbox
    .command("delete")
    .description("stop every process and remove every file of the sandbox (refused while environments live on it, unless --force)")
    .option("--force", "delete even though environments live on it (then infra env forget each)")
    .action(localAct("infra sandbox", async (_, opts) => (await import("./commands/sandbox/sandbox.js")).sandboxDelete(opts)));

  const engine = cli.command("engine").description("the Pulumi engine infra runs");
  engine
    .command("status")
    .description("which Pulumi CLI and plugins infra will use, and where they come from")
    .action(act(async (_, opts) => (await import("./commands/engine.js")).engineStatus(opts)));

  cli
    .command("completion")
    .description("print a shell completion script")
    .addOption(new Option("--shell <shell>", "the shell").choices(["bash", "zsh"]).default("bash"))
    .addHelpText("after", "\nExample:\n  source <(infra completion)            # bash\n  infra completion --shell zsh > ~/.zfunc/_infra")
    .action(act(async (_, opts) => (await import("./commands/completion.js")).completion(cli, opts.shell as string)));

  return cli;
}

/** Runs the CLI and returns the exit code (0 ok, 1 failure, 2 usage, 3 locked or conflict, 4 drifted, 5 unhealthy). */
export async function run(argv: string[]): Promise<number> {
  const cli = program();
  try {
    await cli.parseAsync(argv);
    // A command that succeeded may still have an answer of its own to give (drifted; a reap with failures).
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const e = err as Error;
    const debug = argv.includes("--debug");
    // A prompt closed with Ctrl-C: nothing was written.
    if (e?.name === "ExitPromptError") {
      process.stderr.write("infra: cancelled\n");
      return EXIT.interrupted;
    }
    const said = sayError(err, CLI_WORDS);
    const text = debug ? `${said}\n${e?.stack ?? ""}` : said.split("\n")[0]!;
    process.stderr.write(`infra: ${text}\n`);
    // Several engine failures: one line each, naming the resource.
    const reasons = (err as { reasons?: string[] }).reasons ?? [];
    if (reasons.length > 1) for (const r of reasons) process.stderr.write(`infra:   - ${r}\n`);
    if (!debug && !isInfraError(err)) process.stderr.write("infra: (run with --debug for details)\n");
    return exitCode(kindOf(err));
  }
}
