#!/usr/bin/env bash
# Safe writes (src/base/fileio.h): every file distarch writes goes through a
# temporary file and rename(2), only inside the project or where the user
# named it; a symlink out of the project is refused before anything is
# created; a failed write (read-only folder, full disk, failed fsync, close
# or rename) exits 2 with a clear error, the old file intact and no
# temporary file left behind.
. "$(dirname "$0")/lib.sh"

FAILIO=${DISTARCH_FAILIO:-$(dirname "$DISTARCH")/tests/libfailio.so}
# An ASan build wants its runtime first; a preloaded shim is fine here.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

outside=$TMP/outside
mkdir -p "$outside"
nothing_outside() { # nothing_outside DESC: the folder outside the project stays as it was
	if [ -z "$(find "$outside" -mindepth 1 -newer "$TMP/stamp" -print -quit)" ] &&
		[ "$(find "$outside" -mindepth 1 | wc -l)" -eq "$1" ]; then pass "$2"; else
		fail "$2"; find "$outside" | sed 's/^/  | /'; fi
}
no_temp_files() { # no_temp_files DIR DESC
	if find "$1" -name '*.tmp.*' | grep -q .; then fail "$2"; find "$1" -name '*.tmp.*' | sed 's/^/  | /'
	else pass "$2"; fi
}

# A project whose .dist-architect is a symlink to a folder outside it.
proj=$TMP/vp
cp -R "$DISTARCH_SRC/examples/video-platform" "$proj"
mv "$proj/.dist-architect" "$outside/da"
ln -s "$outside/da" "$proj/.dist-architect"
make_git_repo "$proj" && commit_all "$proj" init
touch "$TMP/stamp"; sleep 1
before=$(find "$outside" -mindepth 1 | wc -l)

run -C "$proj" init --force
expect_rc 2 "init through a symlinked .dist-architect: refused"
expect_err "refusing to write .*symlink.*outside the project root" "init: the error names the symlink"
nothing_outside "$before" "init: nothing written outside the project"

run -C "$proj" debug "the same gpu-worker fails every job in a row" --capture
expect_rc 2 "debug --capture through the symlink: refused"
expect_err "refusing to write .*_drafts.*outside the project root" "debug --capture: the error names the drafts folder"
nothing_outside "$before" "debug --capture: no drafts folder created outside"

run -C "$proj" check --all --write-baseline .dist-architect/baseline.json
expect_rc 2 "--write-baseline into the symlinked folder: refused"
expect_err "refusing to write .dist-architect/baseline.json" "--write-baseline: the error names the file"
nothing_outside "$before" "--write-baseline: nothing written outside"

# Any folder of the project, not only .dist-architect.
ln -s "$outside" "$proj/reports"
run -C "$proj" check --all --write-baseline reports/baseline.json
expect_rc 2 "--write-baseline into a symlinked folder of the project: refused"
nothing_outside "$before" "the symlinked folder gets nothing"
rm "$proj/reports"

# A path the user names outside the project is theirs to name.
run -C "$proj" check --all --write-baseline "$outside/named.json"
if [ "$rc" -le 1 ] && [ -s "$outside/named.json" ]; then pass "--write-baseline to a path named outside: written"
else fail "--write-baseline to a path named outside: written"; fi
no_temp_files "$outside" "no temporary file next to it"
rm -f "$outside/named.json"

# The MCP server reads only inside its root: not through a symlinked
# .dist-architect, nor a config or catalog entry that is a symlink out.
mcp_call() { # mcp_call ROOT TOOL: one tools/call, the answer in $out
	printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{}}}' \
		"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"$2\",\"arguments\":{}}}" \
		>"$TMP/mcp.in"
	run_stdin "$TMP/mcp.in" mcp --root "$1"
}
for tool in topology_show dist_design catalog_get dist_check; do
	mcp_call "$proj" $tool
	if grep -q '"isError": *true' "$out" && grep -q 'leads outside the project root' "$out"; then
		pass "mcp $tool: refused through a symlinked .dist-architect"
	else fail "mcp $tool: refused through a symlinked .dist-architect"; fi
done
mcp_proj=$TMP/mcp
cp -R "$DISTARCH_SRC/examples/video-platform" "$mcp_proj"
mcp_call "$mcp_proj" topology_show
if grep -q '"id": *2' "$out" && ! grep -q '"isError": *true' "$out"; then pass "mcp: a plain project is served"
else fail "mcp: a plain project is served"; fi
printf 'fail-on: note\n' >"$outside/config.yaml"
ln -s "$outside/config.yaml" "$mcp_proj/.dist-architect/config.yaml"
mcp_call "$mcp_proj" dist_check
if grep -q '"isError": *true' "$out" && grep -q 'config.yaml leads outside the project root' "$out"; then
	pass "mcp: a config symlinked out of the project is refused"
else fail "mcp: a config symlinked out of the project is refused"; fi
rm "$mcp_proj/.dist-architect/config.yaml" "$outside/config.yaml"

# git hooks: .git/hooks a symlink out of the work tree is refused too.
rm -rf "$proj/.git/hooks"
mkdir "$outside/hooks"
ln -s "$outside/hooks" "$proj/.git/hooks"
touch "$TMP/stamp"; sleep 1
before=$(find "$outside" -mindepth 1 | wc -l)
run -C "$proj" hook install
expect_rc 2 "hook install through a symlinked hooks folder: refused"
nothing_outside "$before" "hook install: nothing written outside"
# ... while core.hooksPath naming that folder is the user's choice.
git -C "$proj" config core.hooksPath "$outside/hooks"
run -C "$proj" hook install
expect_rc 0 "hook install into core.hooksPath outside the work tree"
if [ -x "$outside/hooks/pre-commit" ]; then pass "the hook is created executable (no chmod after the rename)"
else fail "the hook is created executable (no chmod after the rename)"; fi
no_temp_files "$outside/hooks" "no temporary file in the hooks folder"

# A plain project: writes succeed, atomically, and leave no temporary file.
plain=$TMP/plain
cp -R "$DISTARCH_SRC/examples/video-platform" "$plain"
rm -rf "$plain/.dist-architect"
run -C "$plain" init
expect_rc 0 "init in a plain project"
topo=$plain/.dist-architect/topology.yaml
cp "$topo" "$TMP/topo.orig"
run -C "$plain" check --all --write-baseline .dist-architect/baseline.json
if [ "$rc" -le 1 ] && [ -s "$plain/.dist-architect/baseline.json" ]; then pass "a baseline inside the project"
else fail "a baseline inside the project"; fi
cp "$plain/.dist-architect/baseline.json" "$TMP/base.orig"
no_temp_files "$plain" "no temporary file after the writes"

intact() { # intact FILE ORIG DESC
	if cmp -s "$1" "$2"; then pass "$3"; else fail "$3"; fi
}

# A read-only folder: a clear error, exit 2, the old file intact. Root
# writes anyway, so as root the folder is made read-only by a read-only
# bind mount in a user and mount namespace, where the system allows one.
readonly_run() { # readonly_run DIR ARGS...: run distarch with DIR read-only
	local dir=$1; shift
	rc=0
	if [ "$(id -u)" -ne 0 ]; then
		chmod a-w "$dir"
		"$DISTARCH" "$@" >"$out" 2>"$err" </dev/null || rc=$?
		chmod u+w "$dir"
	else
		unshare -rm sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"' \
			sh "$dir" "$DISTARCH" "$@" >"$out" 2>"$err" </dev/null || rc=$?
	fi
}
if [ "$(id -u)" -ne 0 ] || unshare -rm sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"' sh "$TMP" 2>/dev/null; then
	readonly_run "$plain/.dist-architect" -C "$plain" init --force
	expect_rc 2 "init --force into a read-only folder exits 2"
	expect_err "topology.yaml: cannot write it: cannot create a temporary file in .*(Permission denied|Read-only file system)" \
		"the error names the file and the reason"
	intact "$topo" "$TMP/topo.orig" "the old topology is intact"
	no_temp_files "$plain" "no temporary file left in the read-only folder"
else
	echo "# skipped: the read-only folder case (root without user namespaces)"
fi

# Failures injected in each step of the temporary-file-and-rename path.
if [ -f "$FAILIO" ]; then
	for op in write fsync close rename; do
		rc=0
		FAILIO_OP=$op FAILIO_MATCH=.dist-architect/ LD_PRELOAD=$FAILIO \
			"$DISTARCH" -C "$plain" init --force >"$out" 2>"$err" </dev/null || rc=$?
		expect_rc 2 "init --force with $op failing (ENOSPC) exits 2"
		expect_err "topology.yaml: cannot write it: $op failed: No space left on device \(the file is left as it was\)" \
			"$op failing: the error says which step failed"
		intact "$topo" "$TMP/topo.orig" "$op failing: the old topology is intact"
		no_temp_files "$plain" "$op failing: no temporary file left"
	done
	rc=0
	FAILIO_OP=write FAILIO_ERRNO=EIO FAILIO_MATCH=baseline.json LD_PRELOAD=$FAILIO \
		"$DISTARCH" -C "$plain" check --all --write-baseline .dist-architect/baseline.json \
		>"$out" 2>"$err" </dev/null || rc=$?
	expect_rc 2 "--write-baseline with an I/O error exits 2"
	expect_err "baseline.json: cannot write it: write failed: Input/output error" "the baseline error names the file"
	expect_empty_out "no report is printed after the baseline failed"
	intact "$plain/.dist-architect/baseline.json" "$TMP/base.orig" "the old baseline is intact"

	rc=0
	FAILIO_OP=rename FAILIO_MATCH=_drafts LD_PRELOAD=$FAILIO \
		"$DISTARCH" -C "$plain" debug "the same gpu-worker fails every job in a row" --capture \
		>"$out" 2>"$err" </dev/null || rc=$?
	expect_rc 2 "debug --capture with the rename failing exits 2"
	if ! find "$plain/.dist-architect" -name 'LOCAL-*' | grep -q .; then pass "no draft half-written"
	else fail "no draft half-written"; fi
	no_temp_files "$plain" "debug --capture: no temporary file left"
else
	fail "the failio shim ($FAILIO) is built"
fi

finish
