#!/usr/bin/env bash
# distarch debug on examples/video-platform: one incident per anti-pattern,
# worded as an on-call engineer would, with logs of the incident (JSON from
# the engine, plain text from the workers, tests/data/logs/); the right
# anti-pattern must rank first, with a trace, a boundary, a way to verify
# and a forward trace of the fix that flags the hops holding old data.
. "$(dirname "$0")/lib.sh"

vp=$DISTARCH_SRC/examples/video-platform
logs=$DISTARCH_SRC/tests/data/logs

incident() { # incident RULE DIR COMPONENT SYMPTOM
	local rule=$1 dir=$2 comp=$3 sym=$4
	run debug "$sym" "$vp" ${comp:+--component "$comp"} --format json \
		--logs "$logs/$dir/json/engine.log" --logs "$logs/$dir/plain/worker.log"
	expect_rc 0 "$rule incident exits 0"
	expect_json "d['hypotheses'][0]['rule'] == '$rule'" "$rule incident: $rule ranks first"
	expect_json "1 <= len(d['hypotheses']) <= 3 and all(0 < h['confidence'] < 1 for h in d['hypotheses'])" \
		"$rule incident: one to three hypotheses with a confidence"
	expect_json "d['hypotheses'][0]['confidence'] > d['hypotheses'][-1]['confidence'] or len(d['hypotheses']) == 1" \
		"$rule incident: ranked by confidence"
	expect_json "d['hypotheses'][0]['verify'] and d['hypotheses'][0]['why'] and d['hypotheses'][0]['mechanism']" \
		"$rule incident: the top hypothesis says why, how and how to verify"
	expect_json "any(f['holds_old_data'] for f in d['hypotheses'][0]['forward'])" \
		"$rule incident: the fix's forward trace flags a hop with old data"
	expect_json "len(d['trace']) > 1 and d['trace'][0]['depth'] == 0" "$rule incident: a backward trace"
}

incident AP-1 ap1 gpu-worker \
	"gpu-2 keeps failing every render job within milliseconds, all retries burned on the same worker while the others are fine"
expect_json "d['hypotheses'][0]['location'] == {'path': 'engine/ws_server.py', 'line': 114}" "AP-1: the root cause is the planted statement"
expect_json "d['hypotheses'][0]['boundary'].startswith('engine-dispatcher -> gpu-worker')" "AP-1: the boundary is the dispatch edge"
expect_json "any(w.startswith('+ logs: 1 burst') for w in d['hypotheses'][0]['why'])" "AP-1: the log burst raised it"

incident AP-2 ap2 engine-dispatcher \
	"after the engine restarted, requeued jobs come back without their workflow and cannot be rebuilt"
expect_json "d['hypotheses'][0]['location']['path'] == 'engine/consumer.py'" "AP-2: the root cause is the early XACK"
expect_json "any(f['to'] == 'redis' and f['holds_old_data'] for f in d['hypotheses'][0]['forward'])" "AP-2: entries already in the stream need a clean-up"

incident AP-3 ap3 frontend \
	"jobs show as failed in the dashboard but their videos appear in the bucket a few seconds later"
expect_json "d['hypotheses'][0]['location']['path'] == 'gpu_worker/runner.py'" "AP-3: found four hops upstream of the frontend"

incident AP-4 ap4 "" \
	"we added a COMFYUI_DOWN worker status and now the dispatcher has to know about ComfyUI"
expect_json "d['component'] == 'comfyui' and d['component_source'] == 'named in the symptom'" "AP-4: the component is taken from the symptom"
expect_json "all(any('logs:' in w for w in h['why']) for h in d['hypotheses'][1:]) and not any('logs:' in w for w in d['hypotheses'][0]['why'])" \
	"AP-4: the logs speak to the other hypotheses only (AP-4 has no log detector)"

incident AP-5 ap5 "" \
	"when ComfyUI is down one job produces dozens of prompt submissions, a retry storm that overloads it when it recovers"
expect_json "d['hypotheses'][0]['location']['path'] == 'gpu_worker/comfy_client.py'" "AP-5: the root cause is the retry decorator"

incident AP-6 ap6 "" \
	"after a gpu-worker reconnects it reports idle and fails the first job it gets"
expect_json "d['hypotheses'][0]['location'] == {'path': 'gpu_worker/main.py', 'line': 69}" "AP-6: the root cause is the IDLE after connect"

# The same incident in text and Markdown.
run debug "after a gpu-worker reconnects it reports idle and fails the first job it gets" "$vp" \
	--logs "$logs/ap6/logfmt/engine.log" --logs "$logs/ap6/logfmt/worker.log"
expect_out '^1\. AP-6 premature state transition: confidence 0\.[0-9]+ \((high|medium)\)$' "text ranks AP-6 first"
expect_out '^backward trace from gpu-worker:$' "text gives the backward trace"
expect_out '^   the fix, forward from gpu-worker:$' "text gives the forward trace"
run debug "after a gpu-worker reconnects it reports idle and fails the first job it gets" "$vp" --format markdown
expect_out '^### 1\. AP-6 premature state transition' "markdown ranks AP-6 first"
expect_out '^\| hop \| old data \| what the fix does \|$' "markdown tabulates the forward trace"

# Without logs and code the symptom alone still ranks; without a topology there is no trace.
run debug "websocket disconnect marks the job as failed" "$TMP" --no-code --format json
expect_json "d['hypotheses'][0]['rule'] == 'AP-3' and d['trace'] == [] and d['component'] is None" "symptom alone, no topology: AP-3, no trace"
run debug "nothing to see here" "$TMP" --no-code --format json
expect_json "d['hypotheses'] == [] and d['matches'] == []" "an unrelated symptom gives no hypothesis"

# Usage errors.
run debug
expect_rc 2 "debug without a symptom exits 2"
run debug "x" "$TMP/nope"
expect_rc 2 "a missing project folder exits 2"
run debug "x" "$vp" --component nobody --no-code
expect_rc 2 "an unknown component exits 2"
expect_err "no component 'nobody' in the topology; known: frontend, engine-api" "the known components are listed"
finish
