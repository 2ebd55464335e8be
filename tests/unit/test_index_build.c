/*
 * index_build's shortcuts (src/facts/index.c, const_link.c) against the
 * plain answer: strmap_slot (one probe for get-or-add), the address cache
 * (src/base/ptrcache.h) that memoises a name's refs and a value's
 * constant, and the lookups they build, compared with a scan of every
 * fact, on real parse trees where names recur at one address in a file
 * and at others in other files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/ptrcache.h"
#include "base/strmap.h"
#include "facts/index.h"
#include "lang/lang.h"

static void test_strmap_slot(void **state)
{
	struct strmap m = STRMAP_INIT;
	int a = 0, b = 0;
	(void)state;
	void **v = strmap_slot(&m, "alpha");
	assert_non_null(v);
	assert_null(*v); /* added, NULL */
	assert_true(strmap_contains(&m, "alpha"));
	*v = &a;
	assert_ptr_equal(strmap_get(&m, "alpha"), &a);
	assert_ptr_equal(*strmap_slot(&m, "alpha"), &a); /* found, not added again */
	assert_int_equal(m.len, 1);
	assert_ptr_equal(strmap_put(&m, "alpha", &b), &a);
	assert_null(strmap_put(&m, "beta", &a));
	/* through growth: every key keeps its value and its place */
	for (int i = 0; i < 3000; i++) {
		char key[32];
		snprintf(key, sizeof(key), "k%d", i);
		*strmap_slot(&m, key) = (void *)(uintptr_t)(i + 1);
	}
	assert_int_equal(m.len, 3002);
	assert_string_equal(m.entries[0].key, "alpha");
	assert_string_equal(m.entries[1].key, "beta");
	for (int i = 0; i < 3000; i++) {
		char key[32];
		snprintf(key, sizeof(key), "k%d", i);
		assert_ptr_equal(strmap_get(&m, key), (void *)(uintptr_t)(i + 1));
		assert_string_equal(m.entries[i + 2].key, key);
	}
	strmap_release(&m);
}

static void test_ptrcache(void **state)
{
	struct ptrcache *pc = ptrcache_new();
	static const char names[2][8] = { "status", "status" }; /* equal texts, two addresses */
	int owner1 = 0, owner2 = 0, val = 0;
	(void)state;
	struct ptrcache_slot *s = ptrcache_slot(pc, names[0], &owner1);
	assert_false(ptrcache_hit(s, names[0], &owner1));
	s->value = &val;
	s->aux = 3;
	ptrcache_set(s, names[0], &owner1);
	s = ptrcache_slot(pc, names[0], &owner1);
	assert_true(ptrcache_hit(s, names[0], &owner1));
	assert_ptr_equal(s->value, &val);
	assert_int_equal(s->aux, 3);
	/* another owner or another address is another key, whatever the text */
	assert_false(ptrcache_hit(ptrcache_slot(pc, names[0], &owner2), names[0], &owner2));
	assert_false(ptrcache_hit(ptrcache_slot(pc, names[1], &owner1), names[1], &owner1));
	assert_false(ptrcache_hit(ptrcache_slot(pc, NULL, &owner1), NULL, &owner1));
	/* a pair that takes the slot over replaces the one before */
	static char many[1 << (PTRCACHE_BITS + 2)];
	size_t k = 0;
	while (ptrcache_slot(pc, many + k, &owner1) != ptrcache_slot(pc, names[0], &owner1))
		k++;
	s = ptrcache_slot(pc, many + k, &owner1);
	ptrcache_set(s, many + k, &owner1);
	assert_false(ptrcache_hit(ptrcache_slot(pc, names[0], &owner1), names[0], &owner1));
	xfree(pc);
}

static const char status_go[] =
	"package worker\n"
	"\n"
	"const (\n"
	"\tStatusIdle = \"idle\"\n"
	"\tStatusBusy = \"busy\"\n"
	")\n";
static const char worker_go[] =
	"package worker\n"
	"\n"
	"func (w *Worker) Run() {\n"
	"\tw.Status = StatusBusy\n"
	"\tw.mu.Lock()\n"
	"\tw.send(w.Status)\n"
	"\tw.mu.Unlock()\n"
	"\tw.Status = StatusIdle\n"
	"\tif w.job_status == StatusIdle {\n"
	"\t\tw.mu.Lock()\n"
	"\t}\n"
	"\tw.Status = StatusIdle\n"
	"}\n"
	"\n"
	"func Lock() {}\n";
static const char pool_go[] =
	"package pool\n"
	"\n"
	"func (p *Pool) Pick() {\n"
	"\tp.mu.Lock()\n"
	"\tif p.jobStatus == \"idle\" {\n"
	"\t\tp.Lock()\n"
	"\t}\n"
	"\tp.mu.Unlock()\n"
	"\tp.status = \"busy\"\n"
	"}\n"
	"\n"
	"func (p *Pool) Lock() {}\n";

static struct fact_index ix;

static int setup(void **state)
{
	static const char *const paths[] = { "worker/status.go", "worker/worker.go", "pool/pool.go" };
	const char *const srcs[] = { status_go, worker_go, pool_go };
	(void)state;
	index_init(&ix);
	for (size_t i = 0; i < 3; i++) {
		struct file_facts *ff = index_add(&ix, paths[i], LANG_GO);
		assert_int_equal(go_extract(srcs[i], strlen(srcs[i]), ff), 0);
		assert_false(ff->parse_errors);
	}
	index_build(&ix);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	index_release(&ix);
	return 0;
}

/* What a lookup must hold: every fact whose name (or field key) is `key`, in file and fact order. */
enum which { READS, WRITES, FUNCTIONS, CALLS };

static const char *name_of(const struct file_facts *ff, enum which w, size_t i)
{
	switch (w) {
	case READS: return ff->reads.items[i].field;
	case WRITES: return ff->writes.items[i].field;
	case FUNCTIONS: return ff->functions.items[i].name;
	case CALLS: return ff->calls.items[i].method;
	}
	return NULL;
}

static size_t count_of(const struct file_facts *ff, enum which w)
{
	switch (w) {
	case READS: return ff->reads.len;
	case WRITES: return ff->writes.len;
	case FUNCTIONS: return ff->functions.len;
	case CALLS: return ff->calls.len;
	}
	return 0;
}

static bool same_key(enum which w, const char *a, const char *b)
{
	char ka[128], kb[128];
	if (w == FUNCTIONS || w == CALLS)
		return a && b && !strcmp(a, b);
	index_field_key(a, ka, sizeof(ka));
	index_field_key(b, kb, sizeof(kb));
	return *ka && !strcmp(ka, kb);
}

static const fact_refs *lookup(enum which w, const char *name)
{
	switch (w) {
	case READS: return index_readers(&ix, name);
	case WRITES: return index_writers(&ix, name);
	case FUNCTIONS: return index_functions(&ix, name);
	case CALLS: return index_callers(&ix, name);
	}
	return NULL;
}

static size_t check_lookups(enum which w)
{
	size_t checked = 0;
	for (size_t f = 0; f < ix.files.len; f++) {
		const struct file_facts *ff = ix.files.items[f];
		for (size_t i = 0; i < count_of(ff, w); i++) {
			const char *name = name_of(ff, w, i);
			const fact_refs *refs = lookup(w, name);
			size_t k = 0;
			for (size_t g = 0; g < ix.files.len; g++) {
				const struct file_facts *gf = ix.files.items[g];
				for (size_t j = 0; j < count_of(gf, w); j++) {
					if (!same_key(w, name, name_of(gf, w, j)))
						continue;
					assert_non_null(refs);
					assert_true(k < refs->len);
					assert_ptr_equal(refs->items[k].ff, gf);
					assert_int_equal(refs->items[k].idx, j);
					k++;
				}
			}
			assert_int_equal(refs ? refs->len : 0, k);
			checked += k > 1;
		}
	}
	return checked;
}

static void test_lookups_match_a_scan(void **state)
{
	(void)state;
	/* names that recur (Lock, Unlock, status/job_status/jobStatus), so the cache is hit */
	assert_true(check_lookups(CALLS) >= 4);
	assert_true(check_lookups(FUNCTIONS) >= 2);
	assert_true(check_lookups(WRITES) >= 2);
	check_lookups(READS);
	const fact_refs *locks = index_callers(&ix, "Lock");
	assert_non_null(locks);
	assert_int_equal(locks->len, 4);
	assert_null(index_callers(&ix, "Nothing"));
}

static void test_repeated_values_all_link(void **state)
{
	const struct file_facts *w = index_get(&ix, "worker/worker.go");
	size_t idle = 0, busy = 0;
	(void)state;
	assert_non_null(w);
	for (size_t i = 0; i < w->writes.len; i++) {
		const char *v = w->writes.items[i].value;
		idle += v && !strcmp(v, "idle");
		busy += v && !strcmp(v, "busy");
		assert_false(v && !strcmp(v, "StatusIdle"));
	}
	assert_int_equal(idle, 2);
	assert_int_equal(busy, 1);
	bool read_linked = false;
	for (size_t i = 0; i < w->reads.len; i++)
		for (size_t v = 0; v < w->reads.items[i].values.len; v++)
			read_linked |= !strcmp(w->reads.items[i].values.items[v], "idle");
	assert_true(read_linked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strmap_slot),
		cmocka_unit_test(test_ptrcache),
		cmocka_unit_test_setup_teardown(test_lookups_match_a_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeated_values_all_link, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
