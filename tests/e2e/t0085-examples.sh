#!/usr/bin/env bash
# Every example under examples/ finds exactly the anti-patterns its README
# lists, and its fixed variant (examples/NAME-fixed.patch) finds none.
#
# The README's table is the specification: each row that starts with
# "| AP-N" names the key statement as its first `path:line`.
. "$(dirname "$0")/lib.sh"

for dir in "$DISTARCH_SRC"/examples/*/; do
	name=$(basename "$dir")
	ex=$TMP/$name
	cp -r "$dir" "$ex"
	want=$(python3 - "$ex/README.md" <<'PY'
import re, sys
rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"\|\s*(AP-[1-6])\b", line)
    if not m:
        continue
    loc = re.search(r"`([^`:\s]+):(\d+)`", line)
    if loc:
        rows.append((m.group(1), loc.group(1), int(loc.group(2))))
print(repr(sorted(rows)))
PY
)
	[ "$want" != "[]" ] || { fail "$name: the README lists no anti-pattern rows"; continue; }
	run check --all --format json --fail-on never "$ex"
	expect_rc 0 "$name: check --all exits 0 with --fail-on never"
	expect_json "sorted((f['rule'], f['location']['path'], f['location']['line']) for f in d['findings']) == $want" \
		"$name: the findings are exactly the README's $want"
	expect_json 'all(f["evidence"] and f["related"] and f["help"] for f in d["findings"])' \
		"$name: every finding has evidence, related locations and a catalog pointer"
	patch=$DISTARCH_SRC/examples/$name-fixed.patch
	if [ ! -f "$patch" ]; then fail "$name: examples/$name-fixed.patch is missing"; continue; fi
	(cd "$ex" && git apply -p1 "$patch") || { fail "$name: the fixed patch does not apply"; continue; }
	run check --all --format json "$ex"
	expect_rc 0 "$name: the fixed variant exits 0"
	expect_json 'd["findings"] == []' "$name: the fixed variant has no finding"
done

finish
