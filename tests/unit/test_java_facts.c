/*
 * java_extract: the facts of small real-shaped snippets, field by field.
 * tests/data/java/Dispatcher.java holds most idioms (line numbers below
 * refer to it); a few cases are inline.
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
	extract_with(java_extract, LANG_JAVA, "Inline.java", src, strlen(src));
}

static void extract_file(const char *name)
{
	extract_data_file(java_extract, LANG_JAVA, "java", name);
}

static const struct fact_write *write_at(uint32_t line)
{
	for (size_t i = 0; i < ff.writes.len; i++)
		if (ff.writes.items[i].span.line == line)
			return &ff.writes.items[i];
	fail_msg("no write at line %u", line);
	return NULL;
}

static const struct fact_read *read_at(uint32_t line)
{
	for (size_t i = 0; i < ff.reads.len; i++)
		if (ff.reads.items[i].span.line == line)
			return &ff.reads.items[i];
	fail_msg("no read at line %u", line);
	return NULL;
}

static void test_imports(void **state)
{
	(void)state;
	extract_file("Dispatcher.java");
	assert_int_equal(ff.imports.len, 4);
	assert_string_equal(ff.imports.items[2].module, "org.springframework.retry.annotation");
	assert_string_equal(ff.imports.items[2].name, "Retryable");
	assert_string_equal(ff.imports.items[2].alias, "Retryable");
	assert_int_equal(ff.imports.items[2].span.line, 5);
	/* import static a.b.C.m: module a.b.C, name m */
	assert_string_equal(ff.imports.items[3].module, "com.example.engine.WorkerStatus");
	assert_string_equal(ff.imports.items[3].name, "IDLE");
}

static void test_functions(void **state)
{
	const struct fact_function *f;
	(void)state;
	extract_file("Dispatcher.java");
	assert_int_equal(ff.functions.len, 5);
	f = &ff.functions.items[func_index("Dispatcher")];
	assert_true(f->is_constructor);
	assert_string_equal(f->cls, "Dispatcher");
	assert_int_equal(f->span.line, 14);
	assert_int_equal(f->span.end_line, 16);
	assert_string_equal(f->receiver, "this");
	f = &ff.functions.items[func_index("dispatch")];
	assert_false(f->is_constructor);
	assert_int_equal(f->ndecorators, 1);
	assert_string_equal(f->decorators[0].name, "Retryable");
	assert_int_equal(f->decorators[0].nargs, 2);
	assert_string_equal(f->decorators[0].args[0].name, "maxAttempts");
	assert_string_equal(f->decorators[0].args[0].value, "3");
	assert_int_equal(f->decorators[0].span.line, 18);
	assert_true(f->decorators[0].call >= 0);
	assert_string_equal(ff.calls.items[f->decorators[0].call].callee, "Retryable");
}

static void test_calls(void **state)
{
	const struct fact_call *c;
	(void)state;
	extract_file("Dispatcher.java");
	c = call_named("this.send");
	assert_int_equal(c->span.line, 21);
	assert_int_equal(c->func, func_index("dispatch"));
	assert_int_equal(c->guard, 0);
	assert_int_equal(c->handler, -1);
	c = call_named("pick");
	assert_string_equal(c->method, "pick");
	/* a builder chain: inner links carry to the outermost, which is assigned */
	c = call_named("HttpClient.newBuilder().build");
	assert_string_equal(c->assigned_to, "http");
	assert_int_equal(c->carrier, -1);
	assert_int_equal(call_named("HttpClient.newBuilder")->carrier, (int)(c - ff.calls.items));
	c = call_named("worker.setStatus");
	assert_int_equal(c->handler, 0);
	assert_true(c->block_exits);
	assert_true(c->conditional);
	c = call_named("http.send");
	assert_int_equal(c->loop, 1);
	assert_int_equal(c->nargs, 2);
	assert_string_equal(c->args[0].text, "request");
	assert_int_equal(c->names.len, 3);
	assert_string_equal(c->names.items[0], "http");
}

static void test_handlers(void **state)
{
	const struct fact_handler *h;
	(void)state;
	extract_file("Dispatcher.java");
	assert_int_equal(ff.handlers.len, 3);
	h = &ff.handlers.items[0];
	assert_int_equal(h->kind, HANDLER_EXCEPT);
	assert_int_equal(h->types.len, 2); /* multi-catch */
	assert_string_equal(h->types.items[0], "IOException");
	assert_string_equal(h->types.items[1], "TimeoutException");
	assert_string_equal(h->var, "e");
	assert_true(h->reraises);
	assert_int_equal(h->span.line, 23);
	assert_int_equal(h->guarded.line, 20);
	assert_int_equal(ff.handlers.items[1].kind, HANDLER_FINALLY);
	h = &ff.handlers.items[2];
	assert_int_equal(h->loop, 1);
	assert_false(h->reraises);
}

static void test_writes(void **state)
{
	const struct fact_write *w;
	(void)state;
	extract_file("Dispatcher.java");
	w = write_at(15);
	assert_int_equal(w->kind, WRITE_ATTR);
	assert_string_equal(w->target, "this.status");
	assert_string_equal(w->value, "WorkerStatus.IDLE");
	/* a setter: a write that carries its call */
	w = write_at(24);
	assert_int_equal(w->kind, WRITE_ATTR);
	assert_string_equal(w->target, "worker.status");
	assert_string_equal(w->field, "status");
	assert_int_equal(w->handler, 0);
	assert_string_equal(ff.calls.items[w->call].callee, "worker.setStatus");
	/* a bare field of the object */
	w = write_at(52);
	assert_string_equal(w->target, "this.status");
	assert_string_equal(w->value, "WorkerStatus.BUSY");
	w = write_at(56);
	assert_int_equal(w->kind, WRITE_SQL);
	assert_string_equal(w->target, "jobs.status");
	assert_string_equal(w->value, "failed");
	w = write_at(61);
	assert_int_equal(w->kind, WRITE_RETURN);
	assert_string_equal(w->value, "UP");
}

static void test_reads(void **state)
{
	const struct fact_read *r;
	(void)state;
	extract_file("Dispatcher.java");
	r = read_at(33); /* if (!w.isBusy()) in a for loop */
	assert_true(r->truthiness);
	assert_true(r->selects);
	assert_string_equal(r->target, "w.busy");
	assert_string_equal(r->values.items[0], "false");
	r = read_at(38); /* switch (worker.getStatus()) { case IDLE: } */
	assert_int_equal(r->kind, READ_MATCH);
	assert_string_equal(r->field, "status");
	assert_string_equal(r->values.items[0], "IDLE");
	r = read_at(43); /* stream filter */
	assert_int_equal(r->kind, READ_COMPARE);
	assert_true(r->selects);
	assert_string_equal(r->values.items[0], "WorkerStatus.IDLE");
	r = read_at(55); /* "idle".equals(job.getState()) */
	assert_string_equal(r->target, "job.state");
	assert_string_equal(r->values.items[0], "idle");
	assert_false(r->negated);
}

static void test_retry_loop(void **state)
{
	(void)state;
	extract_file("Dispatcher.java");
	assert_int_equal(ff.retries.len, 1);
	assert_int_equal(ff.retries.items[0].kind, RETRY_LOOP);
	assert_string_equal(ff.retries.items[0].source, "for-loop");
	assert_int_equal(ff.retries.items[0].attempts, 3);
	assert_int_equal(ff.retries.items[0].span.line, 47);
	assert_int_equal(ff.retries.items[0].func, func_index("send"));
}

static void test_bindings(void **state)
{
	(void)state;
	extract_text("class C {\n"
		     "  void run(KafkaConsumer<String, String> consumer) {\n"
		     "    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));\n"
		     "    for (ConsumerRecord<String, String> record : records) {\n"
		     "      index(record.value());\n"
		     "    }\n"
		     "  }\n"
		     "}\n");
	assert_false(ff.parse_errors);
	assert_int_equal(ff.bindings.len, 3);
	assert_int_equal(ff.bindings.items[0].kind, BIND_PARAM);
	assert_string_equal(ff.bindings.items[0].name, "consumer");
	assert_int_equal(ff.bindings.items[1].kind, BIND_ASSIGN);
	assert_string_equal(ff.bindings.items[1].name, "records");
	assert_string_equal(ff.calls.items[ff.bindings.items[1].call].callee, "consumer.poll");
	assert_int_equal(ff.bindings.items[2].kind, BIND_LOOP);
	assert_string_equal(ff.bindings.items[2].name, "record");
	assert_string_equal(ff.bindings.items[2].names.items[0], "records");
	assert_int_equal(ff.loops.items[0].iter.line, 4);
}

static void test_anonymous_class_and_lambda(void **state)
{
	(void)state;
	extract_text("class C {\n"
		     "  void start(Channel ch) {\n"
		     "    ch.basicConsume(\"q\", false, new DefaultConsumer(ch) {\n"
		     "      public void handleDelivery(String tag, Envelope env, Props p, byte[] body) {\n"
		     "        ch.basicAck(env.getDeliveryTag(), false);\n"
		     "      }\n"
		     "    });\n"
		     "    pool.submit(() -> work());\n"
		     "  }\n"
		     "}\n");
	assert_int_equal(ff.functions.len, 2); /* the lambda is not a function */
	assert_string_equal(ff.functions.items[1].name, "handleDelivery");
	assert_string_equal(ff.functions.items[1].cls, "DefaultConsumer");
	assert_int_equal(ff.functions.items[1].parent, 0);
	assert_int_equal(call_named("ch.basicAck")->func, 1);
	assert_int_equal(call_named("work")->func, 0);
}

/* Listener methods of ending events are callback handlers typed by their supertypes. */
static void test_listener_handlers(void **state)
{
	const struct fact_handler *h;

	(void)state;
	extract_text("class W extends WebSocketListener implements Closeable, StreamObserver<P> {\n"
		     "  public void onMessage(WebSocket ws, String text) { show(text); }\n"
		     "  public void onFailure(WebSocket ws, Throwable t, Response r) {\n"
		     "    jobs.fail(id);\n"
		     "  }\n"
		     "  void watch() {\n"
		     "    call(new StreamObserver<P>() {\n"
		     "      public void onCompleted() { done(); }\n"
		     "    });\n"
		     "  }\n"
		     "}\n");
	assert_int_equal(ff.handlers.len, 2);
	h = &ff.handlers.items[0];
	assert_int_equal(h->kind, HANDLER_CALLBACK);
	assert_int_equal(h->types.len, 3);
	assert_string_equal(h->types.items[0], "WebSocketListener.onFailure");
	assert_string_equal(h->types.items[2], "StreamObserver.onFailure");
	assert_int_equal(h->span.line, 3);
	assert_string_equal(ff.functions.items[h->func].name, "onFailure");
	assert_int_equal(call_named("jobs.fail")->handler, 0);
	assert_int_equal(call_named("show")->handler, -1);
	h = &ff.handlers.items[1];
	assert_int_equal(h->types.len, 1);
	assert_string_equal(h->types.items[0], "StreamObserver.onCompleted");
	assert_int_equal(call_named("done")->handler, 1);
}

static void test_while_retry_and_constants(void **state)
{
	(void)state;
	extract_text("class C {\n"
		     "  void send() {\n"
		     "    int retries = 0;\n"
		     "    while (true) {\n"
		     "      try { client.call(); break; }\n"
		     "      catch (ConnectException e) { retries++; }\n"
		     "    }\n"
		     "    if (status != Status.DOWN && node.state == READY) { go(); }\n"
		     "  }\n"
		     "}\n");
	assert_int_equal(ff.retries.len, 1);
	assert_string_equal(ff.retries.items[0].source, "while-loop");
	assert_int_equal(ff.reads.len, 2);
	assert_true(ff.reads.items[0].negated);
	assert_string_equal(ff.reads.items[0].values.items[0], "Status.DOWN");
	assert_string_equal(ff.reads.items[1].target, "node.state");
	assert_string_equal(ff.reads.items[1].values.items[0], "READY");
}

static void test_hostile_input(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	strbuf_addstr(&sb, "class A { int f() { return ");
	for (int i = 0; i < 10000; i++)
		strbuf_addch(&sb, '(');
	strbuf_addch(&sb, '1');
	for (int i = 0; i < 10000; i++)
		strbuf_addch(&sb, ')');
	strbuf_addstr(&sb, "; } void g() { a");
	for (int i = 0; i < 5000; i++)
		strbuf_addstr(&sb, ".b()");
	strbuf_addstr(&sb, "; } }\n\xff\xfe");
	strbuf_addch(&sb, '\0');
	strbuf_addstr(&sb, "tail");
	file_facts_init(&ff, "Hostile.java", LANG_JAVA);
	assert_int_equal(java_extract(sb.buf, sb.len, &ff), 0);
	assert_true(ff.parse_errors);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_imports, facts_teardown),
		cmocka_unit_test_teardown(test_functions, facts_teardown),
		cmocka_unit_test_teardown(test_calls, facts_teardown),
		cmocka_unit_test_teardown(test_handlers, facts_teardown),
		cmocka_unit_test_teardown(test_writes, facts_teardown),
		cmocka_unit_test_teardown(test_reads, facts_teardown),
		cmocka_unit_test_teardown(test_retry_loop, facts_teardown),
		cmocka_unit_test_teardown(test_bindings, facts_teardown),
		cmocka_unit_test_teardown(test_anonymous_class_and_lambda, facts_teardown),
		cmocka_unit_test_teardown(test_listener_handlers, facts_teardown),
		cmocka_unit_test_teardown(test_while_retry_and_constants, facts_teardown),
		cmocka_unit_test_teardown(test_hostile_input, facts_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
