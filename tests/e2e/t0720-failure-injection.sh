#!/usr/bin/env bash
# Failure injection on the main paths: a failed allocation, a failed write
# of the report (a full disk), a full disk under the files distarch writes,
# an unreadable topology or config. Each ends with a clear error and exit
# status 2, never a signal, and never a partial report that exits 0 or 1
# as if it were whole.
. "$(dirname "$0")/lib.sh"

proj=$TMP/nh
cp -R "$DISTARCH_SRC/examples/notify-hub" "$proj"
vp=$TMP/vp
cp -R "$DISTARCH_SRC/examples/video-platform" "$vp"

# --- allocations: DISTARCH_FAIL_ALLOC_AFTER=N fails the Nth (src/base/alloc.h) ---
run -q check --all "$proj" --format json
expect_rc 1 "the reference run finds the example's defects"
cp "$out" "$TMP/reference.json"

# oom_sweep DESC ARGS...: N = 1..12, then growing by half until a run no
# longer reaches the Nth allocation. Every run: exit 2 with the message, or
# the reference exit status with the reference report, byte for byte.
oom_sweep() {
	local desc=$1; shift
	local want_rc=$rc n=1 bad=0 hit=0 runs=0
	while [ "$n" -lt 100000000 ]; do
		rc=0
		DISTARCH_FAIL_ALLOC_AFTER=$n "$DISTARCH" "$@" >"$TMP/oom.out" 2>"$TMP/oom.err" </dev/null || rc=$?
		runs=$((runs + 1))
		if [ "$rc" -eq 2 ] && grep -q '^distarch: error: out of memory' "$TMP/oom.err"; then
			hit=$((hit + 1))
		elif [ "$rc" -eq "$want_rc" ] && cmp -s "$TMP/oom.out" "$TMP/reference.out" &&
			! grep -q 'out of memory' "$TMP/oom.err"; then
			break # past the last allocation: the whole report
		else
			bad=$((bad + 1))
			echo "  # N=$n: exit $rc, $(wc -c <"$TMP/oom.out") bytes out; stderr: $(tail -c 300 "$TMP/oom.err")"
		fi
		if [ "$n" -lt 12 ]; then n=$((n + 1)); else n=$((n + n / 2)); fi
	done
	if [ "$bad" -eq 0 ] && [ "$hit" -gt 0 ] && [ "$n" -lt 100000000 ]; then
		pass "$desc: $hit failed allocations end cleanly with exit 2, then the full report ($runs runs)"
	else fail "$desc: $bad runs crashed, hung or printed a partial report as whole"; fi
}
cp "$TMP/reference.json" "$TMP/reference.out"; rc=1
oom_sweep "check --all under failing allocations" -q check --all "$proj" --format json

run -q -C "$vp" design --format json
cp "$out" "$TMP/reference.out"
oom_sweep "design under failing allocations" -q -C "$vp" design --format json

logs=$DISTARCH_SRC/tests/data/logs/ap3/json
run -q -C "$vp" debug "jobs fail" --format json --logs "$logs/engine.log" --logs "$logs/worker.log"
cp "$out" "$TMP/reference.out"
oom_sweep "debug --logs under failing allocations" -q -C "$vp" debug "jobs fail" --format json \
	--logs "$logs/engine.log" --logs "$logs/worker.log"

# --- the report to a full disk (stdout on /dev/full) ---
full_stdout() { # full_stdout DESC ARGS...
	local desc=$1; shift
	rc=0
	"$DISTARCH" "$@" >/dev/full 2>"$err" </dev/null || rc=$?
	if [ "$rc" -eq 2 ] && grep -q 'write error on stdout, the report is incomplete: No space left on device' "$err"
	then pass "$desc to a full disk: exit 2, write error"; else fail "$desc to a full disk: exit 2, write error"; fi
}
if [ -w /dev/full ]; then
	full_stdout "check --format json" check --all "$proj" --format json
	full_stdout "check --format sarif" check --all "$proj" --format sarif
	full_stdout "check (text)" check --all "$proj"
	full_stdout "design" -C "$vp" design
	full_stdout "debug" -C "$vp" debug "jobs fail" --logs "$logs/engine.log"
	full_stdout "catalog list" catalog list
	full_stdout "topology check" -C "$vp" topology check
	full_stdout "init --dry-run" -C "$vp" init --dry-run
	full_stdout "--version" --version
else
	echo "# skipped: no /dev/full"
fi
# A device is never replaced by a file (rename(2) would do it).
run check --all "$proj" --write-baseline /dev/full
expect_rc 2 "--write-baseline /dev/full exits 2"
expect_err "/dev/full: cannot write it: not a regular file" "and says it is no regular file"
if [ -c /dev/full ]; then pass "/dev/full is still a device"; else fail "/dev/full is still a device"; fi

# --- a really full disk under the files distarch writes (a 1 MiB tmpfs) ---
if unshare -rm sh -c 'mount -t tmpfs -o size=1m none "$1"' sh "$TMP" 2>/dev/null; then
	on_full_disk() { # on_full_disk SCRIPT: run in a namespace with $TMP/disk a full 1 MiB tmpfs
		mkdir -p "$TMP/disk"
		rc=0
		unshare -rm sh -c 'mount -t tmpfs -o size=1m none "$0/disk" && eval "$1"' "$TMP" "$1" \
			>"$out" 2>"$err" </dev/null || rc=$?
	}
	# A project on the small disk with a topology and an old baseline; a filler eats the rest.
	setup='cp -R "$0/vp" "$0/disk/p" && printf "old\n" >"$0/disk/p/base.json" &&
		(head -c 4000000 /dev/zero >"$0/disk/fill" 2>/dev/null || true)'
	on_full_disk "$setup"' && "$DISTARCH" -C "$0/disk/p" check --all --write-baseline base.json;
		rc=$?; cat "$0/disk/p/base.json" >&2; ls -a "$0/disk/p" >&2; exit $rc'
	expect_rc 2 "--write-baseline on a full disk exits 2"
	expect_err "base.json: cannot write it: (write|fsync) failed: No space left on device" "the error says the disk is full"
	expect_err "^old$" "the old baseline is intact"
	if grep -q '\.tmp\.' "$err"; then fail "no temporary file left on the full disk"
	else pass "no temporary file left on the full disk"; fi
	on_full_disk "$setup"' && "$DISTARCH" -C "$0/disk/p" init --force; rc=$?;
		cmp "$0/vp/.dist-architect/topology.yaml" "$0/disk/p/.dist-architect/topology.yaml" >&2 && echo same >&2; exit $rc'
	expect_rc 2 "init --force on a full disk exits 2"
	expect_err "^same$" "the old topology is intact"
	on_full_disk "$setup"' && "$DISTARCH" -C "$0/disk/p" debug "the same gpu-worker fails every job in a row" --capture'
	expect_rc 2 "debug --capture on a full disk exits 2"
	expect_err "LOCAL-1.md: cannot write it|_drafts: cannot create the folder" "the draft's error names it"
else
	echo "# skipped: the full-disk cases (no user+mount namespace for a small tmpfs)"
fi

# --- reads: an unreadable topology or config is an error, not a default ---
# Root reads anything: as root, run as an unprivileged user in a user namespace.
as_user() {
	if [ "$(id -u)" -ne 0 ]; then "$DISTARCH" "$@"
	else unshare -U --map-user=1 --map-group=1 "$DISTARCH" "$@"; fi
}
if [ "$(id -u)" -ne 0 ] || unshare -U --map-user=1 --map-group=1 true 2>/dev/null; then
	chmod 000 "$vp/.dist-architect/topology.yaml"
	rc=0; as_user -C "$vp" check --all >"$out" 2>"$err" </dev/null || rc=$?
	expect_rc 2 "check with an unreadable topology exits 2"
	expect_err "topology.yaml: cannot open: Permission denied" "the error names the topology"
	expect_empty_out "no report without the topology"
	rc=0; as_user -C "$vp" design >"$out" 2>"$err" </dev/null || rc=$?
	expect_rc 2 "design with an unreadable topology exits 2"
	chmod 644 "$vp/.dist-architect/topology.yaml"
	printf 'fail-on: warning\n' >"$vp/.dist-architect/config.yaml"
	chmod 000 "$vp/.dist-architect/config.yaml"
	rc=0; as_user -C "$vp" check --all >"$out" 2>"$err" </dev/null || rc=$?
	expect_rc 2 "check with an unreadable config exits 2"
	expect_err "config.yaml: cannot open: Permission denied" "the error names the config"
	rm -f "$vp/.dist-architect/config.yaml"
	# A source file that cannot be read is a counted skip; the rest goes on.
	chmod 000 "$vp/engine/consumer.py"
	rc=0; as_user -C "$vp" check --all --format json >"$out" 2>"$err" </dev/null || rc=$?
	chmod 644 "$vp/engine/consumer.py"
	if [ "$rc" -le 1 ]; then pass "an unreadable source file does not stop the scan"
	else fail "an unreadable source file does not stop the scan"; fi
	expect_json "any(s['path'] == 'engine/consumer.py' for s in d['skipped']) and sum(d['summary']['skipped'].values()) >= 1" \
		"it is listed and counted as skipped"
else
	echo "# skipped: unreadable files (root without user namespaces)"
fi
mkdir "$TMP/dir.yaml"
run -C "$vp" check --all --topology "$TMP/dir.yaml"
expect_rc 2 "a folder as the topology exits 2"
expect_err "dir.yaml: is a directory" "and says so"

finish
