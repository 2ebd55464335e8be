#!/usr/bin/env bash
# Inline suppressions: `distarch: ignore[RULE] reason` in a comment on the
# finding's line or the line before silences it, in each language's comment
# syntax; strings and documentation silence nothing; suppressions without a
# reason, of unknown rules or malformed are findings themselves.
. "$(dirname "$0")/lib.sh"

ex=$TMP/vp
cp -r "$DISTARCH_SRC/examples/video-platform" "$ex"
# rules LIST: the (rule, path, line) triples of the last JSON run, sorted.
rules() { python3 -c 'import json,sys
for f in sorted((f["rule"], f["location"]["path"], f["location"]["line"]) for f in json.load(open(sys.argv[1]))["findings"]): print(*f)' "$out"; }

# The line before (a comment line of its own), and the same line (trailing).
sed -i '114i\        # distarch: ignore[AP-1] the registry takes dead workers out of rotation itself' "$ex/engine/ws_server.py"
sed -i '56s/$/  # distarch: ignore[AP-5, AP-2]: the API persisted the payload before enqueueing/' "$ex/engine/consumer.py"
# No reason: still silenced, and reported.
sed -i '69s/$/  # distarch: ignore[AP-6]/' "$ex/gpu_worker/main.py"
# An unknown id (a typo): silences nothing, reported.
sed -i '63s/$/  # distarch: ignore[AP3] typo of AP-3/' "$ex/gpu_worker/runner.py"
# Malformed (no brackets): silences nothing, reported.
sed -i '46s/$/  # distarch: ignore AP-5 because/' "$ex/gpu_worker/comfy_client.py"
# Documentation quoting the syntax is not searched.
printf 'Write `distarch: ignore[AP-99]` to silence.\n' >>"$ex/README.md"

run check --all --format json --fail-on never "$ex"
expect_rc 0 "check runs with suppressions"
rules >"$TMP/got"
cat >"$TMP/want" <<'W'
AP-3 gpu_worker/runner.py 63
AP-4 gpu_worker/health_monitor.py 59
AP-5 gpu_worker/comfy_client.py 46
DISTARCH-SUPPRESS-MALFORMED gpu_worker/comfy_client.py 46
DISTARCH-SUPPRESS-NO-REASON gpu_worker/main.py 69
DISTARCH-SUPPRESS-UNKNOWN-RULE gpu_worker/runner.py 63
W
if diff -u "$TMP/want" "$TMP/got" >"$TMP/d"; then pass "AP-1, AP-2, AP-6 silenced; the bad suppressions reported, at the comment"
else fail "suppressed and reported findings"; cat "$TMP/d"; fi
expect_json 'd["summary"]["suppressed"] == 3' "the summary counts three silenced findings"
expect_json 'all(f["severity"] == "warning" for f in d["findings"] if f["rule"].startswith("DISTARCH-"))' \
	"the suppression checks are warnings"
expect_json 'any("AP3" in f["message"] for f in d["findings"] if f["rule"] == "DISTARCH-SUPPRESS-UNKNOWN-RULE")' \
	"the unknown id is named"
run check --all --fail-on never "$ex"
expect_out "not shown: 3 findings suppressed inline" "the text report says how many were silenced"
run check --all --format sarif --fail-on never "$ex"
expect_json 'any(r["id"] == "DISTARCH-SUPPRESS-NO-REASON" for r in d["runs"][0]["tool"]["driver"]["rules"])
	and all(d["runs"][0]["tool"]["driver"]["rules"][x["ruleIndex"]]["id"] == x["ruleId"] for x in d["runs"][0]["results"])' \
	"SARIF lists the tool's own rules and indexes them"
# The config can turn the check off like any rule.
mkdir -p "$ex/.dist-architect"
printf 'rules:\n  DISTARCH-SUPPRESS-NO-REASON: off\n' >"$ex/.dist-architect/config.yaml"
run check --all --format json --fail-on never "$ex"
expect_json 'not any(f["rule"] == "DISTARCH-SUPPRESS-NO-REASON" for f in d["findings"])' "the config turns a suppression check off"
rm -r "$ex/.dist-architect"

# Other comment syntaxes: // in TypeScript and Go, a block comment the line before.
for fx in typescript/ap2/pos-kafkajs-commit-before-processing go/ap2/pos-sqs-delete-before-task; do
	d=$TMP/fx-${fx//\//-}
	cp -r "$DISTARCH_SRC/tests/fixtures/$fx" "$d"
	f=$(grep -rl 'expect: AP-2' "$d")
	run check --all --format json --fail-on never "$d"
	expect_json 'any(f["rule"] == "AP-2" for f in d["findings"])' "$fx: AP-2 without a suppression"
	sed -i 's|// expect: AP-2|// distarch: ignore[AP-2] at-least-once is not needed here|' "$f"
	run check --all --format json --fail-on never "$d"
	expect_json 'not d["findings"] and d["summary"]["suppressed"] == 1' "$fx: '// distarch: ignore[AP-2] reason' silences it"
	line=$(grep -n 'distarch: ignore' "$f" | cut -d: -f1)
	sed -i 's|// distarch: ignore\[AP-2\] at-least-once is not needed here||' "$f"
	sed -i "${line}i\\	/* distarch: ignore[AP-2] the handler is idempotent */" "$f"
	run check --all --format json --fail-on never "$d"
	expect_json 'not d["findings"]' "$fx: a block comment on the line before silences it"
	# The marker inside a string literal is not a comment.
	sed -i "${line}d" "$f"
	sed -i "${line}s|\$| const note = \"// distarch: ignore[AP-2] in a string\";|" "$f"
	[ "${fx%%/*}" = go ] && sed -i "${line}s| const note = \\(.*\\);\$|; _ = \\1|" "$f"
	if sed -n "${line}p" "$f" | grep -q '"// distarch: ignore\[AP-2\] in a string"'; then pass "$fx: the string is on the finding's line"
	else fail "$fx: the string is on the finding's line"; fi
	run check --all --format json --fail-on never "$d"
	expect_json 'any(f["rule"] == "AP-2" for f in d["findings"]) and d["summary"]["suppressed"] == 0' \
		"$fx: the words inside a string literal silence nothing"
done

# A bad suppression outside the change is not this change's business.
g=$TMP/git
make_git_repo "$g"
cp -r "$DISTARCH_SRC/examples/video-platform/." "$g/"
sed -i '69s/$/  # distarch: ignore[AP-6]/' "$g/gpu_worker/main.py"
commit_all "$g" "base"
printf '\n# a new comment\n' >>"$g/engine/api.py"
run check --format json --fail-on never "$g"
expect_json 'not any(f["rule"].startswith("DISTARCH-") for f in d["findings"])' \
	"no suppression finding for lines the change does not touch"
sed -i '69s/ignore\[AP-6\]$/ignore[AP-6]  /' "$g/gpu_worker/main.py"
run check --format json --fail-on never "$g"
expect_json 'any(f["rule"] == "DISTARCH-SUPPRESS-NO-REASON" for f in d["findings"])' \
	"a changed line with a suppression without a reason is reported"
finish
