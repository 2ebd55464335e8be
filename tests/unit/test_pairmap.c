/*
 * The pointer+integer map (src/base/pairmap.h) the analyses' memos use:
 * exact keys (the same pointer with another integer is another key),
 * NULL values told apart from absent ones, insertion order kept across
 * growth, and the strmap's stored hashes (src/base/strmap.h) still finding
 * every key after its table grew.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>

#include "base/pairmap.h"
#include "base/strmap.h"

static void test_exact_keys(void **state)
{
	struct pairmap m = PAIRMAP_INIT;
	int a = 0, b = 0;
	void *v = &b;
	(void)state;
	assert_null(pairmap_get(&m, &a, 0));
	assert_false(pairmap_find(&m, &a, 0, &v));
	assert_ptr_equal(v, &b); /* untouched on a miss */
	assert_null(pairmap_put(&m, &a, 0, &a));
	assert_null(pairmap_put(&m, &a, (uint64_t)-1, &b)); /* func -1: another key */
	assert_null(pairmap_put(&m, &b, 0, NULL));
	assert_ptr_equal(pairmap_get(&m, &a, 0), &a);
	assert_ptr_equal(pairmap_get(&m, &a, (uint64_t)-1), &b);
	assert_null(pairmap_get(&m, &a, 1));
	/* a NULL value is present, not absent */
	assert_true(pairmap_find(&m, &b, 0, &v));
	assert_null(v);
	assert_false(pairmap_find(&m, &b, 1, NULL));
	/* replacing returns the old value and keeps the entry's place */
	assert_ptr_equal(pairmap_put(&m, &a, 0, &b), &a);
	assert_int_equal(m.len, 3);
	assert_ptr_equal(m.entries[0].value, &b);
	pairmap_release(&m);
	assert_int_equal(m.len, 0);
	assert_null(pairmap_get(&m, &a, 0));
}

static void test_growth_keeps_order(void **state)
{
	struct pairmap m = PAIRMAP_INIT;
	static char base[64];
	(void)state;
	for (uint64_t i = 0; i < 5000; i++)
		assert_null(pairmap_put(&m, base + i % 64, i, (void *)(uintptr_t)(i + 1)));
	assert_int_equal(m.len, 5000);
	for (uint64_t i = 0; i < 5000; i++) {
		assert_ptr_equal(pairmap_get(&m, base + i % 64, i), (void *)(uintptr_t)(i + 1));
		assert_null(pairmap_get(&m, base + (i + 1) % 64, i)); /* same integer, other pointer */
		assert_ptr_equal(m.entries[i].p, base + i % 64);
		assert_int_equal(m.entries[i].n, i);
	}
	pairmap_release(&m);
}

static void test_strmap_after_growth(void **state)
{
	struct strmap m = STRMAP_INIT;
	char key[32];
	(void)state;
	assert_null(strmap_get(&m, "x"));
	assert_false(strmap_contains(&m, "x"));
	for (int i = 0; i < 3000; i++) {
		snprintf(key, sizeof(key), "name%d", i);
		assert_null(strmap_put(&m, key, (void *)(uintptr_t)(i + 1)));
	}
	for (int i = 0; i < 3000; i++) {
		snprintf(key, sizeof(key), "name%d", i);
		assert_ptr_equal(strmap_get(&m, key), (void *)(uintptr_t)(i + 1));
		assert_string_equal(m.entries[i].key, key);
	}
	assert_null(strmap_get(&m, "name3000"));
	assert_null(strmap_get(&m, ""));
	assert_ptr_equal(strmap_put(&m, "name7", NULL), (void *)(uintptr_t)8);
	assert_true(strmap_contains(&m, "name7"));
	strmap_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_keys),
		cmocka_unit_test(test_growth_keeps_order),
		cmocka_unit_test(test_strmap_after_growth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
