#!/usr/bin/env bash
# TuneKit set-up: the one step both README commands run (`npm run setup`).
#   1. Debian packages the fast path and the tests need, when this user may install them (root or
#      passwordless sudo): chromium (the report screenshot test), OpenBLAS (matMuls of the
#      @tunekit/native addon) and redis-server (the redis executor's tests start one on loopback).
#   2. `npm ci`: the workspace's npm dependencies, and the addon compiled with node-gyp.
#   3. What is missing now, and what that costs.
# Never changes OPENBLAS_* or any other environment variable of the caller.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf 'tunekit setup: %s\n' "$*"; }
has_redis() { command -v redis-server >/dev/null 2>&1; }
has_openblas() { ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0' || ls /usr/lib/*/libopenblas.so.0 >/dev/null 2>&1; }
has_chromium() { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }

missing=()
has_chromium || missing+=(chromium)
has_openblas || missing+=(libopenblas0-pthread)
has_redis || missing+=(redis-server)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n)
  else sudo=""
  fi
  if [ "${sudo-unset}" = "" ] || ! command -v apt-get >/dev/null 2>&1; then
    say "cannot install Debian packages here (needs apt-get as root or passwordless sudo): ${missing[*]}"
  else
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
      say "apt-get failed for: ${missing[*]} (continuing without them)"
    fi
  fi
fi

say "npm ci"
npm ci --no-audit --no-fund

# 3. Report what this machine runs on, and what a missing part costs.
problems=0
if ! has_openblas; then
  problems=1
  say "OpenBLAS not found: training runs its matrix products on wasm SIMD (XNNPACK), 2.4-3.8x slower."
  say "  install with: apt-get install libopenblas0-pthread   (then rerun npm run setup)"
fi
if [ ! -f packages/native/build/Release/tunekit_native.node ]; then
  problems=1
  say "@tunekit/native not built (no C compiler or Node headers?): no OpenBLAS matMuls, no native kernels."
  say "  install with: apt-get install g++ make python3   (then rerun npm run setup)"
fi
if ! has_chromium; then
  problems=1
  say "chromium not found: the report screenshot test fails; reports still work (they are HTML)."
  say "  install with: apt-get install chromium   (then rerun npm run setup)"
fi
if ! has_redis; then
  problems=1
  say "redis-server not found: the redis executor's tests (packages/cli/test/redis-*) fail; local runs are unaffected."
  say "  install with: apt-get install redis-server   (then rerun npm run setup)"
fi
node packages/cli/bin/tunekit.js doctor || true
[ "$problems" -eq 0 ] && say "ready (fast path: OpenBLAS matMuls and native kernels)"
exit 0
