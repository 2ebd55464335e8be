#!/usr/bin/env bash
# bench/run and bench/parse-floor on a small corpus (a copy of examples/), one
# run, with ast-grep and ripgrep absent and nothing installed: the table and
# the JSON keep their shape, the missing baselines say so, the parse floor
# reads the same files distarch reads, and the corpus is left as it was.
. "$(dirname "$0")/lib.sh"

floor=$(dirname "$DISTARCH")/bench/parse-floor
bench=$DISTARCH_SRC/bench/run
cp -r "$DISTARCH_SRC/examples" "$TMP/corpus"

bench_run() { # bench_run ARGS...: bench/run into $out/$err, exit status in $rc
	rc=0
	python3 "$bench" "$@" >"$out" 2>"$err" </dev/null || rc=$?
}

# --- the parse floor lists and counts files as distarch does ---
rc=0
"$floor" -j 2 "$TMP/corpus" >"$out" 2>"$err" || rc=$?
expect_rc 0 "parse-floor exits 0"
expect_out '^parse-floor: [0-9]+ files, [0-9]+ parsed, [0-9]+ bytes, 0 with syntax errors, [0-9]+ skipped, 2 threads$' \
	"parse-floor prints one summary line"
floor_files=$(sed -n 's/^parse-floor: \([0-9]*\) files.*/\1/p' "$out")
run check --all "$TMP/corpus" --format json --fail-on never --no-progress
expect_json "d['summary']['files'] == $floor_files" "parse-floor considers the files distarch considers ($floor_files)"
find "$TMP/corpus" -type f | sort >"$TMP/list"
rc=0
"$floor" --list "$TMP/list" >"$out" 2>"$err" || rc=$?
expect_rc 0 "parse-floor --list exits 0"
expect_out "^parse-floor: $(wc -l <"$TMP/list") files, " "parse-floor --list takes every listed path"
rc=0
"$floor" -j 0 "$TMP/corpus" >"$out" 2>"$err" || rc=$?
expect_rc 2 "parse-floor -j 0 is a usage error"
rc=0
"$floor" "$TMP/no-such-folder" >"$out" 2>"$err" || rc=$?
expect_rc 2 "parse-floor on a missing folder exits 2"
expect_err 'no-such-folder' "the missing folder is named"

# --- bench/run, one run, without the other baselines ---
snapshot() { # the files of a folder with their checksums, distarch's fact cache left out
	(cd "$1" && find . -path '*/.dist-architect/cache' -prune -o -type f -exec md5sum {} + | sort -k2)
}
snapshot "$TMP/corpus" >"$TMP/before"
bench_run --no-install --runs 1 --threads 1 --dir "$TMP/corpus" --work "$TMP/work" \
	--distarch "$DISTARCH" --ast-grep "$TMP/none" --rg "$TMP/none" --json "$TMP/bench.json"
expect_rc 0 "bench/run exits 0 with the baselines missing"
# the copy is made a project, so that the warm runs have a fact cache to read
[ -f "$TMP/work/dir-corpus/.dist-architect/cache/facts.pack" ] &&
	pass "the cold run left a fact cache in the copy" || fail "no fact cache in the copy: warm would be cold again"
for tool in 'distarch cold' 'distarch warm' 'distarch warm-analysis' 'distarch 1-file' 'parse floor'; do
	expect_out "^$tool +[0-9]+\.[0-9]{3} +[0-9]+\.[0-9]{3} +[0-9]+\.[0-9] " "the table times $tool"
done
expect_out '^ast-grep +- +- +- .*ast-grep: not installed' "the table says ast-grep is not installed"
expect_out '^ripgrep +- +- +- .*ripgrep: not installed' "the table says ripgrep is not installed"
expect_out '^tool +wall_s +cpu_s +rss_mb +x_astgrep +x_floor +x_cold +note$' "the table has its header"
expect_out '^corpus dir-corpus: [0-9]+ files' "the table names the corpus"
expect_out '^  SKIP +cold <= 0\.5 x ast-grep +python ' "targets of a corpus not run are SKIP"
n=$(grep -cE '^  (PASS|MISS|SKIP) ' "$out")
if [ "$n" -eq 5 ]; then pass "five targets are printed"; else fail "five targets are printed (got $n)"; fi

cp "$TMP/bench.json" "$out"
expect_json "sorted(r['tool'] for r in d['results']) == sorted(['distarch cold', 'distarch warm', 'distarch warm-analysis', 'distarch 1-file', 'parse floor', 'ast-grep', 'ripgrep'])" \
	"the JSON has one row per tool"
expect_json "all(set(r) >= {'tool', 'corpus', 'wall_s', 'cpu_s', 'rss_mb', 'ratio_vs_ast_grep', 'ratio_vs_parse_floor', 'ratio_warm_vs_cold'} for r in d['results'])" \
	"every row has the columns"
expect_json "all(r['wall_s'] > 0 and r['cpu_s'] >= 0 and r['rss_mb'] > 0 and r['status'] == 'ok' for r in d['results'] if r['tool'] in ('distarch cold', 'distarch warm', 'distarch warm-analysis', 'distarch 1-file', 'parse floor'))" \
	"distarch and the parse floor are measured"
expect_json "[r['status'] for r in d['results'] if r['tool'] in ('ast-grep', 'ripgrep')] == ['not installed', 'not installed']" \
	"the missing baselines are 'not installed'"
expect_json "all(r['ratio_vs_ast_grep'] is None for r in d['results'])" "no ratio against a baseline that did not run"
expect_json "[r['ratio_vs_parse_floor'] for r in d['results'] if r['tool'] == 'parse floor'] == [1.0]" \
	"the parse floor is 1.0 of itself"
expect_json "all((r['ratio_warm_vs_cold'] is not None) == (r['tool'] in ('distarch warm', 'distarch warm-analysis', 'distarch 1-file')) for r in d['results'])" \
	"warm and 1-file rows have a ratio to cold, the others none"
expect_json "abs(next(r for r in d['results'] if r['tool'] == 'distarch cold')['ratio_vs_parse_floor'] * next(r for r in d['results'] if r['tool'] == 'parse floor')['wall_s'] - next(r for r in d['results'] if r['tool'] == 'distarch cold')['wall_s']) < 1e-9" \
	"ratio_vs_parse_floor is the quotient of the walls"
expect_json "[t['status'] for t in d['targets']] == ['SKIP'] * 5" "the JSON has the five targets, skipped"
expect_json "d['corpora']['dir-corpus']['files'] == $floor_files" "the corpus survey counts the files distarch counts"

snapshot "$TMP/work/dir-corpus" >"$TMP/after"
if diff -u "$TMP/before" "$TMP/after" >"$TMP/diff"; then pass "the one-file change is undone"; else
	fail "the one-file change is undone"; head -20 "$TMP/diff"; fi
if [ -s "$TMP/work/change-dir-corpus.patch" ] && grep -q '^+.*distarch bench: a one-line change' "$TMP/work/change-dir-corpus.patch"; then
	pass "the 1-file run checks a one-line patch"; else fail "the 1-file run checks a one-line patch"; fi

# --- usage errors ---
bench_run --runs 0 --dir "$TMP/corpus" --work "$TMP/work" --distarch "$DISTARCH"
expect_rc 2 "bench/run --runs 0 is a usage error"
bench_run --no-install --dir "$TMP/corpus" --work "$TMP/work" --distarch "$TMP/no-distarch"
expect_rc 2 "bench/run without a distarch binary exits 2"
expect_err 'no distarch binary' "and says so"
finish
