// The command-line program. Every command module is imported lazily by its
// action, so `infra --help` loads commander and nothing else.
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { packageRoot } from "../engine/pins.js";
import { join } from "node:path";

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

export function program(): Command {
  const cli = new Command("infra")
    .description("Bootstrap a meta environment and stamp out environments as Pulumi stacks, kept in a registry.")
    .version(version(), "-V, --version")
    .option("--debug", "show stack traces and engine diagnostics")
    .option("--json", "machine-readable output")
    .showSuggestionAfterError()
    .exitOverride();

  const engine = cli.command("engine").description("the Pulumi engine infra runs");
  engine
    .command("status")
    .description("show which Pulumi CLI and plugins infra will use, and where they come from")
    .action(async () => {
      const { engineStatus } = await import("./engine-status.js");
      await engineStatus(cli.opts());
    });
  return cli;
}

/** Runs the CLI and returns the process exit code (0 ok, 1 failure, 2 usage). */
export async function run(argv: string[]): Promise<number> {
  const cli = program();
  try {
    await cli.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    const debug = argv.includes("--debug");
    const e = err as Error;
    process.stderr.write(`infra: ${debug ? (e.stack ?? e.message) : e.message}\n`);
    return 1;
  }
}
