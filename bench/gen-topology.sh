#!/usr/bin/env bash
# Generate a large topology for benchmarking `distarch design`:
#   bench/gen-topology.sh [COMPONENTS] [RELATIONSHIPS] [SEED] > big.yaml
# Defaults: 10,000 components and 50,000 relationships. Deterministic for a
# seed. A fifth of the components are single instances; relationships mostly
# point "downstream" (a higher index) with some going back, so the graph has
# long paths, large strongly connected components and many cycles; a third of
# them retry, some deliver at-least-once; 2,000 convergence points.
set -euo pipefail
n=${1:-10000}
m=${2:-50000}
seed=${3:-42}
awk -v n="$n" -v m="$m" -v seed="$seed" 'BEGIN {
	srand(seed)
	print "components:"
	for (i = 0; i < n; i++) {
		r = rand()
		count = r < 0.2 ? "1 (fixed)" : r < 0.25 ? "1" : r < 0.3 ? "1 (managed)" : "N (dynamic)"
		printf "  - {name: c%d, count: \"%s\", role: generated}\n", i, count
	}
	print "relationships:"
	for (e = 0; e < m; e++) {
		a = int(rand() * n)
		if (rand() < 0.9) b = a + 1 + int(rand() * 50); else b = int(rand() * n)
		if (b >= n) b = int(rand() * n)
		extra = ""
		r = rand()
		if (r < 0.33) extra = extra ", retries: " int(1 + rand() * 3)
		if (rand() < 0.2) extra = extra ", delivery: at-least-once"
		printf "  - {from: c%d, to: c%d, via: HTTP%s}\n", a, b, extra
	}
	print "convergence_points:"
	for (k = 0; k < 2000; k++)
		printf "  - {resource: r%d, accessed_by: [c%d, c%d], type: database table}\n", k, int(rand() * n), int(rand() * n)
}'
