#!/usr/bin/env bash
# The scan's limits (docs/limits.md) are configurable on the command line and
# in .dist-architect/config.yaml (flags win), bad values are errors naming
# file:line:column, and every limit hit is reported with the limit.
# --no-prefilter: the nesting limit is met only by parsing (docs/prefilter.md).
. "$(dirname "$0")/lib.sh"

R=$TMP/repo
mkdir -p "$R/.dist-architect" "$R/src"
printf 'def release(w):\n    w.status = "idle"\n' >"$R/src/ok.py"
python3 -c "print('x = \"' + 'a' * 5000 + '\"')" >"$R/src/wide.py"
python3 -c "print('def f():\n    return ' + '(' * 300 + '1' + ')' * 300)" >"$R/src/nested.py"

run check --all --no-prefilter --no-progress "$R"
expect_rc 0 "defaults: exit 0"
expect_no_out '^skipped' "defaults: nothing skipped"

cat >"$R/.dist-architect/config.yaml" <<'YAML'
limits:
  max-file-size: 4K
  max-line-length: 1KiB
  max-nesting: 100
YAML
run check --all --no-prefilter --no-progress "$R"
expect_rc 0 "config limits: exit 0"
expect_out 'too large: src/wide\.py \(5007 bytes, over the 4096-byte limit\)' "config max-file-size applies"
expect_out 'nested too deep \(facts partial\): src/nested\.py \(over 100 levels at line 2' "config max-nesting applies"
expect_out 'ok\.py:1-2 release\(\)' "config limits: the plain file is read"

run check --all --no-prefilter --no-progress --max-file-size 1M "$R"
expect_out 'line too long: src/wide\.py \(line 1 is 5006 bytes, over the 1024-byte limit\)' \
	"--max-file-size wins over the config; the config's line limit still applies"
run check --all --no-prefilter --no-progress --max-file-size 1M --max-line-length 1M --max-nesting 5000 "$R"
expect_no_out '^skipped' "flags raise every limit over the config"

run check --all --no-prefilter --no-progress --format json "$R"
expect_json "d['summary']['skipped']['too large'] == 1 and d['summary']['skipped']['nested too deep (facts partial)'] == 1" \
	"json: each limit hit is counted by reason"

printf 'limits:\n  max-file-size: lots\n' >"$R/.dist-architect/config.yaml"
run check --all --no-prefilter --no-progress "$R"
expect_rc 2 "a bad size: exit 2"
expect_err "config\.yaml:2:18: error: 'max-file-size' is 'lots' \(expected a size in bytes above 0" "a bad size: file:line:column"
printf 'limits:\n  max-nesting: 4K\n' >"$R/.dist-architect/config.yaml"
run check --all --no-prefilter --no-progress "$R"
expect_rc 2 "a nesting with a unit: exit 2"
expect_err "config\.yaml:2:16: error: 'max-nesting' is '4K' \(expected a whole number" "a bad nesting: file:line:column"
printf 'limits:\n  max-depth: 10\n' >"$R/.dist-architect/config.yaml"
run check --all --no-prefilter --no-progress "$R"
expect_rc 2 "an unknown limit: exit 2"
expect_err "config\.yaml:2:3: error: .*max-depth" "an unknown limit is named with its position"
rm "$R/.dist-architect/config.yaml"

run check --all --no-prefilter --max-file-size 0 "$R"
expect_rc 2 "--max-file-size 0: exit 2"
expect_err "--max-file-size expects a size in bytes above 0" "--max-file-size 0: said"
run check --all --no-prefilter --max-line-length 12Q "$R"
expect_rc 2 "--max-line-length 12Q: exit 2"
expect_err "--max-line-length expects a size in bytes above 0 .*not '12Q'" "a bad unit: said"
finish
