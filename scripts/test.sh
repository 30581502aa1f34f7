#!/usr/bin/env bash
# The test command (npm test): unit tests, then e2e tests on the real engine,
# a real API server (the sandbox) and a real PostgreSQL.
# Prints a plain closing line "tests: N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."

# A warm check is cheap; when the rig is missing this says so and builds it,
# so a stale or absent engine never passes silently.
bash scripts/engine-rig.sh || { echo "[test] the engine rig is not ready; run npm run setup" >&2; exit 1; }
bash scripts/sandbox-rig.sh || { echo "[test] the sandbox rig is not ready; run npm run setup" >&2; exit 1; }
bash scripts/node-rig.sh || { echo "[test] the node rig is not ready; run npm run setup" >&2; exit 1; }

# The e2e tests run the compiled CLI: compile what is checked out.
npm run --silent build || exit 1
# Tests type-checked too: vitest strips types without checking them.
npm run --silent typecheck || exit 1
# The formatter and the linter (Biome: 160 columns, its recommended rules; see biome.json).
npx biome ci --colors=off --reporter=summary || { echo "[test] the formatter or the linter found problems: npx biome ci says where, npm run format fixes what it can" >&2; exit 1; }

# The services tests need (PostgreSQL), on loopback, stopped when the run ends.
services=$(bash scripts/services.sh start) || { echo "[test] the test services did not start" >&2; exit 1; }
eval "$services"
trap 'bash scripts/services.sh stop' EXIT

report=$(mktemp -d)/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
rc=$?
node -e '
  const fs = require("fs");
  let r; try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { console.log("tests: 0 passed, 1 failed"); process.exit(0); }
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$report"
exit $rc
