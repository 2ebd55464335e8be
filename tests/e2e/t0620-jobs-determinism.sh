#!/usr/bin/env bash
# The parallel scan (-j N) prints exactly what the serial one (-j 1) does:
# `check --all --format json` over every example and every fixture case,
# byte for byte, at -j 1, -j 4 and (examples) -j 3. The cache is off, so
# every run parses every file itself.
. "$(dirname "$0")/lib.sh"

nd=0
for dir in "$DISTARCH_SRC"/examples/*/ "$DISTARCH_SRC"/tests/fixtures/*/*/*/; do
	[ -d "$dir" ] || continue
	nd=$((nd + 1))
	name=${dir#"$DISTARCH_SRC"/}
	run check --all --format json --fail-on never --no-progress --no-cache -j 1 "$dir"
	[ "$rc" -eq 0 ] || { fail "$name: -j 1 exited $rc"; continue; }
	cp "$out" "$TMP/serial.json"
	jobs="4"
	case $name in examples/*) jobs="4 3" ;; esac
	for j in $jobs; do
		run check --all --format json --fail-on never --no-progress --no-cache -j "$j" "$dir"
		if [ "$rc" -eq 0 ] && cmp -s "$TMP/serial.json" "$out"; then
			pass "$name: -j $j prints what -j 1 does"
		else
			fail "$name: -j $j differs from -j 1 (exit $rc)"
			diff "$TMP/serial.json" "$out" | head -10
		fi
	done
done
[ "$nd" -gt 100 ] || fail "only $nd folders found (examples and fixture cases)"

# A bad -j is a usage error, not a silent default.
run check --all -j nope "$DISTARCH_SRC/examples/video-platform"
expect_rc 2 "-j with a non-number exits 2"
finish
