/*
 * Drift (src/topo/drift.c, links.c): code links from facts built by hand,
 * matched against a small topology: what accounts for a relationship,
 * MISSING, STALE, UNMAPPED, helpers followed one level, URL hosts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "facts/index.h"
#include "models/models.h"
#include "topo/drift.h"
#include "topo/links.h"

static const char topo_yaml[] =
	"components:\n"
	"  - {name: api, count: 1, paths: [api/**]}\n"
	"  - {name: worker, count: N, paths: [worker/**]}\n"
	"  - {name: redis, count: 1, role: job queue}\n"
	"  - {name: s3, count: 1, role: Object storage}\n"
	"relationships:\n"
	"  - {from: api, to: redis, via: Redis Streams}\n"          /* line 7 */
	"  - {from: redis, to: worker, via: Redis Streams}\n"       /* line 8 */
	"  - {from: worker, to: api, via: HTTP callback}\n";        /* line 9: no code shows it */

static struct file_facts *add_file(struct fact_index *ix, const char *path)
{
	return index_add(ix, path, LANG_PYTHON);
}

static void add_call(struct file_facts *ff, const char *callee, const char *method, const char *op,
		     const char *model, uint32_t line, int func)
{
	struct fact_call *c = VEC_PUSH(&ff->calls);
	c->callee = facts_str(ff, callee, strlen(callee));
	c->method = facts_str(ff, method, strlen(method));
	c->op = op ? facts_str(ff, op, strlen(op)) : NULL;
	c->model = model ? facts_str(ff, model, strlen(model)) : NULL;
	c->span = (struct span){ line, 5, line, 20 };
	c->func = func;
	c->handler = c->loop = c->guard = c->carrier = -1;
}

static int add_func(struct file_facts *ff, const char *name, uint32_t first, uint32_t last)
{
	struct fact_function *f = VEC_PUSH(&ff->functions);
	f->name = facts_str(ff, name, strlen(name));
	f->span = (struct span){ first, 1, last, 1 };
	f->parent = -1;
	return (int)ff->functions.len - 1;
}

struct fixture {
	struct topology t;
	struct model_set ms;
	struct fact_index ix;
	struct code_links cl;
	struct drift d;
};

static void setup_fixture(struct fixture *fx)
{
	topology_init(&fx->t);
	assert_int_equal(topology_load_buffer(&fx->t, "topo.yaml", topo_yaml, strlen(topo_yaml)), 0);
	model_set_init(&fx->ms);
	assert_int_equal(models_load_builtin(&fx->ms), 0);
	index_init(&fx->ix);
	code_links_init(&fx->cl);
	drift_init(&fx->d);
}

static void run_drift(struct fixture *fx)
{
	index_build(&fx->ix);
	code_links_collect(&fx->cl, &fx->ix, &fx->t, &fx->ms);
	drift_compare(&fx->d, &fx->t, "topo.yaml", &fx->cl);
}

static void release_fixture(struct fixture *fx)
{
	drift_release(&fx->d);
	code_links_release(&fx->cl);
	index_release(&fx->ix);
	model_set_release(&fx->ms);
	topology_release(&fx->t);
}

static size_t count_rule(const struct drift *d, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < d->findings.len; i++)
		n += !strcmp(d->findings.items[i].rule, rule);
	return n;
}

static const struct finding *find_rule(const struct drift *d, const char *rule)
{
	for (size_t i = 0; i < d->findings.len; i++)
		if (!strcmp(d->findings.items[i].rule, rule))
			return &d->findings.items[i];
	return NULL;
}

static void test_matching_and_stale(void **state)
{
	(void)state;
	struct fixture fx;
	setup_fixture(&fx);
	struct file_facts *api = add_file(&fx.ix, "api/app.py");
	add_call(api, "self.redis.xadd", "xadd", "queue.publish", "redis-py", 10, -1);
	struct file_facts *w = add_file(&fx.ix, "worker/main.py");
	add_call(w, "r.xreadgroup", "xreadgroup", "queue.consume", "redis-py", 4, -1);
	run_drift(&fx);
	assert_int_equal(fx.cl.items.len, 2);
	assert_string_equal(fx.cl.items.items[0].peer, "redis");
	assert_int_equal(count_rule(&fx.d, DRIFT_MISSING), 0);
	assert_int_equal(count_rule(&fx.d, DRIFT_STALE), 1);
	const struct finding *f = find_rule(&fx.d, DRIFT_STALE);
	assert_string_equal(f->path, "topo.yaml");
	assert_int_equal(f->line, 9);
	assert_int_equal(f->severity, SEV_NOTE);
	assert_int_equal(fx.d.judged, 3);
	assert_int_equal(fx.d.confirmed, 2);
	release_fixture(&fx);
}

static void test_missing_direction_and_peer(void **state)
{
	(void)state;
	struct fixture fx;
	setup_fixture(&fx);
	/* The worker publishes: the only redis edge of the worker enters it. */
	struct file_facts *w = add_file(&fx.ix, "worker/main.py");
	add_call(w, "r.xadd", "xadd", "queue.publish", "redis-py", 7, -1);
	/* And uploads: no edge to s3; the peer comes from s3's role. */
	add_call(w, "s3.put_object", "put_object", "storage.write", "boto3", 9, -1);
	run_drift(&fx);
	assert_int_equal(count_rule(&fx.d, DRIFT_MISSING), 2);
	const struct finding *f = &fx.d.findings.items[0];
	assert_string_equal(f->rule, DRIFT_MISSING);
	assert_string_equal(f->path, "worker/main.py");
	assert_int_equal(f->line, 7);
	assert_string_equal(f->component, "worker");
	assert_non_null(strstr(f->fix, "{from: worker, to: redis"));
	assert_non_null(strstr(fx.d.findings.items[1].fix, "to: s3"));
	release_fixture(&fx);
}

static void test_unmapped_and_helper(void **state)
{
	(void)state;
	struct fixture fx;
	setup_fixture(&fx);
	/* api/queue.py defines enqueue(), which publishes; tools/ calls it and belongs to nobody. */
	struct file_facts *q = add_file(&fx.ix, "api/queue.py");
	int fn = add_func(q, "enqueue", 3, 6);
	add_call(q, "self.redis.xadd", "xadd", "queue.publish", "redis-py", 5, fn);
	struct file_facts *t = add_file(&fx.ix, "tools/replay.py");
	add_call(t, "queue.enqueue", "enqueue", NULL, NULL, 12, -1);
	run_drift(&fx);
	const struct finding *f = find_rule(&fx.d, DRIFT_UNMAPPED);
	assert_non_null(f);
	assert_string_equal(f->path, "tools/replay.py");
	assert_int_equal(f->line, 12);
	assert_string_equal(f->component, "tools");
	bool through = false;
	for (size_t i = 0; i < fx.cl.items.len; i++)
		for (size_t s = 0; s < fx.cl.items.items[i].sites.len; s++)
			through |= fx.cl.items.items[i].sites.items[s].through &&
				   !strcmp(fx.cl.items.items[i].sites.items[s].through, "enqueue");
	assert_true(through);
	release_fixture(&fx);
}

static void test_words_and_hosts(void **state)
{
	(void)state;
	char host[64];
	assert_true(text_mentions("Redis Streams (XADD)", "stream"));
	assert_true(text_mentions("WebSocket", "websocket"));
	assert_false(text_mentions("HTTP (REST)", "ws"));
	assert_false(text_mentions("news feed", "ws"));
	assert_true(text_mentions_words("Connection pool (asyncpg)", "asyncpg"));
	assert_true(text_mentions_words("Redis Streams", "redis-py"));
	assert_false(text_mentions_words("HTTP", "redis-py"));
	assert_true(link_url_host("http://user:pw@comfyui:8188/prompt", host, sizeof(host)));
	assert_string_equal(host, "comfyui");
	assert_true(link_url_host("ws://engine/ws", host, sizeof(host)));
	assert_string_equal(host, "engine");
	assert_false(link_url_host("/jobs", host, sizeof(host)));
	enum link_kind k;
	enum link_dir d;
	assert_true(link_for_op("queue.consume", &k, &d));
	assert_int_equal(k, LINK_QUEUE);
	assert_int_equal(d, LINK_IN);
	assert_false(link_for_op("client.new", &k, &d));
	assert_false(link_for_op("stream.close", &k, &d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matching_and_stale),
		cmocka_unit_test(test_missing_direction_and_peer),
		cmocka_unit_test(test_unmapped_and_helper),
		cmocka_unit_test(test_words_and_hosts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
