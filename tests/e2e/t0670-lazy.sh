#!/usr/bin/env bash
# Lazy facts (src/source/scan.h, src/analyze/reach.h: reach_needs): a diff
# check with a dependency record and no topology leaves in the fact cache
# the facts of every file the change cannot reach, and loads the rest on
# demand. Its report must be byte for byte the one of a check that loads
# every file (DISTARCH_NO_LAZY=1) and of one without the record
# (DISTARCH_NO_DEPS=1). Each example without its topology: every source
# file's middle line deleted, every line another file's finding points at
# deleted, a constant's string changed; then pack records whose facts turn
# out corrupt only when they are loaded late.
. "$(dirname "$0")/lib.sh"
export DISTARCH_NO_MEMO=1 DISTARCH_DEPS_STATS=1

compared=0 lazy=0
CHECK=(check --format json --fail-on never --no-progress)
# compare DIR WHAT: lazy, eager, and without the record
compare() {
	run "${CHECK[@]}" "$1"
	cp "$out" "$TMP/lazy.json"; cp "$err" "$TMP/lazy.err"; local lrc=$rc
	DISTARCH_NO_LAZY=1 run "${CHECK[@]}" "$1"
	cp "$out" "$TMP/eager.json"
	DISTARCH_NO_DEPS=1 run "${CHECK[@]}" "$1"
	compared=$((compared + 1))
	if cmp -s "$TMP/lazy.json" "$TMP/eager.json" && cmp -s "$TMP/lazy.json" "$out" && [ "$lrc" -eq "$rc" ]; then
		pass "$2: the same report"
	else
		fail "$2: the lazy report differs"
		diff "$out" "$TMP/lazy.json" | head -8
	fi
	left=$(sed -n 's/^deps: .*(the record.s); facts: [0-9]* files loaded on demand, \([0-9]*\) left in the cache$/\1/p' "$TMP/lazy.err")
	if [ -z "$left" ]; then
		fail "$2: not a lazy check with the record ($(grep '^deps' "$TMP/lazy.err"))"
	elif [ "$left" -gt 0 ]; then
		lazy=$((lazy + 1))
	fi
}

# edit DIR FILE WHAT SED-SCRIPT: FILE edited in place, compared, put back (lib.sh)
edit() { edit_compare "$@"; }

for src in "$DISTARCH_SRC"/examples/*/; do
	name=$(basename "$src")
	G=$TMP/$name
	cp -r "$src" "$G"
	rm -rf "$G/.dist-architect"
	mkdir "$G/.dist-architect"
	make_git_repo "$G" && commit_all "$G" init
	# a file changed within 2 s of being recorded keeps no stat in the pack (git's
	# racy rule: the cache then reads it), and only a stat match leaves facts unloaded
	sleep 2.1
	run "${CHECK[@]}" --all "$G"
	grep -q '^deps: .* (no record)' "$err" && pass "$name: a first run records" || fail "$name: $(grep '^deps' "$err")"
	while IFS= read -r f; do
		lines=$(wc -l < "$G/$f")
		[ "$lines" -ge 3 ] && edit "$G" "$f" "$name/$f: line $((lines / 2)) deleted" "$((lines / 2))d"
	done < <(git -C "$G" ls-files '*.py' '*.go' '*.ts' '*.tsx' '*.js' '*.java')
	run "${CHECK[@]}" --all "$G"
	related_lines "$out" > "$TMP/related"
	while read -r f line; do
		edit "$G" "$f" "$name/$f:$line (another file's finding points here) deleted" "${line}d"
	done < "$TMP/related"
	git -C "$G" grep -n -E "^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*[[:space:]]*=[[:space:]]*[\"'][a-z_]+[\"']" -- \
		'*.py' '*.go' '*.ts' '*.js' '*.java' | head -3 > "$TMP/consts" || true
	while IFS=: read -r f line _; do
		edit "$G" "$f" "$name/$f:$line: a constant's string changed" "${line}s/([\"'])([a-z_]+)([\"'])/\\1zz_\\2\\3/"
	done < "$TMP/consts"
done
# the examples are small and tightly knit: most changes reach most files
[ "$lazy" -gt 0 ] && pass "checks that left facts in the cache: $lazy of $compared" ||
	fail "no check left facts in the cache ($compared compared)"

# The prefilter holds back a file with no needle (util/strings.py): the record
# knows it held back, so the check stays lazy; then a change calls its
# function, the closure reaches it, and it is parsed as a full check would.
G=$TMP/video-platform
mkdir -p "$G/util"
printf "def zq_pad(s):\n    return s + ' '\n" > "$G/util/strings.py"
commit_all "$G" "a file the prefilter holds back"
sleep 2.1
DISTARCH_PREFILTER_STATS=1 run "${CHECK[@]}" --all "$G"
grep -q '^prefilter: .* 1 left out' "$err" && pass "held: the prefilter holds util/strings.py back" ||
	fail "held: $(grep '^prefilter' "$err")"
lazy=0
edit "$G" engine/dispatcher.py "held: the dispatcher's line 60 deleted" "60d"
[ "$lazy" -eq 1 ] && pass "held: the check stayed lazy" || fail "held: the check loaded every file"
line=$(grep -n "^def " "$G/gpu_worker/main.py" | head -1 | cut -d: -f1)
export DISTARCH_PREFILTER_STATS=1
edit "$G" gpu_worker/main.py "held: a call of the held file's function added" "${line}a\\    zq_pad('x')"
unset DISTARCH_PREFILTER_STATS
grep -q '^prefilter: .* 1 of them reached' "$TMP/lazy.err" && pass "held: the closure reached the held file" ||
	fail "held: $(grep '^prefilter' "$TMP/lazy.err")"

# A held file new to the record, that only an unchanged file's names reach:
# main.py calls zq_more() from the start; util/more.py, which defines it and
# holds no needle, comes after the record, outside the change (--patch names
# another file). The names that reach it are in a file whose facts stay in
# the cache, so the scan loads everything for the closure: the prefilter
# must reach it as the check without the record does.
sed -i -E "${line}a\\    zq_more('x')" "$G/gpu_worker/main.py"
commit_all "$G" "a call of a function defined nowhere yet"
sleep 2.1
run "${CHECK[@]}" --all "$G"
printf "def zq_more(s):\n    return s * 2\n" > "$G/util/more.py"
echo '# edited' >> "$G/engine/dispatcher.py"
git -C "$G" diff engine/dispatcher.py > "$TMP/one.patch"
# the same tree and cache twice: one check with the record, one that loads every file
cp -r "$G" "$TMP/eager"
DISTARCH_PREFILTER_STATS=1 DISTARCH_NO_LAZY=1 run "${CHECK[@]}" --patch "$TMP/one.patch" "$TMP/eager"
grep '^prefilter' "$err" > "$TMP/full.pf"; cp "$out" "$TMP/full.json"
DISTARCH_PREFILTER_STATS=1 run "${CHECK[@]}" --patch "$TMP/one.patch" "$G"
grep '^prefilter' "$err" > "$TMP/lazy.pf"
grep -q ' 1 of them reached' "$TMP/full.pf" && pass "new held file: reached by a check that loads everything" ||
	fail "new held file: $(cat "$TMP/full.pf")"
cmp -s "$TMP/lazy.pf" "$TMP/full.pf" && pass "new held file: the same closure in the lazy check" ||
	fail "new held file: $(cat "$TMP/lazy.pf") vs $(cat "$TMP/full.pf")"
sed "s|$TMP/eager|$G|g" "$TMP/full.json" | cmp -s - "$out" && pass "new held file: the same report" ||
	fail "new held file: the report differs"
git -C "$G" checkout -q -- engine/dispatcher.py
rm "$G/util/more.py"

# Linking: the dispatcher changes; the worker's handler (which looked up the
# readers of `status`: the dispatcher) runs, and writes StatusIdle, a
# constant of a third file that no lookup returns. Unless that file is loaded
# for the handler's linking, it writes "StatusIdle", not "idle", and the
# AP-1 finding is lost.
G=$TMP/linking
cp -r "$DISTARCH_SRC/tests/fixtures/mixed/ap1/pos-go-ws-status-ts-dispatcher" "$G"
mkdir "$G/.dist-architect"
make_git_repo "$G" && commit_all "$G" init
sleep 2.1
run "${CHECK[@]}" --all "$G"
line=$(python3 -c 'import json,sys; print(next(r["line"] for f in json.load(open(sys.argv[1]))["findings"] for r in f.get("related", []) if r["path"] == "control/dispatcher.ts"))' "$out" 2>/dev/null)
[ -n "$line" ] && pass "linking: a finding points at the dispatcher" || fail "linking: no finding points at control/dispatcher.ts"
edit "$G" control/dispatcher.ts "linking: the dispatcher's finding line touched" "${line:-1}s/\$/ /"
grep -q 'AP-1' "$TMP/lazy.json" && pass "linking: the lazy report has the AP-1 finding" || fail "linking: AP-1 lost"

# Every record's facts damaged past its head (the head's checksum holds, the
# body's fails): a lazy check finds out only when it loads one, parses that
# file again, and still prints the same report.
G=$TMP/build-farm
P=$G/.dist-architect/cache/facts.pack
python3 - "$P" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
p = 40
for _ in range(struct.unpack("<Q", b[24:32])[0]):
    blen = struct.unpack("<I", b[p:p + 4])[0]
    b[p + 24 + blen - 1] ^= 0x55  # the last byte of the facts: past the head
    p += 24 + blen
open(sys.argv[1], "wb").write(b)
PY
f=$(git -C "$G" ls-files '*.go' | head -1)
echo '// edited' >> "$G/$f"
DISTARCH_CACHE_STATS=1 run "${CHECK[@]}" "$G"
cp "$out" "$TMP/lazy.json"
grep -Eq '^fact cache: .* [1-9][0-9]* corrupt' "$err" && pass "corrupt records found when loaded" ||
	fail "corrupt records: $(grep '^fact cache' "$err")"
grep -Eq 'left in the cache$' "$err" && pass "corrupt records: the check was lazy" || fail "corrupt records: not lazy"
DISTARCH_NO_DEPS=1 run "${CHECK[@]}" "$G"
cmp -s "$out" "$TMP/lazy.json" && pass "corrupt records: the same report" || fail "corrupt records: the report differs"
compare "$G" "after corrupt records"
git -C "$G" checkout -q -- "$f"
finish
