#!/usr/bin/env bash
# Time `distarch design` (and `topology graph`) on a generated topology of
# 10,000 components and 50,000 relationships (bench/gen-topology.sh).
#   bench/design.sh [path/to/distarch] [COMPONENTS] [RELATIONSHIPS]
# Prints the wall time of each run (best of 3) and the review's summary line,
# which says whether the loop and retry searches were bounded.
set -euo pipefail
bin=${1:-build/distarch}
n=${2:-10000}
m=${3:-50000}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$here/gen-topology.sh" "$n" "$m" >"$tmp/big.yaml"
echo "topology: $n components, $m relationships ($(wc -c <"$tmp/big.yaml") bytes)"
best() { # best of 3 wall times, in seconds
	local b=""
	for _ in 1 2 3; do
		local s e
		s=$(date +%s.%N)
		"$@" >"$tmp/out" 2>"$tmp/err" || [ $? -eq 1 ]
		e=$(date +%s.%N)
		b=$(echo "$s $e ${b:-999}" | awk '{ t = $2 - $1; print (t < $3 ? t : $3) }')
	done
	echo "$b"
}
printf 'topology check:          %ss\n' "$(best "$bin" topology check "$tmp/big.yaml")"
printf 'design (text):           %ss\n' "$(best "$bin" design --topology "$tmp/big.yaml" --fail-on never)"
grep '^summary:' "$tmp/out" || true
printf 'design --format json:    %ss\n' "$(best "$bin" design --topology "$tmp/big.yaml" --format json --fail-on never)"
printf 'topology graph (dot):    %ss\n' "$(best "$bin" topology graph --format dot "$tmp/big.yaml")"
