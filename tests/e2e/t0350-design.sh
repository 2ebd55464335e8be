#!/usr/bin/env bash
# distarch design and topology graph: the review in every format on the
# bundled example, --compare, --fail-on and --retry-budget, bad input, and
# golden diagrams (regenerate with DISTARCH_UPDATE_GOLDEN=1, review the diff).
. "$(dirname "$0")/lib.sh"

golden=$DISTARCH_SRC/tests/e2e/golden
opts=$DISTARCH_SRC/tests/data/topology/options
mkdir -p "$TMP/vp/.dist-architect"
cp "$DISTARCH_SRC/examples/video-platform/.dist-architect/topology.yaml" "$TMP/vp/.dist-architect/"

run -C "$TMP/vp" design
expect_rc 0 "design on the example exits 0 (warnings are below the default --fail-on error)"
expect_out '^\.dist-architect/topology.yaml:16:5: warning \[TOPO-SPOF\] engine-api is a single instance' "the SPOF is located at its component"
expect_out '\[TOPO-BOTTLENECK\] engine-dispatcher is one instance' "gpu-worker -> engine-dispatcher is a bottleneck"
expect_out '\[TOPO-LOOP\] feedback loop engine-dispatcher -> redis -> engine-dispatcher: does it converge' "the requeue loop is found"
expect_out 'worst case 4 attempts' "the retry product along the worst path"
expect_out '^unknowns that would change the answers:' "the unknowns are listed"
expect_no_out 'TOPO-SPOF\] s3' "a managed service is not a SPOF"

run -C "$TMP/vp" design --fail-on warning
expect_rc 1 "--fail-on warning exits 1 on the example"

run -C "$TMP/vp" design --format json
expect_rc 0 "design --format json exits 0"
expect_json 'd["version"] == 1 and all(set(f) >= {"rule", "severity", "message", "location", "evidence"} for f in d["findings"])' "findings follow the JSON contract"
expect_json 'd["summary"]["spofs"] == 4 and d["summary"]["loops"] == 2 and d["summary"]["worst_retry_product"] == 4' "the summary has the figures"
expect_json 'all(f["location"]["line"] > 0 and f["location"]["path"].endswith("topology.yaml") for f in d["findings"])' "every finding points into the topology file"
expect_json 'len(d["topology"]["relationships"]) == 11 and d["unknowns"]' "relationships and unknowns are there"

run -C "$TMP/vp" design --format markdown
expect_rc 0 "design --format markdown exits 0"
expect_out '^```mermaid$' "markdown embeds the mermaid diagram"
expect_out '^### TOPO-SPOF' "markdown has the findings"
expect_out '^## Unknowns that would change the answers' "markdown has the unknowns"

run design --topology "$opts/a-direct.yaml" --retry-budget 20
expect_no_out 'up to 12 attempts' "a larger --retry-budget keeps a product of 12 under it"
run design --topology "$opts/a-direct.yaml"
expect_out 'warning \[TOPO-RETRY-AMP\] up to 12 attempts' "12 attempts are over the default budget of 10"
run design --topology "$opts/a-direct.yaml" --retry-budget 0
expect_rc 2 "--retry-budget 0 is bad usage"

run design --compare "$opts/a-direct.yaml" "$opts/b-queue.yaml"
expect_rc 0 "design --compare exits 0"
expect_out 'single points of failure +2 \(api, db\) +1 \(db\)' "SPOFs side by side"
expect_out 'lowest worst-case retry product: B \(1; A 12\)' "what each option is best for"
expect_out '^  B against A: removes single points of failure api; removes loops api -> worker -> api' "the trades"
run design --compare "$opts/a-direct.yaml" "$opts/b-queue.yaml" --format json
expect_json 'len(d["options"]) == 2 and d["options"][0]["spof_components"] == ["api", "db"] and d["trades"]' "compare in JSON"
run design --compare "$opts/a-direct.yaml"
expect_rc 2 "--compare needs two files"

run -C "$TMP" design
expect_rc 2 "no topology file: exit 2"
expect_err 'no topology: .dist-architect/topology.yaml does not exist' "and says which file"

cat >"$TMP/bad.yaml" <<'YAML'
components:
  - {name: api, count: 1}
entities:
  job:
    owner: api
    states: [queued, done]
    transitions:
      - {from: queued, to: finished, actor: api}
YAML
run design --topology "$TMP/bad.yaml"
expect_rc 2 "a transition to an unknown state is bad input"
expect_err 'bad.yaml:8:28: error: unknown state .finished. in transition .to:. of entity .job.' "with file:line:column"

for fmt in mermaid dot; do
	run -C "$TMP/vp" topology graph --format "$fmt"
	expect_rc 0 "topology graph --format $fmt exits 0"
	expect_cmp "$golden/video-platform.graph.$fmt" "topology graph --format $fmt matches the golden diagram"
done
run -C "$TMP/vp" topology graph --plain
expect_no_out 'classDef' "--plain marks nothing"
PATH=/nonexistent "$DISTARCH" -C "$TMP/vp" topology graph --format svg >"$out" 2>"$err" </dev/null && rc=0 || rc=$?
expect_rc 2 "svg without Graphviz on PATH exits 2"
expect_err 'needs Graphviz.s `dot` on PATH' "and says what is missing"

finish
