#!/usr/bin/env bash
# `distarch hook install`: the git pre-commit hook, written where git looks
# (core.hooksPath included), idempotent, never clobbering a foreign hook
# without --force; and it blocks a commit that adds a finding.
. "$(dirname "$0")/lib.sh"

repo=$TMP/repo
cp -R "$DISTARCH_SRC/examples/video-platform" "$repo"
make_git_repo "$repo" && commit_all "$repo" init
hook=$repo/.git/hooks/pre-commit

cd "$repo" || exit 1
run hook install
expect_rc 0 "install into a fresh repository"
expect_out "wrote .*\.git/hooks/pre-commit" "it says where"
if [ -x "$hook" ] && grep -q 'distarch-hook' "$hook" && grep -q 'check --staged' "$hook"; then
	pass "the hook is executable and runs check --staged"; else fail "the hook is executable and runs check --staged"; fi
cp "$hook" "$TMP/first"
run hook install
expect_rc 0 "install again"
expect_out "installed already" "install again: nothing to do"
if cmp -s "$hook" "$TMP/first"; then pass "install again: same file"; else fail "install again: same file"; fi

# It blocks a commit that acks before storing, and lets a clean one through.
sed -i '56s/$/  # acked/' engine/consumer.py
git add engine/consumer.py
rc=0; git commit -q -m bad >"$out" 2>"$err" || rc=$?
expect_rc 1 "a commit that adds an AP-2 is blocked"
expect_err "AP-2" "and the hook says why (git shows hook output on stderr)"
git checkout -q HEAD -- engine/consumer.py
echo "# notes" >>README.md
git add README.md
rc=0; git commit -q -m ok >"$out" 2>"$err" || rc=$?
expect_rc 0 "a harmless commit goes through"

# A foreign hook is kept unless --force, and then kept aside.
printf '#!/bin/sh\necho mine\n' >"$hook"
run hook install
expect_rc 2 "a foreign hook is not overwritten"
expect_err "not written by distarch.*--force" "the error says what to do"
if grep -q mine "$hook"; then pass "the foreign hook is untouched"; else fail "the foreign hook is untouched"; fi
run hook install --force
expect_rc 0 "--force replaces it"
if grep -q mine "$repo/.git/hooks/pre-commit.before-distarch" && grep -q distarch-hook "$hook"; then
	pass "and keeps the old one as pre-commit.before-distarch"; else fail "and keeps the old one as pre-commit.before-distarch"; fi

# core.hooksPath, relative to the top of the work tree, from a subfolder.
git config core.hooksPath .githooks
cd engine || exit 1
run hook install
expect_rc 0 "install with core.hooksPath"
if [ -x "$repo/.githooks/pre-commit" ]; then pass "the hook goes to core.hooksPath"; else fail "the hook goes to core.hooksPath"; fi
cd "$TMP" || exit 1

mkdir -p "$TMP/plain"
cd "$TMP/plain" || exit 1
run hook install
expect_rc 2 "outside git: bad usage"
expect_err "not in a git work tree" "outside git: it says so"

run hook
expect_rc 2 "hook without a subcommand"
run hook frobnicate
expect_rc 2 "an unknown hook"
finish
