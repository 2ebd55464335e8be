#!/usr/bin/env bash
# Every `--help` in docs/cli.md is what the binary prints: help and docs
# cannot drift apart (regenerate with scripts/gen-cli-doc.sh).
. "$(dirname "$0")/lib.sh"

doc=$DISTARCH_SRC/docs/cli.md
for c in "" check design debug topology "topology drift" catalog init mcp hook; do
	want=$TMP/want
	awk -v cmd="\$ distarch${c:+ $c} --help" '
		$0 == cmd { on = 1; next }
		on && $0 == "```" { exit }
		on { print }' "$doc" >"$want"
	run $c --help
	expect_cmp "$want" "docs/cli.md has the current help of distarch${c:+ $c}"
done
finish
