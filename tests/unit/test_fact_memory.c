/*
 * How one file's facts are held (src/base/arena.c, src/facts/intern.c,
 * file_facts_trim): a repository keeps every file's facts at once, so
 * strings are packed and shared within a file, and vectors give back their
 * spare room. None of it may change what a fact says.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "facts/facts.h"
#include "facts/intern.h"

static void test_arena_alignment(void **state)
{
	struct arena a = ARENA_INIT;
	(void)state;
	for (int i = 0; i < 2000; i++) {
		char *s = arena_strndup(&a, "abcdefg", (size_t)(i % 7));
		assert_int_equal(strlen(s), (size_t)(i % 7));
		void *p = arena_alloc(&a, (size_t)(i % 40) + 1);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_int_equal(((unsigned char *)p)[0], 0); /* zeroed */
		memset(p, 0xff, (size_t)(i % 40) + 1);
	}
	/* larger than any block, between small ones */
	char *big = arena_alloc(&a, 300 * 1024);
	char *after = arena_strdup(&a, "still here");
	assert_int_equal((uintptr_t)big % 16, 0);
	assert_string_equal(after, "still here");
	arena_release(&a);
}

static void test_facts_str_shares(void **state)
{
	struct file_facts ff;
	char src[] = "err err ctx.Done err";
	char long_text[INTERN_MAX_LEN + 10];
	(void)state;
	memset(long_text, 'x', sizeof(long_text));
	file_facts_init(&ff, "a/b.go", LANG_GO);
	const char *e1 = facts_str(&ff, src, 3);
	const char *e2 = facts_str(&ff, src + 4, 3);
	const char *c = facts_str(&ff, src + 8, 8);
	const char *e3 = facts_str(&ff, src + 17, 3);
	assert_string_equal(e1, "err");
	assert_ptr_equal(e1, e2);
	assert_ptr_equal(e1, e3);
	assert_string_equal(c, "ctx.Done");
	assert_ptr_not_equal(c, e1);
	/* a prefix is its own string */
	assert_string_equal(facts_str(&ff, src + 8, 3), "ctx");
	/* long texts are copied, and still right */
	const char *l1 = facts_str(&ff, long_text, sizeof(long_text));
	const char *l2 = facts_str(&ff, long_text, sizeof(long_text));
	assert_ptr_not_equal(l1, l2);
	assert_int_equal(strlen(l1), sizeof(long_text));
	/* many distinct names: the table grows and finds each */
	char name[16];
	const char *first[300];
	for (int i = 0; i < 300; i++) {
		int n = snprintf(name, sizeof(name), "v%d", i);
		first[i] = facts_str(&ff, name, (size_t)n);
	}
	for (int i = 0; i < 300; i++) {
		int n = snprintf(name, sizeof(name), "v%d", i);
		assert_ptr_equal(facts_str(&ff, name, (size_t)n), first[i]);
	}
	file_facts_release(&ff);
}

static void test_trim_keeps_facts(void **state)
{
	struct file_facts ff;
	(void)state;
	file_facts_init(&ff, "x.py", LANG_PYTHON);
	for (int i = 0; i < 37; i++) {
		struct fact_call *c = VEC_PUSH(&ff.calls);
		c->callee = facts_str(&ff, "self.r.xack", 11);
		c->span.line = (uint32_t)i + 1;
	}
	file_facts_trim(&ff);
	assert_int_equal(ff.calls.len, 37);
	assert_int_equal(ff.calls.cap, 37);
	assert_int_equal(ff.handlers.cap, 0);
	assert_null(ff.intern);
	for (int i = 0; i < 37; i++) {
		assert_int_equal(ff.calls.items[i].span.line, (uint32_t)i + 1);
		assert_string_equal(ff.calls.items[i].callee, "self.r.xack");
	}
	/* facts may still be added after a trim */
	VEC_PUSH(&ff.calls)->callee = facts_str(&ff, "self.r.xack", 11);
	assert_int_equal(ff.calls.len, 38);
	assert_string_equal(ff.calls.items[37].callee, "self.r.xack");
	file_facts_trim(&ff);
	file_facts_release(&ff);
}

/* Name lists share the file's strings; dropping the facts keeps the path a report borrows. */
static void test_strlist_shares_and_drop(void **state)
{
	struct file_facts ff;
	const char *names[] = { "ctx", "req.Header", "ctx" };
	(void)state;
	file_facts_init(&ff, "svc/a.go", LANG_GO);
	const char *ctx = facts_str(&ff, "ctx", 3);
	struct strlist l = facts_strlist(&ff, names, 3);
	assert_int_equal(l.len, 3);
	assert_ptr_equal(l.items[0], ctx);
	assert_ptr_equal(l.items[2], ctx);
	assert_string_equal(l.items[1], "req.Header");
	VEC_PUSH(&ff.calls)->callee = ctx;
	ff.nlines = 12;
	const char *path = ff.path;
	file_facts_drop(&ff);
	assert_ptr_equal(ff.path, path);
	assert_string_equal(ff.path, "svc/a.go");
	assert_int_equal(ff.nlines, 12);
	assert_int_equal(ff.calls.len, 0);
	assert_null(ff.arena.head);
	file_facts_release(&ff);
	assert_null(ff.path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alignment),
		cmocka_unit_test(test_facts_str_shares),
		cmocka_unit_test(test_trim_keeps_facts),
		cmocka_unit_test(test_strlist_shares_and_drop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
