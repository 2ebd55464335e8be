#!/usr/bin/env bash
# The prefilter never changes results: `check --all --format json` over
# every example and every fixture case prints the same report with and
# without it. Only the summary's scan counts may differ (files left out
# are neither parsed nor walked for regions), so those are compared after
# removing them: parsed, prefiltered, regions_checked. A tree made here has
# a file the prefilter must leave out (so this test can fail), and a diff
# check (the selection parsed, the rest prefiltered) must agree too.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || { echo "ok - # SKIP no python3"; finish; }

# compare.py BASE...: each BASE.full and BASE.pf report, the prefilter's counts removed
cat >"$TMP/compare.py" <<'EOF'
import json, sys
def load(path):
	d = json.load(open(path))
	s = d.get("summary", {})
	n = s.get("prefiltered")
	for k in ("parsed", "prefiltered", "regions_checked"):
		s.pop(k, None)
	return d, n
total = 0
for base in sys.argv[1:]:
	name = base.rsplit("/", 1)[-1]
	full, n0 = load(base + ".full")
	pf, n1 = load(base + ".pf")
	total += n1 or 0
	if n0 != 0:
		print("not ok - %s: --no-prefilter left %s files out" % (name, n0))
	elif full == pf:
		print("ok - %s: the prefilter changes nothing" % name)
	else:
		print("not ok - %s: the prefilter changed the report" % name)
print("total %d" % total)
EOF
prefiltered() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["prefiltered"])' "$1"; }

nd=0
bases=()
mkdir "$TMP/r"
for dir in "$DISTARCH_SRC"/examples/*/ "$DISTARCH_SRC"/tests/fixtures/*/*/*/; do
	[ -d "$dir" ] || continue
	nd=$((nd + 1))
	name=${dir#"$DISTARCH_SRC"/}
	base=$TMP/r/$(printf '%s' "${name%/}" | tr / :)
	run check --all --format json --fail-on never --no-progress --no-cache --no-prefilter -j 1 "$dir"
	[ "$rc" -eq 0 ] || { fail "$name: --no-prefilter exited $rc"; continue; }
	cp "$out" "$base.full"
	run check --all --format json --fail-on never --no-progress --no-cache -j 1 "$dir"
	[ "$rc" -eq 0 ] || { fail "$name: with the prefilter exited $rc"; continue; }
	cp "$out" "$base.pf"
	bases+=("$base")
done
[ "$nd" -gt 100 ] || fail "only $nd folders found (examples and fixture cases)"
total=0
python3 "$TMP/compare.py" "${bases[@]}" >"$TMP/cmp.txt"
while IFS= read -r line; do
	case $line in
	"ok - "*) pass "${line#ok - }" ;;
	"not ok - "*) fail "${line#not ok - }" ;;
	"total "*) total=${line#total } ;;
	esac
done <"$TMP/cmp.txt"
echo "# the prefilter left $total files of the examples and fixtures out"

# A tree with a file no analysis reads: it is counted, and a diff check of
# another file (the rest prefiltered, the selection parsed) agrees with --no-prefilter.
repo=$TMP/repo
make_git_repo "$repo"
mkdir -p "$repo/svc" "$repo/ui"
cat >"$repo/svc/worker.py" <<'EOF'
import redis

r = redis.Redis()

def work(job):
    try:
        r.xack("jobs", "g", job.id)
    except redis.ConnectionError:
        job.status = "idle"
EOF
cat >"$repo/ui/colours.py" <<'EOF'
PALETTE = {"red": 1, "green": 2}

def shade(x):
    return x * 2
EOF
git -C "$repo" add -A >/dev/null && git -C "$repo" commit -qm init >/dev/null
echo '    # touched' >>"$repo/svc/worker.py"
run check --all --format json --fail-on never --no-progress --no-cache "$repo"
[ "$(prefiltered "$out")" = 1 ] && pass "a file with no needle and no shared name is left out" ||
	fail "ui/colours.py was not left out"
run check --format text --fail-on never --no-progress --no-cache "$repo"
expect_out "left out by the prefilter" "the text summary says what the prefilter left out"
normalise_text() { sed 's/, [0-9]* left out by the prefilter[^;]*//' "$1"; }
normalise_text "$out" >"$TMP/pf.txt"
run check --format text --fail-on never --no-progress --no-cache --no-prefilter "$repo"
normalise_text "$out" >"$TMP/full.txt"
cmp -s "$TMP/pf.txt" "$TMP/full.txt" && pass "a diff check agrees with --no-prefilter" ||
	{ fail "a diff check differs with the prefilter"; diff "$TMP/full.txt" "$TMP/pf.txt" | head; }
# a name the seed defines pulls the file in (the closure)
echo 'from svc.worker import work' >>"$repo/ui/colours.py"
run check --all --format json --fail-on never --no-progress --no-cache "$repo"
[ "$(prefiltered "$out")" = 0 ] && pass "a file naming a seed's function is parsed (closure)" ||
	fail "the closure missed ui/colours.py"
finish
