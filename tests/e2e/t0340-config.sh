#!/usr/bin/env bash
# .dist-architect/config.yaml: rules on/off, severity overrides, excluded
# paths, fail-on; flags override it; every mistake is an error with
# file:line:column and exit 2.
. "$(dirname "$0")/lib.sh"

ex=$TMP/vp
cp -r "$DISTARCH_SRC/examples/video-platform" "$ex"
mkdir -p "$ex/.dist-architect"
cfg=$ex/.dist-architect/config.yaml

cat >"$cfg" <<'Y'
version: 1
rules:
  AP-5: off
  AP-1: warning
  AP-4: { severity: note }
  AP-3:
    enabled: false
exclude:
  - engine/consumer.py
fail-on: never
Y
run check --all --format json "$ex"
expect_rc 0 "fail-on: never from the config"
expect_json 'sorted((f["rule"], f["severity"]) for f in d["findings"]) == [("AP-1", "warning"), ("AP-4", "note"), ("AP-6", "warning")]' \
	"AP-3 and AP-5 off, AP-1 and AP-4 re-levelled, AP-2 (in an excluded file) gone"
expect_json 'not any(b["path"] == "engine/consumer.py" for b in d["boundaries"])' "an excluded file is not checked"
run check --all --format json "$ex" --fail-on warning
expect_rc 1 "--fail-on on the command line overrides the config"
sed -i 's/^fail-on: never/fail-on: note/' "$cfg"
run check --all --format json "$ex"
expect_rc 1 "fail-on: note fails on a note"

# Globs: a folder and a pattern without '/'.
printf 'exclude:\n  - gpu_worker/\n  - "ws_*.py"\n' >"$cfg"
run check --all --format json --fail-on never "$ex"
expect_json '[f["rule"] for f in d["findings"]] == ["AP-2"]' "excluded folder and name pattern"

# --config FILE elsewhere.
printf 'rules:\n  AP-2: off\n' >"$TMP/other.yaml"
run check --all --format json --fail-on never --config "$TMP/other.yaml" "$ex"
expect_json 'not any(f["rule"] == "AP-2" for f in d["findings"]) and len(d["findings"]) == 5' "--config names another file (instead of the default)"
run check --all --config "$TMP/nope.yaml" "$ex"
expect_rc 2 "a missing --config exits 2"

# Mistakes: each is named at its position.
bad() { # bad YAML REGEX DESC
	printf '%b' "$1" >"$cfg"
	run check --all "$ex"
	expect_rc 2 "$3: exit 2"
	expect_err "$2" "$3"
}
bad 'rules:\n  AP-1: off\nfail_on: never\n' "config.yaml:3:1: error: unknown key 'fail_on' in the config" "an unknown top-level key"
bad 'rules:\n  AP-1: { enabled: no, level: note }\n' "config.yaml:2:24: error: unknown key 'level'" "an unknown key in a rule's settings"
bad 'rules:\n  AP-77: off\n' "config.yaml:2:3: error: unknown rule 'AP-77'" "an unknown rule"
bad 'rules:\n  AP-1: critical\n' "config.yaml:2:9: error: unknown severity 'critical'" "an unknown severity"
bad 'rules:\n  AP-1: [off]\n' "config.yaml:2:9: error: the setting of AP-1 is a list" "a setting of the wrong type"
bad 'rules:\n  AP-1: off\n  ap-1: on\n' "config.yaml:3:3: error: rule ap-1 is set twice" "a rule set twice"
bad 'fail-on: sometimes\n' "config.yaml:1:10: error: unknown 'fail-on' level 'sometimes'" "a bad fail-on"
bad 'exclude: {a: b}\n' "config.yaml:1:10: error: 'exclude' is a mapping" "exclude must be a list"
bad 'version: 2\n' "config.yaml:1:10: error: unsupported config version '2'" "an unknown version"
bad 'rules: [AP-1\n' "config.yaml:[0-9]+:[0-9]+: error: yaml syntax error" "a YAML syntax error"
bad '- a\n- b\n' "config.yaml:1:1: error: the config is a list" "a config that is not a mapping"
printf '' >"$cfg"
run check --all --fail-on never "$ex"
expect_rc 0 "an empty config is no settings"
finish
