/*
 * One index over all languages: named constants (ts_consts), their linking
 * into state values (index_link_consts), field keys (index_field_key), and
 * observers_find across a Go worker, a TypeScript dispatcher and Java and
 * Python readers, on real parse trees.
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

static const char status_go[] =
	"package worker\n"
	"\n"
	"type Status string\n"
	"\n"
	"const (\n"
	"\tStatusIdle Status = \"idle\"\n"     /* 6 */
	"\tStatusBusy Status = \"busy\"\n"
	"\tcapacity = 4\n"
	")\n";
static const char worker_go[] =
	"package worker\n"
	"\n"
	"import \"github.com/gorilla/websocket\"\n"
	"\n"
	"type StatusMsg struct {\n"
	"\tType   string `json:\"type\"`\n"
	"\tStatus Status `json:\"status\"`\n"
	"}\n"
	"\n"
	"func report(conn *websocket.Conn, err error) error {\n"
	"\tif err != nil {\n"
	"\t\treturn conn.WriteJSON(StatusMsg{Type: \"status\", Status: StatusIdle})\n" /* 12 */
	"\t}\n"
	"\treturn nil\n"
	"}\n";
static const char dispatch_ts[] =
	"import WebSocket from 'ws';\n"
	"\n"
	"export enum WorkerState { Free = 'idle', Working = 'busy' }\n"  /* 3 */
	"export const Kinds = { Status: 'status' } as const;\n"          /* 4 */
	"\n"
	"interface Conn { socket: WebSocket; status: string; }\n"
	"\n"
	"export class Dispatcher {\n"
	"  private conns: Conn[] = [];\n"
	"\n"
	"  dispatch(job: object): void {\n"
	"    const c = this.conns.find((x) => x.status === WorkerState.Free);\n" /* 12 */
	"    if (c) {\n"
	"      c.socket.send(JSON.stringify(job));\n"                           /* 14 */
	"    }\n"
	"  }\n"
	"\n"
	"  snapshot(): number {\n"
	"    return this.conns.filter((x) => x.status === 'busy').length;\n"  /* 19 */
	"  }\n"
	"}\n"
	"let Mode = 'fast', Other = 'slow';\n"
	"const Limits = { 'max-load': 'high' } satisfies Record<string, string>;\n"
	"function f() { const Hidden = 'no'; return Hidden; }\n"
	"export const Count = 3;\n";
static const char Pool_java[] =
	"package grid;\n"
	"\n"
	"public class Pool {\n"
	"  static final String AVAILABLE = \"idle\";\n"  /* 4 */
	"  private String notFinal = \"x\";\n"
	"  enum Phase { WAITING(\"idle\"), RUNNING(\"busy\"); Phase(String s) {} }\n"
	"\n"
	"  boolean free(Node n) {\n"
	"    return n.status.equals(AVAILABLE);\n"
	"  }\n"
	"}\n";
static const char states_py[] =
	"import enum\n"
	"\n"
	"IDLE_STATE = \"idle\"\n"
	"\n"
	"class WorkerStatus(str, enum.Enum):\n"
	"    READY = \"idle\"\n"
	"\n"
	"def local():\n"
	"    x = \"not a constant\"\n"
	"    return x\n"
	"\n"
	"subclass_name = \"class X:\"\n" /* the keyword's bytes in a string are no class */
	"KIND: str = \"kind\"\n"
	"GREETING = f\"hi {x}\"\n"
	"if TYPE_CHECKING:\n"
	"    class Hidden:\n"
	"        MODE = \"hidden\"\n"
	"@dataclass\n"
	"class Decorated:\n"
	"    PHASE = \"warm\"\n"
	"    class Inner:\n"
	"        DEPTH = \"deep\"\n"
	"    def m(self):\n"
	"        LOCAL = \"no\"\n";

static struct fact_index ix;
static struct model_set ms;
static const struct file_facts *pyf;

static struct file_facts *add(const char *path, enum lang lang, lang_extract_fn fn, const char *src)
{
	struct file_facts *ff = index_add(&ix, path, lang);
	assert_int_equal(fn(src, strlen(src), ff), 0);
	assert_false(ff->parse_errors);
	models_resolve(&ms, ff);
	return ff;
}

static int setup(void **state)
{
	(void)state;
	model_set_init(&ms);
	assert_int_equal(models_load_builtin(&ms), 0);
	index_init(&ix);
	add("worker/status.go", LANG_GO, go_extract, status_go);
	add("worker/worker.go", LANG_GO, go_extract, worker_go);
	add("control/dispatch.ts", LANG_TYPESCRIPT, js_extract, dispatch_ts);
	add("grid/Pool.java", LANG_JAVA, java_extract, Pool_java);
	pyf = add("py/states.py", LANG_PYTHON, python_extract, states_py);
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

static const struct fact_const *const_named(const char *path, const char *name)
{
	const struct file_facts *ff = index_get(&ix, path);
	assert_non_null(ff);
	for (size_t i = 0; i < ff->consts.len; i++)
		if (!strcmp(ff->consts.items[i].name, name))
			return &ff->consts.items[i];
	return NULL;
}

static void test_constants_every_language(void **state)
{
	(void)state;
	const struct fact_const *c = const_named("worker/status.go", "StatusIdle");
	assert_non_null(c);
	assert_string_equal(c->value, "idle");
	assert_null(c->scope);
	assert_int_equal(c->span.line, 6);
	assert_null(const_named("worker/status.go", "capacity")); /* not a string */

	c = const_named("control/dispatch.ts", "Free");
	assert_non_null(c);
	assert_string_equal(c->scope, "WorkerState");
	assert_string_equal(c->value, "idle");
	assert_int_equal(c->span.line, 3);
	c = const_named("control/dispatch.ts", "Status");
	assert_non_null(c);
	assert_string_equal(c->scope, "Kinds");
	assert_null(const_named("control/dispatch.ts", "c")); /* a local */
	/* the program's statements only: `let` and several declarators, quoted keys, satisfies */
	assert_non_null(const_named("control/dispatch.ts", "Mode"));
	assert_non_null(const_named("control/dispatch.ts", "Other"));
	c = const_named("control/dispatch.ts", "max-load");
	assert_non_null(c);
	assert_string_equal(c->scope, "Limits");
	assert_null(const_named("control/dispatch.ts", "Hidden"));
	assert_null(const_named("control/dispatch.ts", "Count")); /* not a string */

	c = const_named("grid/Pool.java", "AVAILABLE");
	assert_non_null(c);
	assert_string_equal(c->scope, "Pool");
	assert_string_equal(c->value, "idle");
	c = const_named("grid/Pool.java", "WAITING");
	assert_non_null(c);
	assert_string_equal(c->scope, "Phase");
	assert_null(const_named("grid/Pool.java", "notFinal"));

	c = const_named("py/states.py", "READY");
	assert_non_null(c);
	assert_string_equal(c->scope, "WorkerStatus");
	assert_non_null(const_named("py/states.py", "IDLE_STATE"));
	assert_null(const_named("py/states.py", "x"));
	/* module and class statements only, classes wherever they are (under if, decorated, nested) */
	assert_non_null(const_named("py/states.py", "subclass_name"));
	c = const_named("py/states.py", "KIND");
	assert_non_null(c);
	assert_null(c->scope);
	assert_null(const_named("py/states.py", "GREETING")); /* an f-string */
	c = const_named("py/states.py", "MODE");
	assert_non_null(c);
	assert_string_equal(c->scope, "Hidden");
	c = const_named("py/states.py", "PHASE");
	assert_non_null(c);
	assert_string_equal(c->scope, "Decorated");
	assert_int_equal(c->span.line, 20);
	c = const_named("py/states.py", "DEPTH");
	assert_non_null(c);
	assert_string_equal(c->scope, "Inner");
	assert_null(const_named("py/states.py", "LOCAL"));
	assert_string_equal(pyf->consts.items[0].name, "IDLE_STATE"); /* the module's first, as the query gave them */
}

static void test_values_linked(void **state)
{
	(void)state;
	const struct file_facts *go = index_get(&ix, "worker/worker.go");
	const struct fact_write *w = NULL;
	for (size_t i = 0; i < go->writes.len; i++)
		if (!strcmp(go->writes.items[i].field, "Status"))
			w = &go->writes.items[i];
	assert_non_null(w);
	assert_string_equal(w->value, "idle");            /* StatusIdle, from status.go */
	assert_string_equal(w->value_text, "StatusIdle"); /* as written */

	const struct file_facts *ts = index_get(&ix, "control/dispatch.ts");
	const struct fact_read *r = NULL;
	for (size_t i = 0; i < ts->reads.len; i++)
		if (ts->reads.items[i].span.line == 12)
			r = &ts->reads.items[i];
	assert_non_null(r);
	assert_int_equal(r->values.len, 1);
	assert_string_equal(r->values.items[0], "WorkerState.idle"); /* the enum keeps its type */
}

static void test_field_key(void **state)
{
	(void)state;
	char k[64];
	index_field_key("Status", k, sizeof(k));
	assert_string_equal(k, "status");
	index_field_key("job_status", k, sizeof(k));
	assert_string_equal(k, "jobstatus");
	index_field_key("jobStatus", k, sizeof(k));
	assert_string_equal(k, "jobstatus");
	index_field_key(NULL, k, sizeof(k));
	assert_string_equal(k, "");
	/* the Go message field and the TypeScript property are one field of the index */
	assert_ptr_equal(index_writers(&ix, "status"), index_writers(&ix, "Status"));
	assert_non_null(index_readers(&ix, "Status"));
}

static void test_go_write_observed_from_typescript(void **state)
{
	(void)state;
	struct observer_list l = { 0 };
	const struct file_facts *go = index_get(&ix, "worker/worker.go");
	const struct fact_write *w = NULL;
	for (size_t i = 0; i < go->writes.len; i++)
		if (!strcmp(go->writes.items[i].field, "Status"))
			w = &go->writes.items[i];
	assert_non_null(w);
	observers_find(&ix, &ms, w->field, w->value, &l);
	const struct observer *ts = NULL, *java = NULL;
	for (size_t i = 0; i < l.len; i++) {
		if (!strcmp(l.items[i].path, "control/dispatch.ts"))
			ts = &l.items[i];
		else if (!strcmp(l.items[i].path, "grid/Pool.java"))
			java = &l.items[i];
	}
	assert_non_null(ts);
	assert_int_equal(ts->line, 12);
	assert_string_equal(ts->function, "dispatch"); /* the callback reads for dispatch() */
	assert_string_equal(ts->cls, "Dispatcher");
	assert_true(ts->selects);
	assert_true(ts->dispatches);
	assert_string_equal(ts->hops[ts->nhops - 1].op, "stream.send");
	assert_int_equal(ts->hops[ts->nhops - 1].ff->calls.items[ts->hops[ts->nhops - 1].call].span.line, 14);
	assert_non_null(java); /* n.status.equals(AVAILABLE): its own class's constant */
	assert_int_equal(java->match, OBS_MATCH_VALUE);
	for (size_t i = 0; i < l.len; i++)
		assert_int_not_equal(l.items[i].line, 19); /* the 'busy' filter is no observer of idle */
	observers_release(&l);

	/* the other way round: a value never written by that name in Go is no match */
	assert_int_equal(observers_find(&ix, &ms, "status", "StatusIdle", &l), 0);
	observers_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constants_every_language),
		cmocka_unit_test(test_values_linked),
		cmocka_unit_test(test_field_key),
		cmocka_unit_test(test_go_write_observed_from_typescript),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
