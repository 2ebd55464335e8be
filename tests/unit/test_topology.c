/*
 * Loading and validating topology files: the plugin's template, the
 * extension keys, every validation error (return value AND the position in
 * the message), hostile input, and a large generated file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "topo/topology.h"

static char *fixture(const char *name)
{
	const char *src = getenv("DISTARCH_SRC");
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s/tests/data/topology/%s", src ? src : ".", name);
	return strbuf_detach(&sb, NULL);
}

/* Run a load with fd 2 redirected to a temp file; *out gets what it printed. */
struct captured {
	int ret;
	char *err;
};

static int do_load(struct topology *t, const char *path, const char *buf, size_t len)
{
	return buf ? topology_load_buffer(t, path, buf, len) : topology_load_file(t, path);
}

static struct captured capture(struct topology *t, const char *path, const char *buf, size_t len)
{
	struct captured c;
	char tmpl[] = "/tmp/test-topology-XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	unlink(tmpl);
	fflush(stderr);
	int saved = dup(2);
	assert_true(saved >= 0);
	dup2(fd, 2);
	c.ret = do_load(t, path, buf, len);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);

	off_t size = lseek(fd, 0, SEEK_END);
	c.err = malloc((size_t)size + 1);
	assert_non_null(c.err);
	lseek(fd, 0, SEEK_SET);
	ssize_t got = read(fd, c.err, (size_t)size);
	assert_int_equal(got, size);
	c.err[size] = '\0';
	close(fd);
	return c;
}

static struct captured load_fixture(struct topology *t, const char *name)
{
	char *path = fixture(name);
	struct captured c = capture(t, path, NULL, 0);
	free(path);
	return c;
}

/* The message must hold `<name>:<pos>: <rest>` (name is the fixture's base name). */
static void expect_msg(const struct captured *c, const char *name, const char *pos, const char *rest)
{
	struct strbuf want = STRBUF_INIT;
	strbuf_addf(&want, "%s:%s: %s", name, pos, rest);
	if (!strstr(c->err, want.buf))
		fail_msg("expected '%s' in stderr:\n%s", want.buf, c->err);
	strbuf_release(&want);
}

static unsigned count_lines(const char *s, const char *kind)
{
	unsigned n = 0;
	for (const char *p = s; (p = strstr(p, kind)); p++)
		n++;
	return n;
}

/* ---- valid files ---- */

static void test_template(void **state)
{
	(void)state;
	struct topology t;
	topology_init(&t);
	struct captured c = load_fixture(&t, "template.yaml");
	assert_int_equal(c.ret, 0);
	assert_string_equal(c.err, ""); /* no warnings either */
	assert_int_equal(t.components.len, 3);
	assert_int_equal(t.relationships.len, 3);
	assert_int_equal(t.convergence.len, 1);

	assert_string_equal(t.components.items[0].name, "example-api");
	assert_string_equal(t.components.items[0].count.text, "1 (fixed)");
	assert_true(t.components.items[0].count.fixed);
	assert_true(topo_count_is_one(&t.components.items[0].count));
	assert_string_equal(t.components.items[1].name, "example-worker");
	assert_true(t.components.items[1].count.dynamic);
	assert_false(topo_count_is_one(&t.components.items[1].count));
	assert_string_equal(t.components.items[2].role, "Persistent storage");

	const struct topo_relationship *r = t.relationships.items;
	assert_string_equal(r[0].from, "example-api");
	assert_int_equal(r[0].from_idx, 0);
	assert_int_equal(r[0].to_idx, 1);
	assert_string_equal(cardinality_name(r[0].card), "1:N");
	assert_string_equal(cardinality_name(r[1].card), "N:1");
	assert_string_equal(cardinality_name(r[2].card), "1:1");
	assert_string_equal(r[0].via, "Redis Streams");
	assert_string_equal(r[0].pattern, "stream (consumer group)");
	assert_int_equal(r[0].retries, -1);
	assert_null(r[0].timeout);
	assert_int_equal(r[0].delivery, DELIVERY_UNSPECIFIED);
	assert_non_null(strstr(r[1].notes, "concurrent worker messages"));
	/* spans are 1-based: the first relationship's mapping starts at "from:" on line 27 */
	assert_int_equal(r[0].span.line, 27);
	assert_int_equal(r[0].span.col, 5);
	assert_int_equal(t.components.items[0].span.line, 10);

	const struct topo_convergence *cp = t.convergence.items;
	assert_string_equal(cp->resource, "jobs table");
	assert_int_equal(cp->accessed_by.len, 2);
	assert_string_equal(cp->accessed_by.items[1], "example-worker");
	assert_string_equal(cp->type, "database table");

	assert_int_equal(topology_find(&t, "example-db"), 2);
	assert_int_equal(topology_find(&t, "nope"), -1);
	free(c.err);
	topology_release(&t);
}

static void test_extended(void **state)
{
	(void)state;
	struct topology t;
	topology_init(&t);
	struct captured c = load_fixture(&t, "extended.yaml");
	assert_int_equal(c.ret, 0);
	assert_string_equal(c.err, "");
	assert_int_equal(t.components.len, 4);
	assert_int_equal(t.relationships.len, 4);

	const struct topo_component *w = &t.components.items[1];
	assert_int_equal(w->count.n, 3);
	assert_int_equal(w->count.replicas, 2);
	assert_int_equal(t.components.items[0].paths.len, 2);
	assert_string_equal(t.components.items[0].paths.items[1], "shared/http/*.py");
	assert_int_equal(w->paths.len, 1); /* a single string is a list of one */
	assert_string_equal(w->paths.items[0], "workers/");

	const struct topo_relationship *r = t.relationships.items;
	assert_int_equal(r[0].retries, 3);
	assert_string_equal(r[0].timeout, "30s");
	assert_int_equal(r[0].delivery, DELIVERY_AT_LEAST_ONCE);
	assert_string_equal(delivery_name(r[0].delivery), "at-least-once");
	assert_string_equal(cardinality_name(r[0].card), "1:N");
	assert_int_equal(r[1].retries, 0);
	assert_string_equal(r[1].timeout, "500ms");
	assert_int_equal(r[1].delivery, DELIVERY_EXACTLY_ONCE);
	assert_string_equal(cardinality_name(r[1].card), "N:1");
	assert_string_equal(r[2].timeout, "45");
	assert_int_equal(r[2].delivery, DELIVERY_AT_MOST_ONCE);
	assert_string_equal(r[3].timeout, "2m");
	assert_string_equal(cardinality_name(r[3].card), "1:1");
	assert_int_equal(t.convergence.items[0].accessed_by.len, 3);

	/* first component in file order whose globs match */
	assert_int_equal(topology_component_for_path(&t, "services/api/handlers/jobs.py"), 0);
	assert_int_equal(topology_component_for_path(&t, "shared/http/client.py"), 0);
	assert_int_equal(topology_component_for_path(&t, "workers/transcode/run.go"), 1);
	assert_int_equal(topology_component_for_path(&t, "sched/leader.py"), 2);
	assert_int_equal(topology_component_for_path(&t, "ops/nightly.cron"), 2);
	assert_int_equal(topology_component_for_path(&t, "README.md"), -1);
	free(c.err);
	topology_release(&t);
}

static void test_unknown_keys_warn(void **state)
{
	(void)state;
	struct topology t;
	topology_init(&t);
	struct captured c = load_fixture(&t, "warn-unknown-keys.yaml");
	assert_int_equal(c.ret, 0);
	expect_msg(&c, "warn-unknown-keys.yaml", "4:5", "warning: unknown key 'owner' in component (ignored); known keys: name, count");
	expect_msg(&c, "warn-unknown-keys.yaml", "5:5", "warning: unknown key 'rol' in component (ignored); did you mean 'role'?");
	expect_msg(&c, "warn-unknown-keys.yaml", "8:1", "warning: unknown top-level key 'monitoring' (ignored)");
	assert_int_equal(count_lines(c.err, "error"), 0);
	assert_int_equal(t.components.len, 1);
	free(c.err);
	topology_release(&t);
}

static void test_aliases_resolve(void **state)
{
	(void)state;
	struct topology t;
	topology_init(&t);
	struct captured c = load_fixture(&t, "alias-ok.yaml");
	assert_int_equal(c.ret, 0);
	assert_string_equal(t.components.items[1].count.text, "1 (fixed)");
	assert_int_equal(t.convergence.items[1].accessed_by.len, 2);
	free(c.err);
	topology_release(&t);
}

/* ---- errors: one file each, position checked ---- */

struct error_case {
	const char *file;
	const char *pos;
	const char *msg;
};

static const struct error_case error_cases[] = {
	{ "err-unknown-component.yaml", "8:9", "error: unknown component 'wrker' in relationship 'to:'; did you mean 'worker'?" },
	{ "err-unknown-component.yaml", "9:11", "error: unknown component 'billing' in relationship 'from:'; expected one of the components: api, worker" },
	{ "err-unknown-component.yaml", "13:24", "error: unknown component 'ghost' in convergence point 'accessed_by:'" },
	{ "err-duplicate-component.yaml", "6:11", "error: duplicate component 'api' (first defined at line 2)" },
	{ "err-bad-count.yaml", "3:12", "error: cannot parse count 'many-ish' of component 'api': " },
	{ "err-bad-count.yaml", "5:12", "error: cannot parse count '' of component 'worker': empty count" },
	{ "err-bad-count.yaml", "7:12", "error: 'count:' of component 'db': expected an instance count like 1, N" },
	{ "err-components-mapping.yaml", "2:3", "error: 'components:' expected a list of components (entries starting with '- '), found a mapping" },
	{ "err-name-list.yaml", "2:11", "error: 'name:' of component: expected a component name, found a list" },
	{ "err-retries-string.yaml", "9:14", "error: 'retries:' expected a non-negative integer (retries after the first attempt), found 'three'" },
	{ "err-retries-negative.yaml", "9:14", "error: 'retries:' expected a non-negative integer, found -1" },
	{ "err-delivery.yaml", "9:15", "error: 'delivery:' expected at-most-once, at-least-once or exactly-once, found 'exactly-twice'" },
	{ "err-timeout.yaml", "9:14", "error: 'timeout:' expected a duration like 30s, 500ms, 2m or a number of seconds, found 'soon'" },
	{ "err-missing-keys.yaml", "2:5", "error: component is missing 'name:' (a component name)" },
	{ "err-missing-keys.yaml", "4:5", "error: component is missing 'count:' (an instance count like" },
	{ "err-missing-keys.yaml", "6:5", "error: relationship is missing 'from:' (the name of a component)" },
	{ "err-missing-keys.yaml", "8:5", "error: convergence point is missing 'resource:' (the shared resource)" },
	{ "err-typo-form.yaml", "7:5", "warning: unknown key 'form' in relationship (ignored); did you mean 'from'?" },
	{ "err-typo-form.yaml", "7:5", "error: relationship is missing 'from:' (the name of a component); 'form:' at line 7 looks like a typo" },
	{ "err-top-list.yaml", "1:1", "error: expected a mapping with 'components:', 'relationships:' and 'convergence_points:' at the top level, found a list" },
	{ "err-syntax.yaml", "4:4", "error: yaml syntax error: did not find expected '-' indicator while parsing a block collection (started at line 2 column 3)" },
	{ "empty.yaml", "1:1", "error: empty topology: expected 'components:' with a list of components" },
	{ "alias-bomb.yaml", "7:8", "error: yaml document too large: more than 1000000 nodes (an alias counts as a copy of what it names)" },
	{ "deep.yaml", "1:76", "error: yaml nested deeper than 64 levels" },
};

static void test_error_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct error_case *e = &error_cases[i];
		struct topology t;
		topology_init(&t);
		struct captured c = load_fixture(&t, e->file);
		if (c.ret != -1)
			fail_msg("%s: loaded (ret %d) but should fail; stderr:\n%s", e->file, c.ret, c.err);
		expect_msg(&c, e->file, e->pos, e->msg);
		free(c.err);
		topology_release(&t);
	}
}

/* All problems are reported, not only the first. */
static void test_all_errors_reported(void **state)
{
	(void)state;
	struct topology t;
	topology_init(&t);
	struct captured c = load_fixture(&t, "err-multiple.yaml");
	assert_int_equal(c.ret, -1);
	expect_msg(&c, "err-multiple.yaml", "3:12", "error: cannot parse count 'lots'");
	expect_msg(&c, "err-multiple.yaml", "4:11", "error: duplicate component 'api' (first defined at line 2)");
	expect_msg(&c, "err-multiple.yaml", "7:11", "error: unknown component 'nowhere'");
	expect_msg(&c, "err-multiple.yaml", "9:14", "error: 'retries:' expected a non-negative integer, found -2");
	expect_msg(&c, "err-multiple.yaml", "10:15", "error: 'delivery:' expected at-most-once");
	assert_int_equal(count_lines(c.err, ": error: "), 5);
	free(c.err);
	topology_release(&t);
}

static void test_missing_file(void **state)
{
	(void)state;
	struct topology t;
	topology_init(&t);
	struct captured c = capture(&t, "/nonexistent/dir/topology.yaml", NULL, 0);
	assert_int_equal(c.ret, -1);
	assert_non_null(strstr(c.err, "/nonexistent/dir/topology.yaml"));
	free(c.err);
	topology_release(&t);
}

/* ---- buffers: hostile and large ---- */

static void test_buffer_edge_cases(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int ret;
		const char *msg;
	} cases[] = {
		{ "", -1, "buf:1:1: error: empty topology" },
		{ "---\n", -1, "buf:1:1: error: empty topology" },
		{ "components: []\n", 0, NULL },
		{ "components:\nrelationships:\n", 0, NULL },
		{ "version: 2\n", -1, "buf:1:1: error: missing 'components:'" },
		{ "componets: []\n", -1, "'componets:' at line 1 looks like a typo" },
		{ "components: [{name: a, count: 1}]\n---\ncomponents: []\n", -1, "buf:2:1: error: expected a single yaml document" },
		{ "components: *nope\n", -1, "buf:1:13: error: yaml alias '*nope' names no anchor" },
		{ "components:\n  - {name: a, count: 1, name: b}\n", -1, "buf:2:25: error: duplicate key 'name' in component (first at line 2)" },
		{ "components:\n  - {name: \"\", count: 1}\n", -1, "buf:2:12: error: 'name:' of component: expected a component name, found an empty string" },
		{ "components:\n  - {name: a, count: 1, paths: {x: 1}}\n", -1, "'paths:' of component: expected a glob or a list of globs, found a mapping" },
		{ "components:\n  - {name: a, count: 1}\nrelationships:\n  - {from: a, to: a, retries: \"3\"}\n", -1, "buf:4:31: error: 'retries:'" },
		/* columns are bytes: each \xc3\xa9 is one character but two columns */
		{ "components:\n  - {name: \"\xc3\xa9t\xc3\xa9\", count: lots}\n", -1, "buf:2:28: error: cannot parse count 'lots'" },
		{ "components: [{name: a, count: 1}]\nbad: \xff\n", -1, "buf:2:6: error: yaml syntax error: invalid leading UTF-8 octet" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct topology t;
		topology_init(&t);
		struct captured c = capture(&t, "buf", cases[i].text, strlen(cases[i].text));
		if (c.ret != cases[i].ret)
			fail_msg("case %zu: ret %d, want %d; stderr:\n%s", i, c.ret, cases[i].ret, c.err);
		if (cases[i].msg && !strstr(c.err, cases[i].msg))
			fail_msg("case %zu: expected '%s' in:\n%s", i, cases[i].msg, c.err);
		free(c.err);
		topology_release(&t);
	}
}

static void test_alias_bomb_is_fast(void **state)
{
	(void)state;
	/* Ten levels of ten: 10^10 nodes if expanded. */
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "l0: &l0 [x,x,x,x,x,x,x,x,x,x]\n");
	for (int i = 1; i < 10; i++) {
		strbuf_addf(&sb, "l%d: &l%d [", i, i);
		for (int j = 0; j < 10; j++)
			strbuf_addf(&sb, "%s*l%d", j ? "," : "", i - 1);
		strbuf_addstr(&sb, "]\n");
	}
	strbuf_addstr(&sb, "components: *l9\n");
	struct topology t;
	topology_init(&t);
	clock_t t0 = clock();
	struct captured c = capture(&t, "bomb", sb.buf, sb.len);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_int_equal(c.ret, -1);
	assert_non_null(strstr(c.err, "yaml document too large"));
	assert_true(secs < 1.0);
	free(c.err);
	topology_release(&t);
	strbuf_release(&sb);
}

static void test_ten_thousand_components(void **state)
{
	(void)state;
	enum { N = 10000 };
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "components:\n");
	for (int i = 0; i < N; i++)
		strbuf_addf(&sb, "  - name: svc-%d\n    count: %s\n    paths: [svc%d/**]\n", i,
			    i % 2 ? "N (dynamic)" : "1 (fixed)", i);
	strbuf_addstr(&sb, "relationships:\n");
	for (int i = 0; i + 1 < N; i++)
		strbuf_addf(&sb, "  - {from: svc-%d, to: svc-%d, retries: 2}\n", i, i + 1);
	strbuf_addstr(&sb, "convergence_points:\n  - resource: r\n    accessed_by: [svc-0, svc-9999]\n");

	struct topology t;
	topology_init(&t);
	clock_t t0 = clock();
	struct captured c = capture(&t, "big", sb.buf, sb.len);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_int_equal(c.ret, 0);
	assert_string_equal(c.err, "");
	assert_int_equal(t.components.len, N);
	assert_int_equal(t.relationships.len, N - 1);
	assert_int_equal(topology_find(&t, "svc-9876"), 9876);
	assert_string_equal(cardinality_name(t.relationships.items[0].card), "1:N");
	assert_string_equal(cardinality_name(t.relationships.items[1].card), "N:1");
	assert_int_equal(topology_component_for_path(&t, "svc42/main.go"), 42);
	if (secs >= 1.0)
		fail_msg("10k components took %.2fs", secs);
	free(c.err);
	topology_release(&t);
	strbuf_release(&sb);
}

/* Thousands of problems: capped output, all counted, and still fast. */
static void test_many_errors_capped(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "components:\n");
	for (int i = 0; i < 3000; i++)
		strbuf_addf(&sb, "  - {name: a-rather-long-component-name-to-make-suggestions-costly-%d, count: 1, nmae: x}\n", i);
	strbuf_addstr(&sb, "relationships:\n");
	for (int i = 0; i < 3000; i++)
		strbuf_addf(&sb, "  - {from: a-rather-long-component-name-to-make-suggestions-costlx-%d, to: nope}\n", i);
	struct topology t;
	topology_init(&t);
	clock_t t0 = clock();
	struct captured c = capture(&t, "many", sb.buf, sb.len);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_int_equal(c.ret, -1);
	assert_int_equal(count_lines(c.err, ": error: "), 100 + 1); /* 100 shown, and the summary */
	assert_non_null(strstr(c.err, "many: error: 5900 more errors not shown"));
	assert_non_null(strstr(c.err, "many: warning: 2900 more warnings not shown"));
	assert_non_null(strstr(c.err, "did you mean 'a-rather-long-component-name-to-make-suggestions-costly-0'?"));
	if (secs >= 1.0)
		fail_msg("6000 errors took %.2fs", secs);
	free(c.err);
	topology_release(&t);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_extended),
		cmocka_unit_test(test_unknown_keys_warn),
		cmocka_unit_test(test_aliases_resolve),
		cmocka_unit_test(test_error_cases),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_buffer_edge_cases),
		cmocka_unit_test(test_alias_bomb_is_fast),
		cmocka_unit_test(test_ten_thousand_components),
		cmocka_unit_test(test_many_errors_capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
