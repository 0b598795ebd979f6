#!/usr/bin/env bash
# make bench — the benchmarks of nnmath (see BENCHMARKS.md).
# Builds what is missing (native Release build, wasm cores, dist/), installs the bench-only npm
# packages into bench/node_modules (npm ci, from bench/package-lock.json), then runs bench/run.js:
# every contender in turn, results in bench/out/results.json and the generated part of BENCHMARKS.md.
# Environment knobs: BENCH_EPOCHS (20), BENCH_RUNS (5), BENCH_HIDDEN (64,32,128),
# BENCH_ONLY=native,peak,node,torch,browser,page (a subset), BENCH_NO_BUILD=1 (use what is built).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== nnmath benchmarks ($(date -u +%Y-%m-%dT%H:%M:%SZ)) =="
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  make build >/dev/null 2>&1 || echo "bench: make build failed — the CLI cross-check may be skipped (bench_native compiles src/nnmath.c itself)" >&2
  if ! make dist >/dev/null 2>&1; then
    echo "bench: make dist failed — building the wasm cores only (the page metrics use whatever dist/ holds)" >&2
    make wasm >/dev/null 2>&1 || echo "bench: make wasm failed too — using the cores already in build-wasm/" >&2
  fi
fi
for f in build-wasm/nnmath-core-simd.js build-wasm/nnmath-core-scalar.js build-wasm/digits-data.js web/js/nnmath.js; do
  [ -f "$f" ] || { echo "bench: $f is missing (make wasm)" >&2; exit 1; }
done
if [ ! -d node_modules/playwright-core ]; then
  echo "installing the project's npm packages (npm ci)"; npm ci --no-audit --no-fund >/dev/null
fi
if [ ! -d bench/node_modules ]; then
  echo "installing the bench-only npm packages into bench/node_modules (npm ci)"
  (cd bench && npm ci --no-audit --no-fund >/dev/null) || echo "bench: npm ci failed — TF.js and ConvNetJS will be skipped" >&2
fi
# PyTorch, a peer (Debian's python3-torch, ~1 GB installed): installed when missing, as
# `make test` installs its own packages; BENCH_NO_INSTALL=1 skips that (the row is then skipped).
if ! /usr/bin/python3 -c 'import torch' >/dev/null 2>&1 && [ -z "${BENCH_NO_INSTALL:-}" ]; then
  SUDO=()
  [ "$(id -u)" -eq 0 ] || SUDO=(sudo -E)
  echo "installing Debian's python3-torch (the PyTorch peer)"
  if ! { "${SUDO[@]}" apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null &&
         DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q -o DPkg::Lock::Timeout=600 \
           -o Dpkg::Use-Pty=0 python3-torch >/dev/null; }; then
    echo "bench: could not install python3-torch — the PyTorch row will be skipped" >&2
  fi
fi
mkdir -p bench/out
[ -n "${BENCH_ONLY:-}" ] || rm -f bench/out/results.json  # BENCH_ONLY merges into the last one
# TF.js prints a banner about tfjs-node: drop it (and keep node's exit status).
set +e
node bench/run.js 2>&1 | grep --line-buffered -v -e '^=\{20,\}$' -e 'looks like you are running TensorFlow.js in Node' -e '^$'
status=${PIPESTATUS[0]}
set -e
exit "$status"
