#!/usr/bin/env bash
# `distarch mcp`: a real session over stdin/stdout (tests/e2e/mcp_session.py)
# on a git copy of the example with an uncommitted change that acks a
# message before its payload is stored (AP-2), and a symlink out of it.
. "$(dirname "$0")/lib.sh"

proj=$TMP/proj
cp -R "$DISTARCH_SRC/examples/video-platform" "$proj"
make_git_repo "$proj" >/dev/null 2>&1 || git -C "$proj" init -q -b main
commit_all "$proj" init
sed -i '56s/$/  # acked at once/' "$proj/engine/consumer.py"
git -C "$proj" diff >"$TMP/change.patch"
mv "$TMP/change.patch" "$proj/change.patch"
ln -s /etc "$proj/escape"
# an incident's logs (untracked, so the uncommitted change stays the one above)
mkdir -p "$proj/incident"
cp "$DISTARCH_SRC"/tests/data/logs/ap1/json/*.log "$proj/incident/"
printf 'incident/\n' >>"$proj/.git/info/exclude"

if python3 "$DISTARCH_SRC/tests/e2e/mcp_session.py" "$DISTARCH" "$proj"; then
	pass "the MCP session"
else
	fail "the MCP session"
fi

run mcp extra-arg
expect_rc 2 "mcp takes no arguments"
run mcp --root "$TMP/nowhere"
expect_rc 2 "a missing root is bad usage"
expect_err "nowhere" "the error names the root"
finish
