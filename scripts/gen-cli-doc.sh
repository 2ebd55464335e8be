#!/usr/bin/env bash
# Regenerate docs/cli.md from the binary's own --help (tests/e2e/t0050
# fails when the two differ): scripts/gen-cli-doc.sh build/distarch
set -euo pipefail
bin=${1:-build/distarch}
{
	echo "# distarch command-line reference"
	echo
	echo "Generated from \`--help\` by \`scripts/gen-cli-doc.sh\`; a test keeps the two identical."
	for c in "" check design debug topology "topology drift" catalog init mcp hook; do
		echo
		echo "## distarch${c:+ $c}"
		echo
		echo '```'
		echo "\$ distarch${c:+ $c} --help"
		"$bin" $c --help
		echo '```'
	done
} >docs/cli.md
