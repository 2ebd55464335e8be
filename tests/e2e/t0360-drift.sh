#!/usr/bin/env bash
# `distarch topology drift`: the code's boundaries against the topology's
# relationships, on the video-platform example and on copies of it whose
# topology was made to drift (an edge removed, an edge the code does not
# show, a folder no component claims), and the drift `check` mentions.
. "$(dirname "$0")/lib.sh"

ex=$TMP/video-platform
cp -r "$DISTARCH_SRC/examples/video-platform" "$ex"
topo=$ex/.dist-architect/topology.yaml

run -q topology drift "$topo"
expect_rc 0 "drift on the example exits 0"
expect_out '11 relationships: 11 with code on a side, 11 shown by the code' "every relationship of the example is shown by its code"
expect_no_out 'DRIFT-' "the example's topology does not drift"

run -q topology drift "$topo" --format json
expect_json "d['summary']['confirmed'] == 11 and d['findings'] == []" "json: 11 confirmed, no finding"
expect_json "any(l['component'] == 'engine-dispatcher' and l['kind'] == 'queue' and l['direction'] == 'out' and l['peer'] == 'redis' for l in d['links'])" \
	"json: the dispatcher's requeue (through JobStream.enqueue in engine-api's file) is a link to redis"
expect_json "any(l['component'] == 'gpu-worker' and l['kind'] == 'object storage' for l in d['links'])" \
	"json: put_object handed to a thread is the worker's storage link"

# Remove the worker -> s3 relationship: the upload is a boundary the topology lacks.
python3 - "$topo" <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
start = s.index("  - from: gpu-worker\n    to: s3")
end = s.index("\nconvergence_points:")
open(p, "w").write(s[:start] + s[end:])
PY
run -q topology drift "$topo" --fail-on warning
expect_rc 1 "--fail-on warning: a missing relationship exits 1"
expect_out 'gpu_worker/uploader.py:[0-9]+:[0-9]+: warning \[DRIFT-MISSING\] `gpu-worker` reads or writes object storage \(boto3\)' "DRIFT-MISSING at the upload call"
expect_out 'fix: add the relationship `\{from: gpu-worker, to: s3, via: object storage \(boto3\)\}`' "the fix names the peer the role gives (s3: object storage)"
run -q topology drift "$topo"
expect_rc 0 "default --fail-on error: drift warnings exit 0"

# A relationship no code shows.
cp "$DISTARCH_SRC/examples/video-platform/.dist-architect/topology.yaml" "$topo"
cat >>"$topo" <<'YAML'
YAML
python3 - "$topo" <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
s = s.replace("\nconvergence_points:", "\n  - from: gpu-worker\n    to: postgres\n    via: SQL (asyncpg)\n    pattern: request-response\n\nconvergence_points:", 1)
open(p, "w").write(s)
PY
line=$(grep -n "    to: postgres" "$topo" | tail -1 | cut -d: -f1)
run -q topology drift "$topo" --format markdown
expect_out "^- \`\.dist-architect/topology\.yaml:$((line - 1))\` the topology declares \`gpu-worker\` -> \`postgres\` via SQL \(asyncpg\) but no code here shows it" "DRIFT-STALE at the relationship's line"
expect_out '^## DRIFT-MISSING: boundary missing from the topology \(0\)' "markdown: one section per rule"

# A folder no component claims.
cp "$DISTARCH_SRC/examples/video-platform/.dist-architect/topology.yaml" "$topo"
mkdir -p "$ex/reaper"
cat >"$ex/reaper/main.py" <<'PY'
import redis

def reap(r: redis.Redis) -> None:
    r.xadd("jobs:dead", {"reason": "timeout"})
PY
run -q topology drift "$topo" --format json
expect_json "[f['rule'] for f in d['findings']] == ['DRIFT-UNMAPPED'] and d['findings'][0]['location']['path'] == 'reaper/main.py'" "DRIFT-UNMAPPED for a folder with boundary calls and no component"
expect_json "d['findings'][0]['location']['line'] == 4" "the unmapped finding points at the call"

# check mentions the drift of the changed files.
make_git_repo "$TMP/repo"
cp -r "$DISTARCH_SRC/examples/video-platform/." "$TMP/repo/"
commit_all "$TMP/repo" base
cat >>"$TMP/repo/gpu_worker/runner.py" <<'PY'


async def report_metrics(redis_client) -> None:
    await redis_client.xadd("metrics", {"gpu": "busy"})
PY
cat >"$TMP/repo/gpu_worker/metrics.py" <<'PY'
import redis.asyncio as redis


async def push(r: redis.Redis) -> None:
    await r.xadd("metrics", {"gpu": "busy"})
PY
run -q check "$TMP/repo" --format markdown
expect_out '^- DRIFT-MISSING at `gpu_worker/metrics.py:5`: `gpu-worker` publishes to a queue \(redis-py, `metrics`\)' "check's markdown says the topology needs updating"
run -q check "$TMP/repo" --format json
expect_json "[f['rule'] for f in d['topology_drift']] == ['DRIFT-MISSING']" "check's json carries the drift of the change"
run -q -C "$TMP/repo" check --format markdown gpu_worker/runner.py
expect_no_out 'DRIFT-' "a change elsewhere does not mention that drift"

# Drift goes through the same triage as the detectors' findings.
mkdir -p "$TMP/repo/.dist-architect"
printf 'rules:\n  DRIFT-MISSING: error\n' >"$TMP/repo/.dist-architect/config.yaml"
run -q check "$TMP/repo" --format json
expect_rc 1 "the config can raise drift to an error, and then it fails the check"
expect_json "[f['severity'] for f in d['topology_drift']] == ['error']" "the raised severity is reported"
printf 'rules:\n  DRIFT-MISSING: off\n' >"$TMP/repo/.dist-architect/config.yaml"
run -q check "$TMP/repo" --format json
expect_json "d['topology_drift'] == []" "the config can turn drift off"
rm "$TMP/repo/.dist-architect/config.yaml"
sed -i '5s/$/  # distarch: ignore[DRIFT-MISSING] metrics go to a side channel the topology leaves out/' "$TMP/repo/gpu_worker/metrics.py"
run -q check "$TMP/repo" --format json
expect_json "d['topology_drift'] == [] and d['summary']['suppressed'] == 1" "an inline suppression silences drift"

# `this.sqs.send(new SendMessageCommand(...))` is the SQS client's send, not
# the sender's own `send()` method elsewhere that writes to a websocket.
run -q -C "$DISTARCH_SRC/examples/notify-hub" topology drift --format json
expect_json "not any(f['location']['path'] == 'src/shared/queue.ts' for f in d['findings'])" \
	"a call on a field of this is not linked to a same-named method of another class"

run topology drift "$TMP/nope.yaml"
expect_rc 2 "a missing topology exits 2"
finish
