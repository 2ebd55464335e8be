/*
 * The prefilter (src/source/prefilter.c) on real bytes: which files are
 * seeds, and the two properties its soundness rests on, checked over every
 * fixture, test data file and example:
 *  - a file without a needle yields none of the facts analyses start from
 *    (writes, reads, model operations, retry layers, classified handlers,
 *    health checks);
 *  - every key a lookup can use (function, call method, constant, a value
 *    or argument naming a constant) is one of the file's tokens, so the
 *    closure finds the file by it.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/factq.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "models/models.h"
#include "source/langreg.h"
#include "source/prefilter.h"

static struct model_set models;
static struct prefilter *pf;

static bool seed(enum lang l, const char *s)
{
	return prefilter_is_seed(pf, l, s, strlen(s));
}

static void seeds(void **state)
{
	(void)state;
	/* a model's import, a state word, a handler, a health call */
	assert_true(seed(LANG_PYTHON, "import redis\nr = redis.Redis()\n"));
	assert_true(seed(LANG_PYTHON, "def f(w):\n    w.Status = 1\n"));
	assert_true(seed(LANG_PYTHON, "for i in range(3):\n    try:\n        f()\n    except OSError:\n        pass\n"));
	assert_true(seed(LANG_GO, "package a\nfunc f() { if e := g(); e != nil { return } }\n"));
	assert_true(seed(LANG_JAVA, "class A { boolean f(B b) { return b.isReady(); } }\n"));
	assert_true(seed(LANG_TYPESCRIPT, "import { Kafka } from 'kafkajs';\n"));
	assert_true(seed(LANG_JAVASCRIPT, "function f(n) { return n.heartbeat(); }\n"));
	/* a message key: in Python a string key, followed by its quote */
	assert_true(seed(LANG_PYTHON, "send({'type': 'DONE'})\n"));
	assert_true(seed(LANG_PYTHON, "send({\"event_type\": x})\n"));
	assert_false(seed(LANG_PYTHON, "def shade(x):\n    return type(x)\n"));
	/* plain code with none of them */
	assert_false(seed(LANG_PYTHON, "PALETTE = {'red': 1}\n\ndef shade(x):\n    return x * 2\n"));
	assert_false(seed(LANG_GO, "package ui\n\nfunc Shade(x int) int { return x * 2 }\n"));
	assert_false(seed(LANG_TYPESCRIPT, "export const shade = (x: number) => x * 2;\n"));
}

static void tokens_meet_names(void **state)
{
	(void)state;
	pf_set toks = VEC_INIT, names = VEC_INIT, one = VEC_INIT;
	const char src[] = "x = {\"job-status\": 1}\nfoo_bar(onJobFailed)\n";
	prefilter_tokens(src, sizeof(src) - 1, &toks);
	/* jobStatus, job_status and "job-status" are one field (index_field_key) */
	prefilter_tokens("jobStatus", 9, &one);
	assert_true(u64set_meet(one.items, one.len, toks.items, toks.len));
	VEC_FREE(&one);
	prefilter_tokens("FooBar", 6, &one);
	assert_true(u64set_meet(one.items, one.len, toks.items, toks.len));
	VEC_FREE(&one);
	prefilter_tokens("shade", 5, &one);
	assert_false(u64set_meet(one.items, one.len, toks.items, toks.len));
	VEC_FREE(&one);
	/* a function's names include its word tails: AP-1 looks up callers of job_failed for on_job_failed */
	struct file_facts ff;
	file_facts_init(&ff, "a.py", LANG_PYTHON);
	struct fact_function *fn = VEC_PUSH(&ff.functions);
	fn->name = facts_str(&ff, "on_job_failed", 13);
	fn->parent = -1;
	prefilter_add_names(&names, &ff);
	u64set_seal(&names);
	prefilter_tokens("self.job_failed(j)", 18, &one);
	assert_true(u64set_meet(one.items, one.len, names.items, names.len));
	VEC_FREE(&one);
	file_facts_release(&ff);
	VEC_FREE(&names);
	VEC_FREE(&toks);
}

static size_t nfiles, nplain;

static bool name_is_token(const char *name, const pf_set *toks)
{
	pf_set one = VEC_INIT;
	if (!name || !*name || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(name))
		return true; /* dotted or quoted text: its parts are checked where they are names */
	prefilter_tokens(name, strlen(name), &one);
	bool ok = !one.len || u64set_meet(one.items, one.len, toks->items, toks->len);
	VEC_FREE(&one);
	return ok;
}

/* A value that may name a constant (`WorkerStatus.IDLE`): each segment is a token. */
static bool dotted_are_tokens(const char *v, const pf_set *toks)
{
	if (!v || !*v || strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") != strlen(v))
		return true; /* a literal, not a name */
	static const char *const literals[] = { "true", "false", "True", "False", "nil", "null", "None", "undefined" };
	for (size_t i = 0; i < sizeof(literals) / sizeof(*literals); i++)
		if (!strcmp(v, literals[i]))
			return true; /* const_link's is_name: never a constant */
	char seg[256];
	for (const char *p = v; *p;) {
		size_t n = strcspn(p, ".");
		if (n && n < sizeof(seg)) {
			memcpy(seg, p, n);
			seg[n] = '\0';
			if (!name_is_token(seg, toks))
				return false;
		}
		p += n + (p[n] == '.');
	}
	return true;
}

static int one_file(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	enum lang lang = type == FTW_F ? lang_from_path(path) : LANG_NONE;
	lang_extract_fn extract = lang ? lang_extractor(lang) : NULL;
	struct strbuf src = STRBUF_INIT;
	if (!extract || read_file(path, &src, 0))
		return 0;
	struct file_facts ff;
	file_facts_init(&ff, path, lang);
	if (extract(src.buf, src.len, &ff) == 0 && !ff.skip_reason) {
		models_resolve(&models, &ff);
		nfiles++;
		if (!prefilter_is_seed(pf, lang, src.buf, src.len)) {
			nplain++;
			if (ff.writes.len || ff.reads.len || ff.retries.len)
				fail_msg("%s: no needle, but writes, reads or retries", path);
			for (size_t i = 0; i < ff.calls.len; i++)
				if (ff.calls.items[i].op || call_checks_health(&ff.calls.items[i]))
					fail_msg("%s: no needle, but a model or health call %s", path,
						 ff.calls.items[i].callee);
			for (size_t i = 0; i < ff.handlers.len; i++)
				if (ff.handlers.items[i].cls != FAIL_UNKNOWN)
					fail_msg("%s: no needle, but a classified handler", path);
		}
		pf_set toks = VEC_INIT;
		prefilter_tokens(src.buf, src.len, &toks);
		for (size_t i = 0; i < ff.functions.len; i++)
			if (!name_is_token(ff.functions.items[i].name, &toks))
				fail_msg("%s: function %s is no token", path, ff.functions.items[i].name);
		for (size_t i = 0; i < ff.calls.len; i++)
			if (!name_is_token(ff.calls.items[i].method, &toks))
				fail_msg("%s: method %s is no token", path, ff.calls.items[i].method);
		/* Fields need no token: a read or write makes its file a seed (above), and
		 * a field may be derived (Java's getStatus() reads `status`). */
		for (size_t i = 0; i < ff.calls.len; i++)
			for (size_t a = 0; a < ff.calls.items[i].nargs; a++)
				if (!ff.calls.items[i].args[a].is_string &&
				    !dotted_are_tokens(ff.calls.items[i].args[a].value, &toks))
					fail_msg("%s: argument %s is no token", path, ff.calls.items[i].args[a].value);
		for (size_t i = 0; i < ff.writes.len; i++)
			if (!dotted_are_tokens(ff.writes.items[i].value, &toks))
				fail_msg("%s: value %s is no token", path, ff.writes.items[i].value);
		for (size_t i = 0; i < ff.consts.len; i++)
			if (!name_is_token(ff.consts.items[i].name, &toks))
				fail_msg("%s: constant %s is no token", path, ff.consts.items[i].name);
		VEC_FREE(&toks);
	}
	file_facts_release(&ff);
	strbuf_release(&src);
	return 0;
}

static void every_fixture(void **state)
{
	(void)state;
	const char *root = getenv("DISTARCH_SRC");
	static const char *const dirs[] = { "tests/fixtures", "tests/data", "examples" };
	const char *tree = getenv("PREFILTER_TREE"); /* by hand: the same over a real corpus */
	if (tree) {
		assert_int_equal(nftw(tree, one_file, 16, FTW_PHYS), 0);
		print_message("%s: %zu files, %zu without a needle\n", tree, nfiles, nplain);
		return;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		struct strbuf d = STRBUF_INIT;
		strbuf_addf(&d, "%s/%s", root ? root : ".", dirs[i]);
		assert_int_equal(nftw(d.buf, one_file, 16, FTW_PHYS), 0);
		strbuf_release(&d);
	}
	print_message("%zu files, %zu without a needle\n", nfiles, nplain);
	assert_true(nfiles > 100);
	assert_true(nplain > 0); /* else the first property was never tested */
}

static int setup(void **state)
{
	(void)state;
	model_set_init(&models);
	assert_int_equal(models_load_builtin(&models), 0);
	pf = prefilter_new(&models);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	prefilter_free(pf);
	model_set_release(&models);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seeds),
		cmocka_unit_test(tokens_meet_names),
		cmocka_unit_test(every_fixture),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
