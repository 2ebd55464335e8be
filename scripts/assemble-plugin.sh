#!/usr/bin/env bash
# Assemble the installable Claude Code plugin: plugin/ plus the binary in
# bin/ (`make plugin` runs it; tests/e2e/t0430 checks what it builds).
#   scripts/assemble-plugin.sh BINARY OUTDIR
set -euo pipefail
bin=${1:?usage: assemble-plugin.sh BINARY OUTDIR}
out=${2:?usage: assemble-plugin.sh BINARY OUTDIR}
src=$(cd "$(dirname "$0")/.." && pwd)/plugin
[ -x "$bin" ] || { echo "assemble-plugin: $bin is not an executable" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out/bin"
cp -R "$src/." "$out/"
cp "$bin" "$out/bin/distarch"
echo "plugin: $out (add it with: /plugin marketplace add $out ; /plugin install distarch@distarch)"
