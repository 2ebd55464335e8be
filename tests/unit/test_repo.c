/*
 * repo_open / repo_list_files / repo_changes on real git repositories made
 * with the git command in a temp dir, and on a plain folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "source/repo.h"

static char tmp[64];

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	int rc = system(cmd.buf);
	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd.buf);
	strbuf_release(&cmd);
}

#define GIT "git -c user.name=t -c user.email=t@t -c init.defaultBranch=main -c core.autocrlf=false"

/* Write `content` to tmp/rel, making folders. */
static void put(const char *rel, const char *content)
{
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/%s", tmp, rel);
	char *slash = strrchr(p.buf, '/');
	*slash = '\0';
	sh("mkdir -p '%s'", p.buf);
	*slash = '/';
	FILE *fp = fopen(p.buf, "w");
	assert_non_null(fp);
	fputs(content, fp);
	fclose(fp);
	strbuf_release(&p);
}

static char *lines(const char *stem, int n)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 1; i <= n; i++)
		strbuf_addf(&sb, "%s%d\n", stem, i);
	return strbuf_detach(&sb, NULL);
}

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

static char *dump_paths(const pathvec *v)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < v->len; i++)
		strbuf_addf(&sb, "%s\n", v->items[i]);
	return strbuf_detach(&sb, NULL);
}

/*
 * The selection on tmp/dir as a dump, or "ERROR: <stderr>" when it fails.
 */
static char *changes(const char *dir, enum selector_kind kind, const char *arg,
		     const char *const *paths, bool *fell_back)
{
	struct strbuf path = STRBUF_INIT, out = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", tmp, dir);
	struct repo r;
	assert_int_equal(repo_open(&r, path.buf), 0);

	char errf[] = "/tmp/test_repo_errXXXXXX";
	int fd = mkstemp(errf);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);

	struct selection sel = { kind, arg, paths };
	struct changeset cs;
	changeset_init(&cs);
	int rc = repo_changes(&r, &sel, &cs);

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (rc) {
		char buf[2048];
		lseek(fd, 0, SEEK_SET);
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		strbuf_addf(&out, "ERROR: %s", buf);
		assert_int_equal(cs.files.len, 0);
	} else {
		char *d = dump(&cs);
		strbuf_addstr(&out, d);
		free(d);
	}
	close(fd);
	unlink(errf);
	if (fell_back)
		*fell_back = cs.fell_back_to_all;
	changeset_release(&cs);
	repo_release(&r);
	strbuf_release(&path);
	return strbuf_detach(&out, NULL);
}

#define CHECK(dir, kind, arg, paths, expect)                                  \
	do {                                                                  \
		char *got_ = changes(dir, kind, arg, paths, NULL);            \
		if (strcmp(got_, expect))                                     \
			print_error("%s %s:\nexpected:\n%sgot:\n%s\n", dir,   \
				    #kind, expect, got_);                     \
		assert_string_equal(got_, expect);                            \
		free(got_);                                                   \
	} while (0)

static char *list(const char *dir, bool *is_git, const char **prefix_out, char *prefix_buf)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", tmp, dir);
	struct repo r;
	assert_int_equal(repo_open(&r, path.buf), 0);
	*is_git = repo_is_git(&r);
	if (prefix_out) {
		*prefix_out = r.prefix ? prefix_buf : NULL;
		if (r.prefix)
			snprintf(prefix_buf, 64, "%s", r.prefix);
	}
	pathvec v = VEC_INIT;
	assert_int_equal(repo_list_files(&r, &v), 0);
	char *d = dump_paths(&v);
	pathvec_release(&v);
	repo_release(&r);
	strbuf_release(&path);
	return d;
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/test_repo_XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	/* no user or system git config leaks in (libgit2 reads them too) */
	setenv("HOME", tmp, 1);
	setenv("XDG_CONFIG_HOME", tmp, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);

	/* r: the main repository */
	sh("mkdir -p %s/r && cd %s/r && " GIT " init -q .", tmp, tmp);
	char *w = lines("w", 10), *a = lines("a", 5), *u = lines("u", 3);
	put("r/app/worker.py", w);
	put("r/app/api.py", a);
	put("r/lib/util.py", u);
	put("r/gone.py", "g1\ng2\n");
	put("r/README.md", "# r\n");
	put("r/.gitignore", "*.log\nbuild/\n");
	sh("cd %s/r && " GIT " add -A && " GIT " commit -qm first", tmp);
	put("r/app/api.py", "a1\na2\nA3\na4\na5\n");
	sh("cd %s/r && " GIT " commit -qam second", tmp);
	/* unstaged: line 4 rewritten, two lines after line 8 */
	put("r/app/worker.py", "w1\nw2\nw3\nW4\nw5\nw6\nw7\nw8\nN1\nN2\nw9\nw10\n");
	/* staged */
	put("r/lib/util.py", "u1\nU2\nu3\n");
	sh("cd %s/r && " GIT " add lib/util.py && rm gone.py", tmp);
	put("r/new.py", "n\n");
	put("r/new_dir/deep/x.py", "x\n");
	put("r/app/extra.py", "e\n");
	put("r/debug.log", "ignored\n");
	put("r/build/out.py", "ignored\n");
	free(w);
	free(a);
	free(u);

	/* mv: a staged rename with a change */
	sh("mkdir -p %s/mv && cd %s/mv && " GIT " init -q .", tmp, tmp);
	char *m = lines("m", 20);
	put("mv/a.py", m);
	free(m);
	sh("cd %s/mv && " GIT " add -A && " GIT " commit -qm first && " GIT " mv a.py b.py", tmp);
	sh("cd %s/mv && sed -i 's/^m7$/M7/' b.py && " GIT " add b.py", tmp);

	/* fresh: no commit yet */
	sh("mkdir -p %s/fresh && cd %s/fresh && " GIT " init -q .", tmp, tmp);
	put("fresh/staged.py", "s\n");
	put("fresh/loose.py", "l\n");
	sh("cd %s/fresh && " GIT " add staged.py", tmp);

	/* plain: no git at all */
	put("plain/a.py", "a\n");
	put("plain/.env", "X=1\n");
	put("plain/sub/b.py", "b\n");
	put("plain/.hidden/c.py", "c\n");
	put("plain/node_modules/d.js", "d\n");
	sh("ln -s .. %s/plain/sub/loop && ln -s ../a.py %s/plain/sub/link.py", tmp, tmp);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (tmp[0] && strncmp(tmp, "/tmp/test_repo_", 15) == 0)
		sh("rm -rf '%s'", tmp);
	return 0;
}

static void test_default(void **state)
{
	(void)state;
	CHECK("r", SEL_DEFAULT, NULL, NULL,
	      "A app/extra.py\n"
	      "M app/worker.py 4,1/4,1 9,2/8,0\n"
	      "D gone.py\n"
	      "M lib/util.py 2,1/2,1\n"
	      "A new.py\n"
	      "A new_dir/deep/x.py\n");
}

static void test_staged(void **state)
{
	(void)state;
	CHECK("r", SEL_STAGED, NULL, NULL, "M lib/util.py 2,1/2,1\n");
	CHECK("mv", SEL_STAGED, NULL, NULL, "R b.py <- a.py 7,1/7,1\n");
}

static void test_diff_ranges(void **state)
{
	(void)state;
	CHECK("r", SEL_DIFF, "HEAD~1..HEAD", NULL, "M app/api.py 3,1/3,1\n");
	CHECK("r", SEL_DIFF, "HEAD~1...HEAD", NULL, "M app/api.py 3,1/3,1\n");
	CHECK("r", SEL_DIFF, "HEAD..HEAD~1", NULL, "M app/api.py 3,1/3,1\n");
	CHECK("r", SEL_DIFF, "HEAD~1..", NULL, "M app/api.py 3,1/3,1\n");
	/* one revision: against the work tree with the index, no untracked files */
	CHECK("r", SEL_DIFF, "HEAD~1", NULL,
	      "M app/api.py 3,1/3,1\n"
	      "M app/worker.py 4,1/4,1 9,2/8,0\n"
	      "D gone.py\n"
	      "M lib/util.py 2,1/2,1\n");
	CHECK("r", SEL_DIFF, "main", NULL,
	      "M app/worker.py 4,1/4,1 9,2/8,0\n"
	      "D gone.py\n"
	      "M lib/util.py 2,1/2,1\n");
}

static void test_bad_revision(void **state)
{
	(void)state;
	char *got = changes("r", SEL_DIFF, "nope..HEAD", NULL, NULL);
	assert_non_null(strstr(got, "ERROR: "));
	assert_non_null(strstr(got, "'nope'"));
	free(got);
	got = changes("r", SEL_DIFF, "HEAD~99", NULL, NULL);
	assert_non_null(strstr(got, "'HEAD~99'"));
	free(got);
	got = changes("r", SEL_DIFF, "", NULL, NULL);
	assert_non_null(strstr(got, "ERROR: "));
	free(got);
}

static void test_all_and_list(void **state)
{
	(void)state;
	CHECK("r", SEL_ALL, NULL, NULL,
	      "W .gitignore\n"
	      "W README.md\n"
	      "W app/api.py\n"
	      "W app/extra.py\n"
	      "W app/worker.py\n"
	      "W lib/util.py\n"
	      "W new.py\n"
	      "W new_dir/deep/x.py\n");
	bool is_git;
	const char *prefix;
	char pbuf[64];
	char *got = list("r", &is_git, &prefix, pbuf);
	assert_true(is_git);
	assert_string_equal(prefix, "");
	assert_string_equal(got, ".gitignore\nREADME.md\napp/api.py\napp/extra.py\napp/worker.py\n"
				 "lib/util.py\nnew.py\nnew_dir/deep/x.py\n");
	free(got);
}

static void test_path_filters(void **state)
{
	(void)state;
	const char *const app[] = { "app", NULL };
	const char *const slash[] = { "./app/", NULL };
	const char *const two[] = { "lib/util.py", "gone.py", NULL };
	const char *const none[] = { "ap", NULL };
	const char *const root[] = { ".", NULL };
	CHECK("r", SEL_DEFAULT, NULL, app, "A app/extra.py\nM app/worker.py 4,1/4,1 9,2/8,0\n");
	CHECK("r", SEL_DEFAULT, NULL, slash, "A app/extra.py\nM app/worker.py 4,1/4,1 9,2/8,0\n");
	CHECK("r", SEL_DEFAULT, NULL, two, "D gone.py\nM lib/util.py 2,1/2,1\n");
	CHECK("r", SEL_DEFAULT, NULL, none, "");
	CHECK("r", SEL_ALL, NULL, app, "W app/api.py\nW app/extra.py\nW app/worker.py\n");
	CHECK("r", SEL_STAGED, NULL, root, "M lib/util.py 2,1/2,1\n");

	struct strbuf abs = STRBUF_INIT;
	strbuf_addf(&abs, "%s/r/lib", tmp);
	const char *const absolute[] = { abs.buf, NULL };
	CHECK("r", SEL_DEFAULT, NULL, absolute, "M lib/util.py 2,1/2,1\n");
	strbuf_release(&abs);
}

static void test_patch(void **state)
{
	(void)state;
	/* git diff with context, read back: the same hunks libgit2 computes with none */
	struct strbuf pf = STRBUF_INIT;
	strbuf_addf(&pf, "%s/head.diff", tmp);
	sh("cd %s/r && git diff HEAD > %s", tmp, pf.buf);
	CHECK("r", SEL_PATCH, pf.buf, NULL,
	      "M app/worker.py 4,1/4,1 9,2/8,0\n"
	      "D gone.py\n"
	      "M lib/util.py 2,1/2,1\n");
	const char *const lib[] = { "lib", NULL };
	CHECK("r", SEL_PATCH, pf.buf, lib, "M lib/util.py 2,1/2,1\n");
	/* from a subfolder root, git's work-tree paths become root paths */
	CHECK("r/app", SEL_PATCH, pf.buf, NULL, "M worker.py 4,1/4,1 9,2/8,0\n");
	/* patches work outside git too */
	CHECK("plain", SEL_PATCH, pf.buf, NULL,
	      "M app/worker.py 4,1/4,1 9,2/8,0\n"
	      "D gone.py\n"
	      "M lib/util.py 2,1/2,1\n");

	strbuf_reset(&pf);
	strbuf_addf(&pf, "%s/bad.diff", tmp);
	sh("printf 'diff --git a/x b/x\\n--- a/x\\n+++ b/x\\n@@ -1,2 +1,2 @@\\n-a\\n' > %s", pf.buf);
	char *got = changes("r", SEL_PATCH, pf.buf, NULL, NULL);
	assert_non_null(strstr(got, "bad.diff:5:"));
	assert_non_null(strstr(got, "malformed hunk"));
	free(got);
	got = changes("r", SEL_PATCH, "/nonexistent/x.diff", NULL, NULL);
	assert_non_null(strstr(got, "ERROR: "));
	free(got);
	strbuf_release(&pf);
}

static void test_subfolder(void **state)
{
	(void)state;
	bool is_git;
	const char *prefix;
	char pbuf[64];
	char *got = list("r/app", &is_git, &prefix, pbuf);
	assert_true(is_git);
	assert_string_equal(prefix, "app");
	assert_string_equal(got, "api.py\nextra.py\nworker.py\n");
	free(got);
	CHECK("r/app", SEL_DEFAULT, NULL, NULL, "A extra.py\nM worker.py 4,1/4,1 9,2/8,0\n");
	CHECK("r/app", SEL_DIFF, "HEAD~1..HEAD", NULL, "M api.py 3,1/3,1\n");
	CHECK("r/app", SEL_STAGED, NULL, NULL, "");
	const char *const w[] = { "worker.py", NULL };
	CHECK("r/app", SEL_DEFAULT, NULL, w, "M worker.py 4,1/4,1 9,2/8,0\n");
	CHECK("r/new_dir", SEL_DEFAULT, NULL, NULL, "A deep/x.py\n");
}

static void test_fresh_repo(void **state)
{
	(void)state;
	CHECK("fresh", SEL_DEFAULT, NULL, NULL, "A loose.py\nA staged.py\n");
	CHECK("fresh", SEL_STAGED, NULL, NULL, "A staged.py\n");
	char *got = changes("fresh", SEL_DIFF, "HEAD~1..HEAD", NULL, NULL);
	assert_non_null(strstr(got, "ERROR: "));
	free(got);
}

static void test_plain(void **state)
{
	(void)state;
	bool is_git;
	const char *prefix;
	char pbuf[64];
	char *got = list("plain", &is_git, &prefix, pbuf);
	assert_false(is_git);
	assert_null(prefix);
	/* no hidden folders, no node_modules, no symlinks (the loop is not followed) */
	assert_string_equal(got, ".env\na.py\nsub/b.py\n");
	free(got);

	/* every entry, for the scan to say why it skips the links: never followed */
	pathvec all = VEC_INIT;
	struct repo r;
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/plain", tmp);
	assert_int_equal(repo_open(&r, p.buf), 0);
	assert_int_equal(repo_list_entries(&r, &all), 0);
	assert_int_equal(all.len, 5);
	assert_string_equal(all.items[3], "sub/link.py");
	assert_string_equal(all.items[4], "sub/loop");
	pathvec_release(&all);
	repo_release(&r);
	strbuf_release(&p);

	bool fell = false;
	got = changes("plain", SEL_DEFAULT, NULL, NULL, &fell);
	assert_true(fell);
	assert_string_equal(got, "W .env\nW a.py\nW sub/b.py\nW sub/link.py\nW sub/loop\n");
	free(got);
	fell = true;
	got = changes("plain", SEL_ALL, NULL, NULL, &fell);
	assert_false(fell);
	free(got);

	got = changes("plain", SEL_STAGED, NULL, NULL, NULL);
	assert_non_null(strstr(got, "--staged needs a git repository"));
	assert_non_null(strstr(got, "/plain is not inside one"));
	free(got);
	got = changes("plain", SEL_DIFF, "HEAD", NULL, NULL);
	assert_non_null(strstr(got, "--diff needs a git repository"));
	free(got);
}

static void test_open_errors(void **state)
{
	(void)state;
	struct repo r;
	struct strbuf p = STRBUF_INIT;
	int saved = dup(2);
	int devnull = open("/dev/null", O_WRONLY);
	dup2(devnull, 2);
	strbuf_addf(&p, "%s/missing", tmp);
	int rc1 = repo_open(&r, p.buf);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/plain/a.py", tmp);
	int rc2 = repo_open(&r, p.buf);
	dup2(saved, 2);
	close(saved);
	close(devnull);
	assert_int_equal(rc1, -1);
	assert_int_equal(rc2, -1);
	strbuf_release(&p);

	/* open twice, release both: libgit2's init count stays balanced */
	struct repo a, b;
	strbuf_addf(&p, "%s/r", tmp);
	assert_int_equal(repo_open(&a, p.buf), 0);
	assert_int_equal(repo_open(&b, p.buf), 0);
	repo_release(&a);
	pathvec v = VEC_INIT;
	assert_int_equal(repo_list_files(&b, &v), 0);
	assert_true(v.len > 0);
	pathvec_release(&v);
	repo_release(&b);
	strbuf_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_staged),
		cmocka_unit_test(test_diff_ranges),
		cmocka_unit_test(test_bad_revision),
		cmocka_unit_test(test_all_and_list),
		cmocka_unit_test(test_path_filters),
		cmocka_unit_test(test_patch),
		cmocka_unit_test(test_subfolder),
		cmocka_unit_test(test_fresh_repo),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_open_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
