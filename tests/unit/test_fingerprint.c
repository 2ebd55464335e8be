/* Source lines, normalisation and finding contexts (fingerprints, baselines). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "report/fingerprint.h"
#include "report/sarif.h"

static void test_lines(void **state)
{
	(void)state;
	struct srcfile f;
	size_t n;
	srcfile_from_buffer(&f, "a\r\n\nlast", 8);
	assert_int_equal(f.nlines, 3);
	assert_memory_equal(srcfile_line(&f, 1, &n), "a", 1);
	assert_int_equal(n, 1);
	srcfile_line(&f, 2, &n);
	assert_int_equal(n, 0);
	assert_memory_equal(srcfile_line(&f, 3, &n), "last", 4);
	assert_int_equal(n, 4);
	assert_string_equal(srcfile_line(&f, 4, &n), "");
	assert_string_equal(srcfile_line(&f, 0, &n), "");
	srcfile_release(&f);
	srcfile_from_buffer(&f, "x\n", 2);
	assert_int_equal(f.nlines, 1);
	srcfile_line(&f, 1, &n);
	assert_int_equal(n, 1);
	srcfile_release(&f);
	srcfile_from_buffer(&f, "", 0);
	assert_int_equal(f.nlines, 0);
	srcfile_release(&f);
}

static void test_char_column(void **state)
{
	(void)state;
	struct srcfile f;
	const char *s = "s = \"\xc3\xa9\xe2\x82\xac\" + x\n"; /* é (2 bytes) and € (3 bytes) */
	srcfile_from_buffer(&f, s, strlen(s));
	/* byte column of 'x' is 14; in code points 11 */
	assert_int_equal(srcfile_char_column(&f, 1, 14), 11);
	assert_int_equal(srcfile_char_column(&f, 1, 1), 1);
	assert_int_equal(srcfile_char_column(&f, 9, 5), 5); /* past the end: as given */
	srcfile_release(&f);
}

static char *norm(const char *s)
{
	static struct strbuf sb = STRBUF_INIT;
	strbuf_reset(&sb);
	srcline_normalize(s, strlen(s), &sb);
	return sb.buf;
}

static void test_normalize(void **state)
{
	(void)state;
	assert_string_equal(norm("\t  w.status  =\tIDLE  \r"), "w.status = IDLE");
	assert_string_equal(norm("   "), "");
	assert_string_equal(norm("a"), "a");
}

static void test_context_hash(void **state)
{
	(void)state;
	uint64_t h = context_hash("AP-1", "a.py", "x = 1", 5);
	assert_true(h == context_hash("AP-1", "a.py", "x = 1", 5));
	assert_true(h != context_hash("AP-2", "a.py", "x = 1", 5));
	assert_true(h != context_hash("AP-1", "b.py", "x = 1", 5));
	assert_true(h != context_hash("AP-1", "a.py", "x = 2", 5));
	/* the parts are kept apart */
	assert_true(context_hash("AP-1", "ab", "c", 1) != context_hash("AP-1", "a", "bc", 2));
}

static void test_uri_escape(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	uri_escape_path(&sb, "a b/c%d/\xc3\xa9.py");
	assert_string_equal(sb.buf, "a%20b/c%25d/%C3%A9.py");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_char_column),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_context_hash),
		cmocka_unit_test(test_uri_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
