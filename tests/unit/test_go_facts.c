/* go_extract: facts of small Go snippets, field by field. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lang/lang.h"

static struct file_facts ff;

static void extract(const char *src)
{
	file_facts_init(&ff, "inline.go", LANG_GO);
	assert_int_equal(go_extract(src, strlen(src), &ff), 0);
}

static int teardown(void **state)
{
	(void)state;
	file_facts_release(&ff);
	return 0;
}

static const char errcheck_src[] =
	"package w\n"                                              /* 1 */
	"import (\n"                                               /* 2 */
	"\tamqp \"github.com/rabbitmq/amqp091-go\"\n"              /* 3 */
	"\t\"github.com/redis/go-redis/v9\"\n"                     /* 4 */
	")\n"                                                      /* 5 */
	"func (d *Dispatcher) run(ch *amqp.Channel) error {\n"     /* 6 */
	"\tfor i := 0; i < 3; i++ {\n"                             /* 7 */
	"\t\tmsgs, err := ch.Consume(\"q\")\n"                     /* 8 */
	"\t\tif err != nil {\n"                                    /* 9 */
	"\t\t\tcontinue\n"                                         /* 10 */
	"\t\t}\n"                                                  /* 11 */
	"\t\td.w.Status = StatusIdle\n"                            /* 12 */
	"\t\tbreak\n"                                              /* 13 */
	"\t}\n"                                                    /* 14 */
	"\tif errors.Is(err, io.EOF) { return err }\n"            /* 15 */
	"\treturn nil\n"                                           /* 16 */
	"}\n"
	"func NewDispatcher() *Dispatcher { return &Dispatcher{} }\n"; /* 18 */

static void test_imports_functions(void **state)
{
	(void)state;
	extract(errcheck_src);
	assert_int_equal(ff.imports.len, 2);
	assert_string_equal(ff.imports.items[0].module, "github.com/rabbitmq/amqp091-go");
	assert_string_equal(ff.imports.items[0].alias, "amqp");
	assert_string_equal(ff.imports.items[1].alias, "redis");
	assert_int_equal(ff.functions.len, 2);
	assert_string_equal(ff.functions.items[0].name, "run");
	assert_string_equal(ff.functions.items[0].cls, "Dispatcher");
	assert_string_equal(ff.functions.items[0].receiver, "d");
	assert_false(ff.functions.items[0].is_constructor);
	assert_true(ff.functions.items[1].is_constructor);
}

static void test_errcheck_and_retry(void **state)
{
	const struct fact_handler *h;
	(void)state;
	extract(errcheck_src);
	assert_int_equal(ff.handlers.len, 2);
	h = &ff.handlers.items[0];
	assert_int_equal(h->kind, HANDLER_ERRCHECK);
	assert_int_equal(h->span.line, 9);
	assert_int_equal(h->guarded.line, 8);
	assert_true(h->continues);
	assert_int_equal(h->types.len, 0);
	assert_int_equal(ff.calls.items[0].guard, 0);
	assert_string_equal(ff.calls.items[0].callee, "ch.Consume");
	assert_string_equal(ff.calls.items[0].assigned_to, "msgs");
	h = &ff.handlers.items[1];
	assert_int_equal(h->types.len, 1);
	assert_string_equal(h->types.items[0], "io.EOF");
	assert_true(h->reraises);
	assert_int_equal(ff.retries.len, 1);
	assert_int_equal(ff.retries.items[0].kind, RETRY_LOOP);
	assert_int_equal(ff.retries.items[0].attempts, 3);
	assert_int_equal(ff.retries.items[0].span.line, 7);
}

static void test_writes_reads(void **state)
{
	(void)state;
	extract("package p\n"
		"func f(ws []*W, c *websocket.Conn) {\n"
		"\tfor _, w := range ws {\n"
		"\t\tif w.Status == StatusIdle { c.WriteJSON(Msg{Type: \"IDLE\"}) }\n"
		"\t}\n"
		"\tswitch ws[0].state { case \"a\", \"b\": }\n"
		"}\n");
	assert_int_equal(ff.reads.len, 2);
	assert_int_equal(ff.reads.items[0].kind, READ_COMPARE);
	assert_string_equal(ff.reads.items[0].target, "w.Status");
	assert_string_equal(ff.reads.items[0].values.items[0], "StatusIdle");
	assert_true(ff.reads.items[0].selects);
	assert_int_equal(ff.reads.items[1].kind, READ_MATCH);
	assert_int_equal(ff.reads.items[1].values.len, 2);
	assert_int_equal(ff.writes.len, 1);
	assert_int_equal(ff.writes.items[0].kind, WRITE_MESSAGE);
	assert_string_equal(ff.writes.items[0].value, "IDLE");
	assert_int_equal(ff.writes.items[0].span.line, 4);
	assert_true(ff.writes.items[0].crosses);
}

static void test_stored_and_atomic(void **state)
{
	(void)state;
	extract("package p\n"                                               /* 1 */
		"var rdb = redis.NewClient(&redis.Options{})\n"            /* 2 */
		"func New() *Store { return &Store{rdb: redis.NewClient(nil)} }\n" /* 3 */
		"func (c *Ctl) Run() {\n"                                   /* 4 */
		"\tc.ready.Store(true)\n"                                  /* 5 */
		"\tc.count.Store(3)\n"                                    /* 6 */
		"}\n");
	assert_int_equal(ff.calls.len, 4);
	assert_string_equal(ff.calls.items[0].callee, "redis.NewClient");
	assert_string_equal(ff.calls.items[0].assigned_to, "rdb");
	assert_string_equal(ff.calls.items[1].assigned_to, "Store.rdb");
	assert_null(ff.calls.items[2].assigned_to);
	assert_int_equal(ff.writes.len, 1);
	assert_int_equal(ff.writes.items[0].kind, WRITE_ATTR);
	assert_string_equal(ff.writes.items[0].target, "c.ready");
	assert_string_equal(ff.writes.items[0].field, "ready");
	assert_string_equal(ff.writes.items[0].value, "True");
	assert_int_equal(ff.writes.items[0].span.line, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_imports_functions, teardown),
		cmocka_unit_test_teardown(test_errcheck_and_retry, teardown),
		cmocka_unit_test_teardown(test_writes_reads, teardown),
		cmocka_unit_test_teardown(test_stored_and_atomic, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
