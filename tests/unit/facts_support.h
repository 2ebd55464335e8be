/*
 * Helpers shared by the front-end fact tests (test_<lang>_facts.c): one
 * file's facts in `ff`, extracted from inline text or a file under
 * tests/data/<dir>/, and lookups that fail the test with a message when the
 * fact is missing. Include after <cmocka.h>. Header-only: every test is one
 * executable.
 */
#ifndef DISTARCH_FACTS_SUPPORT_H
#define DISTARCH_FACTS_SUPPORT_H

#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/strbuf.h"
#include "lang/lang.h"

static struct file_facts ff;

static inline void extract_with(lang_extract_fn fn, enum lang lang, const char *name,
				const char *src, size_t len)
{
	file_facts_init(&ff, name, lang);
	assert_int_equal(fn(src, len, &ff), 0);
}

/* tests/data/<dir>/<name>, which must parse without syntax errors. */
static inline void extract_data_file(lang_extract_fn fn, enum lang lang, const char *dir,
				     const char *name)
{
	const char *root = getenv("DISTARCH_SRC");
	struct strbuf path = STRBUF_INIT, src = STRBUF_INIT;

	strbuf_addf(&path, "%s/tests/data/%s/%s", root ? root : ".", dir, name);
	if (read_file(path.buf, &src, 0))
		fail_msg("cannot read %s", path.buf);
	extract_with(fn, lang, name, src.buf, src.len);
	assert_false(ff.parse_errors);
	strbuf_release(&path);
	strbuf_release(&src);
}

static inline int facts_teardown(void **state)
{
	(void)state;
	file_facts_release(&ff);
	return 0;
}

static inline const struct fact_call *call_named(const char *callee)
{
	for (size_t i = 0; i < ff.calls.len; i++)
		if (!strcmp(ff.calls.items[i].callee, callee))
			return &ff.calls.items[i];
	fail_msg("no call %s", callee);
	return NULL;
}

static inline int func_index(const char *name)
{
	for (size_t i = 0; i < ff.functions.len; i++)
		if (!strcmp(ff.functions.items[i].name, name))
			return (int)i;
	fail_msg("no function %s", name);
	return -1;
}

#endif
