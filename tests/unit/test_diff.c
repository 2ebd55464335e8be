/*
 * diff_parse over real diff shapes (git diff, diff -u, format-patch,
 * git log -p), with the exact hunks expected, and malformed diffs that must
 * fail with a message naming the line. Also changed_file_touches.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "source/changes.h"

/*
 * One line per file: status letter, path, "<- old" for renames, then each
 * hunk as start,count/old_start,old_count.
 */
static char *dump(const struct changeset *cs)
{
	static const char letters[] = { 'M', 'A', 'D', 'R', 'W' };
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < cs->files.len; i++) {
		const struct changed_file *f = &cs->files.items[i];
		strbuf_addf(&sb, "%c %s", letters[f->status], f->path);
		if (f->old_path)
			strbuf_addf(&sb, " <- %s", f->old_path);
		for (size_t j = 0; j < f->hunks.len; j++) {
			const struct hunk *h = &f->hunks.items[j];
			strbuf_addf(&sb, " %u,%u/%u,%u", h->start, h->count, h->old_start,
				    h->old_count);
		}
		strbuf_addch(&sb, '\n');
	}
	return strbuf_detach(&sb, NULL);
}

static char *parse_dump(const char *text, size_t len)
{
	struct changeset cs;
	changeset_init(&cs);
	int rc = diff_parse(&cs, "t.diff", text, len);
	if (rc) {
		changeset_release(&cs);
		return NULL;
	}
	char *out = dump(&cs);
	changeset_release(&cs);
	return out;
}

struct case_ {
	const char *name;
	const char *diff;
	const char *expect;
};

static const struct case_ cases[] = {
	{ "git modify with context: only the changed runs",
	  "diff --git a/app.py b/app.py\n"
	  "index 1111111..2222222 100644\n"
	  "--- a/app.py\n"
	  "+++ b/app.py\n"
	  "@@ -1,7 +1,7 @@ def main():\n"
	  " line1\n"
	  " line2\n"
	  "-line3\n"
	  "+LINE3\n"
	  "+line3b\n"
	  " line4\n"
	  " line5\n"
	  " line6\n"
	  "-line7\n",
	  "M app.py 3,2/3,1 7,0/7,1\n" },
	{ "git -U0 pure deletion and pure addition",
	  "diff --git a/f.py b/f.py\n"
	  "--- a/f.py\n"
	  "+++ b/f.py\n"
	  "@@ -5,2 +4,0 @@\n"
	  "-a\n"
	  "-b\n"
	  "@@ -10,0 +9,3 @@ class X:\n"
	  "+c\n"
	  "+d\n"
	  "+e\n"
	  "@@ -1 +0,0 @@\n"
	  "-top\n",
	  "M f.py 4,0/5,2 9,3/10,0 0,0/1,1\n" },
	{ "diff -u with timestamps keeps unprefixed names",
	  "diff -u old/server.py new/server.py\n"
	  "--- old/server.py\t2024-01-01 10:00:00.000000000 +0000\n"
	  "+++ new/server.py\t2024-01-02 10:00:00.000000000 +0000\n"
	  "@@ -10,3 +10,4 @@\n"
	  " a\n"
	  "+b\n"
	  " c\n"
	  " d\n"
	  "Only in new: extra.py\n"
	  "--- plain.py\n"
	  "+++ plain.py\n"
	  "@@ -3,2 +3,2 @@\n"
	  "-x\n"
	  "+y\n"
	  " z\n",
	  "M new/server.py 11,1/10,0\nM plain.py 3,1/3,1\n" },
	{ "format-patch mail with preamble, diffstat and signature",
	  "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
	  "From: T <t@t>\n"
	  "Date: Mon, 1 Jan 2024 00:00:00 +0000\n"
	  "Subject: [PATCH] fix retry\n"
	  "\n"
	  "+this line of the message is not a diff line\n"
	  "---\n"
	  " worker.py | 2 +-\n"
	  " 1 file changed, 1 insertion(+), 1 deletion(-)\n"
	  "\n"
	  "diff --git a/worker.py b/worker.py\n"
	  "index 1111111..2222222 100644\n"
	  "--- a/worker.py\n"
	  "+++ b/worker.py\n"
	  "@@ -5 +5 @@ def run():\n"
	  "-    retry(3)\n"
	  "+    retry(5)\n"
	  "-- \n"
	  "2.39.5\n"
	  "\n"
	  "From 1123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\n"
	  "Subject: [PATCH 2/2] more\n"
	  "\n"
	  "---\n"
	  " api.py | 1 +\n"
	  "\n"
	  "diff --git a/api.py b/api.py\n"
	  "--- a/api.py\n"
	  "+++ b/api.py\n"
	  "@@ -2,0 +3 @@\n"
	  "+    log()\n"
	  "-- \n"
	  "2.39.5\n",
	  "M worker.py 5,1/5,1\nM api.py 3,1/2,0\n" },
	{ "rename with changes, names with spaces and git's trailing tab",
	  "diff --git a/old name.py b/new name.py\n"
	  "similarity index 50%\n"
	  "rename from old name.py\n"
	  "rename to new name.py\n"
	  "index 422c2b7..ce54b7f 100644\n"
	  "--- a/old name.py\t\n"
	  "+++ b/new name.py\t\n"
	  "@@ -1,2 +1,4 @@\n"
	  " a\n"
	  " b\n"
	  "+x\n"
	  "+y\n",
	  "R new name.py <- old name.py 3,2/2,0\n" },
	{ "pure rename has no hunks",
	  "diff --git a/pkg/a.py b/pkg/b.py\n"
	  "similarity index 100%\n"
	  "rename from pkg/a.py\n"
	  "rename to pkg/b.py\n",
	  "R pkg/b.py <- pkg/a.py\n" },
	{ "binary files: no hunks, then a text file",
	  "diff --git a/img.png b/img.png\n"
	  "index 1111111..2222222 100644\n"
	  "Binary files a/img.png and b/img.png differ\n"
	  "diff --git a/logo.png b/logo.png\n"
	  "new file mode 100644\n"
	  "index 0000000..1234567\n"
	  "GIT binary patch\n"
	  "literal 10\n"
	  "RcmZ?wbhEHbRA4Y>00sgA0RR91\n"
	  "\n"
	  "literal 0\n"
	  "HcmV?d00001\n"
	  "\n"
	  "diff --git a/old.bin b/old.bin\n"
	  "deleted file mode 100644\n"
	  "index 1111111..0000000\n"
	  "Binary files a/old.bin and /dev/null differ\n"
	  "diff --git a/t.py b/t.py\n"
	  "--- a/t.py\n"
	  "+++ b/t.py\n"
	  "@@ -1 +1 @@\n"
	  "-a\n"
	  "+b\n",
	  "M img.png\nA logo.png\nD old.bin\nM t.py 1,1/1,1\n" },
	{ "plain diff binary line",
	  "Binary files x/a.bin and y/a.bin differ\n",
	  "M y/a.bin\n" },
	{ "no newline at end of file",
	  "diff --git a/c.txt b/c.txt\n"
	  "--- a/c.txt\n"
	  "+++ b/c.txt\n"
	  "@@ -1,2 +1,2 @@\n"
	  " a\n"
	  "-b\n"
	  "\\ No newline at end of file\n"
	  "+b\n"
	  "\\ No newline at end of file\n",
	  "M c.txt 2,1/2,1\n" },
	{ "CRLF line endings",
	  "diff --git a/w.py b/w.py\r\n"
	  "index 1111111..2222222 100644\r\n"
	  "--- a/w.py\r\n"
	  "+++ b/w.py\r\n"
	  "@@ -1,3 +1,3 @@\r\n"
	  " a\r\n"
	  "-b\r\n"
	  "+B\r\n"
	  " c\r\n",
	  "M w.py 2,1/2,1\n" },
	{ "quoted paths with octal escapes",
	  "diff --git \"a/t\\303\\251st.py\" \"b/t\\303\\251st.py\"\n"
	  "index 1111111..2222222 100644\n"
	  "--- \"a/t\\303\\251st.py\"\t\n"
	  "+++ \"b/t\\303\\251st.py\"\t\n"
	  "@@ -1 +1 @@\n"
	  "-a\n"
	  "+b\n"
	  "diff --git \"a/tab\\there\" \"b/tab\\there\"\n"
	  "old mode 100644\n"
	  "new mode 100755\n",
	  "M t\xc3\xa9st.py 1,1/1,1\nM tab\there\n" },
	{ "added file, and an empty added file",
	  "diff --git a/new.py b/new.py\n"
	  "new file mode 100644\n"
	  "index 0000000..e69de29\n"
	  "--- /dev/null\n"
	  "+++ b/new.py\n"
	  "@@ -0,0 +1,2 @@\n"
	  "+a\n"
	  "+b\n"
	  "diff --git a/empty.py b/empty.py\n"
	  "new file mode 100644\n"
	  "index 0000000..e69de29\n",
	  "A new.py\nA empty.py\n" },
	{ "deleted file",
	  "diff --git a/gone.py b/gone.py\n"
	  "deleted file mode 100644\n"
	  "index 1111111..0000000\n"
	  "--- a/gone.py\n"
	  "+++ /dev/null\n"
	  "@@ -1,2 +0,0 @@\n"
	  "-a\n"
	  "-b\n",
	  "D gone.py\n" },
	{ "--no-prefix keeps the names",
	  "diff --git src/x.py src/x.py\n"
	  "--- src/x.py\n"
	  "+++ src/x.py\n"
	  "@@ -1 +1 @@\n"
	  "-a\n"
	  "+b\n",
	  "M src/x.py 1,1/1,1\n" },
	{ "git log -p: indented messages between commits",
	  "commit 0123456789abcdef0123456789abcdef01234567\n"
	  "Author: T <t@t>\n"
	  "\n"
	  "    second\n"
	  "\n"
	  "diff --git a/a.py b/a.py\n"
	  "--- a/a.py\n"
	  "+++ b/a.py\n"
	  "@@ -1,0 +2 @@\n"
	  "+x\n"
	  "\n"
	  "commit 1123456789abcdef0123456789abcdef01234567\n"
	  "Author: T <t@t>\n"
	  "\n"
	  "    first\n"
	  "\n"
	  "diff --git a/b.py b/b.py\n"
	  "--- a/b.py\n"
	  "+++ b/b.py\n"
	  "@@ -3 +3 @@\n"
	  "-y\n"
	  "+z\n",
	  "M a.py 2,1/1,0\nM b.py 3,1/3,1\n" },
	{ "empty context line stripped by a mailer; a '-- ' deleted line inside a hunk",
	  "diff --git a/m.py b/m.py\n"
	  "--- a/m.py\n"
	  "+++ b/m.py\n"
	  "@@ -1,4 +1,3 @@\n"
	  " a\n"
	  "\n"
	  "--- \n"
	  " c\n",
	  "M m.py 2,0/3,1\n" },
	{ "hunk with only context yields no hunks", /* odd but valid */
	  "--- a/k.py\n"
	  "+++ b/k.py\n"
	  "@@ -1,2 +1,2 @@\n"
	  " a\n"
	  " b\n",
	  "M k.py\n" },
	{ "nothing that looks like a diff",
	  "just some text\n+ even this\n- and this\n",
	  "" },
	{ "empty input", "", "" },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = parse_dump(cases[i].diff, strlen(cases[i].diff));
		if (!got || strcmp(got, cases[i].expect))
			print_error("case '%s':\nexpected:\n%sgot:\n%s\n", cases[i].name,
				    cases[i].expect, got ? got : "(error)\n");
		assert_non_null(got);
		assert_string_equal(got, cases[i].expect);
		free(got);
	}
}

static void test_wide_context(void **state)
{
	/* 50 context lines around two added ones: one 2-line hunk, nothing else */
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "diff --git a/big.py b/big.py\n--- a/big.py\n+++ b/big.py\n"
			   "@@ -100,50 +100,52 @@\n");
	for (int i = 0; i < 25; i++)
		strbuf_addf(&sb, " ctx%d\n", i);
	strbuf_addstr(&sb, "+new1\n+new2\n");
	for (int i = 25; i < 50; i++)
		strbuf_addf(&sb, " ctx%d\n", i);
	char *got = parse_dump(sb.buf, sb.len);
	assert_non_null(got);
	assert_string_equal(got, "M big.py 125,2/124,0\n");
	free(got);
	strbuf_release(&sb);
}

/* Run diff_parse with stderr captured; returns rc, *msg gets stderr. */
static int parse_capture(const char *text, size_t len, char **msg, struct changeset *cs)
{
	char tmpl[] = "/tmp/test_diff_errXXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	int rc = diff_parse(cs, "t.diff", text, len);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(tmpl);
	*msg = strdup(buf);
	return rc;
}

struct bad {
	const char *diff;
	const char *where;  /* "t.diff:LINE:" */
	const char *phrase;
};

static const struct bad bads[] = {
	{ "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n",
	  "t.diff:7:", "expected 1 more lines" },
	{ "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n"
	  "diff --git a/y b/y\n",
	  "t.diff:8:", "expected 1 more lines" },
	{ "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+c\n",
	  "t.diff:7:", "after the hunk at line 4" },
	{ "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n-b\n+c\n",
	  "t.diff:6:", "malformed hunk" },
	{ "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -x +1 @@\n-a\n",
	  "t.diff:4:", "malformed hunk header" },
	{ "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1\n-a\n",
	  "t.diff:4:", "malformed hunk header" },
	{ "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,4294967295 +1 @@\n-a\n",
	  "t.diff:4:", "malformed hunk header" },
	{ "diff --git a/x b/x\n+foo\n", "t.diff:2:", "outside a hunk" },
	{ "diff --git a/x b/x\n--- \"a/x\n+++ b/x\n", "t.diff:2:", "quoted" },
	{ "diff --git a/x b/x\n--- \"a/\\q\"\n+++ b/x\n", "t.diff:2:", "quoted" },
	{ "@@ -1 +1 @@\n-a\n+b\n", "t.diff:1:", "before any file header" },
	{ "diff --git a/x b/x\n--- /dev/null\n+++ /dev/null\n", "t.diff:1:", "both added and deleted" },
	{ "diff --git \n", "t.diff:1:", "cannot find the file name" },
};

static void test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct changeset cs;
		changeset_init(&cs);
		/* what the caller had stays, nothing half-parsed is added */
		changeset_add(&cs, "keep.py", CHANGE_WHOLE);
		char *msg;
		int rc = parse_capture(bads[i].diff, strlen(bads[i].diff), &msg, &cs);
		if (rc != -1 || !strstr(msg, bads[i].where) || !strstr(msg, bads[i].phrase))
			print_error("bad case %zu: rc %d, message: %s\n", i, rc, msg);
		assert_int_equal(rc, -1);
		assert_non_null(strstr(msg, bads[i].where));
		assert_non_null(strstr(msg, bads[i].phrase));
		assert_int_equal(cs.files.len, 1);
		assert_string_equal(cs.files.items[0].path, "keep.py");
		free(msg);
		changeset_release(&cs);
	}
}

static void test_huge_lines_linear(void **state)
{
	/* 64 MB in two lines: a quadratic scan would not finish */
	(void)state;
	size_t big = (size_t)32 << 20;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "diff --git a/");
	strbuf_addchars(&sb, 'n', big);
	strbuf_addstr(&sb, " b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+");
	strbuf_addchars(&sb, 'p', big);
	strbuf_addstr(&sb, "\n");
	clock_t t0 = clock();
	char *got = parse_dump(sb.buf, sb.len);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_non_null(got);
	assert_string_equal(got, "M x 1,1/1,1\n");
	assert_true(secs < 5.0);
	free(got);

	/* a 32 MB line with no newline at all, in a hunk, fails cleanly */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n ");
	strbuf_addchars(&sb, 'q', big);
	struct changeset cs;
	changeset_init(&cs);
	char *msg;
	assert_int_equal(parse_capture(sb.buf, sb.len, &msg, &cs), -1);
	assert_non_null(strstr(msg, "t.diff:4:"));
	assert_true(strlen(msg) < 400); /* the line is not echoed */
	free(msg);
	changeset_release(&cs);
	strbuf_release(&sb);
}

static void test_nul_bytes(void **state)
{
	(void)state;
	static const char text[] = "diff --git a/x\0y b/x\0y\n--- a/x\0\n+++ b/x\0\n@@ -1 +1 @@\n-\0\n+\0\n";
	struct changeset cs;
	changeset_init(&cs);
	char *msg;
	int rc = parse_capture(text, sizeof(text) - 1, &msg, &cs);
	assert_int_equal(rc, 0);
	assert_int_equal(cs.files.len, 1);
	assert_string_equal(cs.files.items[0].path, "x");
	free(msg);
	changeset_release(&cs);
}

static void test_touches(void **state)
{
	(void)state;
	struct changeset cs;
	changeset_init(&cs);
	struct changed_file *f = changeset_add(&cs, "m.py", CHANGE_MODIFIED);
	*VEC_PUSH(&f->hunks) = (struct hunk){ .start = 10, .count = 3 };  /* 10..12 */
	*VEC_PUSH(&f->hunks) = (struct hunk){ .start = 20, .count = 0 };  /* gap after 20 */
	assert_false(changed_file_touches(f, 1, 9));
	assert_true(changed_file_touches(f, 1, 10));
	assert_true(changed_file_touches(f, 12, 12));
	assert_false(changed_file_touches(f, 13, 19));
	assert_true(changed_file_touches(f, 20, 20));
	assert_true(changed_file_touches(f, 21, 30));
	assert_false(changed_file_touches(f, 22, 30));
	assert_false(changed_file_touches(f, 12, 10)); /* empty range */

	f = changeset_add(&cs, "top.py", CHANGE_RENAMED);
	*VEC_PUSH(&f->hunks) = (struct hunk){ .start = 0, .count = 0 }; /* deleted at the top */
	assert_true(changed_file_touches(f, 1, 1));
	assert_false(changed_file_touches(f, 2, 5));

	f = changeset_add(&cs, "w.py", CHANGE_WHOLE);
	assert_true(changed_file_touches(f, 5, 5));
	f = changeset_add(&cs, "a.py", CHANGE_ADDED);
	assert_true(changed_file_touches(f, 5, 5));
	f = changeset_add(&cs, "d.py", CHANGE_DELETED);
	assert_false(changed_file_touches(f, 1, 100));
	f = changeset_add(&cs, "bin.png", CHANGE_MODIFIED);
	assert_false(changed_file_touches(f, 1, 100));

	changeset_sort(&cs);
	assert_string_equal(cs.files.items[0].path, "a.py");
	assert_string_equal(cs.files.items[5].path, "w.py");
	changeset_release(&cs);
	assert_int_equal(cs.files.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_wide_context),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_huge_lines_linear),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_touches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
