#!/usr/bin/env bash
# The command-line contract: help, version, dispatch, usage errors, exit codes.
. "$(dirname "$0")/lib.sh"

run --version
expect_rc 0 "--version exits 0"
expect_out '^distarch [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the version"

run --help
expect_rc 0 "--help exits 0"
for c in check design debug topology catalog init mcp hook; do
	expect_out "^  $c " "--help lists $c"
done

run
expect_rc 2 "no command is a usage error"
expect_err 'usage: distarch' "no command prints usage on stderr"

run frobnicate
expect_rc 2 "an unknown command exits 2"
expect_err "'frobnicate' is not a distarch command" "an unknown command is named"

run --frob check
expect_rc 2 "an unknown global option exits 2"

for c in check design debug topology catalog init mcp hook; do
	run "$c" --help
	expect_rc 0 "$c --help exits 0"
	expect_out "^usage: distarch $c" "$c --help shows its usage"
done

run check --help
for o in --all --staged --diff --patch --topology --format --fail-on; do
	expect_out "$o" "check --help lists $o"
done
run design --help
expect_out '--compare' "design --help lists --compare"
expect_no_out '\(planned\)' "design has no planned options left"
run debug --help
expect_out '--logs' "debug --help lists --logs"
expect_no_out '\(planned\)' "debug has no planned options left"
run debug
expect_rc 2 "debug without a symptom exits 2"
expect_err 'debug needs the symptom in quotes' "debug says what it needs"
for c in mcp hook; do
	run "$c" --help
	expect_no_out '\(planned\)' "$c has no planned options left"
done
run hook
expect_rc 2 "hook without a subcommand exits 2"
expect_err 'claude, pre-commit or install' "hook names its subcommands"

run check --format yaml
expect_rc 2 "a bad --format exits 2"
expect_err "--format expects one of text, json, markdown, sarif, not 'yaml'" "a bad --format says what was expected"
run check --fail-on sometimes
expect_rc 2 "a bad --fail-on exits 2"
run check --all --staged
expect_rc 2 "two change selectors exit 2"
expect_err 'give one at most' "two change selectors are explained"
run check --diff
expect_rc 2 "an option without its value exits 2"
expect_err '--diff needs a value' "a missing value is named"
run check "$TMP/no-such-file.py"
expect_rc 2 "a missing path exits 2"
expect_err 'no-such-file.py: no such file or folder' "a missing path is named"
run check --all --format sarif "$TMP"
expect_rc 0 "--format sarif runs (t0090 checks its content)"
expect_json 'd["version"] == "2.1.0"' "--format sarif prints a SARIF log"

run -C "$TMP/nowhere" check
expect_rc 2 "-C to a missing folder exits 2"
mkdir -p "$TMP/plain"
printf 'def f():\n    return 1\n' >"$TMP/plain/a.py"
run -C "$TMP/plain" check --all
expect_rc 0 "-C DIR runs there"
expect_out 'No boundary crossing detected' "a file without boundary facts says so"
expect_no_out $'\033' "no colour when stdout is not a terminal"

finish
