#!/usr/bin/env bash
# Schemathesis, pinned, in a virtual environment of its own in the cache
# (outside the clone, so a clean clone reuses it): the contract test
# (test/e2e/server/contract.test.ts) drives infra server with it.
set -euo pipefail
VERSION=4.32.5
dir="${XDG_CACHE_HOME:-$HOME/.cache}/infra/schemathesis"
say() { printf '[schemathesis] %s\n' "$*"; }
if [ -x "$dir/bin/schemathesis" ] && [ "$("$dir/bin/schemathesis" --version 2>/dev/null | awk '{print $NF}')" = "$VERSION" ]; then
  say "ready: $dir ($VERSION)"
  exit 0
fi
command -v python3 >/dev/null || { say "error: python3 is needed (apt-get install python3 python3-venv)"; exit 1; }
rm -rf "$dir"
if ! python3 -m venv "$dir" 2>/dev/null; then
  [ "$(id -u)" = 0 ] || { say "error: python3 cannot make a virtual environment: apt-get install python3-venv"; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >&2 || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >&2; }
  python3 -m venv "$dir"
fi
"$dir/bin/pip" install -q --disable-pip-version-check "schemathesis==$VERSION"
say "ready: $dir ($VERSION)"
