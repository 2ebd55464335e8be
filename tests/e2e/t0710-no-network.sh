#!/usr/bin/env bash
# distarch never opens a network connection. Every command runs with the
# noconnect shim preloaded (tests/support/noconnect.c): an Internet socket,
# a connect(2) to an Internet address or a host-name lookup aborts the
# process with a message. Where strace is installed, the same commands run
# under it too, which also sees what glibc does internally; where an
# unprivileged user+network namespace is allowed, once more without any
# network at all.
. "$(dirname "$0")/lib.sh"

NOCONNECT=${DISTARCH_NOCONNECT:-$(dirname "$DISTARCH")/tests/libnoconnect.so}
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
if [ ! -f "$NOCONNECT" ]; then
	fail "the noconnect shim ($NOCONNECT) is built"
	finish; exit
fi

# The shim itself: it must catch what it claims to catch (or this test proves nothing).
rc=0; LD_PRELOAD=$NOCONNECT python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM)' \
	>"$out" 2>"$err" || rc=$?
if [ "$rc" -ne 0 ] && grep -q 'noconnect: network access attempted: socket(AF_INET)' "$err"; then
	pass "control: the shim aborts an AF_INET socket"; else fail "control: the shim aborts an AF_INET socket"; fi
rc=0; LD_PRELOAD=$NOCONNECT python3 -c 'import socket; socket.getaddrinfo("example.com", 80)' \
	>"$out" 2>"$err" || rc=$?
if [ "$rc" -ne 0 ] && grep -q 'noconnect: network access attempted: example.com' "$err"; then
	pass "control: the shim aborts a host-name lookup"; else fail "control: the shim aborts a host-name lookup"; fi
rc=0; LD_PRELOAD=$NOCONNECT python3 -c 'import socket; a, b = socket.socketpair(); a.send(b"x"); assert b.recv(1) == b"x"' \
	>"$out" 2>"$err" || rc=$?
expect_rc 0 "control: local sockets still work under the shim"

# A repository with a remote, a change in the working tree and one staged.
repo=$TMP/vp
cp -R "$DISTARCH_SRC/examples/video-platform" "$repo"
make_git_repo "$repo" && commit_all "$repo" init
git -C "$repo" remote add origin https://example.com/video-platform.git
git -C "$repo" config http.proxy http://127.0.0.1:9
echo "# touched" >>"$repo/engine/consumer.py"
echo "# staged" >>"$repo/common/__init__.py" 2>/dev/null || echo "# staged" >"$repo/common/staged.py"
git -C "$repo" add -A common
logs=$DISTARCH_SRC/tests/data/logs/ap3/json

# Each command once; "$@" gets the runner (shim, strace, namespace).
commands() {
	"$@" -C "$repo" check
	"$@" -C "$repo" check --staged --format json
	"$@" -C "$repo" check --all --format sarif
	"$@" -C "$repo" check --diff HEAD
	"$@" -C "$repo" design
	"$@" -C "$repo" topology check
	"$@" -C "$repo" debug "jobs fail" --logs "$logs/engine.log" --logs "$logs/worker.log"
	"$@" -C "$repo" catalog list
	"$@" -C "$repo" init --dry-run
	"$@" -C "$repo" mcp <"$TMP/mcp.in"
}
cat >"$TMP/mcp.in" <<'EOF'
{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
{"jsonrpc":"2.0","id":2,"method":"tools/list"}
{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"dist_check","arguments":{"all":true}}}
{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"dist_design","arguments":{}}}
{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"dist_debug","arguments":{"symptom":"jobs fail"}}}
{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"catalog_get","arguments":{}}}
{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"topology_show","arguments":{}}}
EOF

# check_one RUNNER ARGS...: the command ran to its end (0 or 1: each has
# something to report here; never 2 or a signal) and the shim said nothing.
with_shim() { LD_PRELOAD=$NOCONNECT "$DISTARCH" "$@"; }
n=0
check_one() {
	n=$((n + 1))
	rc=0
	"$@" >"$out" 2>"$err" || rc=$?
	if [ "$rc" -le 1 ] && ! grep -q 'noconnect:' "$err"; then pass "no network ($1): ${*:4}"
	else fail "no network ($1): ${*:4}"; fi
}
commands check_one with_shim </dev/null
# The MCP session answered every request (the tools really ran).
if [ "$(grep -c '"id"' "$out")" -ge 7 ] && grep -q '"id": *3' "$out"; then pass "the MCP session answered under the shim"
else fail "the MCP session answered under the shim"; fi

# strace sees the system calls themselves, glibc's own included.
if command -v strace >/dev/null && strace -f -qq -e trace=none true 2>/dev/null; then
	with_strace() {
		strace -f -qq -o "$TMP/strace.$n" -e trace=socket,connect "$DISTARCH" "$@"
	}
	commands check_one with_strace </dev/null
	if grep -hE 'socket\(AF_INET6?|connect\(.*AF_INET6?' "$TMP"/strace.* >"$TMP/inet"; then
		fail "strace: no Internet socket in any command"; sed 's/^/  | /' "$TMP/inet" | head
	else pass "strace: no Internet socket in any command"; fi
else
	echo "# skipped: strace is not available"
fi

# Without any network at all (a new, empty network namespace).
if unshare -rn true 2>/dev/null; then
	without_net() { unshare -rn "$DISTARCH" "$@"; }
	commands check_one without_net </dev/null
else
	echo "# skipped: no unprivileged user+network namespace here"
fi

finish
