#!/usr/bin/env bash
# Detector fixtures as data (after jq's tests/jq.test): every folder
# tests/fixtures/LANG/RULE/CASE/ is a small system; a comment
# `expect: AP-N` (several: `expect: AP-1, AP-6`) on a line says a finding of
# that rule has its primary location on that line. The set of AP-* findings
# of `check --all` must equal the set of expectations exactly: a missing one
# is a false negative, an extra one a false positive. Cases named neg-* hold
# no expectation and must give no finding of their rule folder's kind.
. "$(dirname "$0")/lib.sh"

fixtures=$DISTARCH_SRC/tests/fixtures
[ -d "$fixtures" ] || { fail "no fixtures folder"; finish; exit 1; }
ncase=0
for dir in "$fixtures"/*/*/*/; do
	[ -d "$dir" ] || continue
	ncase=$((ncase + 1))
	case_name=${dir#"$fixtures"/}
	case_name=${case_name%/}
	run check --all --format json --fail-on never --no-progress "$dir"
	if [ "$rc" -ne 0 ]; then
		fail "$case_name: check exited $rc"
		continue
	fi
	if python3 - "$dir" "$out" >"$TMP/cmp" 2>&1 <<'PY'
import json, os, re, sys
root, report = sys.argv[1], sys.argv[2]
want = set()
for dp, dirs, files in os.walk(root):
    dirs[:] = [d for d in dirs if d != ".dist-architect"]  # distarch's own folder (its cache)
    for name in files:
        path = os.path.join(dp, name)
        rel = os.path.relpath(path, root)
        try:
            lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
        except OSError:
            continue
        for no, line in enumerate(lines, 1):
            m = re.search(r"expect:\s*((?:AP-\d+)(?:\s*,\s*AP-\d+)*)", line)
            if m:
                for rule in re.split(r"\s*,\s*", m.group(1)):
                    want.add((rel, no, rule))
got = {(f["location"]["path"], f["location"]["line"], f["rule"])
       for f in json.load(open(report))["findings"] if f["rule"].startswith("AP-")}
ok = True
for m in sorted(want - got):
    print("  missing (false negative): %s:%d %s" % m); ok = False
for m in sorted(got - want):
    print("  unexpected (false positive): %s:%d %s" % m); ok = False
sys.exit(0 if ok else 1)
PY
	then
		pass "$case_name"
	else
		fail "$case_name"
		cat "$TMP/cmp"
	fi
done
[ "$ncase" -gt 0 ] || fail "no fixture cases found"
finish
