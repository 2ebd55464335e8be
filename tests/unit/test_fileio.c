/*
 * Safe writes (src/base/fileio.h): temporary file and rename, modes, no
 * temporary file left, confinement to the project root through symlinks,
 * refusal to replace what is not a regular file, errno kept on failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/fileio.h"
#include "base/strbuf.h"

static char tmp[64];
static char root[128], outside[128];

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/distarch-fileio.XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(root, sizeof(root), "%s/root", tmp);
	snprintf(outside, sizeof(outside), "%s/outside", tmp);
	char link[256];
	snprintf(link, sizeof(link), "%s/out", root);
	diag_set_quiet(1);
	umask(022);
	return mkdir(root, 0755) || mkdir(outside, 0755) || symlink(outside, link);
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static char *path_in(const char *dir, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s/%s", dir, name);
	return strbuf_detach(&sb, NULL);
}

/* Number of entries of `dir` (without . and ..). */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

static void test_within(void **state)
{
	(void)state;
	assert_true(path_is_within("/a/b", "/a/b"));
	assert_true(path_is_within("/a/b", "/a/b/c"));
	assert_false(path_is_within("/a/b", "/a/bc"));
	assert_false(path_is_within("/a/b", "/a"));
	assert_true(path_is_within("/", "/anything"));
}

static void test_resolve(void **state)
{
	(void)state;
	struct strbuf got = STRBUF_INIT;
	char *p = path_in(root, "out/new/../x.json");
	assert_int_equal(path_resolve_existing(p, &got), 0);
	/* The existing part through the symlink, the rest taken lexically. */
	char *real_want = realpath(outside, NULL);
	assert_non_null(real_want);
	struct strbuf w = STRBUF_INIT;
	strbuf_addf(&w, "%s/x.json", real_want);
	assert_string_equal(got.buf, w.buf);
	free(real_want);
	free(p);
	strbuf_release(&w);
	strbuf_release(&got);
}

static void test_write_modes(void **state)
{
	(void)state;
	char *f = path_in(root, "f.txt");
	struct stat st;
	assert_int_equal(write_file_in(root, f, "one\n", 4, 0), 0);
	assert_int_equal(stat(f, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(write_file_in(root, f, "two\n", 4, WRITE_EXEC | WRITE_NOSYNC), 0);
	assert_int_equal(stat(f, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0755);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(read_file(f, &sb, 0), 0);
	assert_string_equal(sb.buf, "two\n");
	assert_int_equal(entries(root), 2); /* out, f.txt: no temporary file */
	unlink(f);
	strbuf_release(&sb);
	free(f);
}

static void test_confined(void **state)
{
	(void)state;
	char *through = path_in(root, "out/x.json");
	errno = 0;
	assert_int_equal(write_file_in(root, through, "x", 1, 0), -1);
	assert_int_equal(errno, EPERM);
	char *deep = path_in(root, "out/a/b");
	assert_int_equal(mkdir_p_in(root, deep), -1);
	assert_int_equal(entries(outside), 0); /* nothing created outside */
	/* Not confined: the same write goes through. */
	assert_int_equal(write_file_in(NULL, through, "x", 1, 0), 0);
	assert_int_equal(entries(outside), 1);
	/* Named outside the root: the user's choice. */
	char *named = path_in(outside, "named.json");
	assert_int_equal(write_file_in(root, named, "y", 1, 0), 0);
	assert_int_equal(entries(outside), 2);
	/* Inside, a new folder: created. */
	char *fresh = path_in(root, "d/e");
	assert_int_equal(mkdir_p_in(root, fresh), 0);
	free(through);
	free(deep);
	free(named);
	free(fresh);
}

static void test_failures(void **state)
{
	(void)state;
	/* The folder does not exist: ENOENT comes back, nothing is created. */
	char *nodir = path_in(root, "missing/f");
	errno = 0;
	assert_int_equal(write_file_in(root, nodir, "x", 1, 0), -1);
	assert_int_equal(errno, ENOENT);
	/* A folder is not replaced by a file. */
	char *dir = path_in(root, "d");
	mkdir(dir, 0755);
	assert_int_equal(write_file_in(root, dir, "x", 1, 0), -1);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* Neither is a device. */
	if (access("/dev/null", F_OK) == 0) {
		assert_int_equal(write_file_atomic("/dev/null", "x", 1), -1);
		assert_int_equal(stat("/dev/null", &st), 0);
		assert_true(S_ISCHR(st.st_mode));
	}
	free(nodir);
	free(dir);
}

/* A file written in pieces: nothing named in the folder until the commit (where O_TMPFILE works), whole after it. */
static void test_writer(void **state)
{
	(void)state;
	char *f = path_in(root, "pack");
	struct file_writer w;
	struct strbuf sb = STRBUF_INIT;
	int before = entries(root);
	assert_int_equal(file_writer_open(&w, root, f, WRITE_NOSYNC | WRITE_UNNAMED), 0);
	assert_int_equal(file_writer_add(&w, "....", 4), 0);
	assert_int_equal(file_writer_add(&w, "body", 4), 0);
	assert_int_equal(entries(root), before + !w.unnamed);
	assert_int_equal(file_writer_put_at(&w, 0, "HEAD", 4), 0);
	assert_int_equal(file_writer_commit(&w), 0);
	assert_int_equal(read_file(f, &sb, 0), 0);
	assert_string_equal(sb.buf, "HEADbody");
	assert_int_equal(entries(root), before + 1); /* the file, no temporary one */
	/* Dropped half-way: the old file stays, nothing is left behind. */
	assert_int_equal(file_writer_open(&w, root, f, WRITE_NOSYNC | WRITE_UNNAMED), 0);
	assert_int_equal(file_writer_add(&w, "other", 5), 0);
	file_writer_abort(&w);
	file_writer_abort(&w); /* closed: nothing */
	assert_int_equal(file_writer_add(&w, "x", 1), -1);
	strbuf_reset(&sb);
	assert_int_equal(read_file(f, &sb, 0), 0);
	assert_string_equal(sb.buf, "HEADbody");
	assert_int_equal(entries(root), before + 1);
	/* Named temporary files (no WRITE_UNNAMED) go the same way. */
	assert_int_equal(file_writer_open(&w, root, f, WRITE_NOSYNC), 0);
	assert_false(w.unnamed);
	assert_int_equal(entries(root), before + 2);
	file_writer_abort(&w);
	assert_int_equal(entries(root), before + 1);
	unlink(f);
	strbuf_release(&sb);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_within),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_write_modes),
		cmocka_unit_test(test_confined),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_writer),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
