#!/usr/bin/env bash
# The bundled example holds one of each anti-pattern, at the lines its
# README names; the fixed variant (the example with
# examples/video-platform-fixed.patch applied) holds none.
. "$(dirname "$0")/lib.sh"

ex=$TMP/video-platform
cp -r "$DISTARCH_SRC/examples/video-platform" "$ex"
run check --all --format json --fail-on never "$ex"
expect_rc 0 "check on the example with --fail-on never exits 0"
expect_json 'sorted((f["rule"], f["location"]["path"], f["location"]["line"]) for f in d["findings"]) == [
	("AP-1", "engine/ws_server.py", 114),
	("AP-2", "engine/consumer.py", 56),
	("AP-3", "gpu_worker/runner.py", 63),
	("AP-4", "gpu_worker/health_monitor.py", 59),
	("AP-5", "gpu_worker/comfy_client.py", 46),
	("AP-6", "gpu_worker/main.py", 69)]' "the six anti-patterns, each once, at the README's lines"
expect_json 'all(f["evidence"] and f["related"] and f["help"] for f in d["findings"])' \
	"every finding has evidence, related locations and a catalog pointer"
expect_json '[s for f in d["findings"] if f["rule"] == "AP-1" for s in f["evidence"] if s.startswith("tick")][:3] and len([s for f in d["findings"] if f["rule"] == "AP-1" for s in f["evidence"] if s.startswith("tick")]) == 3' \
	"AP-1 carries the 3-tick trace"
expect_json 'any("36" in f["message"] for f in d["findings"] if f["rule"] == "AP-5")' "AP-5 multiplies the layers"

# Layer 2: the checklists answer from the code what the code can answer.
expect_json 'any(q["id"] == "SM-1" and q["answered"] and "engine/dispatcher.py:66" in q["answer"] and "dispatches" in q["answer"]
	for c in d["checklists"] if c["path"] == "engine/ws_server.py" and c["start_line"] <= 114 <= c["end_line"] for q in c["questions"])' \
	"the state-mutation checklist names the dispatcher that observes the IDLE write"
expect_json 'any(c["module"] == "concurrency" and c["pass"] == 2 for c in d["checklists"] if c["path"] == "engine/ws_server.py")' \
	"pass 2 (concurrency) runs for the 1 side of the dispatcher -> workers edge"
expect_json 'all(b["pass2"]["why"].startswith("skipped") for b in d["boundaries"] if b["component"] == "gpu-worker")' \
	"pass 2 is skipped, with the reason, for the N side"
expect_json 'any(not q["answered"] for c in d["checklists"] for q in c["questions"]) and len(d["quick_validation"]) >= 3' \
	"open questions stay open and the quick validation closes the report"
run check --all --format markdown --fail-on never "$ex"
for h in "## Anti-pattern matches" "## Boundaries crossed \\(pass 1\\)" "## Components involved" "## Checklists" \
	 "## Does the topology need updating?" "## Quick validation \\(open questions\\)"; do
	expect_out "^$h" "the markdown report has '$h'"
done

run check --all "$ex"
expect_rc 1 "error findings make check exit 1 by default"
run check --all --fail-on never "$ex"
expect_rc 0 "--fail-on never exits 0"

# Each finding names the lines the README gives for it.
for line in "engine/ws_server.py:114" "engine/consumer.py:56" "gpu_worker/runner.py:63" \
	    "gpu_worker/health_monitor.py:59" "gpu_worker/comfy_client.py:46" "gpu_worker/main.py:69"; do
	grep -q "$line" "$ex/README.md" || fail "the example README does not name $line"
done

(cd "$ex" && git apply -p1 "$DISTARCH_SRC/examples/video-platform-fixed.patch") || fail "the fixed patch applies"
run check --all --format json "$ex"
expect_rc 0 "the fixed variant exits 0"
expect_json 'd["findings"] == []' "the fixed variant has no finding"
expect_json 'd["summary"]["regions_with_signals"] > 0' "the fixed variant still crosses boundaries (layer 1 still reports)"

finish
