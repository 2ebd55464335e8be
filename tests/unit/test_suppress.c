/*
 * Inline suppressions: the comment lexer of each language (tests as data:
 * a source, the markers it must find with their line, ids, reason or
 * problem), and the filter over findings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "report/rules.h"
#include "report/suppress.h"

struct want {
	uint32_t line, col;
	const char *ids;    /* "AP-1,AP-5" */
	const char *reason; /* NULL: none */
	bool malformed;
};

struct scase {
	const char *name;
	enum comment_syntax syn;
	const char *src;
	size_t nwant;
	struct want want[3];
};

static const struct scase cases[] = {
	{ "python line before", SYNTAX_PYTHON,
	  "def f():\n    # distarch: ignore[AP-1] the pool drops dead workers\n    w.status = IDLE\n",
	  1, { { 2, 7, "AP-1", "the pool drops dead workers", false } } },
	{ "python trailing, two ids, ':' separator", SYNTAX_PYTHON,
	  "x.ack()  # distarch: ignore[AP-2, AP-5]: persisted first  \n",
	  1, { { 1, 12, "AP-2,AP-5", "persisted first", false } } },
	{ "python no reason", SYNTAX_PYTHON, "x = 1  # distarch: ignore[AP-6]\n",
	  1, { { 1, 10, "AP-6", NULL, false } } },
	{ "python reason of punctuation only", SYNTAX_PYTHON, "x = 1  # distarch: ignore[AP-6] -- ...\n",
	  1, { { 1, 10, "AP-6", NULL, false } } },
	{ "python string is not a comment", SYNTAX_PYTHON,
	  "s = '# distarch: ignore[AP-1] no'\nt = \"# distarch: ignore[AP-1] no\"\n", 0, { { 0 } } },
	{ "python triple-quoted string spans lines", SYNTAX_PYTHON,
	  "doc = \"\"\"\n# distarch: ignore[AP-1] no\n\"\"\"\n# distarch: ignore[AP-2] yes\n",
	  1, { { 4, 3, "AP-2", "yes", false } } },
	{ "python escaped quote inside a string", SYNTAX_PYTHON,
	  "s = 'it\\'s # distarch: ignore[AP-1] no'  # distarch: ignore[AP-3] yes\n",
	  1, { { 1, 44, "AP-3", "yes", false } } },
	{ "python unclosed quote costs one line", SYNTAX_PYTHON,
	  "s = 'oops\n# distarch: ignore[AP-4] still found\n",
	  1, { { 2, 3, "AP-4", "still found", false } } },
	{ "malformed: no brackets", SYNTAX_PYTHON, "# distarch: ignore AP-1 reason\n",
	  1, { { 1, 3, "", NULL, true } } },
	{ "malformed: unclosed bracket", SYNTAX_PYTHON, "# distarch: ignore[AP-1 reason\n",
	  1, { { 1, 3, "AP-1", NULL, true } } },
	{ "malformed: empty id", SYNTAX_PYTHON, "# distarch: ignore[AP-1,] reason\n",
	  1, { { 1, 3, "AP-1", NULL, true } } },
	{ "malformed: another word", SYNTAX_PYTHON, "# distarch: skip[AP-1] reason\n",
	  1, { { 1, 3, "", NULL, true } } },
	{ "prose mentioning distarch without the colon", SYNTAX_PYTHON,
	  "# run distarch before merging\n# mydistarch: ignore[AP-1] x\n", 0, { { 0 } } },
	{ "go line comment", SYNTAX_GO, "c.Delete(m) // distarch: ignore[AP-2] idempotent\n",
	  1, { { 1, 16, "AP-2", "idempotent", false } } },
	{ "go block comment over lines, reason ends at */", SYNTAX_GO,
	  "/*\n distarch: ignore[AP-2] idempotent */\nc.Delete(m)\n",
	  1, { { 2, 2, "AP-2", "idempotent", false } } },
	{ "go raw string has no escapes", SYNTAX_GO,
	  "s := `\\`\n// distarch: ignore[AP-1] after the raw string\n",
	  1, { { 2, 4, "AP-1", "after the raw string", false } } },
	{ "go raw string spans lines", SYNTAX_GO,
	  "s := `\n// distarch: ignore[AP-1] inside\n`\n", 0, { { 0 } } },
	{ "js template literal spans lines", SYNTAX_JS,
	  "const s = `a\n// distarch: ignore[AP-1] inside ${x}\n`; // distarch: ignore[AP-3] out\n",
	  1, { { 3, 7, "AP-3", "out", false } } },
	{ "js // in a string", SYNTAX_JS, "const u = \"http://x\"; // distarch: ignore[AP-5] ok\n",
	  1, { { 1, 26, "AP-5", "ok", false } } },
	{ "java text block", SYNTAX_JAVA,
	  "String s = \"\"\"\n// distarch: ignore[AP-1] inside\n\"\"\";\n// distarch: ignore[AP-1] out\n",
	  1, { { 4, 4, "AP-1", "out", false } } },
	{ "yaml comment, quotes only where a scalar starts", SYNTAX_YAML,
	  "note: don't retry  # distarch: ignore[AP-5] explained\nname: 'a # b'\n",
	  1, { { 1, 22, "AP-5", "explained", false } } },
	{ "several markers, several lines", SYNTAX_JS,
	  "// distarch: ignore[AP-1] a\nx();\n/* distarch: ignore[AP-2] b */ y(); // distarch: ignore[AP-3]\n",
	  3, { { 1, 4, "AP-1", "a", false }, { 3, 4, "AP-2", "b", false }, { 3, 40, "AP-3", NULL, false } } },
	{ "a file without comments", SYNTAX_JAVA, "class A {}\n", 0, { { 0 } } },
};

static void join_ids(const struct suppression *s, char *buf, size_t n)
{
	buf[0] = '\0';
	size_t at = 0;
	for (size_t i = 0; i < s->ids.len; i++)
		at += (size_t)snprintf(buf + at, n - at, "%s%s", i ? "," : "", s->ids.items[i]);
}

static void test_lexer_cases(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct scase *k = &cases[c];
		suppression_vec sv = VEC_INIT;
		suppress_scan(k->src, strlen(k->src), k->syn, &sv);
		if (sv.len != k->nwant)
			fail_msg("%s: %zu markers, expected %zu", k->name, sv.len, k->nwant);
		for (size_t i = 0; i < sv.len; i++) {
			const struct suppression *s = &sv.items[i];
			const struct want *w = &k->want[i];
			char ids[256];
			join_ids(s, ids, sizeof(ids));
			if (s->line != w->line || s->col != w->col)
				fail_msg("%s: marker %zu at %u:%u, expected %u:%u", k->name, i, s->line, s->col,
					 w->line, w->col);
			if (strcmp(ids, w->ids))
				fail_msg("%s: ids '%s', expected '%s'", k->name, ids, w->ids);
			if (!!s->problem != w->malformed)
				fail_msg("%s: problem '%s'", k->name, s->problem ? s->problem : "(none)");
			if (!w->malformed && (!!s->reason != !!w->reason || (w->reason && strcmp(s->reason, w->reason))))
				fail_msg("%s: reason '%s', expected '%s'", k->name, s->reason ? s->reason : "(none)",
					 w->reason ? w->reason : "(none)");
		}
		suppression_vec_release(&sv);
	}
}

static void test_syntax_by_path(void **state)
{
	(void)state;
	assert_int_equal(comment_syntax_for("a/b.py"), SYNTAX_PYTHON);
	assert_int_equal(comment_syntax_for("x.go"), SYNTAX_GO);
	assert_int_equal(comment_syntax_for("x.tsx"), SYNTAX_JS);
	assert_int_equal(comment_syntax_for("x.java"), SYNTAX_JAVA);
	assert_int_equal(comment_syntax_for(".dist-architect/topology.yaml"), SYNTAX_YAML);
	assert_int_equal(comment_syntax_for("README.md"), SYNTAX_NONE);
}

static void add(finding_vec *v, const char *rule, const char *path, uint32_t line)
{
	struct finding *f = VEC_PUSH(v);
	f->rule = xstrdup(rule);
	f->path = xstrdup(path);
	f->message = xstrdup("m");
	f->line = line;
	f->column = 1;
	f->severity = SEV_ERROR;
}

/* suppress_apply over a real file: which findings stay, which checks are added. */
static void test_apply(void **state)
{
	(void)state;
	char dir[] = "/tmp/distarch-suppress-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/w.py", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("# distarch: ignore[AP-1] reason\n"          /* 1 */
	      "a()\n"                                      /* 2: AP-1 silenced (line before) */
	      "b()  # distarch: ignore[ap-2]\n"            /* 3: AP-2 silenced (case), no reason */
	      "c()\n"                                      /* 4: AP-2 silenced (line before) */
	      "d()\n"                                      /* 5: AP-2 stays (two lines below) */
	      "e()  # distarch: ignore[AP-3, NOPE-1] x\n", /* 6: AP-3 silenced, NOPE-1 unknown; AP-4 stays */
	      fp);
	fclose(fp);
	finding_vec v = VEC_INIT;
	add(&v, "AP-1", "w.py", 2);
	add(&v, "AP-2", "w.py", 3);
	add(&v, "AP-2", "w.py", 4);
	add(&v, "AP-2", "w.py", 5);
	add(&v, "AP-3", "w.py", 6);
	add(&v, "AP-4", "w.py", 6);
	add(&v, "AP-1", "other.py", 2);
	struct catalog cat;
	catalog_init(&cat);
	assert_int_equal(catalog_load_builtin(&cat), 0);
	struct srclines src;
	srclines_init(&src, dir);
	size_t n = suppress_apply(&v, &src, &cat, NULL);
	assert_int_equal(n, 4);
	const char *want[][2] = { { "AP-1", "other.py" }, { RULE_SUPPRESS_NO_REASON, "w.py" },
				  { "AP-2", "w.py" }, { "AP-4", "w.py" }, { RULE_SUPPRESS_UNKNOWN, "w.py" } };
	assert_int_equal(v.len, 5);
	for (size_t i = 0; i < v.len; i++) {
		assert_string_equal(v.items[i].rule, want[i][0]);
		assert_string_equal(v.items[i].path, want[i][1]);
	}
	assert_int_equal(v.items[1].line, 3);
	assert_non_null(strstr(v.items[4].message, "NOPE-1"));
	for (size_t i = 0; i < v.len; i++)
		finding_release(&v.items[i]);
	VEC_FREE(&v);
	srclines_release(&src);
	catalog_release(&cat);
	remove(path);
	remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lexer_cases),
		cmocka_unit_test(test_syntax_by_path),
		cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
