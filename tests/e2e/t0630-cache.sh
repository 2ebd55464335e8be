#!/usr/bin/env bash
# The fact cache (ROOT/.dist-architect/cache/facts.pack): cold, warm and
# --no-cache runs print the same report; a corrupt or cut pack changes no
# result and is rebuilt; an edited file is parsed again, never served stale;
# two runs at once both report right and leave a whole pack; the pack stays
# under its bound; a diff check parses only the changed file.
# DISTARCH_CACHE_STATS=1 makes the cache say on stderr what it did.
# DISTARCH_NO_MEMO=1: every run scans; the report memo, which lets an
# unchanged run skip its scan, is t0650's.
. "$(dirname "$0")/lib.sh"
export DISTARCH_CACHE_STATS=1 DISTARCH_NO_MEMO=1

stats() { grep '^fact cache:' "$err"; }
expect_stats() { # expect_stats REGEX DESC
	if stats | grep -Eq -- "$1"; then pass "$2"; else fail "$2 (stats: $(stats); want /$1/)"; fi
}
# Old times for every file, so the cache may trust their stat (younger files are "racy").
age() { find "$1" -type f -exec touch -d '2020-01-02 03:04:05' {} +; }

for src in "$DISTARCH_SRC"/examples/*/; do
	name=$(basename "$src")
	ex=$TMP/$name
	cp -r "$src" "$ex"
	rm -rf "$ex/.dist-architect/cache"
	age "$ex"
	sleep 2.1 # ctime: the copy's own change times must be older than the racy window too
	run check --all --format json --fail-on never --no-cache "$ex"
	cp "$out" "$TMP/want.json"
	[ ! -e "$ex/.dist-architect/cache" ] && pass "$name: --no-cache writes no cache" ||
		fail "$name: --no-cache wrote $ex/.dist-architect/cache"
	run check --all --format json --fail-on never "$ex"
	expect_cmp "$TMP/want.json" "$name: cold run = --no-cache"
	expect_stats "0 records loaded, 0 kept, 0 restat, [1-9][0-9]* parsed, 0 corrupt, written" "$name: cold run parses and writes"
	[ -s "$ex/.dist-architect/cache/facts.pack" ] && pass "$name: pack written" || fail "$name: no pack"
	run check --all --format json --fail-on never "$ex"
	expect_cmp "$TMP/want.json" "$name: warm run = --no-cache"
	expect_stats " 0 restat, 0 parsed, 0 corrupt, not written" "$name: warm run parses nothing, writes nothing"
done

ex=$TMP/video-platform
pack=$ex/.dist-architect/cache/facts.pack
size=$(stat -c %s "$pack")

# A flipped byte in the middle of the pack: one record is refused and rebuilt.
python3 - "$pack" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 0x55
open(p, "wb").write(b)
PY
run check --all --format json --fail-on never "$ex"
expect_cmp "$TMP/want.json" "flipped byte: same report"
expect_stats "1 parsed, 1 corrupt, written" "flipped byte: the record is found corrupt, parsed again, the pack rewritten"
run check --all --format json --fail-on never "$ex"
expect_stats "0 parsed, 0 corrupt, not written" "flipped byte: the rewritten pack is whole"

# A cut pack keeps the records before the cut.
truncate -s $((size / 3)) "$pack"
run check --all --format json --fail-on never "$ex"
expect_cmp "$TMP/want.json" "cut pack: same report"
expect_stats "[1-9][0-9]* kept, 0 restat, [1-9][0-9]* parsed, 0 corrupt, written" "cut pack: early records kept, the rest parsed, rewritten"
run check --all --format json --fail-on never "$ex"
expect_stats "0 parsed, 0 corrupt, not written" "cut pack: rebuilt whole"
# A bad header (another version's pack): ignored whole and replaced.
printf 'XXXXXXXX' | dd of="$pack" conv=notrunc status=none
run check --all --format json --fail-on never "$ex"
expect_cmp "$TMP/want.json" "bad header: same report"
expect_stats "0 records loaded, .* written" "bad header: the pack is ignored and replaced"

# An edited file, same size and its mtime put back: parsed again (ctime), not served stale.
f=$(grep -rl --include='*.py' 'WorkerStatus.IDLE' "$ex" | head -1)
[ -n "$f" ] || fail "no Python file comparing WorkerStatus.IDLE in video-platform"
# same length: the state compared against changes, the size does not
# (rewritten in place: the same inode, so only the ctime tells)
python3 -c 'import sys; p = sys.argv[1]; s = open(p).read(); open(p, "w").write(s.replace("WorkerStatus.IDLE", "WorkerStatus.BUSY"))' "$f"
touch -d '2020-01-02 03:04:05' "$f"
run check --all --format json --fail-on never --no-cache "$ex"
cp "$out" "$TMP/want2.json"
run check --all --format json --fail-on never "$ex"
expect_cmp "$TMP/want2.json" "edited file: the report is the fresh one"
expect_stats "1 parsed" "edited file: only it is parsed again"

# Two runs at once, from a cold cache: both right, the pack whole after.
rm -rf "$ex/.dist-architect/cache"
"$DISTARCH" check --all --format json --fail-on never "$ex" >"$TMP/c1.json" 2>/dev/null &
p1=$!
"$DISTARCH" check --all --format json --fail-on never "$ex" >"$TMP/c2.json" 2>/dev/null &
p2=$!
wait $p1 $p2
cmp -s "$TMP/c1.json" "$TMP/want2.json" && cmp -s "$TMP/c2.json" "$TMP/want2.json" &&
	pass "concurrent runs: both reports right" || fail "concurrent runs: a report differs"
run check --all --format json --fail-on never "$ex"
expect_cmp "$TMP/want2.json" "concurrent runs: the next run is right"
expect_stats "0 corrupt" "concurrent runs: the pack they left is whole"
ls "$ex/.dist-architect/cache" | grep -v -E '^(facts\.pack|report\.memo|deps\.pack|CACHEDIR\.TAG)$' >"$TMP/extra" || true
[ ! -s "$TMP/extra" ] && pass "no temporary files left behind" || fail "left behind: $(cat "$TMP/extra")"
grep -qx '\*' "$ex/.dist-architect/cache/.gitignore" && pass "the cache folder ignores itself in git" ||
	fail "no .gitignore in the cache folder"

# The size bound: over it, records are left out, the report is the same, the run says so.
rm -rf "$ex/.dist-architect/cache"
run check --all --format json --fail-on never --cache-max 4K "$ex"
expect_cmp "$TMP/want2.json" "bounded cache: same report"
expect_err "fact cache is full" "bounded cache: the run says the cache is full"
sz=$(stat -c %s "$pack")
[ "$sz" -le 4096 ] && pass "bounded cache: pack of $sz bytes <= 4K" || fail "bounded cache: pack of $sz bytes > 4K"

# A diff check with a warm cache parses only the changed file.
repo=$TMP/repo
cp -r "$DISTARCH_SRC/examples/order-fulfillment" "$repo"
rm -rf "$repo/.dist-architect/cache"
make_git_repo "$repo"
commit_all "$repo" base
age "$repo"
sleep 2.1
run check --all --format json --fail-on never "$repo"
g=$(cd "$repo" && git ls-files '*.py' '*.go' '*.ts' '*.js' '*.java' | head -1)
printf '\n# touched\n' >>"$repo/$g"
run check --format json --fail-on never --no-cache "$repo"
cp "$out" "$TMP/want3.json"
run check --format json --fail-on never "$repo"
expect_cmp "$TMP/want3.json" "diff check: the warm report = --no-cache"
expect_stats " 1 parsed, 0 corrupt" "diff check: only the changed file is parsed"

# A root that cannot be written: the check runs, says so once (not as root: root writes anyway).
if [ "$(id -u)" != 0 ]; then
	ro=$TMP/ro
	cp -r "$DISTARCH_SRC/examples/notify-hub" "$ro"
	rm -rf "$ro/.dist-architect/cache"
	chmod a-w "$ro/.dist-architect"
	run check --all --format json --fail-on never "$ro"
	expect_rc 0 "read-only project: the check succeeds"
	expect_err "fact cache is not saved" "read-only project: said on stderr"
	chmod u+w "$ro/.dist-architect"
fi

# A folder that is no project (no .dist-architect/, not a git work tree) is left as it was.
plain=$TMP/plain
cp -r "$DISTARCH_SRC/examples/notify-hub" "$plain"
rm -rf "$plain/.dist-architect"
run check --all --format json --fail-on never "$plain"
[ ! -e "$plain/.dist-architect" ] && pass "no project: nothing written" || fail "no project: $plain/.dist-architect was created"
finish
