#!/usr/bin/env bash
# Hostile inputs besides source files (issue 9): a YAML alias bomb in the
# topology and the config, a 10,000-component topology, a diff with
# malformed hunks, a 100 MB log line, deeply nested JSON on the MCP channel.
# Each has a defined result in bounded time and memory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"

R=$TMP/repo
mkdir -p "$R/.dist-architect" "$R/src"
printf 'def release(w):\n    w.status = "idle"\n' >"$R/src/ok.py"

# 8. billion laughs: nine levels of nine aliases each (387 million nodes if expanded)
bomb() { # bomb INDENT
	printf '%sa0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' "$1"
	for i in 1 2 3 4 5 6 7 8 9; do
		p=$((i - 1))
		printf '%sa%d: &a%d [*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d]\n' "$1" $i $i $p $p $p $p $p $p $p $p $p
	done
}
{ echo "x-bomb:"; bomb "  "; echo "components: []"; } >"$R/.dist-architect/topology.yaml"
bounded 30 200 topology check "$R/.dist-architect/topology.yaml"
expect_rc 2 "topology alias bomb: exit 2"
expect_bounded "topology alias bomb: bounded"
expect_err 'topology\.yaml:8:12: error: yaml document too large: more than 1000000 nodes \(an alias counts as a copy' \
	"topology alias bomb: refused at the alias that crosses the budget, with file:line:column"
bounded 30 200 check --all --no-progress "$R"
expect_rc 2 "check with the bomb as its topology: exit 2"
expect_err 'topology\.yaml:8:12: error: yaml document too large' "check names the topology's position"
rm "$R/.dist-architect/topology.yaml"

{ echo "rules:"; bomb "  "; } >"$R/.dist-architect/config.yaml"
bounded 30 200 check --all --no-progress "$R"
expect_rc 2 "config alias bomb: exit 2"
expect_bounded "config alias bomb: bounded"
expect_err 'config\.yaml:8:12: error: yaml document too large' "config alias bomb: file:line:column"
rm "$R/.dist-architect/config.yaml"

# 9. a 10,000-component topology with 50,000 relationships
bash "$DISTARCH_SRC/bench/gen-topology.sh" 10000 50000 42 >"$R/.dist-architect/topology.yaml"
bounded 30 400 topology check "$R/.dist-architect/topology.yaml"
expect_rc 0 "10,000 components: topology check exits 0"
expect_bounded "10,000 components: topology check bounded"
bounded 30 400 design --topology "$R/.dist-architect/topology.yaml"
expect_bounded "10,000 components: design bounded"
expect_out 'c9999|SPOF|single point' "10,000 components: design reports on them"
bounded 30 400 check --all --no-progress "$R"
expect_rc 0 "10,000 components: check --all exits 0"
expect_bounded "10,000 components: check bounded (AP-4's dependency words are a set, not a list)"
rm "$R/.dist-architect/topology.yaml"

# 10. diffs with malformed hunks: the error names the patch line
printf -- '--- a/src/ok.py\n+++ b/src/ok.py\n@@ -1,2 +1,2 @@\n def release(w):\n-    w.status = "x"\n' >"$TMP/short.diff"
bounded 30 200 check --no-progress --patch "$TMP/short.diff" "$R"
expect_rc 2 "a hunk shorter than its header: exit 2"
expect_err 'short\.diff:[0-9]+(:[0-9]+)?: error: malformed hunk: expected 1 more lines .*for the hunk at line 3' \
	"a hunk shorter than its header: the patch line"
printf -- '--- a/src/ok.py\n+++ b/src/ok.py\n@@ -1 +1 @@\n-x\n+y\n+z\n' >"$TMP/long.diff"
bounded 30 200 check --no-progress --patch "$TMP/long.diff" "$R"
expect_rc 2 "a hunk longer than its header: exit 2"
expect_err 'long\.diff:6(:[0-9]+)?: error: malformed hunk' "a hunk longer than its header: line 6"
printf -- '--- a/src/ok.py\n+++ b/src/ok.py\n@@ -x,1 +1,q @@\n-x\n+y\n' >"$TMP/header.diff"
bounded 30 200 check --no-progress --patch "$TMP/header.diff" "$R"
expect_rc 2 "a garbled hunk header: exit 2"
expect_err 'header\.diff:3(:[0-9]+)?: error: ' "a garbled hunk header: line 3"
python3 -c "
import sys
sys.stdout.write('--- a/src/ok.py\n+++ b/src/ok.py\n@@ -1,4000000000 +1,4000000000 @@\n' + ' x\n' * 100000)" >"$TMP/huge.diff"
bounded 30 200 check --no-progress --patch "$TMP/huge.diff" "$R"
expect_rc 2 "a hunk header counting 4 billion lines: exit 2"
expect_bounded "a hunk header counting 4 billion lines: bounded"

# 11. a log line of 100 MB between two good ones
L=$TMP/big.log
{
	echo '{"time":"2026-01-01T00:00:00Z","level":"error","service":"worker","msg":"job failed","job_id":"1"}'
	printf '{"time":"2026-01-01T00:00:01Z","level":"error","msg":"'
	head -c $((100 * 1024 * 1024)) /dev/zero | tr '\0' 'A'
	echo '"}'
	echo '{"time":"2026-01-01T00:00:02Z","level":"error","service":"worker","msg":"job failed","job_id":"2"}'
} >"$L"
bounded 60 100 debug "jobs fail" "$R" --logs "$L" --no-code
expect_rc 0 "a 100 MB log line: exit 0"
expect_bounded "a 100 MB log line: bounded memory (one buffer per file)"
expect_out 'logs: 1 file, 2 lines .*1 line over the 524288-byte limit skipped \(--max-log-line\)' \
	"a 100 MB log line: skipped and counted with the limit; the lines around it are read"
bounded 60 100 debug "jobs fail" "$R" --logs "$L" --no-code --format json
expect_json "d['logs']['too_long'] == 1 and d['logs']['lines'] == 2 and d['logs']['max_line'] == 524288" \
	"json: too_long counted, the limit given"
bounded 60 100 debug "jobs fail" "$R" --logs "$L" --no-code --max-log-line 50
expect_out '3 lines over the 50-byte limit skipped' "--max-log-line lowers the limit"

# 12. deeply nested JSON on the MCP channel, then a request that must still be served
python3 -c "
d = 100000
print('{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"a\":' + '[' * d + ']' * d + '}}')
d = 2000
print('{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"dist_check\",\"arguments\":{\"paths\":' + '[' * d + ']' * d + '}}}')
print('{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}')" >"$TMP/mcp.in"
rc=0
timeout 30 "$DISTARCH" mcp --root "$R" <"$TMP/mcp.in" >"$out" 2>"$err" || rc=$?
expect_rc 0 "mcp with 100,000-deep JSON: exit 0 at the end of input"
expect_out '^\{"jsonrpc":"2\.0","id":null,"error":\{"code":-32700,"message":"parse error at column [0-9]+: maximum parsing depth reached' \
	"100,000-deep JSON: a JSON-RPC parse error"
expect_out '^\{"jsonrpc":"2\.0","id":2,"result":\{"content":.*bad arguments' "2,000-deep arguments: a tool error, no crash"
expect_out '^\{"jsonrpc":"2\.0","id":3,"result":\{\}\}' "the server keeps serving after both"
finish
