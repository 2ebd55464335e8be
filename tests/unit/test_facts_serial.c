/*
 * The fact cache's (de)serialisation: the facts of every fixture, example
 * and test-data file survive a round trip (re-serialising gives the same
 * bytes, and the facts compare equal field by field where analyses look),
 * and cut or damaged payloads are refused without a crash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/strbuf.h"
#include "facts/facts.h"
#include "facts/serial.h"
#include "lang/lang.h"
#include "models/models.h"
#include "source/langreg.h"

static struct model_set models;
static size_t nfiles, nfacts;

static void str_eq(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void span_eq(const struct span *a, const struct span *b)
{
	assert_memory_equal(a, b, sizeof(*a));
}

static void list_eq(const struct strlist *a, const struct strlist *b)
{
	assert_int_equal(a->len, b->len);
	for (size_t i = 0; i < a->len; i++)
		str_eq(a->items[i], b->items[i]);
}

/* Field by field, the facts analyses read most. */
static void facts_eq(const struct file_facts *a, const struct file_facts *b)
{
	assert_int_equal(a->nlines, b->nlines);
	assert_int_equal(a->parse_errors, b->parse_errors);
	str_eq(a->skip_reason, b->skip_reason);
	assert_int_equal(a->functions.len, b->functions.len);
	for (size_t i = 0; i < a->functions.len; i++) {
		const struct fact_function *x = &a->functions.items[i], *y = &b->functions.items[i];
		str_eq(x->name, y->name);
		str_eq(x->cls, y->cls);
		span_eq(&x->span, &y->span);
		assert_int_equal(x->parent, y->parent);
		assert_int_equal(x->ndecorators, y->ndecorators);
	}
	assert_int_equal(a->calls.len, b->calls.len);
	for (size_t i = 0; i < a->calls.len; i++) {
		const struct fact_call *x = &a->calls.items[i], *y = &b->calls.items[i];
		str_eq(x->callee, y->callee);
		str_eq(x->op, y->op);
		str_eq(x->model, y->model);
		assert_int_equal(x->nargs, y->nargs);
		for (size_t k = 0; k < x->nargs; k++) {
			str_eq(x->args[k].name, y->args[k].name);
			str_eq(x->args[k].value, y->args[k].value);
			str_eq(x->args[k].text, y->args[k].text);
		}
		assert_int_equal(x->func, y->func);
		assert_int_equal(x->handler, y->handler);
		assert_int_equal(x->carrier, y->carrier);
		list_eq(&x->names, &y->names);
		span_eq(&x->block, &y->block);
	}
	assert_int_equal(a->handlers.len, b->handlers.len);
	for (size_t i = 0; i < a->handlers.len; i++) {
		list_eq(&a->handlers.items[i].types, &b->handlers.items[i].types);
		assert_int_equal(a->handlers.items[i].cls, b->handlers.items[i].cls);
	}
	assert_int_equal(a->writes.len, b->writes.len);
	for (size_t i = 0; i < a->writes.len; i++) {
		str_eq(a->writes.items[i].target, b->writes.items[i].target);
		str_eq(a->writes.items[i].value, b->writes.items[i].value);
		assert_int_equal(a->writes.items[i].crosses, b->writes.items[i].crosses);
	}
	assert_int_equal(a->reads.len, b->reads.len);
	for (size_t i = 0; i < a->reads.len; i++)
		list_eq(&a->reads.items[i].values, &b->reads.items[i].values);
	assert_int_equal(a->retries.len, b->retries.len);
	for (size_t i = 0; i < a->retries.len; i++)
		assert_int_equal(a->retries.items[i].attempts, b->retries.items[i].attempts);
	assert_int_equal(a->imports.len, b->imports.len);
	assert_int_equal(a->loops.len, b->loops.len);
	assert_int_equal(a->bindings.len, b->bindings.len);
	assert_int_equal(a->consts.len, b->consts.len);
}

static int one_file(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	enum lang lang = type == FTW_F ? lang_from_path(path) : LANG_NONE;
	lang_extract_fn extract = lang_extractor(lang);
	struct strbuf src = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	struct file_facts orig, back;

	if (!extract)
		return 0;
	assert_int_equal(read_file(path, &src, 0), 0);
	file_facts_init(&orig, path, lang);
	if (extract(src.buf, src.len, &orig) == 0) {
		models_resolve(&models, &orig);
		facts_serialise(&orig, &a);
		file_facts_init(&back, path, lang);
		if (facts_deserialise(a.buf, a.len, &back) != 0)
			fail_msg("%s: its own serialisation does not deserialise", path);
		facts_serialise(&back, &b);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.buf, b.buf, a.len);
		facts_eq(&orig, &back);
		nfiles++;
		nfacts += orig.calls.len + orig.writes.len + orig.reads.len;
		file_facts_release(&back);
	}
	file_facts_release(&orig);
	strbuf_release(&src);
	strbuf_release(&a);
	strbuf_release(&b);
	return 0;
}

static void round_trip_every_fixture(void **state)
{
	(void)state;
	const char *root = getenv("DISTARCH_SRC");
	static const char *const dirs[] = { "tests/fixtures", "tests/data", "examples" };
	model_set_init(&models);
	assert_int_equal(models_load_builtin(&models), 0);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		struct strbuf d = STRBUF_INIT;
		strbuf_addf(&d, "%s/%s", root ? root : ".", dirs[i]);
		assert_int_equal(nftw(d.buf, one_file, 16, FTW_PHYS), 0);
		strbuf_release(&d);
	}
	/* the walk found the fixtures, and they hold facts */
	assert_true(nfiles > 100);
	assert_true(nfacts > 1000);
	model_set_release(&models);
}

static const char sample[] =
	"import redis\n"
	"r = redis.Redis()\n"
	"def work(jobs):\n"
	"    for j in jobs:\n"
	"        try:\n"
	"            r.xack('s', 'g', j.id)\n"
	"        except redis.ConnectionError:\n"
	"            j.status = 'idle'\n"
	"            continue\n"
	"        if j.status == 'busy':\n"
	"            r.publish('c', {'type': 'DONE'})\n";

/* Every cut, and every single-byte change, of a real payload: refused or accepted, never a crash. */
static void damaged_payloads(void **state)
{
	(void)state;
	struct file_facts ff, back;
	struct strbuf a = STRBUF_INIT;
	file_facts_init(&ff, "s.py", LANG_PYTHON);
	assert_int_equal(python_extract(sample, sizeof(sample) - 1, &ff), 0);
	facts_serialise(&ff, &a);
	for (size_t cut = 0; cut < a.len; cut++) {
		file_facts_init(&back, "s.py", LANG_PYTHON);
		assert_int_equal(facts_deserialise(a.buf, cut, &back), -1);
		/* refused facts are left empty */
		assert_int_equal(back.calls.len + back.functions.len, 0);
		file_facts_release(&back);
	}
	for (size_t i = 0; i < a.len; i++) {
		for (int bit = 0; bit < 8; bit += 3) {
			a.buf[i] ^= (char)(1 << bit);
			file_facts_init(&back, "s.py", LANG_PYTHON);
			facts_deserialise(a.buf, a.len, &back);
			file_facts_release(&back);
			a.buf[i] ^= (char)(1 << bit);
		}
	}
	/* one byte too many, another language, another version: refused */
	strbuf_addch(&a, 0);
	file_facts_init(&back, "s.py", LANG_PYTHON);
	assert_int_equal(facts_deserialise(a.buf, a.len, &back), -1);
	file_facts_release(&back);
	file_facts_init(&back, "s.go", LANG_GO);
	assert_int_equal(facts_deserialise(a.buf, a.len - 1, &back), -1);
	file_facts_release(&back);
	a.buf[0] ^= 1;
	file_facts_init(&back, "s.py", LANG_PYTHON);
	assert_int_equal(facts_deserialise(a.buf, a.len - 1, &back), -1);
	file_facts_release(&back);
	strbuf_release(&a);
	file_facts_release(&ff);
}

/*
 * The head (serial.h): the scalar fields alone, from the front of the
 * bytes, as the fact cache keeps them. A skip reason is the first string
 * written, so a later string with its text refers back to it: the facts
 * still read back whole after the head is read apart.
 */
static void head_apart(void **state)
{
	(void)state;
	struct file_facts ff, back;
	struct strbuf a = STRBUF_INIT;
	struct facts_head h;
	file_facts_init(&ff, "s.py", LANG_PYTHON);
	assert_int_equal(python_extract(sample, sizeof(sample) - 1, &ff), 0);
	ff.skip_reason = "idle"; /* the text of a write's value too */
	ff.nesting_cut = 7;
	ff.max_nesting = 40;
	ff.is_test = true;
	facts_serialise(&ff, &a);
	size_t used = facts_head_parse(a.buf, a.len, &h);
	assert_true(used > 0 && used < a.len);
	assert_int_equal(h.lang, LANG_PYTHON);
	assert_int_equal(h.nlines, ff.nlines);
	assert_int_equal(h.nesting_cut, 7);
	assert_int_equal(h.max_nesting, 40);
	assert_true(h.is_test);
	assert_int_equal(h.skip_len, 4);
	assert_memory_equal(h.skip_reason, "idle", 4);
	file_facts_init(&back, "s.py", LANG_PYTHON);
	facts_head_apply(&h, &back);
	str_eq(back.skip_reason, "idle");
	assert_int_equal(back.nlines, ff.nlines);
	assert_int_equal(back.calls.len, 0);
	file_facts_release(&back);
	file_facts_init(&back, "s.py", LANG_PYTHON);
	assert_int_equal(facts_deserialise(a.buf, a.len, &back), 0);
	facts_eq(&ff, &back);
	file_facts_release(&back);
	/* every cut of the head: refused */
	for (size_t cut = 0; cut < used; cut++)
		assert_int_equal(facts_head_parse(a.buf, cut, &h), 0);
	ff.skip_reason = NULL;
	strbuf_release(&a);
	file_facts_release(&ff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_every_fixture),
		cmocka_unit_test(damaged_payloads),
		cmocka_unit_test(head_apart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
