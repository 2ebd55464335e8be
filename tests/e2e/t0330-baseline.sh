#!/usr/bin/env bash
# Baselines: --write-baseline records the findings; --baseline reports only
# findings it does not hold, matched by rule, path and the finding's line
# text, so code moving does not bring them back; bad files are errors with
# file:line:column and exit 2.
. "$(dirname "$0")/lib.sh"

ex=$TMP/vp
cp -r "$DISTARCH_SRC/examples/video-platform" "$ex"
bl=$TMP/baseline.json

run check --all --format json "$ex" --write-baseline "$bl"
expect_rc 0 "--write-baseline exits 0: what it wrote is this run's baseline"
expect_err "wrote 6 findings to the baseline" "it says how many it wrote"
expect_json 'd["findings"] == [] and d["summary"]["baselined"] == 6' "the report shows nothing new"
if python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); sys.exit(0 if b["version"] == 1 and b["tool"] == "distarch" and len(b["findings"]) == 6 and all(set(f) >= {"rule", "path", "context", "line", "message"} for f in b["findings"]) else 1)' "$bl"
then pass "the baseline is versioned JSON with rule, path, context, line and message"; else fail "baseline format"; fi
if ls "$TMP" | grep -q '\.tmp\.'; then fail "no temporary file is left behind"; else pass "no temporary file is left behind"; fi

run check --all --format json "$ex" --baseline "$bl"
expect_rc 0 "with the baseline: exit 0"
expect_json 'd["findings"] == [] and d["summary"]["baselined"] == 6' "every finding is in the baseline"
run check --all "$ex" --baseline "$bl"
expect_out "0 findings suppressed inline, 6 held by the baseline" "the text report says so"

# Code moving (lines added above, re-indented key line) does not resurrect them.
for f in engine/ws_server.py engine/consumer.py gpu_worker/main.py; do
	{ printf '"""A module docstring\nthat got longer."""\n\n'; cat "$ex/$f"; } >"$TMP/x" && mv "$TMP/x" "$ex/$f"
done
run check --all --format json "$ex" --baseline "$bl"
expect_json 'd["findings"] == []' "findings that moved down stay in the baseline"

# A finding the baseline does not hold is reported.
python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); b["findings"] = [f for f in b["findings"] if f["rule"] != "AP-1"]; json.dump(b, open(sys.argv[2], "w"))' "$bl" "$TMP/less.json"
run check --all --format json "$ex" --baseline "$TMP/less.json"
expect_rc 1 "a new error finding exits 1"
expect_json '[f["rule"] for f in d["findings"]] == ["AP-1"] and d["summary"]["baselined"] == 5' "only the finding missing from the baseline is reported"
# Editing the finding's own line makes it a new finding.
sed -i 's/await self.redis.xack(stream, group, message_id)/await self.redis.xack(stream, group, message_id)  # ack early/' "$ex/engine/consumer.py"
run check --all --format json --fail-on never "$ex" --baseline "$bl"
expect_json '[f["rule"] for f in d["findings"]] == ["AP-2"]' "a finding whose line changed is new"

# Bad baselines: position, reason, exit 2.
printf '{"version": 1, "findings": [\n  {"rule": "AP-1", "path": "a.py" "context": "x"}\n]}\n' >"$TMP/syntax.json"
run check --all "$ex" --baseline "$TMP/syntax.json"
expect_rc 2 "a baseline with a syntax error exits 2"
expect_err "syntax.json:2:[0-9]+: " "the syntax error has file:line:column"
printf '{"version": 2, "findings": []}\n' >"$TMP/v2.json"
run check --all "$ex" --baseline "$TMP/v2.json"
expect_rc 2 "an unknown version exits 2"
expect_err "v2.json:1:13: error: unsupported baseline version '2'" "the version is named at its position"
printf '{"version": 1, "findings": [{"rule": "AP-1", "path": "a.py", "context": "0123456789abcdef", "lien": 3}]}\n' >"$TMP/key.json"
run check --all "$ex" --baseline "$TMP/key.json"
expect_rc 2 "an unknown key exits 2"
expect_err "key.json:1:[0-9]+: error: unknown key 'lien' in a baseline finding" "the unknown key is named at its position"
printf '{"version": 1, "findings": [{"rule": "AP-1", "path": "a.py", "context": "nothex"}]}\n' >"$TMP/ctx.json"
run check --all "$ex" --baseline "$TMP/ctx.json"
expect_err "ctx.json:1:[0-9]+: error: bad context 'nothex'" "a bad context is refused"
printf '[]\n' >"$TMP/list.json"
run check --all "$ex" --baseline "$TMP/list.json"
expect_rc 2 "a baseline that is not an object exits 2"
run check --all "$ex" --baseline "$TMP/missing.json"
expect_rc 2 "a missing baseline exits 2"
expect_err "missing.json: cannot open" "the missing file is named"
run check --all "$ex" --write-baseline "$TMP/no/such/dir/b.json"
expect_rc 2 "a baseline that cannot be written exits 2"
expect_empty_out "nothing is reported when the baseline cannot be written"
finish
