# nnmath — the short front door. `make help` lists the targets.
SHELL := /bin/bash
MAKEFLAGS += --no-print-directory
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

JOBS ?= 2
PORT ?= 8000
# Debian's emcc (3.1.6) under Node 20 needs Debian's node modules (acorn).
EMENV := NODE_PATH=/usr/share/nodejs$${NODE_PATH:+:$$NODE_PATH}
# Every JavaScript test: tests/**/*.test.js, sorted (explicit list: Node 20 and
# 22 disagree on what a directory argument to `node --test` means).
JS_TESTS = $(shell find tests -name node_modules -prune -o -type f -name '*.test.js' -print | LC_ALL=C sort)
# --test-force-exit: a test file that fails with a browser or server still open must not hang CI.
NODE_TEST_FLAGS ?= --test-reporter=spec --test-timeout=300000 --test-force-exit
# The files that time something (long tasks, the slowest call of the core, frames while a
# computation runs, Lighthouse's performance score) run one at a time, after the others; the
# others run TEST_CONCURRENCY files at a time (most of their time is spent waiting for pages).
TIMED_TESTS = tests/browser/lighthouse.test.js tests/browser/page.test.js \
  tests/browser/landscape.test.js tests/browser/experiments.test.js tests/browser/offline.test.js \
  tests/browser/learn.test.js tests/browser/keyboard.test.js tests/lighthouse-calibration.test.js \
  tests/experiments-engine.test.js tests/landscape-api.test.js tests/learn-math.test.js
TEST_CONCURRENCY ?= 3

.PHONY: help all build asan wasm dist run serve test test-c test-asan test-js setup bench clean

help:
	@echo 'make build     native Release build (-O3) in build/: build/nnmath, tests (default)'
	@echo 'make asan      ASan+UBSan build in build-asan/'
	@echo 'make wasm      WebAssembly cores + data script in build-wasm/ (emscripten)'
	@echo 'make dist      wasm + dist/ (web/ minified + cores + data) + dist/nnmath-lesson.zip'
	@echo 'make run       setup, dist, then serve dist/ on http://127.0.0.1:$$PORT/ (PORT=8000)'
	@echo 'make test      setup; native + ctest; asan + ctest; dist; node --test (tests/**/*.test.js)'
	@echo '               pieces: make test-c, make test-asan, make test-js (needs dist)'
	@echo 'make bench     benchmarks (bench/run.sh)'
	@echo 'make setup     install missing Debian/npm packages (scripts/setup.sh)'
	@echo 'make clean     remove build/, build-asan/, build-wasm/, dist/, tests/artifacts/'

all: build

setup:
	bash scripts/setup.sh

build:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
	cmake --build build -j$(JOBS)

asan:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DNNMATH_SANITIZE=ON
	cmake --build build-asan -j$(JOBS)

# cmake/wasm.cmake builds the cores (and may build digits-data.js itself); the
# data script is (re)made here if it is missing or older than its inputs.
wasm:
	@command -v emcmake >/dev/null || { echo 'emcmake not found: run `make setup` (Debian package emscripten)' >&2; exit 1; }
	$(EMENV) emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release
	$(EMENV) cmake --build build-wasm -j$(JOBS)
	@out=build-wasm/digits-data.js; \
	if [ ! -f $$out ] || [ data/digits.csv -nt $$out ] || [ tools/pack_data.js -nt $$out ]; then \
	  echo "node tools/pack_data.js data/digits.csv $$out"; \
	  node tools/pack_data.js data/digits.csv $$out; \
	fi

dist: wasm
	bash tools/build_dist.sh

run: setup
	$(MAKE) dist
	PORT=$(PORT) node scripts/serve.js dist

# Serve the existing dist/ without rebuilding.
serve:
	PORT=$(PORT) node scripts/serve.js dist

test-c: build
	ctest --test-dir build --output-on-failure --no-tests=error -j$(JOBS)

test-asan: asan
	ctest --test-dir build-asan --output-on-failure --no-tests=error -j$(JOBS)

test-js:
	@tests="$(JS_TESTS)"; [ -n "$$tests" ] || { echo "no tests/**/*.test.js found" >&2; exit 1; }; \
	timed=""; rest=""; \
	for t in $$tests; do case " $(TIMED_TESTS) " in *" $$t "*) timed="$$timed $$t";; *) rest="$$rest $$t";; esac; done; \
	for t in $(TIMED_TESTS); do [ -f "$$t" ] || { echo "TIMED_TESTS names $$t, which does not exist" >&2; exit 1; }; done; \
	status=0; \
	if [ -n "$$rest" ]; then echo "node --test --test-concurrency=$(TEST_CONCURRENCY)$$rest"; \
	  node --test --test-concurrency=$(TEST_CONCURRENCY) $(NODE_TEST_FLAGS) $$rest || status=$$?; fi; \
	if [ -n "$$timed" ]; then echo "node --test --test-concurrency=1$$timed"; \
	  node --test --test-concurrency=1 $(NODE_TEST_FLAGS) $$timed || status=$$?; fi; \
	exit $$status

test: setup
	$(MAKE) test-c
	$(MAKE) test-asan
	$(MAKE) dist
	$(MAKE) test-js

bench:
	@if [ -f bench/run.sh ]; then bash bench/run.sh; \
	else echo 'make bench: no benchmarks yet (they come in a later issue: bench/run.sh).'; fi

clean:
	rm -rf build build-asan build-wasm dist tests/artifacts
