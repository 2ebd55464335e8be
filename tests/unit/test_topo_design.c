/*
 * The design analyses (src/topo/analyze.h), each on topologies built for
 * it, plus the plugin's template and the video-platform example: what is
 * found, what is not, where, and that the bounded searches stay bounded.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/strbuf.h"
#include "topo/analyze.h"
#include "topo/diagram.h"
#include "topo/topology.h"

struct fx {
	struct topology t;
	struct topo_review rv;
};

static struct fx *review_text(const char *yaml, unsigned budget)
{
	struct fx *x = calloc(1, sizeof(*x));
	assert_non_null(x);
	topology_init(&x->t);
	assert_int_equal(topology_load_buffer(&x->t, "t.yaml", yaml, strlen(yaml)), 0);
	topo_review_run(&x->rv, &x->t, budget);
	return x;
}

static struct fx *review_file(const char *rel)
{
	struct strbuf sb = STRBUF_INIT;
	const char *src = getenv("DISTARCH_SRC");
	strbuf_addf(&sb, "%s/%s", src ? src : ".", rel);
	struct fx *x = calloc(1, sizeof(*x));
	assert_non_null(x);
	topology_init(&x->t);
	assert_int_equal(topology_load_file(&x->t, sb.buf), 0);
	topo_review_run(&x->rv, &x->t, 0);
	strbuf_release(&sb);
	return x;
}

static void fx_free(struct fx *x)
{
	topo_review_release(&x->rv);
	topology_release(&x->t);
	free(x);
}

static size_t count(const struct fx *x, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < x->rv.findings.len; i++)
		n += !strcmp(x->rv.findings.items[i].rule, rule);
	return n;
}

/* The finding of `rule` for `component` (NULL: any), or NULL. */
static const struct finding *find(const struct fx *x, const char *rule, const char *component)
{
	for (size_t i = 0; i < x->rv.findings.len; i++) {
		const struct finding *f = &x->rv.findings.items[i];
		if (!strcmp(f->rule, rule) && (!component || (f->component && !strcmp(f->component, component))))
			return f;
	}
	return NULL;
}

#define HEAD "components:\n"

static void test_spof_dominators(void **state)
{
	(void)state;
	struct fx *x = review_text(HEAD
		"  - {name: web, count: 1, role: browser web app}\n"
		"  - {name: gateway, count: 1 (fixed)}\n"
		"  - {name: svc, count: 3}\n"
		"  - {name: db, count: 1 (fixed)}\n"
		"  - {name: blob, count: 1 (managed)}\n"
		"relationships:\n"
		"  - {from: web, to: gateway}\n"
		"  - {from: gateway, to: svc}\n"
		"  - {from: svc, to: db}\n"
		"  - {from: svc, to: blob}\n", 0);
	const struct finding *g = find(x, "TOPO-SPOF", "gateway");
	assert_non_null(g);
	assert_non_null(strstr(g->message, "every path from the entry points to 3 components"));
	assert_int_equal(g->line, 3); /* the component's mapping */
	const struct finding *db = find(x, "TOPO-SPOF", "db");
	assert_non_null(db);
	assert_non_null(strstr(db->message, "that svc needs"));
	assert_null(find(x, "TOPO-SPOF", "web"));  /* a client entry point */
	assert_null(find(x, "TOPO-SPOF", "svc"));  /* three instances */
	assert_null(find(x, "TOPO-SPOF", "blob")); /* managed */
	assert_int_equal(x->rv.spofs, 2);
	assert_true(x->rv.comp_mark[1] & TOPO_MARK_SPOF);
	fx_free(x);
}

static void test_spof_not_on_every_path(void **state)
{
	(void)state;
	/* Two routes to the store: neither router is on every path. */
	struct fx *x = review_text(HEAD
		"  - {name: lb, count: 2}\n"
		"  - {name: r1, count: 1}\n"
		"  - {name: r2, count: 1}\n"
		"  - {name: store, count: 3}\n"
		"relationships:\n"
		"  - {from: lb, to: r1}\n"
		"  - {from: lb, to: r2}\n"
		"  - {from: r1, to: store}\n"
		"  - {from: r2, to: store}\n", 0);
	const struct finding *f = find(x, "TOPO-SPOF", "r1");
	assert_non_null(f); /* a single instance lb needs, but it cuts nothing off */
	assert_null(strstr(f->message, "every path"));
	fx_free(x);
}

static void test_bottleneck(void **state)
{
	(void)state;
	struct fx *x = review_text(HEAD
		"  - {name: workers, count: N (dynamic)}\n"
		"  - {name: hub, count: 1 (fixed)}\n"
		"  - {name: log, count: 1}\n"
		"relationships:\n"
		"  - {from: workers, to: hub, via: WebSocket}\n"
		"  - {from: workers, to: log}\n", 0);
	const struct finding *h = find(x, "TOPO-BOTTLENECK", "hub");
	assert_non_null(h);
	assert_int_equal(h->severity, SEV_WARNING);
	assert_non_null(strstr(h->message, "cannot scale out"));
	const struct finding *l = find(x, "TOPO-BOTTLENECK", "log");
	assert_non_null(l);
	assert_int_equal(l->severity, SEV_NOTE); /* one, but not fixed */
	assert_int_equal(x->rv.bottlenecks, 2);
	fx_free(x);
}

static void test_cascade_chain_and_blast(void **state)
{
	(void)state;
	struct fx *x = review_text(HEAD
		"  - {name: a, count: 1}\n  - {name: b, count: 1}\n  - {name: c, count: 1}\n"
		"  - {name: d, count: 1}\n  - {name: e, count: N}\n"
		"relationships:\n"
		"  - {from: a, to: b, timeout: 5s}\n  - {from: b, to: c}\n  - {from: c, to: d}\n"
		"  - {from: e, to: d}\n", 0);
	const struct finding *chain = NULL;
	for (size_t i = 0; i < x->rv.findings.len; i++)
		if (!strcmp(x->rv.findings.items[i].rule, "TOPO-CASCADE") &&
		    strstr(x->rv.findings.items[i].message, "in series"))
			chain = &x->rv.findings.items[i];
	assert_non_null(chain);
	assert_non_null(strstr(chain->message, "a -> b -> c -> d: 4 single instances"));
	assert_non_null(chain->fix);
	assert_non_null(strstr(chain->fix, "b -> c, c -> d")); /* the hops without a timeout */
	assert_non_null(x->rv.blast);
	assert_int_equal(x->rv.blast[3], 4); /* a, b, c and e depend on d */
	assert_int_equal(x->rv.blast[0], 0);
	assert_int_equal(x->rv.max_blast, 3);
	fx_free(x);
}

static void test_loops(void **state)
{
	(void)state;
	struct fx *x = review_text(HEAD
		"  - {name: a, count: 1}\n  - {name: b, count: N}\n  - {name: c, count: 1}\n"
		"  - {name: d, count: 1}\n  - {name: e, count: 1}\n"
		"relationships:\n"
		"  - {from: a, to: b, via: WebSocket}\n  - {from: b, to: a, via: HTTP}\n"
		"  - {from: c, to: d}\n  - {from: d, to: e}\n  - {from: e, to: c, retries: 2}\n"
		"  - {from: e, to: e, via: timer}\n", 0);
	assert_int_equal(count(x, "TOPO-LOOP"), 3);
	assert_int_equal(x->rv.loops, 3);
	assert_false(x->rv.loops_bounded);
	const struct finding *ab = find(x, "TOPO-LOOP", "a");
	assert_non_null(ab);
	assert_non_null(strstr(ab->message, "a -> b -> a"));
	const struct finding *cde = find(x, "TOPO-LOOP", "c");
	assert_non_null(cde);
	bool retry_noted = false;
	for (size_t i = 0; i < cde->evidence.len; i++)
		retry_noted |= strstr(cde->evidence.items[i], "2 on e -> c") != NULL;
	assert_true(retry_noted);
	assert_true(x->rv.rel_mark[0] & TOPO_MARK_LOOP);
	fx_free(x);

	x = review_text(HEAD "  - {name: a, count: 1}\n  - {name: b, count: 1}\nrelationships:\n"
			"  - {from: a, to: b}\n", 0);
	assert_int_equal(count(x, "TOPO-LOOP"), 0);
	fx_free(x);
}

static void test_retry_amp(void **state)
{
	(void)state;
	const char *yaml = HEAD
		"  - {name: a, count: 1}\n  - {name: b, count: 1}\n  - {name: c, count: 1}\n  - {name: d, count: 1}\n"
		"relationships:\n"
		"  - {from: a, to: b, retries: 3}\n  - {from: b, to: c, retries: 3}\n  - {from: c, to: d}\n"
		"  - {from: a, to: c, retries: 1}\n";
	struct fx *x = review_text(yaml, 0);
	assert_true(x->rv.worst_retry == 16);
	const struct finding *f = find(x, "TOPO-RETRY-AMP", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_non_null(strstr(f->message, "up to 16 attempts reach d"));
	assert_non_null(strstr(f->message, "a -> b -> c -> d"));
	assert_int_equal(f->line, 7); /* the first retrying relationship */
	assert_int_equal(count(x, "TOPO-RETRY-AMP"), 1); /* a -> c -> d (x2) is under the budget */
	fx_free(x);

	x = review_text(yaml, 20); /* a larger budget: a note with the worst path */
	f = find(x, "TOPO-RETRY-AMP", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_NOTE);
	assert_int_equal(count(x, "TOPO-RETRY-AMP"), 1);
	fx_free(x);
}

/* A complete graph: the simple paths are factorial; the search must stay bounded and fast. */
static void test_retry_amp_dense_is_bounded(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	enum { K = 40 };
	strbuf_addstr(&sb, HEAD);
	for (int i = 0; i < K; i++)
		strbuf_addf(&sb, "  - {name: n%d, count: 1}\n", i);
	strbuf_addstr(&sb, "relationships:\n");
	for (int i = 0; i < K; i++)
		for (int j = 0; j < K; j++)
			if (i != j)
				strbuf_addf(&sb, "  - {from: n%d, to: n%d, retries: %d}\n", i, j, (i * j) % 3);
	clock_t t0 = clock();
	struct fx *x = review_text(sb.buf, 0);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_true(secs < 20);
	assert_true(x->rv.worst_retry > 10);
	assert_true(x->rv.loops_bounded);      /* more cycles than listed */
	assert_int_equal(x->rv.loops, TOPO_MAX_LOOPS);
	assert_true(count(x, "TOPO-RETRY-AMP") <= TOPO_MAX_AMP_FINDINGS);
	fx_free(x);
	strbuf_release(&sb);
}

static void test_contention(void **state)
{
	(void)state;
	struct fx *x = review_text(HEAD
		"  - {name: api, count: 1}\n  - {name: worker, count: N}\n  - {name: cron, count: 1}\n"
		"convergence_points:\n"
		"  - {resource: jobs table, accessed_by: [api, worker], type: database table}\n"
		"  - {resource: cache key, accessed_by: [worker]}\n"
		"  - {resource: report file, accessed_by: [cron]}\n"
		"  - {resource: jobs queue, accessed_by: [api, cron], type: queue}\n", 0);
	assert_int_equal(count(x, "TOPO-CONTENTION"), 3);
	const struct finding *f = &x->rv.findings.items[0];
	for (size_t i = 0; i < x->rv.findings.len; i++)
		if (strstr(x->rv.findings.items[i].message, "jobs table"))
			f = &x->rv.findings.items[i];
	assert_non_null(strstr(f->message, "N + 1 writers"));
	assert_non_null(strstr(f->message, "who wins"));
	for (size_t i = 0; i < x->rv.findings.len; i++) {
		const char *m = x->rv.findings.items[i].message;
		assert_null(strstr(m, "report file")); /* one writer, one instance */
		if (strstr(m, "jobs queue"))
			assert_non_null(strstr(m, "burst")); /* a queue: order and fairness, not lost updates */
	}
	fx_free(x);
}

static void test_delivery(void **state)
{
	(void)state;
	struct fx *x = review_text(HEAD
		"  - {name: api, count: 1}\n  - {name: broker, count: 1}\n  - {name: worker, count: N}\n"
		"  - {name: mailer, count: 1, notes: sends are idempotent (dedup by message id)}\n"
		"  - {name: sink, count: 1}\n  - {name: store, count: 1}\n"
		"relationships:\n"
		"  - {from: api, to: broker, delivery: at-least-once}\n"
		"  - {from: broker, to: worker, delivery: at-least-once}\n"
		"  - {from: worker, to: mailer, retries: 2}\n"
		"  - {from: api, to: sink, delivery: at-most-once}\n"
		"  - {from: sink, to: store, retries: 5, notes: upsert by key}\n", 0);
	assert_null(find(x, "TOPO-DELIVERY", "broker")); /* it passes duplicates on */
	const struct finding *w = find(x, "TOPO-DELIVERY", "worker");
	assert_non_null(w);
	assert_non_null(strstr(w->evidence.items[1], "api -> broker"));
	assert_null(find(x, "TOPO-DELIVERY", "mailer")); /* idempotency noted */
	assert_null(find(x, "TOPO-DELIVERY", "store"));  /* upsert noted on the edge */
	const struct finding *amo = find(x, "TOPO-DELIVERY", "sink");
	assert_non_null(amo);
	assert_non_null(strstr(amo->message, "at-most-once"));
	assert_int_equal(count(x, "TOPO-DELIVERY"), 2);
	fx_free(x);
}

static void test_states(void **state)
{
	(void)state;
	struct fx *x = review_text(HEAD
		"  - {name: api, count: 1}\n  - {name: worker, count: N}\n  - {name: auditor, count: 1}\n"
		"relationships:\n  - {from: api, to: worker}\n"
		"entities:\n"
		"  job:\n"
		"    owner: api\n"
		"    states: [queued, running, retrying, done, archived]\n"
		"    terminal: [done]\n"
		"    transitions:\n"
		"      - {from: queued, to: running, actor: api}\n"
		"      - {from: running, to: retrying, actor: worker}\n"
		"      - {from: retrying, to: running, actor: api}\n"
		"      - {from: [queued], to: done, actor: auditor}\n"
		"    invariants:\n"
		"      - \"a `running` job has one worker; `finished` jobs are kept\"\n"
		"      - {rule: at most one owner, states: [running, stale]}\n", 0);
	const struct finding *u = find(x, "TOPO-STATE-UNREACHABLE", NULL);
	assert_non_null(u);
	assert_non_null(strstr(u->message, "'archived'"));
	assert_int_equal(count(x, "TOPO-STATE-UNREACHABLE"), 1);
	/* running <-> retrying never reaches done: both are traps; archived is unreachable, not a trap. */
	assert_int_equal(count(x, "TOPO-STATE-TRAP"), 2);
	const struct finding *a = find(x, "TOPO-STATE-ACTOR", "auditor");
	assert_non_null(a);
	assert_int_equal(a->line, 16);
	assert_null(find(x, "TOPO-STATE-ACTOR", "worker")); /* api -> worker exists */
	assert_int_equal(count(x, "TOPO-STATE-INVARIANT"), 2); /* finished, stale */
	fx_free(x);
}

static void test_states_load_errors(void **state)
{
	(void)state;
	const char *bad = HEAD "  - {name: api, count: 1}\n"
		"entities:\n  job:\n    owner: apy\n    states: [a, b, a]\n    initial: c\n"
		"    transitions:\n      - {from: a, to: bb, actor: api}\n      - {from: a, to: b}\n";
	struct topology t;
	topology_init(&t);
	assert_int_equal(topology_load_buffer(&t, "bad.yaml", bad, strlen(bad)), -1);
	topology_release(&t);
}

static void test_template(void **state)
{
	(void)state;
	struct fx *x = review_file("tests/data/topology/template.yaml");
	assert_non_null(find(x, "TOPO-SPOF", "example-api"));
	assert_non_null(find(x, "TOPO-SPOF", "example-db"));
	assert_non_null(find(x, "TOPO-BOTTLENECK", "example-api"));
	assert_non_null(find(x, "TOPO-CONCURRENCY", "example-api"));
	assert_int_equal(count(x, "TOPO-LOOP"), 1);
	assert_int_equal(count(x, "TOPO-CONTENTION"), 1);
	assert_int_equal(count(x, "TOPO-RETRY-AMP"), 0); /* no retries stated */
	fx_free(x);
}

static void test_video_platform(void **state)
{
	(void)state;
	struct fx *x = review_file("examples/video-platform/.dist-architect/topology.yaml");
	assert_int_equal(x->rv.spofs, 4); /* engine-api, engine-dispatcher, redis, postgres; not s3 (managed) */
	assert_null(find(x, "TOPO-SPOF", "s3"));
	assert_null(find(x, "TOPO-SPOF", "frontend"));
	assert_non_null(find(x, "TOPO-BOTTLENECK", "engine-dispatcher"));
	assert_int_equal(x->rv.loops, 2);
	assert_true(x->rv.worst_retry == 4);
	assert_int_equal(x->rv.contention, 4);
	assert_non_null(find(x, "TOPO-DELIVERY", "engine-dispatcher"));
	assert_null(find(x, "TOPO-DELIVERY", "s3")); /* re-uploads overwrite */
	assert_int_equal(x->rv.max_blast, topology_find(&x->t, "postgres"));
	fx_free(x);
}

/* The diagram names every component and marks what the review found. */
static void test_diagram(void **state)
{
	(void)state;
	struct fx *x = review_file("tests/data/topology/template.yaml");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(topo_diagram_write(f, DIAGRAM_DOT, &x->t, &x->rv), 0);
	fclose(f);
	assert_non_null(strstr(buf, "c0 [label=\"example-api\\n1 (fixed)\", color=\"#cc0000\""));
	assert_non_null(strstr(buf, "c0 -> c1 [label=\"Redis Streams\\n1:N\", color=\"#e67e22\""));
	free(buf);
	fx_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spof_dominators),
		cmocka_unit_test(test_spof_not_on_every_path),
		cmocka_unit_test(test_bottleneck),
		cmocka_unit_test(test_cascade_chain_and_blast),
		cmocka_unit_test(test_loops),
		cmocka_unit_test(test_retry_amp),
		cmocka_unit_test(test_retry_amp_dense_is_bounded),
		cmocka_unit_test(test_contention),
		cmocka_unit_test(test_delivery),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_states_load_errors),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_video_platform),
		cmocka_unit_test(test_diagram),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
