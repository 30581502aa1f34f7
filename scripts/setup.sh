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

say "schemathesis (the API contract test's property-based client, from PyPI)"
bash scripts/schemathesis.sh

say "done: run the tests with npm test"
