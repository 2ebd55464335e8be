#!/usr/bin/env bash
# Hostile trees (issue 9): symlink loops, symlinks leading outside the
# repository (never read), files that cannot be read, files that vanish
# between the listing and the read. Each is a skip with its reason in the
# summary (text and JSON); the rest of the scan goes on. Plain folders and
# git repositories list files differently, so both are tried.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"

OUT=$TMP/outside
mkdir -p "$OUT"
printf 'def leak(w):\n    w.status = "SECRET_OUTSIDE"\n' >"$OUT/secret.py"

make_tree() { # make_tree DIR
	mkdir -p "$1/src/sub"
	printf 'def release(w):\n    w.status = "idle"\n' >"$1/src/ok.py"
	ln -s loop_b.py "$1/src/loop_a.py"                  # a loop of two links
	ln -s loop_a.py "$1/src/loop_b.py"
	ln -s .. "$1/src/sub/up"                            # a folder loop: never walked
	ln -s "$OUT/secret.py" "$1/src/secret.py"           # a file outside
	ln -s "$OUT" "$1/src/ext"                           # a folder outside
	ln -s ok.py "$1/src/alias.py"                       # a file inside
	ln -s nowhere.py "$1/src/dangling.py"
}

check_tree() { # check_tree LABEL DIR
	bounded 60 200 check --all --no-progress "$2"
	expect_rc 0 "$1: check --all exits 0"
	expect_bounded "$1: bounded"
	expect_out 'ok\.py:1-2 release\(\)' "$1: the plain file is read"
	expect_no_out 'SECRET_OUTSIDE' "$1: nothing outside the repository is read"
	expect_out 'symlink outside the repository: .*src/ext \(symlink to [^)]*outside, outside the repository: not read\)' \
		"$1: the folder link leading outside is reported"
	expect_out 'src/secret\.py \(symlink to [^)]*secret\.py, outside the repository: not read\)' \
		"$1: the file link leading outside is reported"
	expect_out 'src/loop_a\.py \(symlink to loop_b\.py: a symlink loop, not followed\)' "$1: a symlink loop is reported"
	expect_out 'src/dangling\.py \(symlink to nowhere\.py: nothing there, not followed\)' "$1: a dangling symlink is reported"
	expect_out 'src/alias\.py \(symlink to ok\.py: not followed' "$1: a link inside the tree is not followed"
	bounded 60 200 check --all --no-progress --format json "$2"
	expect_json_skip 'symlink outside the repository' 'src/secret\.py' "$1: json lists the outside link"
	expect_json_skip 'symlink' 'src/loop_a\.py' "$1: json lists the loop"
}

P=$TMP/plain
make_tree "$P"
check_tree "plain folder" "$P"

G=$TMP/git
make_git_repo "$G"
make_tree "$G"
commit_all "$G" "links"
check_tree "git repository" "$G"

# a patch naming a path through a symlinked folder: not followed out of the tree
cat >"$TMP/through.diff" <<'DIFF'
--- a/src/ext/secret.py
+++ b/src/ext/secret.py
@@ -1,2 +1,2 @@
 def leak(w):
-    w.status = "x"
+    w.status = "SECRET_OUTSIDE"
DIFF
bounded 60 200 check --no-progress --patch "$TMP/through.diff" "$P"
expect_rc 0 "a patch through a symlinked folder exits 0"
expect_no_out 'SECRET_OUTSIDE|leak\(\)' "the file behind the symlinked folder is not read"
expect_out 'symlink outside the repository: src/ext/secret\.py \(a folder on its path is a symlink, outside the repository: not read\)' \
	"the path through the symlinked folder is reported"

# 7. a file that vanished between the listing and the read (a patch names a file that is gone)
cat >"$TMP/gone.diff" <<'DIFF'
--- a/src/gone.py
+++ b/src/gone.py
@@ -1 +1 @@
-x = 1
+x = 2
DIFF
bounded 60 200 check --no-progress --patch "$TMP/gone.diff" "$P"
expect_rc 0 "a patch naming a vanished file exits 0"
expect_out 'skipped: 1 file, vanished: src/gone\.py \(listed, but gone when read\)' "the vanished file is reported"

# 6. files that cannot be read: a FIFO named .py (open must not block), a
# folder named .py in a patch, and (when not root) chmod 000 on a file and a folder
U=$TMP/unreadable
mkdir -p "$U/src/dir.py"
printf 'def release(w):\n    w.status = "idle"\n' >"$U/src/ok.py"
mkfifo "$U/src/pipe.py"
bounded 60 200 check --all --no-progress "$U"
expect_rc 0 "a FIFO named .py: exit 0"
expect_bounded "a FIFO named .py: no hang"
expect_out 'unreadable: src/pipe\.py \(a FIFO, not a regular file\)' "the FIFO is reported as unreadable"
expect_out 'ok\.py:1-2 release\(\)' "the plain file next to the FIFO is read"
cat >"$TMP/dir.diff" <<'DIFF'
--- a/src/dir.py
+++ b/src/dir.py
@@ -1 +1 @@
-x = 1
+x = 2
DIFF
bounded 60 200 check --no-progress --patch "$TMP/dir.diff" "$U"
expect_out 'unreadable: src/dir\.py \(a folder, not a regular file\)' "a folder named .py in a patch is unreadable"
if [ "$(id -u)" -eq 0 ]; then
	echo "# running as root: chmod 000 does not stop root, so the chmod assertions are skipped (the FIFO stands in)"
else
	printf 'x = 1\n' >"$U/src/locked.py"
	chmod 000 "$U/src/locked.py"
	mkdir -p "$U/src/closed" && printf 'x = 1\n' >"$U/src/closed/in.py" && chmod 000 "$U/src/closed"
	bounded 60 200 check --all --no-progress "$U"
	chmod 755 "$U/src/closed"
	expect_rc 0 "unreadable file and folder: exit 0"
	expect_out 'src/locked\.py \(Permission denied\)' "the chmod 000 file is reported"
	expect_out 'src/closed/ \(a folder that cannot be listed\)' "the chmod 000 folder is reported"
fi
finish
