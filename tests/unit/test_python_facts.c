/*
 * python_extract: the facts of small real-shaped snippets, field by field.
 * Snippets live in tests/data/python/ (line numbers below refer to them)
 * or inline when a few lines say it all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "facts_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/strbuf.h"
#include "lang/lang.h"

static void extract_text(const char *src)
{
	extract_with(python_extract, LANG_PYTHON, "inline.py", src, strlen(src));
}

static void extract_file(const char *name)
{
	extract_data_file(python_extract, LANG_PYTHON, "python", name);
}

static const struct fact_write *write_to(const char *target)
{
	for (size_t i = 0; i < ff.writes.len; i++)
		if (!strcmp(ff.writes.items[i].target, target))
			return &ff.writes.items[i];
	fail_msg("no write to %s", target);
	return NULL;
}

static const struct fact_read *read_at(uint32_t line, const char *target)
{
	for (size_t i = 0; i < ff.reads.len; i++)
		if (ff.reads.items[i].span.line == line && !strcmp(ff.reads.items[i].target, target))
			return &ff.reads.items[i];
	fail_msg("no read of %s at line %u", target, line);
	return NULL;
}

static void assert_values(struct strlist l, size_t n, ...)
{
	va_list ap;

	if (l.len != n)
		fail_msg("%zu values, expected %zu", l.len, n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(l.items[i], va_arg(ap, const char *));
	va_end(ap);
}

static void test_imports(void **state)
{
	(void)state;
	extract_text("import a.b as c, x.y\n"
		     "from ..pkg.mod import name as alias, other\n"
		     "from . import sibling\n"
		     "from m import *\n");
	assert_int_equal(ff.imports.len, 6);
	assert_string_equal(ff.imports.items[0].module, "a.b");
	assert_null(ff.imports.items[0].name);
	assert_string_equal(ff.imports.items[0].alias, "c");
	assert_string_equal(ff.imports.items[1].module, "x.y");
	assert_string_equal(ff.imports.items[1].alias, "x"); /* `import x.y` binds x */
	assert_string_equal(ff.imports.items[2].module, "..pkg.mod");
	assert_string_equal(ff.imports.items[2].name, "name");
	assert_string_equal(ff.imports.items[2].alias, "alias");
	assert_int_equal(ff.imports.items[2].span.line, 2);
	assert_string_equal(ff.imports.items[3].name, "other");
	assert_string_equal(ff.imports.items[3].alias, "other");
	assert_string_equal(ff.imports.items[4].module, ".");
	assert_string_equal(ff.imports.items[4].name, "sibling");
	assert_string_equal(ff.imports.items[5].name, "*");
	assert_null(ff.imports.items[5].alias);
	assert_int_equal(ff.nlines, 4);
}

static void test_functions(void **state)
{
	const struct fact_function *f;
	int outer;

	(void)state;
	extract_text("class Worker(Base):\n"
		     "    @app.get(\"/w\", status_code=200)\n"
		     "    @staticmethod\n"
		     "    async def run(self):\n"
		     "        def inner():\n"
		     "            return lambda x: x\n"
		     "        return inner\n");
	assert_int_equal(ff.functions.len, 2); /* the lambda is not a function */
	outer = func_index("run");
	f = &ff.functions.items[outer];
	assert_string_equal(f->cls, "Worker");
	assert_true(f->is_async);
	assert_int_equal(f->parent, -1);
	assert_int_equal(f->span.line, 4);
	assert_int_equal(f->span.end_line, 7);
	assert_int_equal(f->name_span.line, 4);
	assert_int_equal(f->name_span.col, 15);
	assert_int_equal(f->ndecorators, 2);
	assert_string_equal(f->decorators[0].name, "app.get");
	assert_int_equal(f->decorators[0].span.line, 2);
	assert_int_equal(f->decorators[0].nargs, 2);
	assert_null(f->decorators[0].args[0].name);
	assert_string_equal(f->decorators[0].args[0].value, "/w");
	assert_true(f->decorators[0].args[0].is_string);
	assert_string_equal(f->decorators[0].args[1].name, "status_code");
	assert_string_equal(f->decorators[0].args[1].value, "200");
	assert_true(f->decorators[0].call >= 0);
	assert_string_equal(ff.calls.items[f->decorators[0].call].callee, "app.get");
	assert_int_equal(ff.calls.items[f->decorators[0].call].func, -1);
	assert_string_equal(f->decorators[1].name, "staticmethod");
	assert_int_equal(f->decorators[1].call, -1);

	f = &ff.functions.items[func_index("inner")];
	assert_null(f->cls);
	assert_false(f->is_async);
	assert_int_equal(f->parent, outer);
}

static void test_decorator_args(void **state)
{
	const struct fact_function *f;

	(void)state;
	extract_file("retry.py");
	f = &ff.functions.items[func_index("fetch")];
	assert_int_equal(f->ndecorators, 1);
	assert_string_equal(f->decorators[0].name, "retry");
	assert_int_equal(f->decorators[0].nargs, 2);
	assert_string_equal(f->decorators[0].args[0].name, "stop");
	assert_null(f->decorators[0].args[0].value);
	assert_string_equal(f->decorators[0].args[0].text, "stop_after_attempt(3)");
	assert_string_equal(f->decorators[0].args[1].name, "reraise");
	assert_string_equal(f->decorators[0].args[1].value, "True");
	assert_string_equal(ff.calls.items[f->decorators[0].call].callee, "retry");

	f = &ff.functions.items[func_index("call")];
	assert_string_equal(f->decorators[0].name, "backoff.on_exception");
	assert_string_equal(f->decorators[0].args[0].value, "backoff.expo");
	assert_string_equal(f->decorators[0].args[1].value, "httpx.HTTPError");
	assert_string_equal(f->decorators[0].args[2].name, "max_tries");
	assert_string_equal(f->decorators[0].args[2].value, "5");
}

static void test_calls(void **state)
{
	const struct fact_call *c;
	int run;

	(void)state;
	extract_text("async def run(self, client):\n"
		     "    await self.redis.xack(\"stream\", \"group\", msg_id)\n"
		     "    client.table(\"jobs\").update(status=\"idle\", n=-1).eq(\"id\", 3)\n"
		     "    return send(f\"job {x}\", None)\n");
	run = func_index("run");
	c = call_named("self.redis.xack");
	assert_string_equal(c->method, "xack");
	assert_true(c->awaited);
	assert_false(c->in_return);
	assert_int_equal(c->func, run);
	assert_int_equal(c->span.line, 2);
	assert_int_equal(c->span.col, 11);
	assert_int_equal(c->nargs, 3);
	assert_string_equal(c->args[0].value, "stream");
	assert_null(c->args[2].value);
	assert_string_equal(c->args[2].text, "msg_id");

	c = call_named("client.table().update");
	assert_string_equal(c->method, "update");
	assert_false(c->awaited);
	assert_string_equal(c->args[0].name, "status");
	assert_string_equal(c->args[0].value, "idle");
	assert_string_equal(c->args[1].value, "-1");
	call_named("client.table().update().eq");
	call_named("client.table");

	c = call_named("send");
	assert_true(c->in_return);
	assert_string_equal(c->args[0].value, "job {x}");
	assert_true(c->args[0].is_string);
	assert_string_equal(c->args[1].value, "None");
	assert_false(c->args[1].is_string);
}

static void test_handlers(void **state)
{
	const struct fact_handler *h;
	const struct fact_write *w;
	int f;

	(void)state;
	extract_file("worker.py");
	f = func_index("dispatch");
	assert_int_equal(ff.handlers.len, 3);

	h = &ff.handlers.items[0];
	assert_int_equal(h->kind, HANDLER_EXCEPT);
	assert_int_equal(h->span.line, 8);
	assert_int_equal(h->span.end_line, 12);
	assert_int_equal(h->guarded.line, 7);
	assert_values(h->types, 2, "httpx.ConnectError", "httpx.ReadTimeout");
	assert_string_equal(h->var, "e");
	assert_int_equal(h->cls, FAIL_UNKNOWN);
	assert_int_equal(h->func, f);
	assert_int_equal(h->loop, -1);
	assert_false(h->reraises);

	h = &ff.handlers.items[1];
	assert_values(h->types, 1, "Exception");
	assert_null(h->var);
	assert_true(h->reraises);

	h = &ff.handlers.items[2];
	assert_int_equal(h->kind, HANDLER_FINALLY);
	assert_int_equal(h->span.line, 15);

	/* the call in the try body is guarded; the ones in clauses are handled */
	assert_int_equal(call_named("self.client.post")->guard, 0);
	assert_int_equal(call_named("self.client.post")->handler, -1);
	assert_int_equal(call_named("log.warning")->handler, 0);
	assert_int_equal(call_named("log.warning")->guard, -1);
	assert_int_equal(call_named("self.release")->handler, 2);

	/* the state write inside the ConnectError clause knows its handler */
	w = write_to("worker.status");
	assert_int_equal(w->kind, WRITE_ATTR);
	assert_int_equal(w->span.line, 10);
	assert_int_equal(w->handler, 0);
	assert_int_equal(w->func, f);
}

static void test_writes_attr_key(void **state)
{
	const struct fact_write *w;

	(void)state;
	extract_file("worker.py");
	w = write_to("worker.status");
	assert_string_equal(w->field, "status");
	assert_string_equal(w->value, "WorkerStatus.IDLE");
	assert_false(w->crosses);

	w = write_to("job[\"status\"]");
	assert_int_equal(w->kind, WRITE_KEY);
	assert_string_equal(w->field, "status");
	assert_string_equal(w->value, "failed");
	assert_int_equal(w->span.line, 11);
	assert_int_equal(w->handler, 0);

	w = write_to("self.busy");
	assert_string_equal(w->value, "False");

	w = write_to("self._state"); /* annotated assignment in a method */
	assert_string_equal(w->value, "alive");
	assert_int_equal(w->span.line, 21);
	assert_int_equal(w->handler, -1);
	assert_int_equal(w->func, func_index("heartbeat"));

	/* self.retries and self.url are not state */
	for (size_t i = 0; i < ff.writes.len; i++)
		assert_string_not_equal(ff.writes.items[i].field, "url");
	assert_int_equal(ff.writes.len, 4);
}

static void test_writes_message_return_kwarg_sql(void **state)
{
	const struct fact_write *w;

	(void)state;
	extract_file("messages.py");

	w = write_to("type");
	assert_int_equal(w->kind, WRITE_MESSAGE);
	assert_string_equal(w->value, "IDLE");
	assert_int_equal(w->span.line, 5);
	assert_string_equal(ff.calls.items[w->call].callee, "ws.send"); /* the outermost carrier */
	assert_true(w->crosses);

	/* returned from a decorated route handler: crosses; from a helper: not */
	for (size_t i = 0; i < ff.writes.len; i++) {
		w = &ff.writes.items[i];
		if (w->kind != WRITE_RETURN)
			continue;
		if (w->span.line == 10) {
			assert_string_equal(w->value, "ok");
			assert_true(w->crosses);
			assert_int_equal(w->func, func_index("health"));
		} else {
			assert_int_equal(w->span.line, 14);
			assert_string_equal(w->value, "busy");
			assert_false(w->crosses);
		}
	}

	w = write_to("status");
	for (size_t i = 0; i < ff.writes.len; i++)
		if (ff.writes.items[i].kind == WRITE_KWARG)
			w = &ff.writes.items[i];
	assert_int_equal(w->kind, WRITE_KWARG);
	assert_string_equal(w->value, "done");
	assert_string_equal(ff.calls.items[w->call].callee, "db.table().update");

	w = write_to("jobs.status");
	assert_int_equal(w->kind, WRITE_SQL);
	assert_string_equal(w->field, "status");
	assert_string_equal(w->value, "failed");
	assert_int_equal(w->span.line, 19);
	assert_string_equal(ff.calls.items[w->call].callee, "db.execute");

	w = write_to("jobs.state");
	assert_null(w->value); /* a placeholder */
	assert_string_equal(w->value_text, "$1");

	w = write_to("payload[\"event\"]");
	assert_int_equal(w->kind, WRITE_KEY);
	assert_string_equal(w->value, "job.finished");
	assert_int_equal(w->call, -1);
}

static void test_reads(void **state)
{
	const struct fact_read *r;

	(void)state;
	extract_file("dispatch.py");

	r = read_at(2, "w.status");
	assert_int_equal(r->kind, READ_COMPARE);
	assert_values(r->values, 1, "WorkerStatus.IDLE");
	assert_false(r->negated);
	assert_true(r->selects); /* a comprehension condition */
	assert_int_equal(r->body.line, 2);

	r = read_at(4, "w.status");
	assert_true(r->negated);
	assert_true(r->selects); /* an if inside a for */
	assert_int_equal(r->body.line, 5);
	assert_values(r->values, 1, "busy");

	r = read_at(6, "status");
	assert_int_equal(r->kind, READ_MEMBERSHIP);
	assert_values(r->values, 2, "failed", "lost");
	assert_false(r->selects);
	assert_int_equal(r->body.line, 7);

	r = read_at(8, "w.state"); /* `is`, inside min(key=lambda ...) */
	assert_values(r->values, 1, "State.READY");
	assert_true(r->selects);

	r = read_at(10, "job.status");
	assert_int_equal(r->kind, READ_MATCH);
	assert_values(r->values, 2, "Status.QUEUED", "queued");
	assert_int_equal(r->body.line, 11);

	r = read_at(14, "status__in");
	assert_int_equal(r->kind, READ_FILTER);
	assert_string_equal(r->field, "status");
	assert_values(r->values, 2, "queued", "running");
	assert_true(r->selects);

	r = read_at(15, "job.get(\"status\")");
	assert_int_equal(r->kind, READ_FILTER);
	assert_values(r->values, 1, "idle");

	r = read_at(17, "status");
	assert_int_equal(r->kind, READ_SQL);
	assert_values(r->values, 1, "idle");
	r = read_at(17, "role");
	assert_true(r->negated);
	assert_values(r->values, 2, "a", "b");

	/* `case _:` reads nothing; `owner=` is not state */
	assert_int_equal(ff.reads.len, 9);
}

static void test_loops(void **state)
{
	(void)state;
	extract_text("def f():\n"
		     "    while True:\n"
		     "        for x in xs:\n"
		     "            pass\n"
		     "    while 1:\n"
		     "        pass\n"
		     "    while n:\n"
		     "        pass\n");
	assert_int_equal(ff.loops.len, 4);
	assert_true(ff.loops.items[0].infinite);
	assert_int_equal(ff.loops.items[0].parent, -1);
	assert_int_equal(ff.loops.items[0].func, 0);
	assert_false(ff.loops.items[1].infinite);
	assert_int_equal(ff.loops.items[1].parent, 0);
	assert_int_equal(ff.loops.items[1].span.line, 3);
	assert_true(ff.loops.items[2].infinite);
	assert_false(ff.loops.items[3].infinite);
}

static void test_retry_loops(void **state)
{
	const struct fact_retry *r;

	(void)state;
	extract_file("retry.py");
	/* connect: range(5) around a swallowing except; consume: counter;
	 * serve: an accept loop, not a retry; once: the clause re-raises */
	assert_int_equal(ff.retries.len, 2);
	r = &ff.retries.items[0];
	assert_int_equal(r->kind, RETRY_LOOP);
	assert_string_equal(r->source, "for-loop");
	assert_int_equal(r->attempts, 5);
	assert_int_equal(r->func, func_index("connect"));
	assert_int_equal(r->span.line, 16);
	assert_int_equal(r->scope.end_line, 20);
	assert_int_equal(r->call, -1);

	r = &ff.retries.items[1];
	assert_string_equal(r->source, "while-loop");
	assert_int_equal(r->attempts, 3);
	assert_int_equal(r->func, func_index("consume"));
	assert_true(ff.handlers.items[1].continues);
	assert_true(ff.handlers.items[3].reraises);
}

static void test_retry_until_success(void **state)
{
	(void)state;
	extract_text("def connect():\n"
		     "    while True:\n"
		     "        try:\n"
		     "            conn = open_conn()\n"
		     "            break\n"
		     "        except OSError:\n"
		     "            if fatal:\n"
		     "                raise\n"
		     "            time.sleep(1)\n");
	assert_int_equal(ff.retries.len, 1);
	assert_string_equal(ff.retries.items[0].source, "while-loop");
	assert_int_equal(ff.retries.items[0].attempts, -1);
	assert_false(ff.handlers.items[0].reraises); /* the raise is conditional */
}

static void test_hostile_input(void **state)
{
	static const char bytes[] = "def f(\x00\xff\xfe):\n\ttry:\n  x = (\n";
	struct strbuf deep = STRBUF_INIT;

	(void)state;
	file_facts_init(&ff, "bad.py", LANG_PYTHON);
	assert_int_equal(python_extract(bytes, sizeof(bytes) - 1, &ff), 0);
	assert_true(ff.parse_errors);
	file_facts_release(&ff);

	/* 10,000 nested calls and brackets: no recursion over the tree */
	strbuf_addstr(&deep, "x = ");
	for (int i = 0; i < 10000; i++)
		strbuf_addstr(&deep, "f(");
	for (int i = 0; i < 10000; i++)
		strbuf_addch(&deep, ')');
	strbuf_addstr(&deep, "\ny = ");
	for (int i = 0; i < 10000; i++)
		strbuf_addstr(&deep, "a.");
	strbuf_addstr(&deep, "status == 1\n");
	file_facts_init(&ff, "deep.py", LANG_PYTHON);
	ff.max_nesting = 100000; /* above the default: every level walked */
	assert_int_equal(python_extract(deep.buf, deep.len, &ff), 0);
	assert_int_equal(ff.calls.len, 10000);
	assert_true(strlen(ff.calls.items[0].callee) <= 200);
	assert_int_equal(ff.reads.len, 1);
	assert_int_equal(ff.nesting_cut, 0);
	file_facts_release(&ff);

	/* the default nesting limit: the walk stops descending, and says where */
	file_facts_init(&ff, "deep.py", LANG_PYTHON);
	assert_int_equal(python_extract(deep.buf, deep.len, &ff), 0);
	assert_int_equal(ff.nesting_cut, 1);
	assert_true(ff.calls.len > 100 && ff.calls.len < 10000);
	assert_int_equal(ff.reads.len, 1); /* line 2 is shallow */
	strbuf_release(&deep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_imports, facts_teardown),
		cmocka_unit_test_teardown(test_functions, facts_teardown),
		cmocka_unit_test_teardown(test_decorator_args, facts_teardown),
		cmocka_unit_test_teardown(test_calls, facts_teardown),
		cmocka_unit_test_teardown(test_handlers, facts_teardown),
		cmocka_unit_test_teardown(test_writes_attr_key, facts_teardown),
		cmocka_unit_test_teardown(test_writes_message_return_kwarg_sql, facts_teardown),
		cmocka_unit_test_teardown(test_reads, facts_teardown),
		cmocka_unit_test_teardown(test_loops, facts_teardown),
		cmocka_unit_test_teardown(test_retry_loops, facts_teardown),
		cmocka_unit_test_teardown(test_retry_until_success, facts_teardown),
		cmocka_unit_test_teardown(test_hostile_input, facts_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
