/*
 * The dependency record (src/facts/deps.h), its file (src/cache/depcache.h)
 * and the targets a change reaches (src/analyze/reach.h): lookups filed
 * under the target that made them, memo slices given to every target that
 * reads the memo, the record's bytes read back exactly (and refused when
 * damaged), and the reach rule on real Python facts: a changed file, the
 * targets that looked up one of its keys before or after the change, the
 * files whose constants' linking it changes, and nothing else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "analyze/factq.h"
#include "analyze/reach.h"
#include "base/strbuf.h"
#include "cache/depcache.h"
#include "cache/factcache.h"
#include "facts/deps.h"
#include "facts/index.h"
#include "lang/lang.h"

static bool has_key(const depkeys *k, enum dep_kind kind, const char *name)
{
	uint64_t want = dep_key(kind, name);
	for (size_t i = 0; i < k->len; i++)
		if (k->items[i] == want)
			return true;
	return false;
}

static void test_trails_and_slices(void **state)
{
	struct dep_rec r;
	(void)state;
	dep_rec_init(&r, 3);
	dep_note(&r, DEP_CALLERS, "outside"); /* no target: nothing */
	r.cur = 0;
	dep_note(&r, DEP_READERS, "job_status"); /* fields by their index key */
	size_t mark = dep_mark(&r);
	dep_note(&r, DEP_FUNCTIONS, "dispatch");
	dep_note(&r, DEP_CALLERS, "dispatch");
	struct dep_slice s = dep_keep(&r, mark);
	assert_int_equal(s.len, 2);
	r.cur = 1;
	dep_replay(&r, s); /* a memo hit: target 1 made the same lookups */
	r.cur = DEP_NONE;
	struct dep_slice unknown = dep_keep(&r, 0); /* made outside any target */
	assert_int_equal(unknown.len, DEP_ANY);
	r.cur = 2;
	dep_replay(&r, unknown);
	dep_rec_finish(&r);
	assert_true(has_key(&r.trail[0], DEP_READERS, "jobstatus"));
	assert_true(has_key(&r.trail[0], DEP_FUNCTIONS, "dispatch"));
	assert_true(has_key(&r.trail[1], DEP_FUNCTIONS, "dispatch"));
	assert_true(has_key(&r.trail[1], DEP_CALLERS, "dispatch"));
	assert_false(has_key(&r.trail[1], DEP_READERS, "jobstatus"));
	assert_false(has_key(&r.trail[0], DEP_CALLERS, "outside"));
	assert_false(r.any[0] || r.any[1]);
	assert_true(r.any[2]);
	/* kinds are apart: a function named status is not the field status */
	assert_true(dep_key(DEP_FUNCTIONS, "status") != dep_key(DEP_READERS, "status"));
	dep_rec_release(&r);
}

static void test_record_bytes(void **state)
{
	struct dep_cache dc, back;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	(void)state;
	dep_cache_init(&dc);
	dep_cache_init(&back);
	struct dep_file *f = dep_cache_add(&dc, "svc/worker.py", 42);
	VEC_APPEND(&f->provides, 3);
	VEC_APPEND(&f->provides, 9);
	VEC_APPEND(&f->trail, 5);
	f->any = true;
	f = dep_cache_add(&dc, "svc/api.py", 43);
	VEC_APPEND(&f->link, 1);
	VEC_APPEND(&f->primary, 7);
	dep_cache_serialise(&dc, 99, &a);
	assert_int_equal(dep_cache_parse(&back, a.buf, a.len, 99), 1);
	dep_cache_serialise(&back, 99, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.buf, b.buf, a.len);
	assert_non_null(dep_cache_find(&back, "svc/api.py"));
	assert_true(dep_cache_find(&back, "svc/worker.py")->any);
	assert_int_equal(dep_cache_find(&back, "svc/api.py")->primary.items[0], 7);
	assert_null(dep_cache_find(&back, "svc/other.py"));
	/* another key, a flipped byte, a cut: misses, and nothing is kept */
	assert_int_equal(dep_cache_parse(&back, a.buf, a.len, 98), 0);
	assert_int_equal(back.files.len, 0);
	a.buf[20] ^= 1;
	assert_int_equal(dep_cache_parse(&back, a.buf, a.len, 99), 0);
	a.buf[20] ^= 1;
	assert_int_equal(dep_cache_parse(&back, a.buf, a.len - 9, 99), 0);
	assert_int_equal(dep_cache_parse(&back, a.buf, a.len, 99), 1);
	strbuf_release(&a);
	strbuf_release(&b);
	dep_cache_release(&dc);
	dep_cache_release(&back);
}

/* Four files: constants, a writer of `status`, a reader of it, and a file that shares nothing. */
static const char *const paths[] = { "common/status.py", "svc/handler.py", "svc/dispatcher.py", "tools/cli.py" };
static const char *const srcs[] = {
	"class WorkerStatus:\n    IDLE = 'idle'\n    BUSY = 'busy'\n",
	"from common.status import WorkerStatus\n\ndef on_error(w):\n    w.status = WorkerStatus.IDLE\n",
	"def pick(workers):\n    for w in workers:\n        if w.status == 'idle':\n            send(w)\n",
	"def main():\n    print('hello')\n",
};

static void build(struct fact_index *ix, const char *const *s)
{
	index_init(ix);
	for (size_t i = 0; i < 4; i++) {
		struct file_facts *ff = index_add(ix, paths[i], LANG_PYTHON);
		assert_int_equal(python_extract(s[i], strlen(s[i]), ff), 0);
		ff->content_hash = fact_cache_hash(s[i], strlen(s[i]));
	}
}

static void test_reach(void **state)
{
	struct fact_index ix;
	struct dep_rec rec;
	struct dep_cache old;
	bool pick[4];
	size_t stale = 0;
	(void)state;

	/* the record: as a full run would leave it, with the trails its detectors made */
	build(&ix, srcs);
	dep_rec_init(&rec, 4);
	ix.rec = &rec;
	index_build(&ix); /* links IDLE in handler.py: its link keys */
	rec.cur = 1;
	assert_non_null(index_readers(&ix, "status")); /* the handler's write: who reads status? */
	rec.cur = 2;
	index_writers(&ix, "status");
	rec.cur = 3;
	index_functions(&ix, "main");
	rec.cur = DEP_NONE;
	dep_cache_init(&old);
	assert_true(reach_record(&ix, &rec, NULL, NULL, &old));
	assert_true(has_key(&dep_cache_find(&old, "common/status.py")->provides, DEP_CONST, "IDLE"));
	assert_true(has_key(&dep_cache_find(&old, "svc/handler.py")->link, DEP_CONST, "IDLE"));
	assert_true(has_key(&dep_cache_find(&old, "svc/dispatcher.py")->provides, DEP_READERS, "status"));
	ix.rec = NULL;
	index_release(&ix);
	dep_rec_release(&rec);

	/* the dispatcher's read changes: it, and the handler (who looked its readers up) */
	const char *const edited[] = { srcs[0], srcs[1],
		"def pick(workers):\n    for w in workers:\n        if w.status == 'idle' and w.ok:\n            send(w)\n",
		srcs[3] };
	build(&ix, edited);
	index_build(&ix);
	assert_int_equal(reach_targets(&ix, &old, NULL, 0, pick, &stale), 2);
	assert_int_equal(stale, 1);
	assert_false(pick[0]);
	assert_true(pick[1] && pick[2]);
	assert_false(pick[3]);
	index_release(&ix);

	/* nothing edited, the cli named by the change: only it */
	build(&ix, srcs);
	index_build(&ix);
	const char *const changed[] = { "tools/cli.py" };
	stale = 0;
	assert_int_equal(reach_targets(&ix, &old, changed, 1, pick, &stale), 1);
	assert_int_equal(stale, 0);
	assert_true(pick[3]);
	index_release(&ix);

	/* a constant's string changes: the handler's linked value with it, so who reads status runs too */
	const char *const renamed[] = { "class WorkerStatus:\n    IDLE = 'free'\n    BUSY = 'busy'\n", srcs[1], srcs[2],
					srcs[3] };
	build(&ix, renamed);
	index_build(&ix);
	stale = 0;
	reach_targets(&ix, &old, NULL, 0, pick, &stale);
	assert_true(pick[0] && pick[1] && pick[2]);
	assert_false(pick[3]);
	index_release(&ix);
	dep_cache_release(&old);
}

/*
 * Wide names: DEP_WIDE + 2 files define get(), one defines rare(); file 0
 * calls both. A bounded lookup of get() is refused (noted as a refusal),
 * the record counts get()'s files, and a lazy check needs none of them for
 * the refusal - unless enough of them changed that get() may no longer be
 * wide, or the lookup read them.
 */
#define NWIDE (DEP_WIDE + 3)
static void test_wide_names(void **state)
{
	struct fact_index ix;
	struct dep_rec rec;
	struct dep_cache dc, back;
	struct strbuf sb = STRBUF_INIT;
	u64set wide = VEC_INIT;
	bool known[NWIDE], pick[NWIDE], need[NWIDE];
	char path[32];
	(void)state;

	index_init(&ix);
	for (size_t i = 0; i < NWIDE; i++) {
		const char *src = i == 0 ? "def main():\n    get()\n    rare()\n" :
				  i == 1 ? "def rare():\n    pass\n" : "def get():\n    pass\n";
		snprintf(path, sizeof(path), "m%03zu.py", i);
		struct file_facts *ff = index_add(&ix, path, LANG_PYTHON);
		assert_int_equal(python_extract(src, strlen(src), ff), 0);
		ff->content_hash = fact_cache_hash(src, strlen(src));
	}
	dep_rec_init(&rec, NWIDE);
	ix.rec = &rec;
	index_build(&ix);
	rec.cur = 0;
	assert_null(index_functions_upto(&ix, "get", 3));
	assert_non_null(index_functions_upto(&ix, "rare", 3));
	assert_non_null(index_functions_upto(&ix, "get", SIZE_MAX));
	rec.cur = 1;
	assert_null(index_functions_upto(&ix, "get", DEP_WIDE));
	rec.cur = DEP_NONE;
	dep_cache_init(&dc);
	assert_true(reach_record(&ix, &rec, NULL, NULL, &dc));
	assert_true(has_key(&dc.files.items[0].trail, DEP_FUNCTIONS_MANY, "get"));
	assert_true(has_key(&dc.files.items[0].trail, DEP_FUNCTIONS, "get")); /* the unbounded lookup */
	assert_true(has_key(&dc.files.items[1].trail, DEP_FUNCTIONS_MANY, "get"));
	assert_false(has_key(&dc.files.items[1].trail, DEP_FUNCTIONS, "get"));
	assert_int_equal(dep_key(DEP_FUNCTIONS_MANY, "get"), dep_key(DEP_FUNCTIONS, "get") | DEP_MANY_BIT);

	/* the record counts the files of get(), not of rare() */
	dep_cache_serialise(&dc, 5, &sb);
	dep_cache_init(&back);
	assert_int_equal(dep_cache_parse(&back, sb.buf, sb.len, 5), 1);
	assert_int_equal(back.wide.len, 1);
	assert_int_equal(back.wide.items[0], dep_key(DEP_FUNCTIONS, "get"));
	assert_int_equal(back.wide_files.items[0], NWIDE - 2);

	/* nothing changed: get() is wide; a lookup refuses it whatever is loaded */
	for (size_t i = 0; i < NWIDE; i++)
		known[i] = true;
	reach_wide(&ix, &back, known, &wide);
	assert_int_equal(wide.len, 1);
	ix.wide = &wide;
	rec.cur = 2;
	assert_null(index_functions_upto(&ix, "rare", 0));
	assert_null(index_functions_upto(&ix, "get", 64));
	assert_non_null(index_functions_upto(&ix, "get", SIZE_MAX)); /* unbounded: read, not refused */
	rec.cur = DEP_NONE;
	ix.wide = NULL;

	/* file 1 (which only refused get) runs: no file of get() is needed for it */
	for (size_t i = 0; i < NWIDE; i++) {
		ix.files.items[i]->unloaded = true;
		pick[i] = i == 1;
	}
	struct dep_rec fresh;
	dep_rec_init(&fresh, NWIDE);
	assert_int_equal(reach_needs(&ix, &back, &fresh, &wide, pick, need), 1);
	assert_true(need[1]);
	for (size_t i = 2; i < NWIDE; i++)
		assert_false(need[i]);
	/* without the wide names, or for file 0 (which read get's files), all of them */
	assert_int_equal(reach_needs(&ix, &back, &fresh, NULL, pick, need), NWIDE - 1);
	pick[1] = false;
	pick[0] = true;
	assert_int_equal(reach_needs(&ix, &back, &fresh, &wide, pick, need), NWIDE); /* itself too */
	assert_true(need[1]); /* rare() */

	/* two of get()'s files changed: it may no longer be more than DEP_WIDE */
	known[2] = known[3] = false;
	reach_wide(&ix, &back, known, &wide);
	assert_int_equal(wide.len, 0);

	VEC_FREE(&wide);
	dep_rec_release(&fresh);
	strbuf_release(&sb);
	dep_cache_release(&dc);
	dep_cache_release(&back);
	ix.rec = NULL;
	index_release(&ix);
	dep_rec_release(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trails_and_slices),
		cmocka_unit_test(test_record_bytes),
		cmocka_unit_test(test_reach),
		cmocka_unit_test(test_wide_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
