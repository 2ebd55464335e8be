/*
 * The anti-pattern catalog and the reasoning modules: every built-in entry
 * and module loads with the fields the commands and the engine rely on,
 * broken files are reported at the right line:column, user entries load
 * from a folder and sort by id.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/embedded.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "catalog/catalog.h"
#include "catalog/module.h"
#include "catalog/render.h"

/* ---- stderr capture ---- */

static int saved_fd = -1;
static FILE *cap;

static void capture_begin(void)
{
	fflush(stderr);
	cap = tmpfile();
	assert_non_null(cap);
	saved_fd = dup(2);
	assert_true(saved_fd >= 0);
	assert_true(dup2(fileno(cap), 2) >= 0);
}

static char *capture_end(void)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	rewind(cap);
	while ((n = fread(buf, 1, sizeof(buf), cap)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(cap);
	return strbuf_detach(&sb, NULL);
}

static const char *src_dir(void)
{
	const char *s = getenv("DISTARCH_SRC");
	return s ? s : ".";
}

/* Every expected message appears in `out`, in order. */
static void expect_in_order(const char *what, const char *out, const char *const *expect)
{
	const char *at = out;
	for (size_t k = 0; expect[k]; k++) {
		const char *hit = strstr(at, expect[k]);
		if (!hit)
			fail_msg("%s: expected \"%s\" (in order) in:\n%s", what, expect[k], out);
		at = hit + 1;
	}
}

/* ---- built-in catalog ---- */

static void test_builtin_catalog(void **state)
{
	static const char *const names[] = {
		"tight retry loop", "lost data at ACK", "channel conflation",
		"boundary state leak", "compounding retry", "premature state transition",
	};
	struct catalog c;
	unsigned before = diag_error_count();
	(void)state;

	catalog_init(&c);
	assert_int_equal(catalog_load_builtin(&c), 0);
	assert_int_equal(diag_error_count(), before);
	assert_int_equal(catalog_count(&c), 6);
	for (size_t i = 0; i < 6; i++) {
		const struct catalog_entry *e = catalog_at(&c, i);
		char id[8];
		size_t lines = 1;

		snprintf(id, sizeof(id), "AP-%zu", i + 1);
		assert_string_equal(e->id, id);
		assert_string_equal(e->name, names[i]);
		assert_true(e->builtin);
		assert_int_equal(e->line, 2);
		assert_true(e->signals.len >= 1);
		assert_true(e->modules.len >= 1);
		if (e->symptoms.len < 5 || e->symptoms.len > 10)
			fail_msg("%s has %zu symptoms (expected 5 to 10)", id, e->symptoms.len);
		assert_true(e->fix.len >= 2);
		assert_true(e->nrefs >= 4);
		assert_non_null(strstr(e->body, "```python"));
		assert_non_null(strstr(e->body, "## Verify in production"));
		/* The whole file (front matter and body) stays readable: 60 to 120 lines. */
		for (size_t f = 0; f < embedded_count; f++) {
			if (strcmp(embedded_files[f].path, e->path))
				continue;
			for (const char *p = embedded_files[f].data; *p; p++)
				lines += *p == '\n';
		}
		if (lines < 60 || lines > 121)
			fail_msg("%s is %zu lines (expected 60 to 120)", e->path, lines);
	}
	assert_true(catalog_find(&c, "AP-3") == catalog_at(&c, 2));
	assert_true(catalog_find(&c, "ap-3") == catalog_at(&c, 2));
	assert_null(catalog_find(&c, "AP-9"));
	assert_null(catalog_find(&c, ""));
	catalog_release(&c);
}

/* The references name the incidents of cases.md, by project and number. */
static void test_builtin_references(void **state)
{
	static const struct { const char *id, *project, *ref; } want[] = {
		{ "AP-1", "grpc-node", "PR #1444" },
		{ "AP-2", "machinery", "#275, #277" },
		{ "AP-3", "Apache Airflow", "PR #17649" },
		{ "AP-4", "super-productivity", "PR #9690" },
		{ "AP-5", "kserve", "PR #807" },
		{ "AP-6", "temporal", "PR #3936" },
	};
	struct catalog c;
	(void)state;

	catalog_init(&c);
	assert_int_equal(catalog_load_builtin(&c), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct catalog_entry *e = catalog_find(&c, want[i].id);
		bool found = false;
		assert_non_null(e);
		for (size_t r = 0; r < e->nrefs; r++)
			found |= !strcmp(e->refs[r].project, want[i].project) &&
				 !strcmp(e->refs[r].ref, want[i].ref);
		if (!found)
			fail_msg("%s lacks the reference %s %s", want[i].id, want[i].project,
				 want[i].ref);
	}
	catalog_release(&c);
}

static void test_id_order(void **state)
{
	(void)state;
	assert_true(catalog_id_cmp("AP-2", "AP-10") < 0);
	assert_true(catalog_id_cmp("AP-10", "AP-2") > 0);
	assert_true(catalog_id_cmp("ap-1", "AP-1") == 0);
	assert_true(catalog_id_cmp("AP-99", "TEAM-1") < 0);
	assert_true(catalog_id_cmp("A-5", "AP-1") < 0);
	assert_true(catalog_id_valid("AP-7"));
	assert_true(catalog_id_valid("team_x-12"));
	assert_false(catalog_id_valid("AP7"));
	assert_false(catalog_id_valid("AP-"));
	assert_false(catalog_id_valid("-1"));
	assert_false(catalog_id_valid("7-1"));
	assert_false(catalog_id_valid("AP-1x"));
	assert_false(catalog_id_valid("AP-1234567"));
}

/* ---- broken entries ---- */

static const struct {
	const char *file;
	const char *expect[8];
} broken[] = {
	{ "no-front-matter.md", { "no-front-matter.md:1:1: error: no front matter" } },
	{ "unclosed.md", { "unclosed.md:1:1: error: the front matter opened here is never closed" } },
	{ "unknown-key.md", { "unknown-key.md:5:1: error: unknown key 'sevrity' in the front "
			      "matter (expected one of: id, name," } },
	{ "missing-fields.md", { "missing-fields.md:2:1: error: missing 'id' in the front matter",
				 "missing-fields.md:2:1: error: missing 'name'",
				 "missing-fields.md:2:1: error: missing 'summary'",
				 "missing-fields.md:2:1: error: missing 'symptoms'",
				 "missing-fields.md:2:1: error: missing 'detection'" } },
	{ "bad-types.md", { "bad-types.md:4:3: error: 'name' is a list (expected a non-empty string)",
			    "bad-types.md:6:11: error: unknown severity 'fatal' (expected error, "
			    "warning or note)",
			    "bad-types.md:7:27: error: unknown value 'telepathy' in 'signals'",
			    "bad-types.md:10:3: error: 'symptoms' is a mapping (expected a list",
			    "bad-types.md:15:5: error: missing 'ref' in a reference",
			    "bad-types.md:17:5: error: 'references' is a scalar (expected a mapping)" } },
	{ "bad-id.md", { "bad-id.md:2:5: error: bad id 'AP9' (expected a prefix, a hyphen and a "
			 "number, like AP-7)" } },
	{ "no-body.md", { "no-body.md:10:1: error: the entry has no body" } },
	{ "yaml-syntax.md", { "yaml-syntax.md:4:8: error: yaml syntax error" } },
	{ "empty-front-matter.md", { "empty-front-matter.md:2:1: error: the front matter is empty" } },
};

static void test_broken_entries(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
		struct catalog c;
		char *out;
		int ret;

		strbuf_addf(&path, "%s/tests/data/catalog/%s", src_dir(), broken[i].file);
		assert_int_equal(read_file(path.buf, &text, 0), 0);
		catalog_init(&c);
		capture_begin();
		ret = catalog_load_buffer(&c, broken[i].file, text.buf, text.len);
		out = capture_end();
		if (ret != -1)
			fail_msg("%s loaded without error", broken[i].file);
		assert_int_equal(catalog_count(&c), 0);
		expect_in_order(broken[i].file, out, broken[i].expect);
		free(out);
		catalog_release(&c);
		strbuf_release(&path);
		strbuf_release(&text);
	}
}

static void test_duplicate_id(void **state)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	static const char *const expect[] = {
		"duplicate-id.md:2:1: error: duplicate id 'AP-1' (first defined at "
		"data/catalog/AP-1.md:2", NULL
	};
	struct catalog c;
	char *out;
	(void)state;

	strbuf_addf(&path, "%s/tests/data/catalog/duplicate-id.md", src_dir());
	assert_int_equal(read_file(path.buf, &text, 0), 0);
	catalog_init(&c);
	assert_int_equal(catalog_load_builtin(&c), 0);
	capture_begin();
	assert_int_equal(catalog_load_buffer(&c, "duplicate-id.md", text.buf, text.len), -1);
	out = capture_end();
	expect_in_order("duplicate-id.md", out, expect);
	assert_int_equal(catalog_count(&c), 6);
	assert_string_equal(catalog_find(&c, "AP-1")->name, "tight retry loop");
	free(out);
	catalog_release(&c);
	strbuf_release(&path);
	strbuf_release(&text);
}

/* Robustness: a BOM, CRLF line ends, a NUL in the body, invalid UTF-8. */
static void test_entry_edges(void **state)
{
	static const char crlf[] =
		"\xef\xbb\xbf---\r\nid: X-1\r\nname: crlf\r\nsummary: s\r\nsignals: [interaction]\r\n"
		"symptoms: [a]\r\ndetection: d\r\nfix: [f]\r\n---\r\n\r\nBody line.\r\n";
	static const char nul[] =
		"---\nid: X-2\nname: n\nsummary: s\nsignals: [interaction]\nsymptoms: [a]\n"
		"detection: d\nfix: [f]\n---\nBody \0 with a NUL.\n";
	static const char utf8[] =
		"---\nid: X-3\nname: n\nsummary: s\nsignals: [interaction]\nsymptoms: [a]\n"
		"detection: d\nfix: [f]\n---\nBody \xc3\x28 bad.\n";
	struct catalog c;
	char *out;
	(void)state;

	catalog_init(&c);
	assert_int_equal(catalog_load_buffer(&c, "crlf.md", crlf, sizeof(crlf) - 1), 0);
	assert_string_equal(catalog_find(&c, "X-1")->name, "crlf");
	assert_string_equal(catalog_find(&c, "X-1")->body, "Body line.");
	assert_int_equal(catalog_find(&c, "X-1")->severity, SEV_WARNING);
	capture_begin();
	assert_int_equal(catalog_load_buffer(&c, "nul.md", nul, sizeof(nul) - 1), -1);
	assert_int_equal(catalog_load_buffer(&c, "utf8.md", utf8, sizeof(utf8) - 1), -1);
	assert_int_equal(catalog_load_buffer(&c, "empty.md", "", 0), -1);
	out = capture_end();
	assert_non_null(strstr(out, "nul.md:10:1: error: the body holds a NUL byte"));
	assert_non_null(strstr(out, "utf8.md:10:1: error: the body holds a NUL byte or invalid UTF-8"));
	assert_non_null(strstr(out, "empty.md:1:1: error: no front matter"));
	assert_int_equal(catalog_count(&c), 1);
	free(out);
	catalog_release(&c);
}

/* ---- user folder ---- */

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void test_user_folder(void **state)
{
	char root[] = "/tmp/distarch-catalog-XXXXXX";
	struct strbuf dir = STRBUF_INIT, p = STRBUF_INIT;
	static const char entry[] =
		"---\nid: %s\nname: %s\nsummary: a team's own pattern\nseverity: note\n"
		"signals: [interaction]\nmodules: [interaction]\nsymptoms: [it hurts]\n"
		"detection: by eye\nfix: [do not]\n---\n# Notes\n\nWhy it hurts.\n";
	struct catalog c;
	(void)state;

	assert_non_null(mkdtemp(root));
	strbuf_addf(&dir, "%s/.dist-architect", root);
	assert_int_equal(mkdir(dir.buf, 0700), 0);
	strbuf_addstr(&dir, "/catalog");
	assert_int_equal(mkdir(dir.buf, 0700), 0);
	/* Written in the "wrong" order: iteration must still be by id. */
	strbuf_addf(&p, "%s/b.md", dir.buf);
	{
		char buf[512];
		snprintf(buf, sizeof(buf), entry, "AP-10", "tenth");
		write_text(p.buf, buf);
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/a.md", dir.buf);
		snprintf(buf, sizeof(buf), entry, "AP-7", "seventh");
		write_text(p.buf, buf);
	}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/notes.txt", dir.buf);
	write_text(p.buf, "not an entry");

	catalog_init(&c);
	assert_int_equal(catalog_load_default(&c, root), 0);
	assert_int_equal(catalog_count(&c), 8);
	assert_string_equal(catalog_at(&c, 5)->id, "AP-6");
	assert_string_equal(catalog_at(&c, 6)->id, "AP-7");
	assert_string_equal(catalog_at(&c, 7)->id, "AP-10");
	assert_false(catalog_at(&c, 7)->builtin);
	assert_int_equal(catalog_at(&c, 7)->severity, SEV_NOTE);
	assert_non_null(strstr(catalog_at(&c, 7)->path, "/b.md"));
	assert_string_equal(catalog_at(&c, 7)->body, "# Notes\n\nWhy it hurts.");
	catalog_release(&c);

	/* Without the folder: built-ins only, no error. */
	catalog_init(&c);
	assert_int_equal(catalog_load_default(&c, "/nonexistent-distarch-root"), 0);
	assert_int_equal(catalog_count(&c), 6);
	catalog_release(&c);

	unlink(p.buf);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/a.md", dir.buf);
	unlink(p.buf);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/b.md", dir.buf);
	unlink(p.buf);
	rmdir(dir.buf);
	strbuf_setlen(&dir, dir.len - strlen("/catalog"));
	rmdir(dir.buf);
	rmdir(root);
	strbuf_release(&dir);
	strbuf_release(&p);
}

/* ---- rendering ---- */

static void test_render(void **state)
{
	struct catalog c;
	json_t *j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	(void)state;

	catalog_init(&c);
	assert_int_equal(catalog_load_builtin(&c), 0);
	j = catalog_entry_json(catalog_find(&c, "AP-2"));
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "id")), "AP-2");
	assert_string_equal(json_string_value(json_object_get(j, "severity")), "error");
	assert_true(json_array_size(json_object_get(j, "symptoms")) >= 5);
	assert_non_null(strstr(json_string_value(json_object_get(j, "body")), "## Mechanism"));
	json_decref(j);
	j = catalog_list_json(&c);
	assert_int_equal(json_array_size(json_object_get(j, "entries")), 6);
	json_decref(j);

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	catalog_show_markdown(f, catalog_find(&c, "AP-1"));
	fclose(f);
	assert_true(!strncmp(buf, "# AP-1: Tight retry loop\n\n## Mechanism\n", 39));
	free(buf);
	catalog_release(&c);
}

/* ---- modules ---- */

static void test_builtin_modules(void **state)
{
	static const char *const order[] = {
		"state-mutation", "data-lifecycle", "failure-mode", "interaction", "concurrency",
	};
	struct module_set ms;
	unsigned before = diag_error_count();
	(void)state;

	module_set_init(&ms);
	assert_int_equal(modules_builtin_load(&ms), 0);
	assert_int_equal(diag_error_count(), before);
	assert_int_equal(module_count(&ms), 5);
	for (size_t i = 0; i < 5; i++) {
		const struct module *m = module_at(&ms, i);
		bool open = false, answered = false;

		assert_string_equal(m->name, order[i]);
		assert_true(module_find(&ms, order[i]) == m);
		if (m->nquestions < 6 || m->nquestions > 10)
			fail_msg("%s has %zu questions (expected 6 to 10)", m->name, m->nquestions);
		assert_int_equal(m->quick_validation.len, 3);
		assert_string_equal(m->quick_validation.items[0],
				    "What does this change assume about the other components?");
		for (size_t q = 0; q < m->nquestions; q++) {
			const struct module *owner = NULL;
			assert_true(module_question_find(&ms, m->questions[q].id, &owner) ==
				    &m->questions[q]);
			assert_true(owner == m);
			assert_non_null(strchr(m->questions[q].ask, '?'));
			open |= m->questions[q].answer == MODULE_ANSWER_NONE;
			answered |= m->questions[q].answer != MODULE_ANSWER_NONE;
		}
		/* Each checklist mixes what facts answer with what needs judgement. */
		assert_true(open && answered);
		if (i < 4) {
			assert_string_equal(m->trigger, order[i]);
			assert_false(m->pass2);
			assert_true(module_for_trigger(&ms, order[i]) == m);
		}
	}
	assert_true(module_find(&ms, "concurrency")->pass2);
	assert_true(module_for_trigger(&ms, MODULE_TRIGGER_PASS2) == module_find(&ms, "concurrency"));
	assert_int_equal(module_find(&ms, "state-mutation")->questions[0].answer,
			 MODULE_ANSWER_OBSERVERS);
	assert_int_equal(module_find(&ms, "state-mutation")->questions[1].answer,
			 MODULE_ANSWER_TICK_TRACE);
	assert_null(module_find(&ms, "timing"));
	assert_null(module_question_find(&ms, "XX-1", NULL));
	module_set_release(&ms);
}

/* Catalog entries name only modules and signals that exist. */
static void test_catalog_modules_exist(void **state)
{
	struct module_set ms;
	struct catalog c;
	(void)state;

	module_set_init(&ms);
	catalog_init(&c);
	assert_int_equal(modules_builtin_load(&ms), 0);
	assert_int_equal(catalog_load_builtin(&c), 0);
	for (size_t i = 0; i < catalog_count(&c); i++) {
		const struct catalog_entry *e = catalog_at(&c, i);
		for (size_t k = 0; k < e->modules.len; k++)
			if (!module_find(&ms, e->modules.items[k]))
				fail_msg("%s names module %s", e->id, e->modules.items[k]);
		for (size_t k = 0; k < e->signals.len; k++)
			assert_non_null(module_for_trigger(&ms, e->signals.items[k]));
	}
	for (const char *const *n = catalog_module_names; *n; n++)
		assert_non_null(module_find(&ms, *n));
	catalog_release(&c);
	module_set_release(&ms);
}

static void test_answer_names(void **state)
{
	(void)state;
	for (int a = 0; a < MODULE_ANSWER_COUNT; a++)
		assert_int_equal(module_answer_parse(module_answer_name(a)), a);
	assert_int_equal(module_answer_parse("observer"), -1);
	assert_string_equal(module_answer_name(MODULE_ANSWER_PAYLOAD_LIFECYCLE),
			    "payload-lifecycle");
}

static const char good_module[] =
	"module: timing\n"
	"title: Timing\n"
	"trigger: interaction\n"
	"purpose: clocks\n"
	"questions:\n"
	"  - id: TM-1\n"
	"    ask: \"Whose clock?\"\n"
	"    answer: none\n"
	"    why: clocks drift\n"
	"quick_validation: [\"Is it monotonic?\"]\n";

static const struct {
	const char *text;
	const char *expect[6];
} broken_modules[] = {
	{ "module: timing\ntitle: Timing\ntrigger: sometimes\npurpose: p\nquestions:\n"
	  "  - id: TM-1\n    ask: a?\n    answer: oracle\n    why: w\n"
	  "quick_validation: [q]\n",
	  { "m.yaml:3:10: error: unknown trigger 'sometimes' (expected one of: state-mutation,",
	    "m.yaml:8:13: error: unknown answer kind 'oracle' (expected one of: observers," } },
	{ "module: timing\ntitle: Timing\ntrigger: pass-2\npurpose: p\nquestions:\n"
	  "  - id: TM-1\n    answer: none\n    why: w\n    extra: 1\n"
	  "  - id: TM-1\n    ask: b?\n    answer: none\n    why: w\n"
	  "quick_validation: [q]\n",
	  { "m.yaml:9:5: error: unknown key 'extra' in a question (expected one of: id, ask, answer, why)",
	    "m.yaml:6:5: error: missing 'ask' in a question",
	    "m.yaml:10:9: error: duplicate question id 'TM-1'" } },
	{ "module: Timing Stuff\ntitle: [x]\ntrigger: interaction\nquestions: {a: b}\n",
	  { "m.yaml:1:1: error: missing 'purpose' in the module",
	    "m.yaml:1:1: error: missing 'quick_validation' in the module",
	    "m.yaml:1:9: error: bad module name 'Timing Stuff'",
	    "m.yaml:2:8: error: 'title' is a list (expected a non-empty string)",
	    "m.yaml:4:12: error: 'questions' is a mapping (expected a list of questions)" } },
	{ "module: timing\ntitle: T\ntrigger: interaction\npurpose: p\nquestions: []\n"
	  "quick_validation: []\n",
	  { "m.yaml:5:12: error: 'questions' has 0 items (expected 1 to 64)",
	    "m.yaml:6:19: error: 'quick_validation' has 0 items (expected at least 1)" } },
	{ "- just\n- a list\n", { "m.yaml:1:1: error: the module file is a list" } },
	{ "", { "m.yaml:1:1: error: the module file is empty" } },
	{ "module: [unclosed\n", { "m.yaml:2:1: error: yaml syntax error" } },
};

static void test_broken_modules(void **state)
{
	struct module_set ms;
	(void)state;

	for (size_t i = 0; i < sizeof(broken_modules) / sizeof(broken_modules[0]); i++) {
		const char *t = broken_modules[i].text;
		char *out;
		int ret;

		module_set_init(&ms);
		capture_begin();
		ret = modules_load_buffer(&ms, "m.yaml", t, strlen(t));
		out = capture_end();
		if (ret != -1)
			fail_msg("case %zu loaded without error", i);
		assert_int_equal(module_count(&ms), 0);
		expect_in_order("module", out, broken_modules[i].expect);
		free(out);
		module_set_release(&ms);
	}

	/* A good module loads; a second module of the same name, or reusing a question id, does not. */
	module_set_init(&ms);
	assert_int_equal(modules_load_buffer(&ms, "good.yaml", good_module, strlen(good_module)), 0);
	capture_begin();
	assert_int_equal(modules_load_buffer(&ms, "again.yaml", good_module, strlen(good_module)), -1);
	{
		char *out = capture_end();
		static const char *const expect[] = {
			"again.yaml:1:9: error: duplicate module 'timing' (first defined in good.yaml",
			"again.yaml:6:9: error: duplicate question id 'TM-1' (already in good.yaml",
			NULL
		};
		expect_in_order("again.yaml", out, expect);
		free(out);
	}
	assert_int_equal(module_count(&ms), 1);
	assert_int_equal(module_at(&ms, 0)->questions[0].line, 6);
	module_set_release(&ms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_catalog),
		cmocka_unit_test(test_builtin_references),
		cmocka_unit_test(test_id_order),
		cmocka_unit_test(test_broken_entries),
		cmocka_unit_test(test_duplicate_id),
		cmocka_unit_test(test_entry_edges),
		cmocka_unit_test(test_user_folder),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_builtin_modules),
		cmocka_unit_test(test_catalog_modules_exist),
		cmocka_unit_test(test_answer_names),
		cmocka_unit_test(test_broken_modules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
