/*
 * API models: every built-in model loads, broken model files are reported
 * at the right line:column, and models_resolve() annotates hand-built facts
 * (no front-end involved) with operations, failure classes and retry layers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/fileio.h"
#include "base/strbuf.h"
#include "facts/facts.h"
#include "models/models.h"
#include "lang/lang.h"

/* ---- stderr capture ---- */

static int saved_fd = -1;
static FILE *cap;

static void capture_begin(void)
{
	fflush(stderr);
	cap = tmpfile();
	assert_non_null(cap);
	saved_fd = dup(2);
	assert_true(saved_fd >= 0);
	assert_true(dup2(fileno(cap), 2) >= 0);
}

static char *capture_end(void)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	rewind(cap);
	while ((n = fread(buf, 1, sizeof(buf), cap)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(cap);
	return strbuf_detach(&sb, NULL);
}

static const char *src_dir(void)
{
	const char *s = getenv("DISTARCH_SRC");
	return s ? s : ".";
}

static const struct api_model *find_model(const struct model_set *ms, const char *lib)
{
	for (size_t i = 0; i < ms->models.len; i++)
		if (!strcmp(ms->models.items[i].library, lib))
			return &ms->models.items[i];
	return NULL;
}

/* ---- loading ---- */

static void test_builtin_models_load(void **state)
{
	struct model_set ms;
	unsigned before = diag_error_count();
	(void)state;

	model_set_init(&ms);
	assert_int_equal(models_load_builtin(&ms), 0);
	assert_int_equal(diag_error_count(), before);
	assert_true(ms.models.len >= 13);
	static const char *const libs[] = {
		"redis-py", "pika", "kombu", "celery", "kafka-python", "boto3", "websockets",
		"aiohttp", "httpx", "requests", "grpc", "asyncpg", "tenacity", "backoff",
		"fastapi", "python-stdlib",
	};
	for (size_t i = 0; i < sizeof(libs) / sizeof(libs[0]); i++) {
		const struct api_model *m = find_model(&ms, libs[i]);
		if (!m)
			fail_msg("built-in model %s missing", libs[i]);
		assert_int_equal(m->lang, LANG_PYTHON);
		assert_non_null(m->docs);
		assert_true(m->calls.len + m->exceptions.len + m->retries.len > 0);
	}
	model_set_release(&ms);
}

static void test_ops_are_documented(void **state)
{
	struct strbuf doc = STRBUF_INIT, path = STRBUF_INIT;
	(void)state;

	strbuf_addf(&path, "%s/docs/models.md", src_dir());
	assert_int_equal(read_file(path.buf, &doc, 0), 0);
	for (const char *const *op = model_ops; *op; op++) {
		struct strbuf want = STRBUF_INIT;
		strbuf_addf(&want, "`%s`", *op);
		if (!strstr(doc.buf, want.buf))
			fail_msg("operation %s is not documented in docs/models.md", *op);
		strbuf_release(&want);
	}
	assert_true(model_op_known("queue.ack"));
	assert_false(model_op_known("queue.pubish"));
	strbuf_release(&doc);
	strbuf_release(&path);
}

/* Each broken fixture, with the diagnostics it must produce (in order). */
static const struct {
	const char *file;
	const char *expect[4];
} broken[] = {
	{ "unknown_op.yaml", { "unknown_op.yaml:6:24: error: unknown operation 'queue.pubish'" } },
	{ "unknown_key.yaml", { "unknown_key.yaml:6:5: error: unknown key 'operation' in a call entry",
				"unknown_key.yaml:5:5: error: a call entry has no 'op'" } },
	{ "unknown_class.yaml", { "unknown_class.yaml:6:24: error: unknown failure class 'transient'" } },
	{ "missing_fields.yaml", { "missing_fields.yaml:2:1: error: missing 'library'",
				   "missing_fields.yaml:2:1: error: missing 'imports'" } },
	{ "wrong_types.yaml", { "wrong_types.yaml:4:8: error: 'calls' must be a list",
				"wrong_types.yaml:6:48: error: 'counts_retries' must be a boolean",
				"wrong_types.yaml:6:78: error: 'default_attempts' must be an integer" } },
	/* Aliases resolve (within a node budget); the list they name is not a mapping. */
	{ "alias.yaml", { "alias.yaml:3:17: error: an exception entry must be a mapping" } },
	{ "bad_yaml.yaml", { "bad_yaml.yaml:4:6: error: yaml syntax error: did not find expected" } },
	{ "unknown_language.yaml", { "unknown_language.yaml:2:11: error: unknown language 'cobol'" } },
	{ "retry_both.yaml", { "retry_both.yaml:5:12: error: unknown retry kind 'sometimes'",
			       "retry_both.yaml:6:5: error: a retry entry has both 'match' and 'method'" } },
	{ "not_a_map.yaml", { "not_a_map.yaml:1:1: error: not a model" } },
	{ "deep.yaml", { "deep.yaml:4:71: error: yaml nested deeper than 64 levels" } },
	/* billion laughs: refused at the alias that crosses the node budget, never expanded */
	{ "alias_bomb.yaml", { "alias_bomb.yaml:8:10: error: yaml document too large" } },
};

static void test_broken_models(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
		struct model_set ms;
		char *out;
		const char *at;
		int ret;

		strbuf_addf(&path, "%s/tests/data/models/%s", src_dir(), broken[i].file);
		assert_int_equal(read_file(path.buf, &text, 0), 0);
		model_set_init(&ms);
		capture_begin();
		ret = models_load_buffer(&ms, broken[i].file, text.buf, text.len);
		out = capture_end();
		if (ret != -1)
			fail_msg("%s loaded without error", broken[i].file);
		assert_int_equal(ms.models.len, 0);
		at = out;
		for (size_t k = 0; k < 4 && broken[i].expect[k]; k++) {
			const char *hit = strstr(at, broken[i].expect[k]);
			if (!hit)
				fail_msg("%s: expected \"%s\" in:\n%s", broken[i].file,
					 broken[i].expect[k], out);
			at = hit + 1;
		}
		free(out);
		model_set_release(&ms);
		strbuf_release(&path);
		strbuf_release(&text);
	}
}

static void test_load_dir_and_replace(void **state)
{
	struct strbuf dir = STRBUF_INIT;
	struct model_set ms;
	const struct api_model *m;
	char *out;
	static const char again[] =
		"library: fixture-good\nlanguage: python\nimports: [other]\n";
	(void)state;

	strbuf_addf(&dir, "%s/tests/data/models", src_dir());
	model_set_init(&ms);
	capture_begin();
	/* the folder holds broken files too: -1, but the good one is in */
	assert_int_equal(models_load_dir(&ms, dir.buf), -1);
	out = capture_end();
	free(out);
	assert_int_equal(ms.models.len, 1);
	m = find_model(&ms, "fixture-good");
	assert_non_null(m);
	assert_int_equal(m->calls.len, 2);
	assert_int_equal(m->retries.items[0].attempts_pos, -1);
	/* a later model of the same library replaces it */
	assert_int_equal(models_load_buffer(&ms, "again.yaml", again, sizeof(again) - 1), 0);
	assert_int_equal(ms.models.len, 1);
	assert_string_equal(ms.models.items[0].imports.items[0], "other");
	assert_int_equal(ms.models.items[0].calls.len, 0);

	capture_begin();
	assert_int_equal(models_load_dir(&ms, "/nonexistent/models"), -1);
	out = capture_end();
	assert_non_null(strstr(out, "cannot open model folder"));
	free(out);
	model_set_release(&ms);
	strbuf_release(&dir);
}

/* ---- facts by hand ---- */

static struct span at(uint32_t line, uint32_t col, uint32_t end_line, uint32_t end_col)
{
	struct span s = { line, col, end_line, end_col };
	return s;
}

static void add_import(struct file_facts *ff, const char *module, const char *name,
		       const char *alias)
{
	struct fact_import *im = VEC_PUSH(&ff->imports);
	im->module = facts_str(ff, module, strlen(module));
	im->name = name ? facts_str(ff, name, strlen(name)) : NULL;
	im->alias = alias ? facts_str(ff, alias, strlen(alias)) : NULL;
	im->span = at(1, 1, 1, 10);
}

/*
 * Arguments: "name=value" (keyword, literal), "name~text" (keyword, not a
 * literal), "~text" (positional, not a literal), "value" (positional literal).
 */
static struct fact_arg *make_args(struct file_facts *ff, const char *const *spec, size_t n)
{
	struct fact_arg *args = n ? arena_alloc(&ff->arena, n * sizeof(*args)) : NULL;
	for (size_t i = 0; i < n; i++) {
		const char *sep = strpbrk(spec[i], "=~");
		const char *v = sep ? sep + 1 : spec[i];
		if (sep && sep > spec[i])
			args[i].name = facts_str(ff, spec[i], (size_t)(sep - spec[i]));
		args[i].text = facts_str(ff, v, strlen(v));
		if (!sep || *sep == '=')
			args[i].value = args[i].text;
	}
	return args;
}

static int add_call(struct file_facts *ff, const char *callee, uint32_t line, int func,
		    const char *const *args, size_t nargs)
{
	struct fact_call *c = VEC_PUSH(&ff->calls);
	const char *dot = strrchr(callee, '.');
	c->callee = facts_str(ff, callee, strlen(callee));
	c->method = facts_str(ff, dot ? dot + 1 : callee, strlen(dot ? dot + 1 : callee));
	c->args = make_args(ff, args, nargs);
	c->nargs = nargs;
	c->span = at(line, 5, line, 60);
	c->func = func;
	c->handler = c->loop = c->guard = -1;
	return (int)(ff->calls.len - 1);
}

static int add_handler(struct file_facts *ff, const char *const *types, size_t n)
{
	struct fact_handler *h = VEC_PUSH(&ff->handlers);
	h->kind = HANDLER_EXCEPT;
	h->types = facts_strlist(ff, types, n);
	h->func = h->loop = -1;
	return (int)(ff->handlers.len - 1);
}

/* A function at lines [line, line+9] with one decorator `@name(args)`; its call fact when with_call. */
static int add_decorated(struct file_facts *ff, const char *fname, const char *deco, uint32_t line,
			 const char *const *args, size_t nargs, bool with_call)
{
	struct fact_function *f;
	struct fact_decorator *d;
	int call = with_call ? add_call(ff, deco, line, -1, args, nargs) : -1;

	f = VEC_PUSH(&ff->functions);
	f->name = facts_str(ff, fname, strlen(fname));
	f->span = at(line, 1, line + 9, 1);
	f->name_span = at(line + 1, 5, line + 1, 10);
	f->parent = -1;
	d = arena_alloc(&ff->arena, sizeof(*d));
	d->name = facts_str(ff, deco, strlen(deco));
	d->args = make_args(ff, args, nargs);
	d->nargs = nargs;
	d->span = at(line, 1, line, 40);
	d->call = call;
	f->decorators = d;
	f->ndecorators = 1;
	if (call >= 0)
		ff->calls.items[call].func = -1;
	return (int)(ff->functions.len - 1);
}

static const struct fact_retry *retry_for_call(const struct file_facts *ff, int call)
{
	const struct fact_retry *found = NULL;
	for (size_t i = 0; i < ff->retries.len; i++)
		if (ff->retries.items[i].call == call) {
			if (found)
				fail_msg("two retry facts for call %d", call);
			found = &ff->retries.items[i];
		}
	return found;
}

static const struct fact_retry *retry_for_func(const struct file_facts *ff, int func)
{
	for (size_t i = 0; i < ff->retries.len; i++)
		if (ff->retries.items[i].kind == RETRY_DECORATOR && ff->retries.items[i].func == func)
			return &ff->retries.items[i];
	return NULL;
}

static int setup_models(void **state)
{
	struct model_set *ms = malloc(sizeof(*ms));
	model_set_init(ms);
	if (models_load_builtin(ms) < 0)
		return -1;
	*state = ms;
	return 0;
}

static int teardown_models(void **state)
{
	model_set_release(*state);
	free(*state);
	return 0;
}

static void test_resolve_calls(void **state)
{
	const struct model_set *ms = *state;
	struct file_facts ff;
	int c_new, c_ack, c_env, c_cache, c_get, c_pub, c_sqs, c_s3, c_http, c_route, c_plain, c_json;
	static const char *const url[] = { "https://x" };
	static const char *const path[] = { "/jobs" };

	file_facts_init(&ff, "worker.py", LANG_PYTHON);
	add_import(&ff, "redis", "asyncio", "aioredis");
	add_import(&ff, "os", NULL, "os");
	add_import(&ff, "boto3", NULL, NULL);
	add_import(&ff, "httpx", NULL, "httpx");
	add_import(&ff, "fastapi", "FastAPI", NULL);
	add_import(&ff, "json", NULL, NULL);
	c_new = add_call(&ff, "aioredis.Redis", 3, -1, NULL, 0);
	c_ack = add_call(&ff, "self.redis.xack", 10, -1, NULL, 0);
	c_env = add_call(&ff, "os.environ.get", 11, -1, NULL, 0);
	c_cache = add_call(&ff, "cache.get", 12, -1, NULL, 0);
	c_get = add_call(&ff, "self.redis.get", 13, -1, NULL, 0);
	c_pub = add_call(&ff, "r.xadd", 14, -1, NULL, 0);
	c_sqs = add_call(&ff, "sqs.delete_message", 15, -1, NULL, 0);
	c_s3 = add_call(&ff, "s3.put_object", 16, -1, NULL, 0);
	c_http = add_call(&ff, "httpx.get", 17, -1, url, 1);
	c_plain = add_call(&ff, "app.get", 18, -1, path, 1);
	c_json = add_call(&ff, "json.loads", 19, -1, NULL, 0);
	add_decorated(&ff, "list_jobs", "app.get", 30, path, 1, true);
	c_route = (int)ff.calls.len - 1;

	models_resolve(ms, &ff);
	assert_string_equal(ff.calls.items[c_new].op, "client.new");
	assert_string_equal(ff.calls.items[c_new].model, "redis-py");
	assert_string_equal(ff.calls.items[c_ack].op, "queue.ack");
	assert_null(ff.calls.items[c_env].op);   /* os is imported and is not redis */
	assert_null(ff.calls.items[c_cache].op); /* generic name, receiver does not say redis */
	assert_string_equal(ff.calls.items[c_get].op, "kv.read");
	assert_string_equal(ff.calls.items[c_pub].op, "queue.publish");
	assert_string_equal(ff.calls.items[c_sqs].op, "queue.ack");
	assert_string_equal(ff.calls.items[c_sqs].model, "boto3");
	assert_string_equal(ff.calls.items[c_s3].op, "storage.write");
	assert_string_equal(ff.calls.items[c_http].op, "http.request");
	assert_string_equal(ff.calls.items[c_http].model, "httpx");
	assert_string_equal(ff.calls.items[c_route].op, "http.route");
	assert_null(ff.calls.items[c_plain].op); /* app.get(...) outside a decorator is no route */
	assert_string_equal(ff.calls.items[c_json].op, "deserialize");
	file_facts_release(&ff);

	/* no import: no model applies, even to a redis-looking name */
	file_facts_init(&ff, "plain.py", LANG_PYTHON);
	c_ack = add_call(&ff, "self.redis.xack", 2, -1, NULL, 0);
	models_resolve(ms, &ff);
	assert_null(ff.calls.items[c_ack].op);
	file_facts_release(&ff);
}

static void test_resolve_handlers(void **state)
{
	const struct model_set *ms = *state;
	struct file_facts ff;
	static const char *const closed[] = { "ConnectionClosed" };
	static const char *const closed_and_value[] = { "ValueError", "ConnectionClosed" };
	static const char *const logic[] = { "ValueError", "KeyError" };
	static const char *const catch_all[] = { "Exception" };
	static const char *const redis_conn[] = { "redis.ConnectionError" };
	static const char *const redis_resp[] = { "redis.exceptions.ResponseError" };
	static const char *const status[] = { "httpx.HTTPStatusError" };
	static const char *const mixed[] = { "ValueError", "httpx.HTTPStatusError" };
	static const char *const infra_logic[] = { "ValueError", "httpx.ConnectTimeout" };
	static const char *const boto_key[] = { "s3.exceptions.NoSuchKey" };
	static const char *const ws_disc[] = { "WebSocketDisconnect" };
	static const char *const builtin_to[] = { "TimeoutError" };
	static const char *const aliased[] = { "rexc.TimeoutError" };
	int h[14];

	file_facts_init(&ff, "h.py", LANG_PYTHON);
	add_import(&ff, "websockets.exceptions", "ConnectionClosed", NULL);
	add_import(&ff, "redis", NULL, "redis");
	add_import(&ff, "redis.exceptions", NULL, "rexc");
	add_import(&ff, "httpx", NULL, NULL);
	add_import(&ff, "boto3", NULL, NULL);
	add_import(&ff, "fastapi", "WebSocketDisconnect", NULL);
	h[0] = add_handler(&ff, closed, 1);
	h[1] = add_handler(&ff, closed_and_value, 2);
	h[2] = add_handler(&ff, logic, 2);
	h[3] = add_handler(&ff, catch_all, 1);
	h[4] = add_handler(&ff, NULL, 0);
	h[5] = add_handler(&ff, redis_conn, 1);
	h[6] = add_handler(&ff, redis_resp, 1);
	h[7] = add_handler(&ff, status, 1);
	h[8] = add_handler(&ff, mixed, 2);
	h[9] = add_handler(&ff, infra_logic, 2);
	h[10] = add_handler(&ff, boto_key, 1);
	h[11] = add_handler(&ff, ws_disc, 1);
	h[12] = add_handler(&ff, builtin_to, 1);
	h[13] = add_handler(&ff, aliased, 1);
	models_resolve(ms, &ff);
	assert_int_equal(ff.handlers.items[h[0]].cls, FAIL_OBSERVATION);
	assert_int_equal(ff.handlers.items[h[1]].cls, FAIL_OBSERVATION);
	assert_int_equal(ff.handlers.items[h[2]].cls, FAIL_LOGIC);
	assert_int_equal(ff.handlers.items[h[3]].cls, FAIL_UNKNOWN);
	assert_int_equal(ff.handlers.items[h[4]].cls, FAIL_UNKNOWN);
	assert_int_equal(ff.handlers.items[h[5]].cls, FAIL_INFRASTRUCTURE);
	assert_int_equal(ff.handlers.items[h[6]].cls, FAIL_LOGIC);
	assert_int_equal(ff.handlers.items[h[7]].cls, FAIL_UNKNOWN);
	assert_int_equal(ff.handlers.items[h[8]].cls, FAIL_UNKNOWN);
	assert_int_equal(ff.handlers.items[h[9]].cls, FAIL_INFRASTRUCTURE);
	assert_int_equal(ff.handlers.items[h[10]].cls, FAIL_LOGIC);
	assert_int_equal(ff.handlers.items[h[11]].cls, FAIL_OBSERVATION);
	assert_int_equal(ff.handlers.items[h[12]].cls, FAIL_INFRASTRUCTURE);
	assert_int_equal(ff.handlers.items[h[13]].cls, FAIL_INFRASTRUCTURE);
	file_facts_release(&ff);
}

static void test_resolve_retries(void **state)
{
	const struct model_set *ms = *state;
	struct file_facts ff;
	const struct fact_retry *r;
	int f_ten, f_bare, f_delay, f_back, f_task, f_plain_task, f_shared, f_kw;
	int c_tr, c_tr0, c_sqs, c_s3cfg, c_cfg, c_cfg_total, c_adapter, c_inner, c_sess, c_grpc;
	size_t nretries;
	static const char *const stop3[] = { "stop~stop_after_attempt(3)" };
	static const char *const stop_or[] = { "stop~(stop_after_delay(10) | stop_after_attempt(7))" };
	static const char *const stop_delay[] = { "stop~stop_after_delay(10)" };
	static const char *const back[] = { "~backoff.expo", "~httpx.ConnectError", "max_tries=8" };
	static const char *const task[] = { "autoretry_for~(ConnectionError,)", "max_retries=5" };
	static const char *const task_kw[] = { "autoretry_for~(ConnectionError,)", "max_retries=5",
					       "retry_kwargs~{'max_retries': 2}" };
	static const char *const bind[] = { "bind=True" };
	static const char *const shared[] = { "autoretry_for~(IOError,)" };
	static const char *const retries3[] = { "retries=3" };
	static const char *const retries0[] = { "retries=0" };
	static const char *const sqs[] = { "sqs" };
	static const char *const s3cfg[] = { "s3", "config~cfg" };
	static const char *const cfg[] = { "retries~{'max_attempts': 2, 'mode': 'standard'}" };
	static const char *const cfg_total[] = { "retries~{\"total_max_attempts\": 4, \"max_attempts\": 9}" };
	static const char *const adapter[] = { "max_retries~Retry(total=5, backoff_factor=1)" };
	static const char *const inner[] = { "total=5", "backoff_factor=1" };
	static const char *const grpc_opts[] = { "target~addr",
		"options~[('grpc.service_config', '{\"retryPolicy\": {\"maxAttempts\": 5}}')]" };

	file_facts_init(&ff, "r.py", LANG_PYTHON);
	ff.nlines = 200;
	add_import(&ff, "tenacity", "retry", NULL);
	add_import(&ff, "tenacity", "stop_after_attempt", NULL);
	add_import(&ff, "backoff", NULL, NULL);
	add_import(&ff, "httpx", NULL, NULL);
	add_import(&ff, "boto3", NULL, NULL);
	add_import(&ff, "botocore.config", "Config", NULL);
	add_import(&ff, "celery", "Celery", NULL);
	add_import(&ff, "celery", "shared_task", NULL);
	add_import(&ff, "requests.adapters", "HTTPAdapter", NULL);
	add_import(&ff, "urllib3.util.retry", "Retry", NULL);
	add_import(&ff, "grpc", NULL, NULL);

	f_ten = add_decorated(&ff, "fetch", "retry", 10, stop3, 1, true);
	f_bare = add_decorated(&ff, "forever", "retry", 20, NULL, 0, false);
	f_delay = add_decorated(&ff, "timed", "retry", 30, stop_or, 1, true);
	(void)add_decorated(&ff, "by_time", "retry", 40, stop_delay, 1, true);
	f_delay = (int)ff.functions.len - 1;
	f_back = add_decorated(&ff, "poll", "backoff.on_exception", 50, back, 3, true);
	f_task = add_decorated(&ff, "job", "app.task", 60, task, 2, true);
	f_plain_task = add_decorated(&ff, "plain_job", "app.task", 70, bind, 1, true);
	f_shared = add_decorated(&ff, "shared", "shared_task", 80, shared, 1, true);
	f_kw = add_decorated(&ff, "kw", "app.task", 90, task_kw, 3, true);

	c_tr = add_call(&ff, "httpx.AsyncHTTPTransport", 100, -1, retries3, 1);
	c_tr0 = add_call(&ff, "httpx.HTTPTransport", 101, -1, retries0, 1);
	(void)add_call(&ff, "httpx.HTTPTransport", 102, -1, NULL, 0); /* retries not set: no layer */
	c_sqs = add_call(&ff, "boto3.client", 103, -1, sqs, 1);
	c_s3cfg = add_call(&ff, "boto3.client", 104, -1, s3cfg, 2);
	c_cfg = add_call(&ff, "Config", 105, -1, cfg, 1);
	c_cfg_total = add_call(&ff, "Config", 106, -1, cfg_total, 1);
	/* HTTPAdapter(max_retries=Retry(total=5, ...)) on one line: one layer, the inner count */
	c_adapter = add_call(&ff, "HTTPAdapter", 107, -1, adapter, 1);
	c_inner = add_call(&ff, "Retry", 107, -1, inner, 2);
	ff.calls.items[c_adapter].span = at(107, 5, 107, 70);
	ff.calls.items[c_inner].span = at(107, 30, 107, 65);
	c_sess = add_call(&ff, "self.session.client", 108, -1, sqs, 1);
	c_grpc = add_call(&ff, "grpc.insecure_channel", 109, -1, grpc_opts, 2);
	(void)add_call(&ff, "grpc.insecure_channel", 110, -1, NULL, 0); /* no retry policy */

	models_resolve(ms, &ff);

	r = retry_for_func(&ff, f_ten);
	assert_non_null(r);
	assert_int_equal(r->attempts, 3);
	assert_string_equal(r->source, "tenacity.retry");
	assert_int_equal(r->scope.line, 10);
	assert_int_equal(r->scope.end_line, 19);
	assert_false(r->is_default);
	r = retry_for_func(&ff, f_bare);
	assert_non_null(r);
	assert_int_equal(r->attempts, -1); /* no stop: forever */
	assert_int_equal(r->call, -1);
	r = retry_for_func(&ff, f_delay - 1);
	assert_int_equal(r->attempts, 7);
	r = retry_for_func(&ff, f_delay);
	assert_int_equal(r->attempts, -1);
	r = retry_for_func(&ff, f_back);
	assert_int_equal(r->attempts, 8);
	r = retry_for_func(&ff, f_task);
	assert_int_equal(r->attempts, 6); /* max_retries=5 retries after the first run */
	assert_null(retry_for_func(&ff, f_plain_task)); /* no autoretry_for: no layer */
	r = retry_for_func(&ff, f_shared);
	assert_int_equal(r->attempts, 4); /* celery's default max_retries=3 */
	r = retry_for_func(&ff, f_kw);
	assert_int_equal(r->attempts, 3); /* retry_kwargs max_retries overrides */

	r = retry_for_call(&ff, c_tr);
	assert_non_null(r);
	assert_int_equal(r->kind, RETRY_CLIENT);
	assert_int_equal(r->attempts, 4);
	assert_string_equal(r->source, "httpx.AsyncHTTPTransport");
	assert_int_equal(r->scope.line, 1);
	assert_int_equal(r->scope.end_line, 200);
	assert_null(retry_for_call(&ff, c_tr0)); /* retries=0: no retry layer */
	assert_null(retry_for_call(&ff, c_tr0 + 1));
	r = retry_for_call(&ff, c_sqs);
	assert_non_null(r);
	assert_true(r->is_default);
	assert_int_equal(r->attempts, 5);
	assert_null(retry_for_call(&ff, c_s3cfg)); /* config= carries it */
	r = retry_for_call(&ff, c_cfg);
	assert_int_equal(r->attempts, 3);
	assert_false(r->is_default);
	assert_int_equal(retry_for_call(&ff, c_cfg_total)->attempts, 4);
	assert_null(retry_for_call(&ff, c_adapter));
	assert_int_equal(retry_for_call(&ff, c_inner)->attempts, 6);
	r = retry_for_call(&ff, c_sess);
	assert_true(r->is_default);
	assert_int_equal(r->attempts, 5);
	assert_int_equal(retry_for_call(&ff, c_grpc)->attempts, 5);
	assert_null(retry_for_call(&ff, c_grpc + 1));

	/* resolving twice adds nothing */
	nretries = ff.retries.len;
	models_resolve(ms, &ff);
	assert_int_equal(ff.retries.len, nretries);
	file_facts_release(&ff);
}

/* A library retry's count where its retry object was built (receiver or argument). */
static void test_resolve_built_retry_count(void **state)
{
	const struct model_set *ms = *state;
	static const char src[] =
		"import org.springframework.retry.support.RetryTemplate;\n"
		"import io.github.resilience4j.retry.Retry;\n"
		"import io.github.resilience4j.retry.RetryConfig;\n"
		"class C {\n"
		"  private final RetryTemplate template = RetryTemplate.builder().maxAttempts(4).build();\n"
		"  String a() { return template.execute(ctx -> http.get()); }\n"
		"  String b() {\n"
		"    RetryConfig cfg = RetryConfig.custom().maxAttempts(6).build();\n"
		"    Retry retry = Retry.of(\"q\", cfg);\n"
		"    return Retry.decorateSupplier(retry, () -> http.get()).get();\n"
		"  }\n"
		"  String c(RetryTemplate otherTemplate) { return otherTemplate.execute(ctx -> http.get()); }\n"
		"}\n";
	struct file_facts ff;
	int seen = 0;

	file_facts_init(&ff, "C.java", LANG_JAVA);
	assert_int_equal(java_extract(src, strlen(src), &ff), 0);
	models_resolve(ms, &ff);
	for (size_t i = 0; i < ff.retries.len; i++) {
		const struct fact_retry *r = &ff.retries.items[i];
		if (r->kind != RETRY_LOOP || r->call < 0)
			continue;
		switch (r->span.line) {
		case 6: assert_int_equal(r->attempts, 4); seen |= 1; break;
		case 10: assert_int_equal(r->attempts, 6); seen |= 2; break;
		case 12: assert_int_equal(r->attempts, 3); seen |= 4; break; /* built elsewhere: the default */
		default: break;
		}
	}
	assert_int_equal(seen, 7);
	file_facts_release(&ff);
}

/* A count given as the last argument of the counting call: backoff.WithMaxRetries(b, n) retries n times. */
static void test_resolve_count_last_arg(void **state)
{
	const struct model_set *ms = *state;
	static const char src[] =
		"package up\n"
		"import \"github.com/cenkalti/backoff/v4\"\n"
		"func a(op func() error) error {\n"
		"\treturn backoff.Retry(op, backoff.WithMaxRetries(backoff.NewExponentialBackOff(), 4))\n"
		"}\n"
		"func b(op func() error) error {\n"
		"\treturn backoff.Retry(op, backoff.NewExponentialBackOff())\n"
		"}\n";
	struct file_facts ff;
	int seen = 0;

	file_facts_init(&ff, "up.go", LANG_GO);
	assert_int_equal(go_extract(src, strlen(src), &ff), 0);
	models_resolve(ms, &ff);
	for (size_t i = 0; i < ff.retries.len; i++) {
		const struct fact_retry *r = &ff.retries.items[i];
		if (r->kind != RETRY_LOOP || r->call < 0)
			continue;
		switch (r->span.line) {
		case 4: assert_int_equal(r->attempts, 5); seen |= 1; break;
		case 7: assert_int_equal(r->attempts, -1); seen |= 2; break; /* no cap: until it gives up by time */
		default: break;
		}
	}
	assert_int_equal(seen, 3);
	file_facts_release(&ff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_models_load),
		cmocka_unit_test(test_ops_are_documented),
		cmocka_unit_test(test_broken_models),
		cmocka_unit_test(test_load_dir_and_replace),
		cmocka_unit_test_setup_teardown(test_resolve_calls, setup_models, teardown_models),
		cmocka_unit_test_setup_teardown(test_resolve_handlers, setup_models, teardown_models),
		cmocka_unit_test_setup_teardown(test_resolve_built_retry_count, setup_models, teardown_models),
		cmocka_unit_test_setup_teardown(test_resolve_retries, setup_models, teardown_models),
		cmocka_unit_test_setup_teardown(test_resolve_count_last_arg, setup_models, teardown_models),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
