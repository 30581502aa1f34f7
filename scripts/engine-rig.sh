#!/usr/bin/env bash
# The offline Pulumi engine rig: the Pulumi CLI and the resource plugins the
# project's npm packages ask for, in one folder outside the checkout.
#
#   scripts/engine-rig.sh            make the rig ready (reuse, download or build)
#   scripts/engine-rig.sh --check    exit 0 if the rig is ready, 1 if not; builds nothing
#   scripts/engine-rig.sh --print    print the rig folder
#
# Versions come from package.json (the single source of truth). The rig folder
# is keyed by those versions and by a hash of rig/ (our Go helper modules), so
# a version bump or a change to a helper rebuilds, and nothing else does.
#
# Environment: INFRA_RIG_HOME (default ~/.cache/infra/engine-rig),
# INFRA_RIG_FROM_SOURCE=1 (skip the download fast path).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

say() { printf '[engine-rig] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# All four pins in one node run (each run costs ~50 ms of the warm check).
pins=$(node -e '
  const p = require("./package.json");
  for (const n of process.argv.slice(1)) {
    const v = (p.dependencies || {})[n] || (p.devDependencies || {})[n];
    if (!v || !/^\d+\.\d+\.\d+$/.test(v)) { console.error(`package.json must pin ${n} to an exact version (found ${v})`); process.exit(1); }
    console.log(v);
  }' @pulumi/pulumi @pulumi/random @pulumi/tls @pulumi/command @pulumi/kubernetes) || exit 1
read -r pulumi_v random_v tls_v command_v kubernetes_v <<<"$(echo $pins)"

# The Go helper must build the very CLI version npm pins, or the Automation API
# and the engine disagree.
grep -q "github.com/pulumi/pulumi/pkg/v3 v${pulumi_v}\$" rig/cli/go.mod ||
  die "rig/cli/go.mod does not require github.com/pulumi/pulumi/pkg/v3 v${pulumi_v} (package.json pins @pulumi/pulumi ${pulumi_v}); update one to match the other"

# Only the engine's helpers: the sandbox's (rig/sandbox, scripts/sandbox-rig.sh) are keyed apart.
src_hash=$(cd rig && find ./bridged ./cli ./command ./kubernetes -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 |
  LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)
versions_key="pulumi-${pulumi_v}_random-${random_v}_tls-${tls_v}_command-${command_v}_kubernetes-${kubernetes_v}"
key="${versions_key}_${src_hash}"
base=${INFRA_RIG_HOME:-$HOME/.cache/infra/engine-rig}
rig="$base/$key"
log="$rig/build.log"

built() { # every part is there and answers
  [ -x "$rig/bin/pulumi" ] &&
    [ "$("$rig/bin/pulumi" version 2>/dev/null)" = "v${pulumi_v}" ] &&
    [ -d "$rig/home/plugins/resource-random-v${random_v}" ] &&
    [ -d "$rig/home/plugins/resource-tls-v${tls_v}" ] &&
    [ -d "$rig/home/plugins/resource-command-v${command_v}" ] &&
    [ -d "$rig/home/plugins/resource-kubernetes-v${kubernetes_v}" ]
}
ready() { [ -f "$rig/.complete" ] && built; }

case "${1:-}" in
  --print) echo "$rig"; exit 0 ;;
  --check) ready && { echo "$rig"; exit 0; } || exit 1 ;;
  "") ;;
  *) die "unknown option '$1' (use --check, --print or nothing)" ;;
esac

if ready; then
  [ -L "$base/$versions_key" ] || ln -sfn "$key" "$base/$versions_key"
  say "ready: $rig (pulumi v${pulumi_v}, random ${random_v}, tls ${tls_v}, command ${command_v}, kubernetes ${kubernetes_v})"
  exit 0
fi

mkdir -p "$rig/bin" "$rig/home" "$rig/plugins"
chmod 700 "$base" "$rig" 2>/dev/null || true
exec 9>"$rig/.lock"
flock -w 3600 9 || die "another engine-rig run holds $rig/.lock"
if ready; then say "ready (built by a concurrent run): $rig"; exit 0; fi

export PULUMI_HOME="$rig/home" PULUMI_SKIP_UPDATE_CHECK=true
step=""
failed() {
  say "step '$step' failed. Last lines of $log:"
  tail -n 15 "$log" >&2 || true
  say "the whole build log is $log"
}
trap 'failed' ERR

run_step() { # run_step <description> <command...>: logged, timed, named on failure
  step=$1; shift
  local t0=$SECONDS
  say "$step ..."
  printf '\n==== %s (%s)\n' "$step" "$(date -u +%FT%TZ)" >>"$log"
  "$@" >>"$log" 2>&1
  say "$step: done in $((SECONDS - t0)) s"
}

online=0
if [ "${INFRA_RIG_FROM_SOURCE:-0}" != 1 ] &&
  curl -fsSI --max-time 5 https://get.pulumi.com/ >/dev/null 2>&1; then
  online=1
fi

need_go() {
  command -v go >/dev/null || die "Go is needed to build the engine offline (apt-get install golang, or put go on PATH)"
}

go_build() { # go_build <helper dir> <package> <output> <ldflags>
  (cd "rig/$1" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w $4" -o "$3" "$2")
}

# 1. The CLI: a pulumi of the pinned version on PATH, the official tarball, or a Go build.
if [ "$("$rig/bin/pulumi" version 2>/dev/null)" != "v${pulumi_v}" ]; then
  onpath=$(command -v pulumi || true)
  if [ -n "$onpath" ] && [ "$("$onpath" version 2>/dev/null)" = "v${pulumi_v}" ]; then
    run_step "link pulumi v${pulumi_v} from $onpath" ln -sf "$onpath" "$rig/bin/pulumi"
  elif [ $online = 1 ]; then
    run_step "download pulumi v${pulumi_v}" bash -c \
      "curl -fsSL https://get.pulumi.com/releases/sdk/pulumi-v${pulumi_v}-linux-x64.tar.gz | tar xz -C '$rig/bin' --strip-components=1"
  else
    need_go
    run_step "build pulumi v${pulumi_v} (module github.com/pulumi/pulumi/pkg/v3 v${pulumi_v}; ~5-15 min cold)" \
      go_build cli github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$rig/bin/pulumi" \
      "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${pulumi_v}"
  fi
fi

# 2. The plugins, installed into the rig's PULUMI_HOME so the engine never downloads.
plugin() { # plugin <name> <version> <helper dir> <package> <version ldflag var>
  local name=$1 ver=$2
  [ -d "$rig/home/plugins/resource-$name-v$ver" ] && return 0
  if [ $online = 1 ]; then
    run_step "download plugin $name $ver" "$rig/bin/pulumi" plugin install resource "$name" "$ver"
    return 0
  fi
  need_go
  local bin="$rig/plugins/pulumi-resource-$name"
  run_step "build plugin $name $ver (helper module rig/$3, package $4)" go_build "$3" "$4" "$bin" "-X $5=$ver"
  run_step "install plugin $name $ver" "$rig/bin/pulumi" plugin install resource "$name" "$ver" --file "$bin"
}
plugin random "$random_v" bridged ./cmd/pulumi-resource-random infra.local/rig/bridged/internal/bridge.Version
plugin tls "$tls_v" bridged ./cmd/pulumi-resource-tls infra.local/rig/bridged/internal/bridge.Version
plugin command "$command_v" command ./cmd/pulumi-resource-command main.Version
# Ours: the official provider's module is refused by the proxy (see rig/kubernetes/README.md).
plugin kubernetes "$kubernetes_v" kubernetes ./cmd/pulumi-resource-kubernetes main.Version

trap - ERR
built || die "the rig was built but does not check out; see $log"
cat >"$rig/versions.json" <<JSON
{"pulumi":"${pulumi_v}","random":"${random_v}","tls":"${tls_v}","command":"${command_v}","kubernetes":"${kubernetes_v}","source":"$([ $online = 1 ] && echo download || echo go-build)","rigHash":"${src_hash}"}
JSON
touch "$rig/.complete"
# infra finds the rig by its versions alone (src/engine/locate.ts): point that
# name at this build, atomically, so a running test never sees a half link.
ln -sfn "$key" "$base/.link-$$" && mv -Tf "$base/.link-$$" "$base/$versions_key"
# Builds of the same versions from older helper sources are dead weight
# (~250 MB each); remove those no run is using (their lock is free).
for old in "$base/${versions_key}"_*; do
  [ "$old" = "$rig" ] || [ ! -d "$old" ] && continue
  ( flock -n 8 && rm -rf "$old" ) 8>"$old/.lock" 2>/dev/null && say "removed superseded build $(basename "$old")" || true
done
say "ready: $rig"
