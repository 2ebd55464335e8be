/* topo_count_parse: the free-text component counts, good forms and bad. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "topo/topology.h"

struct good {
	const char *text;
	long n, replicas;
	bool fixed, dynamic, one;
};

static const struct good goods[] = {
	/* text                            n   repl  fixed  dyn    one */
	{ "1 (fixed)",                     1,  -1,  true,  false, true },
	{ "N (dynamic)",                  -1,  -1,  false, true,  false },
	{ "3 nodes, 2 replicas (fixed)",   3,   2,  true,  false, false },
	{ "1",                             1,  -1,  false, false, true },
	{ "N",                            -1,  -1,  false, true,  false },
	{ "n",                            -1,  -1,  false, true,  false },
	{ "3",                             3,  -1,  false, false, false },
	{ "2-5 (dynamic)",                -1,  -1,  false, true,  false },
	{ "2 - 5",                        -1,  -1,  false, true,  false },
	{ "1 per worker",                 -1,  -1,  false, false, false },
	{ "1 instance per worker",        -1,  -1,  false, false, false },
	{ "0..N",                         -1,  -1,  false, true,  false },
	{ "1..*",                         -1,  -1,  false, true,  false },
	{ "0..1",                          1,  -1,  false, true,  true },
	{ "3+",                           -1,  -1,  false, true,  false },
	{ "many",                         -1,  -1,  false, true,  false },
	{ "one",                           1,  -1,  false, false, true },
	{ "  1   (Fixed)  ",               1,  -1,  true,  false, true },
	{ "N (fixed)",                    -1,  -1,  true,  false, false },
	{ "5 pods (autoscaled)",           5,  -1,  false, true,  false },
	{ "1 (fixed, one per AZ)",         1,  -1,  true,  false, true },
	{ "1 node, 3 replicas",            1,   3,  false, false, false },
	{ "4 dynamic",                     4,  -1,  false, true,  false },
	{ "2 to 8 workers",               -1,  -1,  false, true,  false },
};

static void test_good_forms(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		const struct good *g = &goods[i];
		struct topo_count c;
		const char *why = "unset";
		int r = topo_count_parse(g->text, &c, &why);
		if (r != 0)
			fail_msg("'%s' did not parse: %s", g->text, why);
		if (c.n != g->n || c.replicas != g->replicas || c.fixed != g->fixed ||
		    c.dynamic != g->dynamic || topo_count_is_one(&c) != g->one)
			fail_msg("'%s': n=%ld replicas=%ld fixed=%d dynamic=%d one=%d", g->text, c.n,
				 c.replicas, c.fixed, c.dynamic, topo_count_is_one(&c));
		assert_ptr_equal(c.text, g->text);
	}
}

static const char *const bads[] = {
	"", "   ", "many-ish", "N-ish", "lots", "3x", "3nodes", "0", "1.5", "5-2",
	"1 (fixed) extra", "1 (fixed", "1 (fixed, dynamic)", "3 nodes, replicas",
	"3 nodes, 0 replicas", "1 per", "-1", "99999999999999", "3 nodes banana split",
	"N+", "true", "(fixed)", "3-node",
};

static void test_bad_forms(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct topo_count c;
		const char *why = NULL;
		if (topo_count_parse(bads[i], &c, &why) == 0)
			fail_msg("'%s' parsed (n=%ld) but should not", bads[i], c.n);
		assert_non_null(why);
		assert_true(strlen(why) > 0);
	}
}

static void test_null_text_and_why(void **state)
{
	(void)state;
	struct topo_count c;
	assert_int_equal(topo_count_parse(NULL, &c, NULL), -1);
	const char *why = NULL;
	assert_int_equal(topo_count_parse("many-ish", &c, &why), -1);
	assert_non_null(why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_forms),
		cmocka_unit_test(test_bad_forms),
		cmocka_unit_test(test_null_text_and_why),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
