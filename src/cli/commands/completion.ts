// Shell completion generated from the command tree, so it never drifts from
// the commands themselves.
import type { Command } from "commander";

function words(cmd: Command): string {
  const subs = cmd.commands.map((c) => c.name());
  const flags = cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f));
  return [...subs, ...flags].join(" ");
}

export async function completion(cli: Command, shell: string): Promise<void> {
  const cases = cli.commands
    .map((c) => {
      // Subcommands first; "*" lets positional arguments follow the command.
      const inner = c.commands.map((s) => `        "${c.name()} ${s.name()}"*) opts="${words(s)}" ;;`).join("\n");
      return `${inner}\n        "${c.name()}"*) opts="${words(c)}" ;;`;
    })
    .join("\n");
  const script = `# infra ${shell} completion
_infra() {
    local cur="\${COMP_WORDS[COMP_CWORD]}" path="" w opts
    for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
        case "$w" in -*) ;; *) path="\${path:+$path }$w" ;; esac
    done
    case "$path" in
${cases}
        *) opts="${words(cli)}" ;;
    esac
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}
${shell === "zsh" ? "autoload -U +X bashcompinit && bashcompinit\n" : ""}complete -F _infra infra
`;
  process.stdout.write(script);
}
