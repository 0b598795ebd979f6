#!/usr/bin/env bash
# Assemble dist/: a copy of web/ (scripts and CSS minified by tools/minify.js) plus the
# WebAssembly cores and the data script from build-wasm/, and dist/nnmath-lesson.zip (one
# folder, nnmath-lesson/).
# Run `make wasm` first (or just `make dist`, which does both).
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "build_dist: $*" >&2; exit 1; }

[ -f web/index.html ] || die "web/index.html is missing (the page is not written yet?)"
missing=()
for f in nnmath-core-simd.js nnmath-core-scalar.js digits-data.js; do
  [ -s "build-wasm/$f" ] || missing+=("build-wasm/$f")
done
if [ ${#missing[@]} -gt 0 ]; then
  die "missing ${missing[*]} — run \`make wasm\` first"
fi

rm -rf dist
mkdir -p dist
cp -R web/. dist/

# The page's own scripts and style sheets, minified before the built files join them (the
# readable ones stay in web/): about a third fewer bytes to send and to parse. NNMATH_MINIFY=0
# skips it (e.g. to debug in dist/).
if [ "${NNMATH_MINIFY:-1}" != 0 ]; then
  node tools/minify.js dist || die "minifying failed (see above)"
fi

mkdir -p dist/js
cp build-wasm/nnmath-core-simd.js build-wasm/nnmath-core-scalar.js build-wasm/digits-data.js dist/js/

# The service worker's list (web/sw.js caches these files for offline use over http(s)) and its
# cache version: a hash of every file, so that a new build replaces the old offline copy.
list=$(mktemp)
(
  cd dist
  find . -type f ! -name sw-files.js ! -name nnmath-lesson.zip -printf '%P\n' | LC_ALL=C sort > "$list"
  version=$(while IFS= read -r f; do printf '%s  ' "$f"; sha256sum < "$f"; done < "$list" | sha256sum | cut -c1-16)
  { echo "/* Made by tools/build_dist.sh: the files sw.js caches for offline use, and their version. */"
    printf 'self.NNMATH_SW = {version: "%s", files: [\n  "./"' "$version"
    grep -v -x -e sw.js "$list" | while IFS= read -r f; do printf ',\n  "%s"' "$f"; done
    printf '\n]};\n'; } > sw-files.js
)
rm -f "$list"

# The zip: staged copy with fixed timestamps and sorted entries, so the same
# inputs give the same bytes.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/nnmath-lesson"
cp -R dist/. "$stage/nnmath-lesson/"
find "$stage/nnmath-lesson" -exec touch -h -d '2000-01-01 00:00:00 UTC' {} +
out="$PWD/dist/nnmath-lesson.zip"
if command -v zip >/dev/null 2>&1; then
  (cd "$stage" && find nnmath-lesson -print | LC_ALL=C sort | TZ=UTC zip -q -X -9 -@ "$out")
else
  die "zip is not installed — run \`bash scripts/setup.sh\`"
fi

files=$(find dist -type f | wc -l)
echo "dist/: $files files, $(du -sh dist | cut -f1) in all; dist/nnmath-lesson.zip $(du -h dist/nnmath-lesson.zip | cut -f1)"
