#!/usr/bin/env bash
# distarch topology check|show on the original template, extensions and broken files.
. "$(dirname "$0")/lib.sh"

tpl=$DISTARCH_SRC/tests/data/topology/template.yaml
cmp -s "$tpl" "$DISTARCH_SRC/../shared/topology-template.yaml" 2>/dev/null ||
	[ ! -f "$DISTARCH_SRC/../shared/topology-template.yaml" ] ||
	fail "tests/data/topology/template.yaml is not the original template"

run topology check "$tpl"
expect_rc 0 "the original template is valid"
expect_out '3 components, 3 relationships, 1 convergence points' "the template has 3 components and 3 relationships"

run topology show "$tpl"
expect_rc 0 "topology show exits 0"
expect_out '^  1:N +example-api -> example-worker via Redis Streams' "api -> worker is 1:N"
expect_out '^  N:1 +example-worker -> example-api via WebSocket' "worker -> api is N:1"
expect_out '^  1:1 +example-api -> example-db' "api -> db is 1:1"

run topology show --format json "$tpl"
expect_json 'len(d["components"]) == 3 and [r["cardinality"] for r in d["relationships"]] == ["1:N", "N:1", "1:1"]' \
	"topology show --format json gives the cardinalities"

cat >"$TMP/bad.yaml" <<'YAML'
components:
  - name: api
    count: 1 (fixed)
  - name: worker
    count: many-ish
relationships:
  - from: api
    to: wrker
    via: HTTP
YAML
run topology check "$TMP/bad.yaml"
expect_rc 2 "a broken topology exits 2"
expect_err "bad.yaml:5:12: error: .*many-ish" "an unparseable count is reported at file:line:column"
expect_err "bad.yaml:8:9: error: .*wrker" "an unknown component is reported at file:line:column"
expect_empty_out "nothing on stdout for a broken topology"

run topology check "$TMP/missing.yaml"
expect_rc 2 "a missing topology file exits 2"
expect_err 'missing.yaml' "a missing topology file is named"

mkdir -p "$TMP/proj/.dist-architect"
cp "$tpl" "$TMP/proj/.dist-architect/topology.yaml"
run -C "$TMP/proj" topology show
expect_rc 0 "the default topology path is .dist-architect/topology.yaml"

run topology frob
expect_rc 2 "an unknown topology subcommand exits 2"

finish
