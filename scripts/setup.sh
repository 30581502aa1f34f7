#!/usr/bin/env bash
# The set-up command (npm run setup): everything a fresh machine needs before
# `npm test`: npm dependencies from the lockfile, the compiled CLI, the
# offline Pulumi engine rig, the sandbox's programs and its real node's (each
# built from Go modules when it is not cached).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*"; }

node -e 'const [a]=process.versions.node.split(".").map(Number); if (a < 20) { console.error(`[setup] Node ${process.versions.node} is too old: infra needs Node 20 or later`); process.exit(1); }'

say "npm dependencies (npm ci)"
npm ci --no-audit --no-fund

say "compile (tsc)"
npm run --silent build

say "engine rig"
bash scripts/engine-rig.sh

say "sandbox rig (etcd, Kubernetes control plane, kwok)"
bash scripts/sandbox-rig.sh

say "node rig (kubelet, kube-proxy, containerd, the pause program, Debian's busybox)"
bash scripts/node-rig.sh

# What the real node needs of the host (src/sandbox/node.ts whyNoNode): Debian's packages, installed
# as root when missing; without root the real node's tests skip, saying why.
missing=()
for p in runc:runc iptables:iptables ip:iproute2 tar:tar; do command -v "${p%%:*}" >/dev/null || missing+=("${p#*:}"); done
[ -e /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "the real node's host packages (${missing[*]}, from Debian)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 ||
      { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2; }
  else
    say "not root: the real node's tests will skip (they need ${missing[*]}, and root)"
  fi
fi

say "schemathesis (the API contract test's property-based client, from PyPI)"
bash scripts/schemathesis.sh

say "done: run the tests with npm test"
