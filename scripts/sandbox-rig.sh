#!/usr/bin/env bash
# The sandbox rig: the five programs of `infra sandbox` (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler and the kwok controller), and a
# kubectl of the API server's version, in one folder outside the checkout.
#
#   scripts/sandbox-rig.sh            make the rig ready (reuse, download or build)
#   scripts/sandbox-rig.sh --check    exit 0 if the rig is ready, 1 if not; builds nothing
#   scripts/sandbox-rig.sh --print    print the rig folder
#
# Versions come from the helper modules' go.mod files in rig/sandbox (the single
# source of truth). The rig folder is keyed by those versions and a hash of
# rig/sandbox, so a version bump or a helper change rebuilds, nothing else does.
#
# It also holds oci-registry (rig/registry), an OCI registry on loopback the
# tests push charts to; it is ours and always built with Go (where there is no
# Go, the rig is ready without it and the tests that need it say so). The
# binary carries a hash of rig/registry: a change there rebuilds it alone.
#
# Environment: INFRA_SANDBOX_RIG_HOME (default ~/.cache/infra/sandbox-rig),
# INFRA_RIG_FROM_SOURCE=1 (skip the download fast path).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

say() { printf '[sandbox-rig] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

modver() { # modver <helper dir> <module>: the version its go.mod requires
  sed -n "s#^[[:space:]]*\(require \)\{0,1\}$2 \(v[0-9][^ ]*\).*#\2#p" "rig/sandbox/$1/go.mod" | head -n1
}
k8s_v=$(modver kubernetes k8s.io/kubernetes)
etcd_v=$(modver etcd go.etcd.io/etcd/server/v3)
kwok_v=$(modver kwok sigs.k8s.io/kwok)
[ -n "$k8s_v" ] && [ -n "$etcd_v" ] && [ -n "$kwok_v" ] || die "cannot read the pinned versions from rig/sandbox/*/go.mod"

src_hash=$( { find rig/sandbox -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-12)
versions_key="kubernetes-${k8s_v}_etcd-${etcd_v}_kwok-${kwok_v}"
key="${versions_key}_${src_hash}"
base=${INFRA_SANDBOX_RIG_HOME:-$HOME/.cache/infra/sandbox-rig}
rig="$base/$key"
log="$rig/build.log"
BINARIES="etcd kube-apiserver kube-controller-manager kube-scheduler kwok kubectl"
reg_hash=$( { find rig/registry -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-12)
registry_ok() { "$rig/bin/oci-registry" --version 2>/dev/null | grep -qx "oci-registry ${reg_hash}"; }
STAGES="$rig/share/kwok-default-stages.yaml"

# kubectl too: the tests drive the sandbox with it, and a kubectl more than one
# minor version from the API server is outside Kubernetes' skew policy (1.32's
# exec over WebSocket, for one, can drop the server's error message).
k8s_ok() { [ -x "$rig/bin/kube-apiserver" ] && [ -x "$rig/bin/kube-controller-manager" ] && [ -x "$rig/bin/kube-scheduler" ] &&
  "$rig/bin/kube-apiserver" --version 2>/dev/null | grep -qx "Kubernetes ${k8s_v}" &&
  "$rig/bin/kubectl" version --client 2>/dev/null | grep -qx "Client Version: ${k8s_v}"; }

built() { # every binary is there and says the pinned version
  local b
  for b in $BINARIES; do [ -x "$rig/bin/$b" ] || return 1; done
  [ -s "$STAGES" ] || return 1
  k8s_ok &&
    "$rig/bin/etcd" --version 2>/dev/null | grep -q "etcd Version: ${etcd_v#v}" &&
    "$rig/bin/kwok" --version 2>/dev/null | grep -q "${kwok_v}" &&
    { registry_ok || ! command -v go >/dev/null; }
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
  say "ready: $rig (kubernetes ${k8s_v}, etcd ${etcd_v}, kwok ${kwok_v})"
  exit 0
fi

mkdir -p "$rig/bin" "$rig/share"
chmod 700 "$base" "$rig" 2>/dev/null || true
exec 9>"$rig/.lock"
flock -w 7200 9 || die "another sandbox-rig run holds $rig/.lock"
if ready; then say "ready (built by a concurrent run): $rig"; exit 0; fi

step=""
module=""
failed() {
  say "step '$step' failed${module:+ (module $module)}. Last lines of $log:"
  tail -n 20 "$log" >&2 || true
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
if [ "${INFRA_RIG_FROM_SOURCE:-0}" != 1 ] && curl -fsSI --max-time 5 https://dl.k8s.io/ >/dev/null 2>&1; then
  online=1
fi

need_go() {
  command -v go >/dev/null || die "Go is needed to build the sandbox offline (apt-get install golang, or put go on PATH)"
}

fetch() { # fetch <url> <file>: a download into place, atomically
  curl -fsSL --retry 3 -o "$2.part" "$1" && chmod 755 "$2.part" && mv -f "$2.part" "$2"
}

# shellcheck source=scripts/k8s-ldflags.sh
. "$root/scripts/k8s-ldflags.sh"

build_k8s() {
  (cd rig/sandbox/kubernetes &&
    CGO_ENABLED=0 go build -trimpath -tags selinux,notest -ldflags "-s -w $(k8s_ldflags "$k8s_v")" -o "$rig/bin/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler \
      k8s.io/kubernetes/cmd/kubectl)
}

build_etcd() {
  (cd rig/sandbox/etcd && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$rig/bin/etcd" go.etcd.io/etcd/server/v3)
}

build_kwok() {
  (cd rig/sandbox/kwok &&
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$rig/bin/kwok" sigs.k8s.io/kwok/cmd/kwok)
}

build_registry() {
  (cd rig/registry && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.stamp=${reg_hash}" -o "$rig/bin/oci-registry" .)
}

# 1. Kubernetes: official binaries from dl.k8s.io, or one go build of the four.
if ! k8s_ok; then
  if [ $online = 1 ]; then
    for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
      run_step "download $b ${k8s_v}" fetch "https://dl.k8s.io/release/${k8s_v}/bin/linux/amd64/$b" "$rig/bin/$b"
    done
  else
    need_go
    module="k8s.io/kubernetes ${k8s_v}, helper rig/sandbox/kubernetes"
    run_step "build kube-apiserver, kube-controller-manager, kube-scheduler, kubectl ${k8s_v} (~8-17 min cold)" build_k8s
  fi
fi

# 2. etcd.
if ! "$rig/bin/etcd" --version 2>/dev/null | grep -q "etcd Version: ${etcd_v#v}"; then
  if [ $online = 1 ]; then
    run_step "download etcd ${etcd_v}" bash -c "curl -fsSL --retry 3 https://github.com/etcd-io/etcd/releases/download/${etcd_v}/etcd-${etcd_v}-linux-amd64.tar.gz | tar xz -C '$rig/bin' --strip-components=1 etcd-${etcd_v}-linux-amd64/etcd"
  else
    need_go
    module="go.etcd.io/etcd/server/v3 ${etcd_v}, helper rig/sandbox/etcd"
    run_step "build etcd ${etcd_v} (~1 min cold)" build_etcd
  fi
fi

# 3. The kwok controller.
if ! "$rig/bin/kwok" --version 2>/dev/null | grep -q "${kwok_v}"; then
  if [ $online = 1 ]; then
    run_step "download kwok ${kwok_v}" fetch "https://github.com/kubernetes-sigs/kwok/releases/download/${kwok_v}/kwok-linux-amd64" "$rig/bin/kwok"
  else
    need_go
    module="sigs.k8s.io/kwok ${kwok_v}, helper rig/sandbox/kwok"
    run_step "build kwok ${kwok_v} (~2 min cold)" build_kwok
  fi
fi

# 4. kwok's default node and pod stages, printed by a helper of ours from the
# kwok module (kwok itself starts with none).
if [ ! -s "$STAGES" ]; then
  need_go
  module="sigs.k8s.io/kwok ${kwok_v}, helper rig/sandbox/kwok"
  run_step "write kwok's default stages" bash -c "cd rig/sandbox/kwok && go run ./cmd/default-stages > '$STAGES.part' && mv '$STAGES.part' '$STAGES'"
fi

# 5. The tests' OCI registry (ours: no download).
if ! registry_ok && command -v go >/dev/null; then
  module="github.com/google/go-containerregistry, helper rig/registry"
  run_step "build oci-registry, the tests' OCI registry (~1 min cold)" build_registry
fi

trap - ERR
built || die "the sandbox rig was built but does not check out (a binary is missing or says another version); see $log"
cat >"$rig/versions.json" <<JSON
{"kubernetes":"${k8s_v}","etcd":"${etcd_v}","kwok":"${kwok_v}","source":"$([ $online = 1 ] && echo download || echo go-build)","rigHash":"${src_hash}"}
JSON
touch "$rig/.complete"
ln -sfn "$key" "$base/.link-$$" && mv -Tf "$base/.link-$$" "$base/$versions_key"
for old in "$base/${versions_key}"_*; do
  [ "$old" = "$rig" ] || [ ! -d "$old" ] && continue
  ( flock -n 8 && rm -rf "$old" ) 8>"$old/.lock" 2>/dev/null && say "removed superseded build $(basename "$old")" || true
done
say "ready: $rig"
