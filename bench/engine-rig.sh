#!/usr/bin/env bash
# Figures for the engine rig. Prints, does not assert.
#
#   bench/engine-rig.sh           warm rig check and e2e lifecycle duration
#   bench/engine-rig.sh --cold    also a cold rig build from empty Go caches
#                                 (downloads every module again: ~10-20 min)
#
# Baselines run in the same script: `node -e 0` for the warm check (the same
# cost any npm script pays to start), and a bare `pulumi version` of the rig's
# CLI for the lifecycle test.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-10}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ms() { # ms <command...>: wall time of one run in milliseconds
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}

bash scripts/engine-rig.sh >/dev/null 2>&1 || { echo "the rig is not ready: run npm run setup first" >&2; exit 1; }
rig=$(bash scripts/engine-rig.sh --print)

base=$(for _ in $(seq "$runs"); do ms node -e 0; done | median)
check=$(for _ in $(seq "$runs"); do ms bash scripts/engine-rig.sh; done | median)
echo "warm rig check (scripts/engine-rig.sh, median of $runs): ${check} ms; node -e 0: ${base} ms; ratio $(awk "BEGIN{printf \"%.1f\", $check/$base}")x; goal < 2000 ms"

pv=$(for _ in $(seq 3); do ms "$rig/bin/pulumi" version; done | median)
e2e=$(for _ in 1 2 3; do ms npx vitest run test/e2e/engine/lifecycle.test.ts; done | median)
echo "e2e lifecycle test (up, refresh, preview, update, destroy; median of 3): ${e2e} ms; pulumi version: ${pv} ms"

if [ "${1:-}" = "--cold" ]; then
  tmp=$(mktemp -d)
  trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
  t0=$(date +%s)
  GOMODCACHE="$tmp/mod" GOCACHE="$tmp/cache" INFRA_RIG_HOME="$tmp/rig" INFRA_RIG_FROM_SOURCE=1 \
    bash scripts/engine-rig.sh 2>&1 | sed 's/^/  /'
  t1=$(date +%s)
  echo "cold rig build (empty GOMODCACHE and GOCACHE, $(nproc) cores): $((t1 - t0)) s; module cache $(du -sh "$tmp/mod" | cut -f1), build cache $(du -sh "$tmp/cache" | cut -f1), rig $(du -shL "$tmp/rig" | cut -f1)"
fi
