#!/usr/bin/env bash
# Install what building and testing nnmath needs, and nothing when it is all
# there already (then it takes well under a second).
#   Debian packages: compiler, cmake, make, emscripten, chromium, zip, fonts,
#                    node + npm (only if `node`/`npm` are missing: a newer
#                    Node.js from elsewhere is kept as it is).
#   npm packages:    `npm ci` when node_modules/ is missing or older than
#                    package-lock.json.
# Non-interactive; runs as root (or through sudo when not root).
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
say() { echo "setup: $*"; }

# Debian packages, each with the reason.
#   build-essential  gcc, make, libc headers        cmake      native + wasm builds
#   emscripten       emcc (3.1.6 in Debian 12)      chromium   browser tests (playwright-core)
#   zip              dist/nnmath-lesson.zip         fonts-*    text in headless Chromium
#   ca-certificates  npm registry over https
packages=(build-essential make cmake emscripten chromium zip ca-certificates
          fonts-dejavu-core fonts-liberation)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  [[ "$status" == ii* ]] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { say "need root to install: ${missing[*]}"; exit 1; }
    SUDO=(sudo -E)
  fi
  say "installing Debian packages: ${missing[*]}"
  apt_opts=(-y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)
  "${SUDO[@]}" apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null
  "${SUDO[@]}" apt-get install "${apt_opts[@]}" --no-install-recommends "${missing[@]}" >/dev/null
  say "installed ${missing[*]}"
fi

# Node.js: playwright-core needs Node >= 20.
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  say "warning: Node.js $(node --version) found; the browser tests need Node.js 20 or newer"
fi

# npm packages (playwright-core, chart.js, axe-core, lighthouse 12.2.3), exactly as locked.
stamp=node_modules/.package-lock.json
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] \
   || [ package.json -nt "$stamp" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
  did=1
fi

if [ ${#missing[@]} -eq 0 ] && [ -z "${did:-}" ]; then
  say "everything is already installed"
fi
