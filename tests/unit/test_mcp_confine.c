/*
 * Path confinement of the MCP server (src/mcp/confine.h): inside, '..',
 * absolute paths, symlinks in and out, paths that do not exist yet.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "mcp/confine.h"

static char root[64];
static struct confine conf;

static int setup(void **state)
{
	char path[256];
	snprintf(root, sizeof(root), "/tmp/distarch-confine.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(path, sizeof(path), "%s/src", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/src/a.py", root);
	fclose(fopen(path, "w"));
	snprintf(path, sizeof(path), "%s/out", root);
	if (symlink("/etc", path))
		return -1;
	snprintf(path, sizeof(path), "%s/in", root);
	if (symlink("src", path))
		return -1;
	return confine_init(&conf, root);
}

static int teardown(void **state)
{
	char cmd[128];
	confine_release(&conf);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd) == 0 ? 0 : -1;
}

/* 0 and the relative path, or -1 and the reason. */
static int try(const char *arg, struct strbuf *rel, struct strbuf *why)
{
	struct strbuf abs = STRBUF_INIT;
	strbuf_reset(rel);
	strbuf_reset(why);
	int rc = confine_path(&conf, arg, strlen(arg), &abs, rel, why);
	strbuf_release(&abs);
	return rc;
}

static void test_inside(void **state)
{
	struct strbuf rel = STRBUF_INIT, why = STRBUF_INIT;
	char abs[256];
	assert_int_equal(try("src/a.py", &rel, &why), 0);
	assert_string_equal(rel.buf, "src/a.py");
	assert_int_equal(try("./src//a.py", &rel, &why), 0);
	assert_string_equal(rel.buf, "src/a.py");
	assert_int_equal(try(".", &rel, &why), 0);
	assert_string_equal(rel.buf, "");
	snprintf(abs, sizeof(abs), "%s/src", root);
	assert_int_equal(try(abs, &rel, &why), 0);
	assert_string_equal(rel.buf, "src");
	/* a symlink that stays inside resolves to its target */
	assert_int_equal(try("in/a.py", &rel, &why), 0);
	assert_string_equal(rel.buf, "src/a.py");
	/* a file that does not exist yet keeps its name under its real parent */
	assert_int_equal(try("src/new/b.py", &rel, &why), 0);
	assert_string_equal(rel.buf, "src/new/b.py");
	assert_int_equal(try("a..b", &rel, &why), 0);
	strbuf_release(&rel);
	strbuf_release(&why);
}

static void test_outside(void **state)
{
	struct strbuf rel = STRBUF_INIT, why = STRBUF_INIT;
	const char *bad[] = { "..", "../x", "src/../../x", "src/..", "/etc/passwd", "/", "out",
			      "out/passwd", "out/no/such", "in/../../x", NULL };
	for (size_t i = 0; bad[i]; i++) {
		assert_int_equal(try(bad[i], &rel, &why), -1);
		assert_true(strstr(why.buf, "'..'") || strstr(why.buf, "outside the project root"));
	}
	assert_int_equal(try("src/a\npy", &rel, &why), -1);
	assert_non_null(strstr(why.buf, "control character"));
	struct strbuf abs = STRBUF_INIT;
	assert_int_equal(confine_path(&conf, "src\0/x", 6, &abs, &rel, &why), -1);
	assert_non_null(strstr(why.buf, "NUL"));
	strbuf_release(&abs);
	strbuf_release(&rel);
	strbuf_release(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inside),
		cmocka_unit_test(test_outside),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
