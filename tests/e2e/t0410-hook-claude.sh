#!/usr/bin/env bash
# `distarch hook claude`: real PostToolUse events in, additional context
# out only when the edit has something to say; exit 0 always; fast, and
# silent when its time limit runs out.
. "$(dirname "$0")/lib.sh"

proj=$TMP/proj
cp -R "$DISTARCH_SRC/examples/video-platform" "$proj"
make_git_repo "$proj" && commit_all "$proj" init
ln -s /etc "$proj/escape"

event() { # event TOOL FILE_PATH [CWD]
	printf '{"session_id":"abc","transcript_path":"/tmp/t.jsonl","cwd":"%s","permission_mode":"default","hook_event_name":"PostToolUse","tool_name":"%s","tool_input":{"file_path":"%s","old_string":"x","new_string":"y"},"tool_response":{"filePath":"%s","success":true}}\n' \
		"${3:-$proj}" "$1" "$2" "$2" >"$TMP/event.json"
}

# An edit that acks a message whose payload lives only in memory (AP-2).
sed -i '56s/$/  # acked/' "$proj/engine/consumer.py"
event Edit "$proj/engine/consumer.py"
start=$(date +%s%N)
run_stdin "$TMP/event.json" hook claude
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc 0 "an edit with a finding: exit 0"
expect_json 'list(d) == ["hookSpecificOutput"] and d["hookSpecificOutput"]["hookEventName"] == "PostToolUse"' "the answer is hookSpecificOutput for PostToolUse"
expect_json '"AP-2" in d["hookSpecificOutput"]["additionalContext"] and "engine/consumer.py:56" in d["hookSpecificOutput"]["additionalContext"]' "the context names the finding and its line"
expect_json 'len(d["hookSpecificOutput"]["additionalContext"]) <= 4100' "the context stays small"
if [ "$ms" -lt 5000 ]; then pass "the hook took ${ms} ms (under 5 s)"; else fail "the hook took ${ms} ms"; fi

# Write and MultiEdit are edits too; a relative file_path is taken from cwd.
event MultiEdit "engine/consumer.py"
run_stdin "$TMP/event.json" hook claude
expect_out '"additionalContext"' "MultiEdit with a relative path is checked"

# Nothing to say: an untouched file with no boundary, a Read, files outside.
git -C "$proj" checkout -q -- engine/consumer.py
printf 'def add(a, b):\n    return a + b\n' >"$proj/engine/mathutil.py"
event Write "$proj/engine/mathutil.py"
run_stdin "$TMP/event.json" hook claude
expect_rc 0 "a plain new file: exit 0"
expect_empty_out "a plain new file: silent"
event Read "$proj/engine/consumer.py"
run_stdin "$TMP/event.json" hook claude
expect_empty_out "a Read is not an edit: silent"
event Edit "/etc/hostname"
run_stdin "$TMP/event.json" hook claude
expect_rc 0 "a file outside the project: exit 0"
expect_empty_out "a file outside the project: silent"
event Edit "$proj/escape/hostname"
run_stdin "$TMP/event.json" hook claude
expect_empty_out "a file behind a symlink out of the project: silent"
event Edit "$proj/no/such/file.py"
run_stdin "$TMP/event.json" hook claude
expect_empty_out "a file that does not exist: silent"

# Bad input never blocks the agent (exit 2 would).
printf 'not json' >"$TMP/bad.json"
run_stdin "$TMP/bad.json" hook claude
expect_rc 0 "garbage input: exit 0"
expect_empty_out "garbage input: silent"
run_stdin /dev/null hook claude
expect_rc 0 "empty input: exit 0"
run_stdin "$TMP/bad.json" hook claude --no-such-option
expect_rc 0 "a bad option: exit 0"

# Out of time: the timer ends it silently (1 ms is far less than a check takes).
sed -i '56s/$/  # acked/' "$proj/engine/consumer.py"
event Edit "$proj/engine/consumer.py"
run_stdin "$TMP/event.json" hook claude --timeout 1
expect_rc 0 "over the time limit: exit 0"
expect_empty_out "over the time limit: silent"
finish
