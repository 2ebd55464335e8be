/* The config file and the baseline file: what they accept and what they refuse. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "config/config.h"
#include "report/baseline.h"
#include "report/fingerprint.h"

static int load_config(struct config *c, const char *text)
{
	config_init(c);
	return config_load_buffer(c, "config.yaml", text, strlen(text));
}

static void test_config_good(void **state)
{
	(void)state;
	struct config c;
	assert_int_equal(load_config(&c, "rules:\n  AP-1: off\n  AP-2: note\n  AP-3: {enabled: true, severity: error}\n"
				     "exclude: [vendor/, \"*_pb2.py\"]\nfail-on: warning\n"), 0);
	assert_int_equal(c.rules.len, 3);
	assert_int_equal(c.rules.items[0].enabled, 0);
	assert_int_equal(c.rules.items[1].severity, SEV_NOTE);
	assert_int_equal(c.rules.items[2].enabled, 1);
	assert_int_equal(c.rules.items[2].severity, SEV_ERROR);
	assert_string_equal(c.fail_on, "warning");
	assert_true(config_excludes(&c, "vendor/x/y.py"));
	assert_true(config_excludes(&c, "a/b/msg_pb2.py"));
	assert_false(config_excludes(&c, "src/vendor.py"));

	finding_vec v = VEC_INIT;
	const char *rules[] = { "AP-1", "AP-2", "AP-4", "AP-4" };
	const char *paths[] = { "a.py", "a.py", "vendor/b.py", "c.py" };
	for (size_t i = 0; i < 4; i++) {
		struct finding *f = VEC_PUSH(&v);
		f->rule = xstrdup(rules[i]);
		f->path = xstrdup(paths[i]);
		f->message = xstrdup("m");
		f->severity = SEV_ERROR;
	}
	config_apply(&c, &v);
	assert_int_equal(v.len, 2);
	assert_string_equal(v.items[0].rule, "AP-2");
	assert_int_equal(v.items[0].severity, SEV_NOTE);
	assert_string_equal(v.items[1].path, "c.py");
	assert_int_equal(v.items[1].severity, SEV_ERROR);
	for (size_t i = 0; i < v.len; i++)
		finding_release(&v.items[i]);
	VEC_FREE(&v);
	config_release(&c);
	assert_int_equal(load_config(&c, "# only a comment\n"), 0);
	assert_int_equal(c.rules.len, 0);
	config_release(&c);
}

static void test_config_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"rulez: {}\n", "rules: [AP-1]\n", "rules:\n  AP-1: maybe\n", "rules:\n  AP-1: {enabled: 3}\n",
		"rules:\n  AP-1: {on: true}\n", "fail-on: [error]\n", "exclude: 3: 4\n", "version: '1'\n",
		"rules:\n  AP-1: off\n  AP-1: on\n", "- a\n", "rules:\n  ? [a]\n  : off\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct config c;
		unsigned before = diag_error_count();
		if (load_config(&c, bad[i]) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_true(diag_error_count() > before);
		assert_int_equal(c.rules.len, 0);
		assert_null(c.fail_on);
		config_release(&c);
	}
}

static void test_config_unknown_rule(void **state)
{
	(void)state;
	struct config c;
	struct catalog cat;
	catalog_init(&cat);
	assert_int_equal(catalog_load_builtin(&cat), 0);
	assert_int_equal(load_config(&c, "rules:\n  ap-1: off\n  DISTARCH-SUPPRESS-NO-REASON: off\n"), 0);
	assert_int_equal(config_check_rules(&c, &cat), 0);
	config_release(&c);
	assert_int_equal(load_config(&c, "rules:\n  AP-99: off\n"), 0);
	assert_int_equal(config_check_rules(&c, &cat), -1);
	config_release(&c);
	catalog_release(&cat);
}

static int load_baseline(struct baseline *b, const char *text)
{
	baseline_init(b);
	return baseline_load_buffer(b, "b.json", text, strlen(text));
}

static void test_baseline(void **state)
{
	(void)state;
	struct baseline b;
	assert_int_equal(load_baseline(&b, "{\"version\": 1, \"tool\": \"distarch\", \"findings\": ["
				     "{\"rule\": \"AP-1\", \"path\": \"a.py\", \"context\": \"0123456789abcdef\", \"line\": 3, \"message\": \"m\"},"
				     "{\"rule\": \"AP-1\", \"path\": \"a.py\", \"context\": \"0123456789abcdef\"}]}"), 0);
	assert_int_equal(b.entries.len, 2);
	assert_string_equal(b.entries.items[0].context, "0123456789abcdef");
	baseline_release(&b);
	static const char *const bad[] = {
		"", "[]", "{\"findings\": []}", "{\"version\": 1}", "{\"version\": \"1\", \"findings\": []}",
		"{\"version\": 1, \"findings\": {}}", "{\"version\": 1, \"findings\": [1]}",
		"{\"version\": 1, \"findings\": [{\"rule\": \"AP-1\", \"path\": \"a\"}]}",
		"{\"version\": 1, \"findings\": [{\"rule\": \"AP-1\", \"path\": \"a\", \"context\": \"0123456789ABCDEF\"}]}",
		"{\"version\": 1, \"findings\": [{\"rule\": \"AP-1\", \"path\": \"a\", \"context\": \"0123456789abcdef\", \"line\": \"x\"}]}",
		"{\"version\": 1, \"tool\": \"other\", \"findings\": []}",
		"{\"version\": 1, \"findings\": [], \"extra\": 1}",
		"{\"version\": 1, \"findings\": [",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (load_baseline(&b, bad[i]) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(b.entries.len, 0);
		baseline_release(&b);
	}
}

/* Matching is a multiset: two identical findings need two entries. */
static void test_baseline_filter(void **state)
{
	(void)state;
	struct srclines src;
	srclines_init(&src, "/nonexistent-distarch-dir");
	finding_vec v = VEC_INIT;
	for (int i = 0; i < 3; i++) {
		struct finding *f = VEC_PUSH(&v);
		f->rule = xstrdup(i == 2 ? "AP-2" : "AP-1");
		f->path = xstrdup("gone.py");
		f->message = xstrdup("m");
		f->line = (uint32_t)(10 + i);
	}
	char ctx[CONTEXT_HEX];
	finding_context(&src, &v.items[0], ctx); /* an unreadable file: every line is "" */
	struct strbuf text = STRBUF_INIT;
	strbuf_addf(&text, "{\"version\": 1, \"findings\": [{\"rule\": \"AP-1\", \"path\": \"gone.py\", \"context\": \"%s\"}]}", ctx);
	struct baseline b;
	assert_int_equal(load_baseline(&b, text.buf), 0);
	assert_int_equal(baseline_filter(&b, &v, &src), 1);
	assert_int_equal(v.len, 2);
	assert_string_equal(v.items[0].rule, "AP-1");
	assert_string_equal(v.items[1].rule, "AP-2");
	for (size_t i = 0; i < v.len; i++)
		finding_release(&v.items[i]);
	VEC_FREE(&v);
	strbuf_release(&text);
	baseline_release(&b);
	srclines_release(&src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_good),
		cmocka_unit_test(test_config_bad),
		cmocka_unit_test(test_config_unknown_rule),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_baseline_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
