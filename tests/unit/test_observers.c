/*
 * observers_find: who observes a state write, whether it selects, and the
 * dispatch path to a remote send; and the availability vocabulary.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "analyze/observers.h"
#include "facts/index.h"
#include "lang/lang.h"
#include "models/models.h"

static const char registry_py[] =
	"class Worker:\n"                               /* 1 */
	"    async def send(self, msg):\n"              /* 2 */
	"        await self.ws.send(msg)\n"             /* 3 */
	"\n";
static const char dispatch_py[] =
	"class Dispatcher:\n"                                            /* 1 */
	"    def pick(self):\n"                                          /* 2 */
	"        return [w for w in self.workers if w.status == 'idle']\n" /* 3 */
	"\n"                                                             /* 4 */
	"    async def run(self):\n"                                     /* 5 */
	"        for w in self.pick():\n"                                /* 6 */
	"            await self.assign(w)\n"                             /* 7 */
	"\n"                                                             /* 8 */
	"    async def assign(self, w):\n"                               /* 9 */
	"        await w.send({'job': 1})\n"                             /* 10 */
	"\n"                                                             /* 11 */
	"    def snapshot(self):\n"                                      /* 12 */
	"        if self.primary.status != 'idle':\n"                    /* 13 */
	"            return 1\n"                                         /* 14 */
	"        free = [s for s in self.slots if not s.busy]\n"         /* 15 */
	"        return free\n";                                         /* 16 */

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
	add("engine/registry.py", registry_py);
	add("engine/dispatch.py", dispatch_py);
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

static void test_value_observer_dispatches(void **state)
{
	(void)state;
	struct observer_list l = { 0 };
	assert_int_equal(observers_find(&ix, &ms, "status", "WorkerStatus.IDLE", &l), 1);
	const struct observer *o = &l.items[0];
	assert_string_equal(o->path, "engine/dispatch.py");
	assert_int_equal(o->line, 3);
	assert_string_equal(o->function, "pick");
	assert_true(o->selects);
	assert_int_equal(o->match, OBS_MATCH_VALUE);
	assert_true(o->dispatches);
	/* run -> pick (up), run -> assign, assign -> w.send, Worker.send -> self.ws.send */
	assert_int_equal(o->nhops, 4);
	assert_true(o->hops[0].up);
	assert_int_equal(o->hops[0].ff->calls.items[o->hops[0].call].span.line, 6);
	assert_string_equal(o->hops[3].op, "stream.send");
	assert_true(o->hops[3].by_receiver); /* registry.py does not import websockets */
	assert_string_equal(o->hops[3].ff->path, "engine/registry.py");
	observers_release(&l);
}

static void test_negated_and_other_values(void **state)
{
	(void)state;
	struct observer_list l = { 0 };
	/* `!= 'idle'` observes the absence of idle, not idle */
	assert_int_equal(observers_find(&ix, &ms, "status", "busy", &l), 0);
	assert_int_equal(observers_find(&ix, &ms, "status", NULL, &l), 2);
	observers_release(&l);
}

static void test_truthiness(void **state)
{
	(void)state;
	struct observer_list l = { 0 };
	assert_int_equal(observers_find(&ix, &ms, "busy", "False", &l), 1);
	assert_true(l.items[0].selects);
	assert_false(l.items[0].dispatches); /* snapshot() sends nothing */
	assert_true(l.items[0].ff->reads.items[l.items[0].read].truthiness);
	observers_release(&l);
	assert_int_equal(observers_find(&ix, &ms, "busy", "True", &l), 0);
	observers_release(&l);
}

static void test_vocabulary(void **state)
{
	(void)state;
	assert_true(state_value_ready("status", "WorkerStatus.IDLE", false));
	assert_true(state_value_ready("busy", "False", false));
	assert_true(state_value_ready("_is_available", "True", false));
	assert_false(state_value_ready("status", "RUNNING", false));
	assert_false(state_value_ready("status", "registered", false));
	assert_true(state_value_ready("status", "registered", true));
	assert_true(state_value_hold("dead", "True"));
	assert_true(state_value_hold("status", "Status.DOWN"));
	assert_true(state_value_hold("status", "OFFLINE"));
	assert_false(state_value_hold("status", "IDLE"));
	assert_true(state_word_failure("comfyui_unreachable"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_observer_dispatches),
		cmocka_unit_test(test_negated_and_other_values),
		cmocka_unit_test(test_truthiness),
		cmocka_unit_test(test_vocabulary),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
