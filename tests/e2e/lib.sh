# Shared helpers for the end-to-end tests (after git's t/test-lib.sh).
# Each test script sources this, runs `expect_*` checks, and ends with
# `finish`, which prints "N passed, N failed" and exits non-zero on failure.
#
#   run ARGS...        runs $DISTARCH with ARGS; sets $out, $err (files) and $rc
#   expect_rc N DESC   the last run exited N
#   expect_out RE DESC / expect_err RE DESC / expect_no_out RE DESC
#   expect_cmp EXPECTED_FILE DESC   stdout equals the file (diff shown on failure)
#   make_git_repo DIR  an empty repository with an identity
set -u
: "${DISTARCH:?DISTARCH must point at the distarch binary}"
: "${DISTARCH_SRC:?DISTARCH_SRC must point at the source tree}"
export NO_COLOR=1
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com

TMP=$(mktemp -d "${TMPDIR:-/tmp}/distarch-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
out=$TMP/stdout
err=$TMP/stderr
rc=0
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() {
	failed=$((failed + 1))
	echo "not ok - $1"
	echo "  --- last command exited $rc; stdout:"; sed 's/^/  | /' "$out" | head -40
	echo "  --- stderr:"; sed 's/^/  | /' "$err" | head -20
}

run() {
	rc=0
	"$DISTARCH" "$@" >"$out" 2>"$err" </dev/null || rc=$?
}
run_stdin() { # run_stdin FILE ARGS...
	local in=$1; shift
	rc=0
	"$DISTARCH" "$@" >"$out" 2>"$err" <"$in" || rc=$?
}

expect_rc() { if [ "$rc" -eq "$1" ]; then pass "$2"; else fail "$2 (expected exit $1)"; fi; }
expect_out() { if grep -Eq -- "$1" "$out"; then pass "$2"; else fail "$2 (stdout lacks /$1/)"; fi; }
expect_no_out() { if grep -Eq -- "$1" "$out"; then fail "$2 (stdout has /$1/)"; else pass "$2"; fi; }
expect_err() { if grep -Eq -- "$1" "$err"; then pass "$2"; else fail "$2 (stderr lacks /$1/)"; fi; }
expect_empty_out() { if [ -s "$out" ]; then fail "$1 (stdout not empty)"; else pass "$1"; fi; }
expect_cmp() {
	if diff -u "$1" "$out" >"$TMP/diff"; then pass "$2"; else
		fail "$2 (differs from $1)"; sed 's/^/  /' "$TMP/diff" | head -60
		if [ -n "${DISTARCH_UPDATE_GOLDEN:-}" ]; then cp "$out" "$1"; echo "  updated $1"; fi
	fi
}
# A JSON check through python3 (present on every machine distarch is tested on).
expect_json() { # expect_json PYTHON_EXPR DESC  (expr over `d`, the parsed stdout)
	if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" "$out" 2>"$TMP/pyerr"; then
		pass "$2"; else fail "$2 (json: $1)"; sed 's/^/  /' "$TMP/pyerr" | tail -3; fi
}

make_git_repo() {
	mkdir -p "$1" && git -C "$1" init -q -b main
}
commit_all() { # commit_all DIR MESSAGE
	git -C "$1" add -A && git -C "$1" commit -q -m "$2"
}

# edit_compare DIR FILE WHAT SED-SCRIPT: FILE edited in place (sed -E), the
# test's own `compare DIR WHAT` run, the file put back from git.
edit_compare() {
	sed -i -E "$4" "$1/$2"
	compare "$1" "$3"
	git -C "$1" checkout -q -- "$2"
}

# related_lines REPORT.json: "PATH LINE" of every line a finding points at
# in another file than its own, once each.
related_lines() {
	python3 - "$1" <<'PY'
import json, sys
seen = set()
for f in json.load(open(sys.argv[1]))["findings"]:
    home = f["location"]["path"]
    for r in f.get("related", []):
        if r["path"] != home and (r["path"], r["line"]) not in seen:
            seen.add((r["path"], r["line"]))
            print(r["path"], r["line"])
PY
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
