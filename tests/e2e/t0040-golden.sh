#!/usr/bin/env bash
# Golden outputs: `check --all` on the bundled example in text, JSON and
# Markdown, compared byte for byte. After an intended change of output,
# regenerate with DISTARCH_UPDATE_GOLDEN=1 and review the diff.
. "$(dirname "$0")/lib.sh"

golden=$DISTARCH_SRC/tests/e2e/golden
ex=$TMP/video-platform
cp -r "$DISTARCH_SRC/examples/video-platform" "$ex"   # outside any git tree: --all by path

for fmt in text json markdown; do
	run -C "$TMP" check --all --format "$fmt" --no-progress --fail-on never video-platform
	expect_rc 0 "check --all --format $fmt on the example exits 0"
	expect_cmp "$golden/video-platform.$fmt" "check --all --format $fmt matches the golden output"
done

run -C "$TMP" check --all --format json --fail-on never video-platform
expect_json 'all(set(b) >= {"path", "start_line", "end_line", "component", "signals", "edges"} for b in d["boundaries"])' \
	"every boundary has path, lines, component, signals and edges"
expect_json 'all(s["signal"] in ("state-mutation", "data-lifecycle", "failure-mode", "interaction") and s["line"] > 0 and s["column"] > 0 for b in d["boundaries"] for s in b["signals"])' \
	"every signal has a known name and a 1-based position"
expect_json '{b["component"] for b in d["boundaries"]} >= {"engine-api", "engine-dispatcher", "gpu-worker"}' \
	"components come from the topology paths"
expect_json 'd["summary"]["skipped"]["no front-end yet"] == 0 and d["topology"]["components"] == 8' \
	"the summary counts skips and the topology"

finish
