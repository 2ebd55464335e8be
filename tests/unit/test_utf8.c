/*
 * UTF-8 checks (src/base/utf8.h) and sizes (parse_size in src/base/opts.h):
 * the two small parsers the hostile-input handling relies on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/opts.h"
#include "base/utf8.h"

static void test_char_len(void **state)
{
	(void)state;
	assert_int_equal(utf8_char_len("a", 1), 1);
	assert_int_equal(utf8_char_len("\xc3\xa9", 2), 2);         /* é */
	assert_int_equal(utf8_char_len("\xe2\x82\xac", 3), 3);     /* € */
	assert_int_equal(utf8_char_len("\xf0\x9f\x98\x80", 4), 4); /* an emoji */
	assert_int_equal(utf8_char_len("\xc3", 1), 0);             /* cut */
	assert_int_equal(utf8_char_len("\xc0\xaf", 2), 0);         /* overlong */
	assert_int_equal(utf8_char_len("\xed\xa0\x80", 3), 0);     /* a surrogate */
	assert_int_equal(utf8_char_len("\xf4\x90\x80\x80", 4), 0); /* above U+10FFFF */
	assert_int_equal(utf8_char_len("\xff", 1), 0);
	assert_int_equal(utf8_char_len("", 0), 0);
}

static void test_valid_and_sanitize(void **state)
{
	char out[64];
	(void)state;
	assert_true(utf8_valid("plain \xc3\xa9t\xc3\xa9", 11));
	assert_false(utf8_valid("plain \xc3\xa9t\xc3\xa9", 10)); /* cut inside a character */
	assert_true(utf8_valid("a\0b", 3));
	assert_false(utf8_valid("\xff\xfeidle", 6));
	assert_int_equal(utf8_sanitize(out, "\xff\xfeidle\xc3", 7), 3 + 3 + 4 + 3);
	assert_string_equal(out, "\xef\xbf\xbd\xef\xbf\xbdidle\xef\xbf\xbd");
	assert_true(utf8_valid(out, strlen(out)));
	/* a valid text comes out unchanged */
	assert_int_equal(utf8_sanitize(out, "caf\xc3\xa9", 5), 5);
	assert_string_equal(out, "caf\xc3\xa9");
}

static void test_parse_size(void **state)
{
	size_t n = 0;
	(void)state;
	assert_int_equal(parse_size("4194304", &n), 0);
	assert_int_equal(n, 4194304);
	assert_int_equal(parse_size("512K", &n), 0);
	assert_int_equal(n, 512 * 1024);
	assert_int_equal(parse_size("4MiB", &n), 0);
	assert_int_equal(n, 4u << 20);
	assert_int_equal(parse_size("1G", &n), 0);
	assert_int_equal(n, (size_t)1 << 30);
	assert_int_equal(parse_size("0", &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(parse_size("", &n), -1);
	assert_int_equal(parse_size("-1", &n), -1);
	assert_int_equal(parse_size("4 M", &n), -1);
	assert_int_equal(parse_size("12Q", &n), -1);
	assert_int_equal(parse_size("99999999999999999999", &n), -1);
	assert_int_equal(parse_size("17179869184G", &n), -1); /* overflows size_t */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_char_len),
		cmocka_unit_test(test_valid_and_sanitize),
		cmocka_unit_test(test_parse_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
