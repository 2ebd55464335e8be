/*
 * Fuzz the model loader: arbitrary bytes to models_load_buffer(). When the
 * bytes happen to be a valid model, resolve a small fixed file's facts with
 * it too, so that whatever a model can say is exercised by the resolver.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "base/diag.h"
#include "facts/facts.h"
#include "models/models.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void resolve_sample(const struct model_set *ms)
{
	static const char *const types[] = { "x.Error", "ConnectionError", "Exception" };
	struct file_facts ff;
	struct fact_import *im;
	struct fact_call *c;
	struct fact_function *f;
	struct fact_decorator *d;
	struct fact_arg *a;

	file_facts_init(&ff, "sample.py", LANG_PYTHON);
	ff.nlines = 20;
	im = VEC_PUSH(&ff.imports);
	im->module = facts_str(&ff, "x.y", 3);
	im->alias = facts_str(&ff, "xy", 2);
	a = arena_alloc(&ff.arena, 2 * sizeof(*a));
	a[0].name = facts_str(&ff, "retries", 7);
	a[0].value = a[0].text = facts_str(&ff, "3", 1);
	a[1].text = facts_str(&ff, "stop_after_attempt(2) {'max_attempts': 4}", 41);
	c = VEC_PUSH(&ff.calls);
	c->callee = facts_str(&ff, "xy.Client", 9);
	c->method = facts_str(&ff, "Client", 6);
	c->args = a;
	c->nargs = 2;
	c->span = (struct span){ 3, 1, 3, 30 };
	c->func = c->handler = c->loop = c->guard = -1;
	c = VEC_PUSH(&ff.calls);
	c->callee = facts_str(&ff, "self.conn.recv", 14);
	c->method = facts_str(&ff, "recv", 4);
	c->span = (struct span){ 4, 1, 4, 20 };
	c->func = 0;
	c->handler = c->loop = c->guard = -1;
	f = VEC_PUSH(&ff.functions);
	f->name = facts_str(&ff, "f", 1);
	f->span = (struct span){ 5, 1, 10, 1 };
	f->parent = -1;
	d = arena_alloc(&ff.arena, sizeof(*d));
	d->name = facts_str(&ff, "xy.retry", 8);
	d->args = a;
	d->nargs = 2;
	d->call = -1;
	f->decorators = d;
	f->ndecorators = 1;
	VEC_PUSH(&ff.handlers)->types = facts_strlist(&ff, types, 3);
	models_resolve(ms, &ff);
	file_facts_release(&ff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model_set ms;

	diag_set_quiet(1);
	model_set_init(&ms);
	if (models_load_buffer(&ms, "fuzz.yaml", (const char *)data, size) == 0)
		resolve_sample(&ms);
	model_set_release(&ms);
	return 0;
}
