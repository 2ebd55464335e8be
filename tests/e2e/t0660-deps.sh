#!/usr/bin/env bash
# The dependency record (src/facts/deps.h, src/analyze/reach.h): a diff
# check runs the detectors only over the targets a change can reach, and its
# report is byte for byte the one of a run over every target. Every source
# file of every example is changed twice (a line deleted, a line doubled),
# one edit at a time, each checked with the record (kept up to date from run
# to run) and without it (DISTARCH_NO_DEPS=1); then the fixed examples'
# patches, which move findings. The report memo is off (DISTARCH_NO_MEMO=1)
# so that every run analyses.
. "$(dirname "$0")/lib.sh"
export DISTARCH_NO_MEMO=1 DISTARCH_DEPS_STATS=1

restricted=0 compared=0
# compare DIR WHAT: the diff check with the record, then without it
compare() {
	run check --format json --fail-on never --no-progress "$1"
	cp "$out" "$TMP/with.json"; cp "$err" "$TMP/with.err"
	DISTARCH_NO_DEPS=1 run check --format json --fail-on never --no-progress "$1"
	compared=$((compared + 1))
	if cmp -s "$out" "$TMP/with.json"; then
		pass "$2: the same report"
	else
		fail "$2: the report with the record differs"
		diff "$out" "$TMP/with.json" | head -8
	fi
	if grep -q '^deps: .* (the record.s)' "$TMP/with.err"; then
		read -r ran all < <(sed -n 's/^deps: \([0-9]*\) of \([0-9]*\) targets.*/\1 \2/p' "$TMP/with.err")
		[ "$ran" -lt "$all" ] && restricted=$((restricted + 1))
	else
		fail "$2: the record was not used ($(grep '^deps' "$TMP/with.err"))"
	fi
}

# edit DIR FILE WHAT SED-SCRIPT: FILE edited in place, compared, put back (lib.sh)
edit() { edit_compare "$@"; }

for src in "$DISTARCH_SRC"/examples/*/; do
	name=$(basename "$src")
	G=$TMP/$name
	cp -r "$src" "$G"
	rm -rf "$G/.dist-architect/cache"
	make_git_repo "$G" && commit_all "$G" init
	run check --all --format json --fail-on never --no-progress "$G"
	grep -q '^deps: .* (no record)' "$err" && pass "$name: a first run records" || fail "$name: $(grep '^deps' "$err")"
	[ -s "$G/.dist-architect/cache/deps.pack" ] && pass "$name: record written" || fail "$name: no deps.pack"
	while IFS= read -r f; do
		lines=$(wc -l < "$G/$f")
		[ "$lines" -ge 3 ] || continue
		mid=$((lines / 2))
		edit "$G" "$f" "$name/$f: line $mid deleted" "${mid}d"
		edit "$G" "$f" "$name/$f: line $mid doubled" "${mid}p"
	done < <(git -C "$G" ls-files '*.py' '*.go' '*.ts' '*.tsx' '*.js' '*.java')
	# Every line a finding points at from another file, touched (a space at its
	# end: the same facts, now inside the change): the finding's target must run.
	# Then deleted (the facts there change).
	run check --all --format json --fail-on never --no-progress "$G"
	related_lines "$out" > "$TMP/related"
	[ -s "$TMP/related" ] && pass "$name: has findings across files" || fail "$name: no finding points at another file"
	while read -r f line; do
		edit "$G" "$f" "$name/$f:$line (another file's finding points here) touched" "${line}s/\$/ /"
		edit "$G" "$f" "$name/$f:$line deleted" "${line}d"
	done < "$TMP/related"
	# A named constant's string changed: the files whose values name it link to another string.
	git -C "$G" grep -n -E "^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*[[:space:]]*=[[:space:]]*[\"'][a-z_]+[\"']" -- \
		'*.py' '*.go' '*.ts' '*.js' '*.java' | head -8 > "$TMP/consts" || true
	while IFS=: read -r f line _; do
		edit "$G" "$f" "$name/$f:$line: a constant's string changed" "${line}s/([\"'])([a-z_]+)([\"'])/\\1zz_\\2\\3/"
	done < "$TMP/consts"
	# the fix of the example: findings go away across files
	if [ -f "${src%/}-fixed.patch" ]; then
		git -C "$G" apply "${src%/}-fixed.patch" && compare "$G" "$name: its fix applied"
		git -C "$G" checkout -q -- . && git -C "$G" clean -qfd -e .dist-architect
	fi
done
# A damaged record is not used: every target runs, the same report, and a whole record is written again.
G=$TMP/video-platform
D=$G/.dist-architect/cache/deps.pack
python3 -c "import sys; b=bytearray(open(sys.argv[1],'rb').read()); b[len(b)//2]^=1; open(sys.argv[1],'wb').write(b)" "$D"
echo '# edited' >> "$G/engine/dispatcher.py"
run check --format json --fail-on never --no-progress "$G"
cp "$out" "$TMP/with.json"
grep -q '^deps: .* (no record)' "$err" && pass "a flipped byte: the record is not used" || fail "flipped byte: $(grep '^deps' "$err")"
DISTARCH_NO_DEPS=1 run check --format json --fail-on never --no-progress "$G"
cmp -s "$out" "$TMP/with.json" && pass "a flipped byte: the same report" || fail "a flipped byte: the report differs"
compare "$G" "after a damaged record: rebuilt"
git -C "$G" checkout -q -- engine/dispatcher.py
[ "$restricted" -gt $((compared / 2)) ] && pass "most checks ran fewer targets ($restricted of $compared)" ||
	fail "the record restricted only $restricted of $compared checks"
finish
