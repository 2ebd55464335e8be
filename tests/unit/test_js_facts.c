/*
 * js_extract: the facts of small JavaScript / TypeScript snippets, field by
 * field, inline (line numbers count from the snippet's first line).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"

static struct file_facts ff;

static void extract(const char *src, enum lang lang)
{
	file_facts_init(&ff, lang == LANG_JAVASCRIPT ? "inline.js" : "inline.ts", lang);
	assert_int_equal(js_extract(src, strlen(src), &ff), 0);
	assert_false(ff.parse_errors);
}

static int teardown(void **state)
{
	(void)state;
	file_facts_release(&ff);
	return 0;
}

static const struct fact_call *call_named(const char *callee)
{
	for (size_t i = 0; i < ff.calls.len; i++)
		if (!strcmp(ff.calls.items[i].callee, callee))
			return &ff.calls.items[i];
	fail_msg("no call %s", callee);
	return NULL;
}

static int func_index(const char *name)
{
	for (size_t i = 0; i < ff.functions.len; i++)
		if (!strcmp(ff.functions.items[i].name, name))
			return (int)i;
	fail_msg("no function %s", name);
	return -1;
}

static const struct fact_write *write_to(const char *target)
{
	for (size_t i = 0; i < ff.writes.len; i++)
		if (!strcmp(ff.writes.items[i].target, target))
			return &ff.writes.items[i];
	fail_msg("no write to %s", target);
	return NULL;
}

static const struct fact_read *read_of(uint32_t line, const char *target)
{
	for (size_t i = 0; i < ff.reads.len; i++)
		if (ff.reads.items[i].span.line == line && !strcmp(ff.reads.items[i].target, target))
			return &ff.reads.items[i];
	fail_msg("no read of %s on line %u", target, line);
	return NULL;
}

static void test_imports(void **state)
{
	(void)state;
	extract("import { Redis as R, Cluster } from 'ioredis';\n"
		"import axios from 'axios';\n"
		"import * as amqp from 'amqplib';\n"
		"const { Kafka } = require('kafkajs');\n"
		"const WebSocket = require('ws');\n"
		"const app = require('fastify')();\n"
		"import 'reflect-metadata';\n", LANG_TYPESCRIPT);
	assert_int_equal(ff.imports.len, 8);
	assert_string_equal(ff.imports.items[0].module, "ioredis");
	assert_string_equal(ff.imports.items[0].name, "Redis");
	assert_string_equal(ff.imports.items[0].alias, "R");
	assert_string_equal(ff.imports.items[1].alias, "Cluster");
	assert_null(ff.imports.items[2].name);
	assert_string_equal(ff.imports.items[2].alias, "axios");
	assert_string_equal(ff.imports.items[3].module, "amqplib");
	assert_string_equal(ff.imports.items[3].alias, "amqp");
	assert_string_equal(ff.imports.items[4].name, "Kafka");
	assert_string_equal(ff.imports.items[5].alias, "WebSocket");
	assert_string_equal(ff.imports.items[6].module, "fastify");
	assert_string_equal(ff.imports.items[6].alias, "app");
	assert_int_equal(ff.imports.items[6].span.line, 6);
	assert_string_equal(ff.imports.items[7].module, "reflect-metadata");
}

static void test_functions_and_calls(void **state)
{
	const struct fact_call *c;
	int run;

	(void)state;
	extract("class Pool {\n"
		"  constructor() { this.status = 'idle'; }\n"
		"  async run(job) {\n"
		"    const r = await this.client.post('/x', { id: job.id });\n"
		"    const q = new Queue('jobs', { connection });\n"
		"  }\n"
		"}\n"
		"const handle = async (m) => m.ack();\n", LANG_JAVASCRIPT);
	assert_int_equal(ff.functions.len, 3);
	assert_true(ff.functions.items[func_index("constructor")].is_constructor);
	assert_string_equal(ff.functions.items[func_index("constructor")].cls, "Pool");
	run = func_index("run");
	assert_true(ff.functions.items[run].is_async);
	assert_false(ff.functions.items[run].is_constructor);
	assert_int_equal(ff.functions.items[run].span.line, 3);
	assert_int_equal(ff.functions.items[run].span.end_line, 6);
	assert_true(ff.functions.items[func_index("handle")].is_async);
	c = call_named("this.client.post");
	assert_string_equal(c->method, "post");
	assert_true(c->awaited);
	assert_int_equal(c->func, run);
	assert_string_equal(c->assigned_to, "r");
	assert_int_equal(c->nargs, 2);
	assert_string_equal(c->args[0].value, "/x");
	assert_true(c->args[0].is_string);
	c = call_named("Queue");
	assert_int_equal(c->span.line, 5);
	assert_string_equal(c->assigned_to, "q");
	c = call_named("m.ack");
	assert_int_equal(c->func, func_index("handle"));
}

static void test_try_catch_types(void **state)
{
	const struct fact_handler *h;

	(void)state;
	extract("async function f() {\n"
		"  for (let attempt = 0; attempt < 3; attempt++) {\n"
		"    try {\n"
		"      await send();\n"
		"      break;\n"
		"    } catch (e) {\n"
		"      if (e instanceof WebSocketError || e.code === 'ECONNREFUSED') continue;\n"
		"      if (e.name === 'AbortError') throw e;\n"
		"    } finally {\n"
		"      done();\n"
		"    }\n"
		"  }\n"
		"}\n", LANG_JAVASCRIPT);
	assert_int_equal(ff.handlers.len, 2);
	h = &ff.handlers.items[0];
	assert_int_equal(h->kind, HANDLER_EXCEPT);
	assert_string_equal(h->var, "e");
	assert_int_equal(h->types.len, 3);
	assert_string_equal(h->types.items[0], "WebSocketError");
	assert_string_equal(h->types.items[1], "ECONNREFUSED");
	assert_string_equal(h->types.items[2], "AbortError");
	assert_true(h->continues);
	assert_false(h->reraises); /* the throw is in an if, not the clause's own statement */
	assert_int_equal(h->guarded.line, 3);
	assert_int_equal(h->span.line, 6);
	assert_int_equal(h->loop, 0);
	assert_int_equal(ff.handlers.items[1].kind, HANDLER_FINALLY);
	assert_int_equal(call_named("send")->guard, 0);
	assert_int_equal(call_named("done")->handler, 1);
	/* the loop is a retry loop of 3 attempts */
	assert_int_equal(ff.retries.len, 1);
	assert_int_equal(ff.retries.items[0].kind, RETRY_LOOP);
	assert_int_equal(ff.retries.items[0].attempts, 3);
	assert_int_equal(ff.retries.items[0].span.line, 2);
}

static void test_callback_handlers(void **state)
{
	const struct fact_handler *h;

	(void)state;
	extract("function watch(ws, job) {\n"
		"  ws.on('close', () => { job.status = 'failed'; });\n"
		"  ws.on('message', (m) => handle(m));\n"
		"  fetch(url).then(r => r.json()).catch((err) => {\n"
		"    job.state = 'error';\n"
		"  });\n"
		"  p.then(ok, (e) => log(e));\n"
		"}\n", LANG_JAVASCRIPT);
	assert_int_equal(ff.handlers.len, 3);
	h = &ff.handlers.items[0];
	assert_int_equal(h->kind, HANDLER_CALLBACK);
	assert_int_equal(h->types.len, 1);
	assert_string_equal(h->types.items[0], "close");
	assert_int_equal(write_to("job.status")->handler, 0);
	assert_int_equal(write_to("job.status")->func, h->func);
	h = &ff.handlers.items[1];
	assert_int_equal(h->types.len, 0);
	assert_string_equal(h->var, "err");
	assert_int_equal(h->guarded.line, 4);
	assert_int_equal(call_named("fetch")->guard, 1);
	assert_int_equal(write_to("job.state")->handler, 1);
	assert_int_equal(ff.handlers.items[2].span.line, 7);
	assert_string_equal(ff.handlers.items[0].subject, "ws");
	assert_null(ff.handlers.items[1].subject); /* a promise has no event subject */
}

/* `x.onclose = cb` is an event handler as `x.on('close', cb)` is. */
static void test_property_handlers(void **state)
{
	const struct fact_handler *h;

	(void)state;
	extract("class T {\n"
		"  follow(job) {\n"
		"    this.socket.onclose = () => {\n"
		"      job.status = 'failed';\n"
		"    };\n"
		"    this.socket.onmessage = (ev) => show(ev);\n"
		"  }\n"
		"}\n", LANG_TYPESCRIPT);
	assert_int_equal(ff.handlers.len, 1);
	h = &ff.handlers.items[0];
	assert_int_equal(h->kind, HANDLER_CALLBACK);
	assert_string_equal(h->types.items[0], "close");
	assert_string_equal(h->subject, "this.socket");
	assert_int_equal(h->span.line, 3);
	assert_int_equal(write_to("job.status")->handler, 0);
	assert_int_equal(write_to("job.status")->func, h->func);
	assert_int_equal(call_named("show")->handler, -1);
}

static void test_writes(void **state)
{
	const struct fact_write *w;

	(void)state;
	extract("function f(worker, slot, ws, channel) {\n"
		"  worker.busy = false;\n"
		"  slot.jobStatus = WorkerStatus.IDLE;\n"
		"  ws.send(JSON.stringify({ type: 'IDLE', status: 'ok' }));\n"
		"  d['state'] = 'ready';\n"
		"  return { status: 'done' };\n"
		"}\n", LANG_JAVASCRIPT);
	w = write_to("worker.busy");
	assert_int_equal(w->kind, WRITE_ATTR);
	assert_string_equal(w->field, "busy");
	assert_string_equal(w->value, "false");
	w = write_to("slot.jobStatus");
	assert_string_equal(w->value, "WorkerStatus.IDLE");
	w = write_to("type");
	assert_int_equal(w->kind, WRITE_MESSAGE);
	assert_string_equal(w->value, "IDLE");
	assert_true(w->crosses);
	assert_string_equal(ff.calls.items[w->call].callee, "ws.send");
	assert_int_equal(write_to("d['state']")->kind, WRITE_KEY);
	w = write_to("status");
	assert_int_equal(w->kind, WRITE_MESSAGE);
	for (size_t i = 0; i < ff.writes.len; i++)
		if (ff.writes.items[i].span.line == 6)
			assert_int_equal(ff.writes.items[i].kind, WRITE_RETURN);
}

static void test_reads(void **state)
{
	const struct fact_read *r;

	(void)state;
	extract("enum WorkerStatus { IDLE = 'idle', BUSY = 'busy' }\n"
		"type Status = 'idle' | 'busy';\n"
		"function pick(workers: W[]) {\n"
		"  const w = workers.find(x => !x.busy && x.status === WorkerStatus.IDLE);\n"
		"  switch (w.status) {\n"
		"    case 'idle': return w;\n"
		"    case WorkerStatus.BUSY: return null;\n"
		"  }\n"
		"  if (w.state !== 'dead' && ['a', 'b'].includes(w.phase)) go();\n"
		"}\n", LANG_TYPESCRIPT);
	r = read_of(4, "x.busy");
	assert_true(r->truthiness);
	assert_true(r->selects);
	assert_string_equal(r->values.items[0], "False");
	r = read_of(4, "x.status");
	assert_int_equal(r->kind, READ_COMPARE);
	assert_string_equal(r->values.items[0], "WorkerStatus.IDLE");
	assert_true(r->selects);
	r = read_of(6, "w.status");
	assert_int_equal(r->kind, READ_MATCH);
	assert_string_equal(r->values.items[0], "idle");
	assert_string_equal(read_of(7, "w.status")->values.items[0], "WorkerStatus.BUSY");
	r = read_of(9, "w.state");
	assert_true(r->negated);
	r = read_of(9, "w.phase");
	assert_int_equal(r->kind, READ_MEMBERSHIP);
	assert_int_equal(r->values.len, 2);
}

static void test_loops_and_bindings(void **state)
{
	(void)state;
	extract("async function consume(stream, r) {\n"
		"  for await (const msg of stream) { handle(msg); }\n"
		"  let attempts = 0;\n"
		"  while (attempts < 5) {\n"
		"    attempts++;\n"
		"    try { return await r.xreadgroup('G', 'c'); } catch (e) { log(e); }\n"
		"  }\n"
		"  const { id, body } = await r.get();\n"
		"}\n", LANG_JAVASCRIPT);
	assert_int_equal(ff.loops.len, 2);
	assert_true(ff.loops.items[0].is_async);
	assert_int_equal(ff.loops.items[0].iter.line, 2);
	assert_false(ff.loops.items[1].is_async);
	assert_int_equal(ff.retries.len, 1);
	assert_int_equal(ff.retries.items[0].attempts, 5);
	assert_string_equal(ff.retries.items[0].source, "while-loop");
	for (size_t i = 0; i < ff.bindings.len; i++) {
		const struct fact_binding *b = &ff.bindings.items[i];
		if (!strcmp(b->name, "msg")) {
			assert_int_equal(b->kind, BIND_LOOP);
			assert_int_equal(b->loop, 0);
		}
		if (!strcmp(b->name, "body")) {
			assert_int_equal(b->kind, BIND_ASSIGN);
			assert_string_equal(ff.calls.items[b->call].callee, "r.get");
		}
		if (!strcmp(b->name, "stream"))
			assert_int_equal(b->kind, BIND_PARAM);
	}
}

static void test_route_registration(void **state)
{
	const struct fact_function *fn;

	(void)state;
	extract("app.get('/healthz', async (req, res) => {\n"
		"  await db.query('SELECT 1');\n"
		"  res.json({ status: 'ok' });\n"
		"});\n", LANG_JAVASCRIPT);
	assert_int_equal(ff.functions.len, 1);
	fn = &ff.functions.items[0];
	assert_int_equal(fn->ndecorators, 1);
	assert_string_equal(fn->decorators[0].name, "app.get");
	assert_string_equal(fn->decorators[0].args[0].value, "/healthz");
	assert_string_equal(ff.calls.items[fn->decorators[0].call].callee, "app.get");
	assert_int_equal(write_to("status")->kind, WRITE_RETURN);
	assert_true(write_to("status")->crosses);
}

static void test_hostile_input(void **state)
{
	static const char *const bad[] = {
		"", "\0\0\0", "function (", "try { } catch (", "\xff\xfe\xfd", "a.on('close', ",
		"for (;;) { try { x() } catch { continue } }", "`${`${`${", "<div>{</div>",
	};
	char *deep;
	size_t n = 10000;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int l = LANG_JAVASCRIPT; l <= LANG_TSX; l++) {
			struct file_facts f;
			file_facts_init(&f, "bad.js", (enum lang)l);
			assert_int_equal(js_extract(bad[i], strlen(bad[i]) + (i == 1 ? 3 : 0), &f), 0);
			file_facts_release(&f);
		}
	}
	deep = malloc(2 * n + 8);
	memcpy(deep, "x=", 2);
	memset(deep + 2, '(', n);
	memset(deep + 2 + n, ')', n);
	deep[2 + 2 * n] = '\0';
	{
		struct file_facts f;
		file_facts_init(&f, "deep.js", LANG_JAVASCRIPT);
		assert_int_equal(js_extract(deep, strlen(deep), &f), 0);
		file_facts_release(&f);
	}
	free(deep);
	file_facts_init(&ff, "empty.js", LANG_JAVASCRIPT); /* for the teardown */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_imports, teardown),
		cmocka_unit_test_teardown(test_functions_and_calls, teardown),
		cmocka_unit_test_teardown(test_try_catch_types, teardown),
		cmocka_unit_test_teardown(test_callback_handlers, teardown),
		cmocka_unit_test_teardown(test_property_handlers, teardown),
		cmocka_unit_test_teardown(test_writes, teardown),
		cmocka_unit_test_teardown(test_reads, teardown),
		cmocka_unit_test_teardown(test_loops_and_bindings, teardown),
		cmocka_unit_test_teardown(test_route_registration, teardown),
		cmocka_unit_test_teardown(test_hostile_input, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
