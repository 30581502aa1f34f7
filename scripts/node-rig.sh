#!/usr/bin/env bash
# The node rig: the programs of the sandbox's real node (kubelet, kube-proxy,
# containerd v2 with its runc shim and ctr, CoreDNS, and our pause and probe
# programs), built from Go modules into one folder outside the checkout, apart from the control
# plane's rig (scripts/sandbox-rig.sh) so neither rebuilds the other.
#
#   scripts/node-rig.sh            make the rig ready (reuse or build)
#   scripts/node-rig.sh --check    exit 0 if ready, 1 if not; builds nothing
#   scripts/node-rig.sh --print    print the rig folder
#
# Versions come from the helper modules' go.mod files in rig/node; the folder
# is keyed by them and a hash of rig/node. Environment: INFRA_NODE_RIG_HOME
# (default ~/.cache/infra/node-rig).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

say() { printf '[node-rig] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

modver() { sed -n "s#^[[:space:]]*\(require \)\{0,1\}$2 \(v[0-9][^ ]*\).*#\2#p" "rig/node/$1/go.mod" | head -n1; }
k8s_v=$(modver kubernetes k8s.io/kubernetes)
ctd_v=$(modver containerd github.com/containerd/containerd/v2)
dns_v=$(modver coredns github.com/coredns/coredns)
[ -n "$k8s_v" ] && [ -n "$ctd_v" ] && [ -n "$dns_v" ] || die "cannot read the pinned versions from rig/node/*/go.mod"

src_hash=$( { find rig/node -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-12)
versions_key="kubernetes-${k8s_v}_containerd-${ctd_v}"
base=${INFRA_NODE_RIG_HOME:-$HOME/.cache/infra/node-rig}
rig="$base/${versions_key}_${src_hash}"
log="$rig/build.log"
BINARIES="kubelet kube-proxy containerd containerd-shim-runc-v2 ctr pause probe coredns"
BUSYBOX="$rig/share/busybox"

built() {
  local b
  for b in $BINARIES; do [ -x "$rig/bin/$b" ] || return 1; done
  [ -x "$BUSYBOX" ] || return 1
  "$rig/bin/kubelet" --version 2>/dev/null | grep -qx "Kubernetes ${k8s_v}" &&
    "$rig/bin/containerd" --version 2>/dev/null | grep -q "${ctd_v}"
}
ready() { [ -f "$rig/.complete" ] && built; }

case "${1:-}" in
  --print) echo "$rig"; exit 0 ;;
  --check) ready && { echo "$rig"; exit 0; } || exit 1 ;;
  "") ;;
  *) die "unknown option '$1' (use --check, --print or nothing)" ;;
esac

if ready; then
  ln -sfn "$(basename "$rig")" "$base/$versions_key"
  say "ready: $rig (kubernetes ${k8s_v}, containerd ${ctd_v})"
  exit 0
fi
command -v go >/dev/null || die "Go is needed to build the node's programs (apt-get install golang, or put go on PATH)"

mkdir -p "$rig/bin"
chmod 700 "$base" "$rig" 2>/dev/null || true
exec 9>"$rig/.lock"
flock -w 7200 9 || die "another node-rig run holds $rig/.lock"
if ready; then say "ready (built by a concurrent run): $rig"; exit 0; fi

step=""
trap 'say "step ${step} failed. Last lines of $log:"; tail -n 20 "$log" >&2 || true' ERR
run_step() {
  step=$1; shift
  local t0=$SECONDS
  say "$step ..."
  printf '\n==== %s (%s)\n' "$step" "$(date -u +%FT%TZ)" >>"$log"
  "$@" >>"$log" 2>&1
  say "$step: done in $((SECONDS - t0)) s"
  printf "==== %s: done in %s s\n" "$step" "$((SECONDS - t0))" >>"$log"
}

# shellcheck source=scripts/k8s-ldflags.sh
. "$root/scripts/k8s-ldflags.sh"
build_k8s() {
  (cd rig/node/kubernetes &&
    CGO_ENABLED=0 go build -trimpath -tags selinux,notest -ldflags "-s -w $(k8s_ldflags "$k8s_v")" -o "$rig/bin/" \
      k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy)
}
build_containerd() {
  local p=github.com/containerd/containerd/v2
  (cd rig/node/containerd &&
    CGO_ENABLED=0 go build -trimpath -tags no_btrfs,no_devmapper,no_zfs -ldflags "-s -w -X $p/version.Version=${ctd_v}" -o "$rig/bin/" \
      "$p/cmd/containerd" "$p/cmd/containerd-shim-runc-v2" "$p/cmd/ctr")
}
build_pause() {
  (cd rig/node/pause && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$rig/bin/pause" .)
}
build_probe() {
  (cd rig/node/probe && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$rig/bin/probe" .)
}
build_coredns() {
  (cd rig/node/coredns && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$rig/bin/coredns" .)
}

[ -x "$rig/bin/kubelet" ] && [ -x "$rig/bin/kube-proxy" ] || run_step "build kubelet and kube-proxy ${k8s_v} (~8-15 min cold)" build_k8s
[ -x "$rig/bin/ctr" ] || run_step "build containerd ${ctd_v}, its runc shim and ctr (~2 min cold)" build_containerd
[ -x "$rig/bin/pause" ] || run_step "build pause (ours)" build_pause
[ -x "$rig/bin/probe" ] || run_step "build probe (ours: the test image's API client)" build_probe
[ -x "$rig/bin/coredns" ] || run_step "build CoreDNS ${dns_v} with the cluster DNS plugins (~2 min cold)" build_coredns
# The test image's one program: Debian's static busybox (httpd, sh), from the package registry.
busybox() {
  local t; t=$(mktemp -d)
  (cd "$t" && { apt-get download busybox-static >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get download busybox-static >/dev/null; }; } &&
    dpkg-deb -x busybox-static_*.deb x)
  mkdir -p "$rig/share" && install -m 755 "$t/x/bin/busybox" "$BUSYBOX"
  rm -rf "$t"
}
[ -x "$BUSYBOX" ] || run_step "fetch Debian's busybox-static" busybox

trap - ERR
built || die "the node rig was built but does not check out; see $log"
printf '{"kubernetes":"%s","containerd":"%s","rigHash":"%s"}\n' "$k8s_v" "$ctd_v" "$src_hash" >"$rig/versions.json"
touch "$rig/.complete"
ln -sfn "$(basename "$rig")" "$base/$versions_key"
say "ready: $rig"
