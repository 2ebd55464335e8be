/* The language registry: extensions to languages, and test-code paths. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "source/langreg.h"

static void test_languages(void **state)
{
	(void)state;
	assert_int_equal(lang_from_path("engine/api.py"), LANG_PYTHON);
	assert_int_equal(lang_from_path("cmd/main.go"), LANG_GO);
	assert_int_equal(lang_from_path("src/app.mjs"), LANG_JAVASCRIPT);
	assert_int_equal(lang_from_path("src/app.ts"), LANG_TYPESCRIPT);
	assert_int_equal(lang_from_path("src/App.tsx"), LANG_TSX);
	assert_int_equal(lang_from_path("src/main/java/a/B.java"), LANG_JAVA);
	assert_int_equal(lang_from_path("README.md"), LANG_NONE);
	assert_int_equal(lang_from_path(".py"), LANG_NONE); /* a dotfile, not an extension */
}

static void test_test_paths(void **state)
{
	(void)state;
	const char *tests[] = { "tests/test_api.py", "engine/test_api.py", "engine/api_test.py",
				"pkg/server_test.go", "src/a.test.ts", "src/a.spec.js",
				"src/test/java/a/BTest.java", "web/__tests__/x.js", "pkg/testdata/x.go" };
	const char *code[] = { "engine/api.py", "engine/testing_utils_x.py.bak", "pkg/server.go",
			       "src/contest.ts", "src/main/java/a/Tester.java", "latest/x.py",
			       "attest/test.go" };
	for (size_t i = 0; i < sizeof(tests) / sizeof(*tests); i++)
		assert_true(lang_is_test_path(tests[i]));
	for (size_t i = 0; i < sizeof(code) / sizeof(*code); i++)
		assert_false(lang_is_test_path(code[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_test_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
