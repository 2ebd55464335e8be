#!/usr/bin/env bash
# The report memo (src/cache/reportmemo.h): a check run again over unchanged
# inputs replays the report it printed last time, byte for byte, with the
# same exit status; any change to what the report depends on (a source file,
# the topology, the config, a catalog entry, the baseline, the command line,
# the change checked) runs the analysis again, and its report is what a run
# without any cache prints.
. "$(dirname "$0")/lib.sh"
export DISTARCH_CACHE_STATS=1

P=$TMP/project
cp -r "$DISTARCH_SRC/examples/video-platform" "$P"
rm -rf "$P/.dist-architect/cache"

# check ARGS...: a run, then the same run with no cache at all to compare with.
memo_run() {
	run check --no-progress "$@"
	cp "$out" "$TMP/memo.out"; memo_rc=$rc; cp "$err" "$TMP/memo.err"
	run check --no-progress --no-cache "$@"
	if [ "$rc" -eq "$memo_rc" ] && [ "$rc" -ne 2 ] && cmp -s "$out" "$TMP/memo.out"; then
		pass "$*: the same report and exit status as without a cache ($rc)"
	else
		fail "$*: differs from a run without cache (exit $memo_rc vs $rc)"
		diff "$TMP/memo.out" "$out" | head -10
	fi
}
replayed() { grep -q '^report memo: replayed' "$TMP/memo.err"; }
expect_replayed() { if replayed; then pass "$1"; else fail "$1 (not replayed)"; sed 's/^/  | /' "$TMP/memo.err" | tail -5; fi; }
expect_analysed() { if replayed; then fail "$1 (replayed a stale report)"; else pass "$1"; fi; }

memo_run --all --format json --fail-on note "$P"
expect_analysed "first run: analysed"
grep -q '^report memo: saved' "$TMP/memo.err" && pass "first run: memo saved" || fail "first run: memo not saved"
[ "$memo_rc" -eq 1 ] && pass "the example has findings at note and above" || fail "exit $memo_rc, expected 1"
pack=$P/.dist-architect/cache/facts.pack
before=$(stat -c '%s %Y %i' "$pack"; md5sum < "$pack")
memo_run --all --format json --fail-on note "$P"
expect_replayed "nothing changed: replayed"
[ "$before" = "$(stat -c '%s %Y %i' "$pack"; md5sum < "$pack")" ] &&
	pass "a replay leaves the pack alone" || fail "the pack changed in a replay"
# the tree key (src/cache/treekey.h): from stat and the pack, before any fact is loaded
grep -q '^report memo: replayed before the scan' "$TMP/memo.err" &&
	pass "nothing changed: replayed before the scan" || fail "nothing changed: not replayed before the scan"
grep -q '^fact cache:' "$TMP/memo.err" && fail "a replay before the scan used the fact cache" ||
	pass "a replay before the scan loads no fact"

# Edited in place to the same size, its mtime put back: only the ctime says so.
f=$P/engine/dispatcher.py
python3 -c 'import sys; p = sys.argv[1]; s = open(p).read(); open(p, "w").write(s.replace("# ", "#~", 1))' "$f"
touch -d '2020-01-02 03:04:05' "$f"
memo_run --all --format json --fail-on note "$P"
expect_analysed "same size, same mtime, new bytes: analysed"
grep -q '^fact cache: .* 1 parsed' "$TMP/memo.err" && pass "and only that file is parsed" || fail "parsed: $(grep '^fact cache' "$TMP/memo.err")"
memo_run --all --format json --fail-on note "$P"
expect_replayed "and unchanged since: replayed"

# An entry the scan reports as a skip (a symlink): no tree key, the memo is looked up after the scan.
ln -s dispatcher.py "$P/engine/alias.py"
memo_run --all --format json --fail-on note "$P"
expect_analysed "a new symlink: analysed"
memo_run --all --format json --fail-on note "$P"
grep -q '^report memo: replayed after the scan' "$TMP/memo.err" &&
	pass "with a symlink in the tree: replayed after the scan" || fail "with a symlink: not replayed after the scan"
rm "$P/engine/alias.py"
memo_run --all --format json --fail-on note "$P"
expect_analysed "symlink gone: analysed"

# A damaged pack is rebuilt by a scan before the memo replays.
memo_run --all --format json --fail-on note "$P"
printf 'XXXXXXXX' | dd of="$P/.dist-architect/cache/facts.pack" conv=notrunc status=none
memo_run --all --format json --fail-on note "$P"
grep -q '^report memo: replayed after the scan' "$TMP/memo.err" &&
	pass "damaged pack: replayed after the scan" || fail "damaged pack: not replayed after the scan"
grep -q '^fact cache: .* written$' "$TMP/memo.err" && pass "damaged pack: rewritten" || fail "damaged pack: not rewritten"
memo_run --all --format json --fail-on note "$P"
grep -q '^report memo: replayed before the scan' "$TMP/memo.err" &&
	pass "pack rebuilt: replayed before the scan" || fail "pack rebuilt: not replayed before the scan"

# Each input of the report, changed once: analysed again, then replayed again.
changes=(
	"same-size edit|sed -i 's/WorkerStatus.IDLE]/WorkerStatus.BUSY]/' $P/engine/dispatcher.py"
	"source file|echo '# a comment' >> $P/engine/dispatcher.py"
	"topology|printf '\n# a comment\n' >> $P/.dist-architect/topology.yaml"
	"config|printf 'fail-on: error\n' > $P/.dist-architect/config.yaml"
	"catalog entry|mkdir -p $P/.dist-architect/catalog && printf '%s\\n' '---' 'id: AP-10' 'name: cache stampede' 'summary: Every replica refills the same expired key at once.' 'severity: note' 'signals: [interaction]' 'modules: [interaction]' 'symptoms:' '  - database spikes every hour' 'detection: an expiry shared by many readers' 'fix:' '  - refresh early with a single writer' '---' '## Mechanism' '' 'Many readers miss together.' > $P/.dist-architect/catalog/stampede.md"
	"new source file|printf 'def f():\n    pass\n' > $P/engine/extra.py"
	"removed source file|rm $P/engine/extra.py"
)
for c in "${changes[@]}"; do
	what=${c%%|*}
	eval "${c#*|}"
	memo_run --all --format json --fail-on note "$P"
	expect_analysed "$what changed: analysed again"
	memo_run --all --format json --fail-on note "$P"
	expect_replayed "$what unchanged since: replayed"
done

# Another format, another --fail-on: not the JSON report's memo.
memo_run --all --format text --fail-on note "$P"
expect_analysed "another format: analysed"
memo_run --all --format text --fail-on never "$P"
expect_analysed "another --fail-on: analysed"
[ "$memo_rc" -eq 0 ] && pass "--fail-on never exits 0" || fail "--fail-on never exited $memo_rc"

# A baseline: its bytes are part of the key.
run check --no-progress --all --write-baseline "$TMP/base.json" "$P"
grep -q '^report memo: saved' "$err" && fail "--write-baseline was memoised" || pass "--write-baseline is not memoised"
memo_run --all --format json --baseline "$TMP/base.json" "$P"
memo_run --all --format json --baseline "$TMP/base.json" "$P"
expect_replayed "same baseline: replayed"
printf '{"version": 1, "findings": []}\n' > "$TMP/base.json"
memo_run --all --format json --baseline "$TMP/base.json" "$P"
expect_analysed "baseline changed: analysed"

# A corrupt or truncated memo is a miss, and is rebuilt.
memo_run --all --format json --fail-on note "$P"
M=$P/.dist-architect/cache/report.memo
[ -f "$M" ] && pass "the memo is in the cache folder" || fail "no $M"
python3 -c "import sys; b=bytearray(open(sys.argv[1],'rb').read()); b[len(b)//2]^=1; open(sys.argv[1],'wb').write(b)" "$M"
memo_run --all --format json --fail-on note "$P"
expect_analysed "a flipped byte: analysed"
memo_run --all --format json --fail-on note "$P"
expect_replayed "rebuilt: replayed"
truncate -s 20 "$M"
memo_run --all --format json --fail-on note "$P"
expect_analysed "truncated: analysed"

# A diff check: the patch's hunks are part of the key.
G=$TMP/repo
cp -r "$DISTARCH_SRC/examples/video-platform" "$G"
rm -rf "$G/.dist-architect/cache"
make_git_repo "$G" && commit_all "$G" init
sed -i '1i # one more line' "$G/engine/dispatcher.py"
git -C "$G" diff > "$TMP/one.patch"
memo_run --patch "$TMP/one.patch" --format json --fail-on never "$G"
memo_run --patch "$TMP/one.patch" --format json --fail-on never "$G"
expect_replayed "the same patch again: replayed"
sed -i '3i # and another' "$G/engine/dispatcher.py"
git -C "$G" diff > "$TMP/one.patch"
memo_run --patch "$TMP/one.patch" --format json --fail-on never "$G"
expect_analysed "another patch under the same name: analysed"

# DISTARCH_NO_MEMO=1 (benchmarks): the analysis runs though nothing changed.
memo_run --all --format json --fail-on note "$P"
DISTARCH_NO_MEMO=1 memo_run --all --format json --fail-on note "$P"
expect_analysed "DISTARCH_NO_MEMO=1: analysed"
grep -q '^report memo' "$TMP/memo.err" && fail "DISTARCH_NO_MEMO=1 used the memo" || pass "DISTARCH_NO_MEMO=1: no memo read or written"

# --no-cache neither reads nor writes it.
rm -f "$M"
run check --no-progress --no-cache --all --format json "$P"
[ ! -e "$M" ] && pass "--no-cache writes no memo" || fail "--no-cache wrote $M"
finish
