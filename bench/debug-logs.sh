#!/usr/bin/env bash
# Time `distarch debug` over generated JSON-lines logs (bench/gen-logs.py;
# written to a temp dir, removed after): throughput on one core and the
# maximum resident set size, which must not grow with the file.
#   bench/debug-logs.sh [path/to/distarch] [SIZE_MB]   (default build/distarch, 1024)
set -euo pipefail
bin=${1:-build/distarch}
mb=${2:-1024}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen-logs.py" "$mb" >"$tmp/big.jsonl"
bytes=$(wc -c <"$tmp/big.jsonl")
echo "logs: $bytes bytes, $(wc -l <"$tmp/big.jsonl") lines"
# One core, the code scan off: this measures the log path.
/usr/bin/time -v taskset -c 0 "$bin" debug "same worker fails every job in a row" --no-code \
	--format json --logs "$tmp/big.jsonl" >"$tmp/out" 2>"$tmp/time"
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$tmp/time")
rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time")
# CPU time too: on a shared machine the wall clock also counts other work.
cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$tmp/time")
awk -v b="$bytes" -v s="$secs" -v c="$cpu" -v r="$rss" 'BEGIN { printf "wall: %.2f s, throughput: %.0f MB/s; cpu: %.2f s, %.0f MB per cpu-second; max RSS: %d KB\n", s, b / 1048576 / s, c, b / 1048576 / c, r }'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); l=d["logs"]; print("lines %d, broken %d; evidence: %s" % (l["lines"], l["broken"], ", ".join("%s %d" % (e["rule"], e["count"]) for e in d["evidence"])))' "$tmp/out"
