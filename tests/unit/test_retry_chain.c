/*
 * retry_chain_for_call: the layers around one call — the client's own
 * retries bound through an assignment, the decorator on its function, a
 * retry loop around its call site in another file — and the cases that must
 * add nothing: a caller name defined twice, recursion, a poll loop.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "analyze/retry_chain.h"
#include "facts/index.h"
#include "lang/lang.h"
#include "models/models.h"

static const char client_py[] =
	"import httpx\n"                                                         /* 1 */
	"from tenacity import retry, stop_after_attempt\n"                       /* 2 */
	"\n"                                                                     /* 3 */
	"class Api:\n"                                                           /* 4 */
	"    def __init__(self):\n"                                              /* 5 */
	"        self._http = httpx.Client(transport=httpx.HTTPTransport(retries=2))\n" /* 6 */
	"\n"                                                                     /* 7 */
	"    @retry(stop=stop_after_attempt(3))\n"                               /* 8 */
	"    def submit(self, body):\n"                                          /* 9 */
	"        return self._http.post('/jobs', json=body)\n"                   /* 10 */
	"\n"                                                                     /* 11 */
	"    def again(self, n):\n"                                              /* 12 */
	"        if n:\n"                                                        /* 13 */
	"            return self.again(n - 1)\n"                                 /* 14 */
	"        return self._http.get('/x')\n";                                 /* 15 */

static const char runner_py[] =
	"from app.client import Api\n"                                           /* 1 */
	"\n"                                                                     /* 2 */
	"class Runner:\n"                                                        /* 3 */
	"    def run(self, body):\n"                                             /* 4 */
	"        for attempt in range(4):\n"                                     /* 5 */
	"            try:\n"                                                     /* 6 */
	"                return self.api.submit(body)\n"                         /* 7 */
	"            except OSError:\n"                                          /* 8 */
	"                continue\n"                                             /* 9 */
	"\n"                                                                     /* 10 */
	"    def poll(self):\n"                                                  /* 11 */
	"        while True:\n"                                                  /* 12 */
	"            for item in self.items:\n"                                  /* 13 */
	"                try:\n"                                                 /* 14 */
	"                    self.api.again(item)\n"                             /* 15 */
	"                    return\n"                                           /* 16 */
	"                except OSError:\n"                                      /* 17 */
	"                    continue\n";                                        /* 18 */

static struct fact_index ix;
static struct model_set ms;

static void add(const char *path, const char *src)
{
	struct file_facts *ff = index_add(&ix, path, LANG_PYTHON);
	assert_int_equal(python_extract(src, strlen(src), ff), 0);
	models_resolve(&ms, ff);
}

static int setup(void **state)
{
	(void)state;
	model_set_init(&ms);
	assert_int_equal(models_load_builtin(&ms), 0);
	index_init(&ix);
	add("app/client.py", client_py);
	add("app/runner.py", runner_py);
	index_build(&ix);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	index_release(&ix);
	model_set_release(&ms);
	return 0;
}

static size_t call_on_line(const struct file_facts *ff, uint32_t line, const char *method)
{
	for (size_t i = 0; i < ff->calls.len; i++)
		if (ff->calls.items[i].span.line == line && !strcmp(ff->calls.items[i].method, method))
			return i;
	fail_msg("no call %s on line %u", method, line);
	return 0;
}

static void test_three_layers(void **state)
{
	(void)state;
	struct analysis a;
	struct retry_chain ch;
	const struct file_facts *ff = index_get(&ix, "app/client.py");
	size_t ci = call_on_line(ff, 10, "post");

	analysis_init(&a, &ix, NULL, &ms);
	retry_chain_init(&ch);
	assert_true(retry_chain_is_operation(&a, ff, ci));
	assert_int_equal(retry_chain_for_call(&a, ff, ci, &ch), 3);
	/* innermost first: the client, the decorator, the caller's loop */
	assert_int_equal(ch.links.items[0].role, RETRY_ROLE_CLIENT);
	assert_int_equal(ch.links.items[0].line, 6);
	assert_int_equal(ch.links.items[0].attempts, 3);
	assert_string_equal(ch.links.items[0].bound_to, "self._http");
	assert_int_equal(ch.links.items[1].role, RETRY_ROLE_CODE);
	assert_int_equal(ch.links.items[1].line, 8);
	assert_int_equal(ch.links.items[2].line, 5);
	assert_string_equal(ch.links.items[2].path, "app/runner.py");
	assert_int_equal(ch.links.items[2].via_line, 7);
	assert_int_equal(ch.product, 3 * 3 * 4);
	assert_int_equal(ch.unknown, 0);
	retry_chain_release(&ch);
	analysis_release(&a);
}

static void test_recursion_and_poll_loop(void **state)
{
	(void)state;
	struct analysis a;
	struct retry_chain ch;
	const struct file_facts *ff = index_get(&ix, "app/client.py");
	size_t ci = call_on_line(ff, 15, "get");

	analysis_init(&a, &ix, NULL, &ms);
	retry_chain_init(&ch);
	/* the client only: `again` recurses, and poll() calls it per item */
	assert_int_equal(retry_chain_for_call(&a, ff, ci, &ch), 1);
	assert_int_equal(ch.links.items[0].role, RETRY_ROLE_CLIENT);
	retry_chain_release(&ch);
	analysis_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_layers),
		cmocka_unit_test(test_recursion_and_poll_loop),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
