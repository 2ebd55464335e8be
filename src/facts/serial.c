#include "serial.h"

#include <string.h>

#include "../base/strmap.h"
#include "../base/banned.h"

/*
 * A field added to a fact struct must be added here (both directions) and
 * FACTS_SERIAL_VERSION bumped; these sizes make the build say so.
 */
#if defined(__x86_64__) || defined(__aarch64__)
_Static_assert(sizeof(struct fact_arg) == 32, "fact_arg changed: update src/facts/serial.c");
_Static_assert(sizeof(struct fact_decorator) == 48, "fact_decorator changed: update src/facts/serial.c");
_Static_assert(sizeof(struct fact_function) == 80, "fact_function changed: update src/facts/serial.c");
_Static_assert(sizeof(struct fact_call) == 128, "fact_call changed: update src/facts/serial.c");
_Static_assert(sizeof(struct fact_binding) == 64, "fact_binding changed: update src/facts/serial.c");
_Static_assert(sizeof(struct fact_handler) == 96, "fact_handler changed: update src/facts/serial.c");
_Static_assert(sizeof(struct fact_write) == 72, "fact_write changed: update src/facts/serial.c");
_Static_assert(sizeof(struct fact_read) == 88, "fact_read changed: update src/facts/serial.c");
_Static_assert(sizeof(struct fact_retry) == 64, "fact_retry changed: update src/facts/serial.c");
_Static_assert(sizeof(struct fact_loop) == 44, "fact_loop changed: update src/facts/serial.c");
_Static_assert(sizeof(struct fact_const) == 40, "fact_const changed: update src/facts/serial.c");
_Static_assert(sizeof(struct fact_import) == 40, "fact_import changed: update src/facts/serial.c");
_Static_assert(sizeof(struct file_facts) == 312, "file_facts changed: update src/facts/serial.c"); /* content_hash, unloaded, linked: the run's, not kept */
#endif


struct wr {
	struct strbuf *sb;
	struct strmap seen; /* string -> its number + 1 */
	uint32_t nstr;
};

/* --- writing --- */

static void put_u8(struct wr *o, unsigned v)
{
	unsigned char b = (unsigned char)v;
	strbuf_add(o->sb, &b, 1);
}

/* LEB128: seven bits a byte, low first; lines, columns and indices mostly take one or two. */
static void put_u32(struct wr *o, uint32_t v)
{
	unsigned char b[5];
	size_t n = 0;
	while (v >= 0x80) {
		b[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (unsigned char)v;
	strbuf_add(o->sb, b, n);
}

/* Indices are -1 or small: stored +1 so that -1 is 0. */
static void put_idx(struct wr *o, int v)
{
	put_u32(o, (uint32_t)v + 1u);
}

/*
 * A string is a tag: 0 for NULL; the first time, 2 * (length + 1) and its
 * bytes; again, 2 * its number among the strings written so far + 1
 * (callee names, fields and dotted names repeat a lot within a file).
 */
static void put_str(struct wr *o, const char *s)
{
	if (!s) {
		put_u32(o, 0);
		return;
	}
	void *seen = strmap_get(&o->seen, s);
	if (seen) {
		put_u32(o, (uint32_t)((uintptr_t)seen - 1) << 1 | 1);
		return;
	}
	size_t n = strlen(s);
	put_u32(o, (uint32_t)(n + 1) << 1);
	strbuf_add(o->sb, s, n);
	strmap_put(&o->seen, s, (void *)(uintptr_t)++o->nstr);
}

static void put_span(struct wr *o, const struct span *s)
{
	put_u32(o, s->line);
	put_u32(o, s->col);
	put_u32(o, s->end_line);
	put_u32(o, s->end_col);
}

static void put_strlist(struct wr *o, const struct strlist *l)
{
	put_u32(o, (uint32_t)l->len);
	for (size_t i = 0; i < l->len; i++)
		put_str(o, l->items[i]);
}

static void put_args(struct wr *o, const struct fact_arg *a, size_t n)
{
	put_u32(o, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		put_str(o, a[i].name);
		put_str(o, a[i].value);
		put_str(o, a[i].text);
		put_u8(o, a[i].is_string);
	}
}

static void put_function(struct wr *o, const struct fact_function *f)
{
	put_str(o, f->name);
	put_str(o, f->cls);
	put_span(o, &f->span);
	put_span(o, &f->name_span);
	put_u8(o, f->is_async | f->is_constructor << 1 | f->implicit_receiver << 2);
	put_u32(o, (uint32_t)f->ndecorators);
	for (size_t d = 0; d < f->ndecorators; d++) {
		const struct fact_decorator *dec = &f->decorators[d];
		put_str(o, dec->name);
		put_args(o, dec->args, dec->nargs);
		put_span(o, &dec->span);
		put_idx(o, dec->call);
	}
	put_idx(o, f->parent);
	put_str(o, f->receiver);
}

static void put_call(struct wr *o, const struct fact_call *c)
{
	put_str(o, c->callee);
	put_str(o, c->method);
	put_str(o, c->op);
	put_str(o, c->model);
	put_args(o, c->args, c->nargs);
	put_span(o, &c->span);
	put_idx(o, c->func);
	put_idx(o, c->handler);
	put_idx(o, c->loop);
	put_idx(o, c->guard);
	put_u8(o, c->awaited | c->in_return << 1 | c->block_exits << 2 | c->conditional << 3);
	put_str(o, c->assigned_to);
	put_idx(o, c->carrier);
	put_strlist(o, &c->names);
	put_span(o, &c->block);
}

static void put_handler(struct wr *o, const struct fact_handler *h)
{
	put_u8(o, h->kind);
	put_span(o, &h->span);
	put_span(o, &h->guarded);
	put_strlist(o, &h->types);
	put_u8(o, h->cls);
	put_str(o, h->var);
	put_idx(o, h->func);
	put_idx(o, h->loop);
	put_u8(o, h->reraises | h->continues << 1 | h->breaks << 2);
	put_str(o, h->subject);
}

static void put_write(struct wr *o, const struct fact_write *w)
{
	put_u8(o, w->kind);
	put_str(o, w->target);
	put_str(o, w->field);
	put_str(o, w->value);
	put_str(o, w->value_text);
	put_span(o, &w->span);
	put_idx(o, w->func);
	put_idx(o, w->handler);
	put_idx(o, w->call);
	put_u8(o, w->crosses);
}

static void put_read(struct wr *o, const struct fact_read *r)
{
	put_u8(o, r->kind);
	put_str(o, r->target);
	put_str(o, r->field);
	put_strlist(o, &r->values);
	put_u8(o, r->negated | r->selects << 1 | r->truthiness << 2);
	put_span(o, &r->span);
	put_idx(o, r->func);
	put_span(o, &r->body);
}

static void put_retry(struct wr *o, const struct fact_retry *r)
{
	put_u8(o, r->kind);
	put_str(o, r->source);
	put_idx(o, r->attempts);
	put_u8(o, r->is_default);
	put_span(o, &r->span);
	put_idx(o, r->func);
	put_idx(o, r->call);
	put_span(o, &r->scope);
}

static void put_loop(struct wr *o, const struct fact_loop *l)
{
	put_span(o, &l->span);
	put_idx(o, l->func);
	put_idx(o, l->parent);
	put_u8(o, l->infinite | l->is_async << 1);
	put_span(o, &l->iter);
}

static void put_binding(struct wr *o, const struct fact_binding *b)
{
	put_u8(o, b->kind);
	put_str(o, b->name);
	put_idx(o, b->call);
	put_strlist(o, &b->names);
	put_span(o, &b->span);
	put_idx(o, b->func);
	put_idx(o, b->loop);
	put_idx(o, b->index);
}

static void put_const(struct wr *o, const struct fact_const *c)
{
	put_str(o, c->name);
	put_str(o, c->scope);
	put_str(o, c->value);
	put_span(o, &c->span);
}

static void put_import(struct wr *o, const struct fact_import *im)
{
	put_str(o, im->module);
	put_str(o, im->name);
	put_str(o, im->alias);
	put_span(o, &im->span);
}

#define PUT_VEC(o, v, fn) \
	do { \
		put_u32((o), (uint32_t)(v).len); \
		for (size_t i_ = 0; i_ < (v).len; i_++) \
			fn((o), &(v).items[i_]); \
	} while (0)

void facts_serialise(const struct file_facts *ff, struct strbuf *sb)
{
	struct wr w = { sb, STRMAP_INIT, 0 }, *o = &w;
	put_u32(o, FACTS_SERIAL_VERSION);
	put_u8(o, ff->lang);
	put_u32(o, ff->nlines);
	put_u8(o, ff->parse_errors | ff->is_test << 1);
	put_str(o, ff->skip_reason);
	put_u32(o, ff->max_nesting);
	put_u32(o, ff->nesting_cut);
	PUT_VEC(o, ff->imports, put_import);
	PUT_VEC(o, ff->functions, put_function);
	PUT_VEC(o, ff->calls, put_call);
	PUT_VEC(o, ff->handlers, put_handler);
	PUT_VEC(o, ff->writes, put_write);
	PUT_VEC(o, ff->reads, put_read);
	PUT_VEC(o, ff->retries, put_retry);
	PUT_VEC(o, ff->loops, put_loop);
	PUT_VEC(o, ff->bindings, put_binding);
	PUT_VEC(o, ff->consts, put_const);
	strmap_release(&w.seen);
}

/* --- reading: every getter checks what is left, and fails the reader for good --- */

struct rd {
	const unsigned char *p, *end;
	struct file_facts *ff;
	bool bad;
	VEC(const char *) strs; /* the strings read so far, for STR_REF */
};

static bool need(struct rd *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return false;
	}
	return true;
}

static unsigned get_u8(struct rd *r)
{
	if (!need(r, 1))
		return 0;
	return *r->p++;
}

static uint32_t get_u32(struct rd *r)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 35; shift += 7) {
		if (!need(r, 1))
			return 0;
		unsigned b = *r->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			if (v > UINT32_MAX)
				break;
			return (uint32_t)v;
		}
	}
	r->bad = true; /* longer than five bytes, or over 32 bits */
	return 0;
}

static int get_idx(struct rd *r)
{
	uint32_t v = get_u32(r);
	if (v > (uint32_t)INT32_MAX) {
		r->bad = true;
		return -1;
	}
	return (int)v - 1;
}

/* An enum: a byte below `limit`. */
static unsigned get_enum(struct rd *r, unsigned limit)
{
	unsigned v = get_u8(r);
	if (v >= limit)
		r->bad = true;
	return v;
}

static unsigned get_flags(struct rd *r, unsigned nbits)
{
	return get_enum(r, 1u << nbits);
}

static const char *get_str(struct rd *r)
{
	uint32_t n = get_u32(r);
	if (r->bad || n == 0)
		return NULL;
	if (n & 1) {
		n >>= 1;
		if (n >= r->strs.len) {
			r->bad = true;
			return NULL;
		}
		return r->strs.items[n];
	}
	n = (n >> 1) - 1;
	if (!need(r, n))
		return NULL;
	const char *s = arena_strndup(&r->ff->arena, (const char *)r->p, n);
	r->p += n;
	VEC_APPEND(&r->strs, s);
	return s;
}

static void get_span(struct rd *r, struct span *s)
{
	s->line = get_u32(r);
	s->col = get_u32(r);
	s->end_line = get_u32(r);
	s->end_col = get_u32(r);
}

/* A count of items that take at least `min` bytes each: more than the bytes left is corrupt. */
static size_t get_count(struct rd *r, size_t min)
{
	uint32_t n = get_u32(r);
	if (!r->bad && (size_t)n > (size_t)(r->end - r->p) / min)
		r->bad = true;
	return r->bad ? 0 : n;
}

static struct strlist get_strlist(struct rd *r)
{
	struct strlist l = { NULL, get_count(r, 1) };
	if (!l.len)
		return l;
	l.items = arena_alloc(&r->ff->arena, l.len * sizeof(*l.items));
	for (size_t i = 0; i < l.len; i++) {
		l.items[i] = get_str(r);
		if (!l.items[i]) /* a list holds no NULLs */
			r->bad = true;
	}
	return l;
}

static struct fact_arg *get_args(struct rd *r, size_t *n)
{
	*n = get_count(r, 4);
	if (!*n)
		return NULL;
	struct fact_arg *a = arena_alloc(&r->ff->arena, *n * sizeof(*a));
	for (size_t i = 0; i < *n; i++) {
		a[i].name = get_str(r);
		a[i].value = get_str(r);
		a[i].text = get_str(r);
		a[i].is_string = get_flags(r, 1);
	}
	return a;
}

static void get_function(struct rd *r, struct fact_function *f)
{
	f->name = get_str(r);
	f->cls = get_str(r);
	get_span(r, &f->span);
	get_span(r, &f->name_span);
	unsigned fl = get_flags(r, 3);
	f->is_async = fl & 1;
	f->is_constructor = fl >> 1 & 1;
	f->implicit_receiver = fl >> 2 & 1;
	f->ndecorators = get_count(r, 7);
	if (f->ndecorators)
		f->decorators = arena_alloc(&r->ff->arena, f->ndecorators * sizeof(*f->decorators));
	for (size_t d = 0; d < f->ndecorators; d++) {
		struct fact_decorator *dec = &f->decorators[d];
		dec->name = get_str(r);
		dec->args = get_args(r, &dec->nargs);
		get_span(r, &dec->span);
		dec->call = get_idx(r);
	}
	f->parent = get_idx(r);
	f->receiver = get_str(r);
}

static void get_call(struct rd *r, struct fact_call *c)
{
	c->callee = get_str(r);
	c->method = get_str(r);
	c->op = get_str(r);
	c->model = get_str(r);
	c->args = get_args(r, &c->nargs);
	get_span(r, &c->span);
	c->func = get_idx(r);
	c->handler = get_idx(r);
	c->loop = get_idx(r);
	c->guard = get_idx(r);
	unsigned fl = get_flags(r, 4);
	c->awaited = fl & 1;
	c->in_return = fl >> 1 & 1;
	c->block_exits = fl >> 2 & 1;
	c->conditional = fl >> 3 & 1;
	c->assigned_to = get_str(r);
	c->carrier = get_idx(r);
	c->names = get_strlist(r);
	get_span(r, &c->block);
}

static void get_handler(struct rd *r, struct fact_handler *h)
{
	h->kind = get_enum(r, HANDLER_CALLBACK + 1);
	get_span(r, &h->span);
	get_span(r, &h->guarded);
	h->types = get_strlist(r);
	h->cls = get_enum(r, FAIL_OBSERVATION + 1);
	h->var = get_str(r);
	h->func = get_idx(r);
	h->loop = get_idx(r);
	unsigned fl = get_flags(r, 3);
	h->reraises = fl & 1;
	h->continues = fl >> 1 & 1;
	h->breaks = fl >> 2 & 1;
	h->subject = get_str(r);
}

static void get_write(struct rd *r, struct fact_write *w)
{
	w->kind = get_enum(r, WRITE_RETURN + 1);
	w->target = get_str(r);
	w->field = get_str(r);
	w->value = get_str(r);
	w->value_text = get_str(r);
	get_span(r, &w->span);
	w->func = get_idx(r);
	w->handler = get_idx(r);
	w->call = get_idx(r);
	w->crosses = get_flags(r, 1);
}

static void get_read(struct rd *r, struct fact_read *x)
{
	x->kind = get_enum(r, READ_SQL + 1);
	x->target = get_str(r);
	x->field = get_str(r);
	x->values = get_strlist(r);
	unsigned fl = get_flags(r, 3);
	x->negated = fl & 1;
	x->selects = fl >> 1 & 1;
	x->truthiness = fl >> 2 & 1;
	get_span(r, &x->span);
	x->func = get_idx(r);
	get_span(r, &x->body);
}

static void get_retry(struct rd *r, struct fact_retry *x)
{
	x->kind = get_enum(r, RETRY_REDELIVERY + 1);
	x->source = get_str(r);
	x->attempts = get_idx(r);
	x->is_default = get_flags(r, 1);
	get_span(r, &x->span);
	x->func = get_idx(r);
	x->call = get_idx(r);
	get_span(r, &x->scope);
}

static void get_loop(struct rd *r, struct fact_loop *l)
{
	get_span(r, &l->span);
	l->func = get_idx(r);
	l->parent = get_idx(r);
	unsigned fl = get_flags(r, 2);
	l->infinite = fl & 1;
	l->is_async = fl >> 1 & 1;
	get_span(r, &l->iter);
}

static void get_binding(struct rd *r, struct fact_binding *b)
{
	b->kind = get_enum(r, BIND_PARAM + 1);
	b->name = get_str(r);
	b->call = get_idx(r);
	b->names = get_strlist(r);
	get_span(r, &b->span);
	b->func = get_idx(r);
	b->loop = get_idx(r);
	b->index = get_idx(r);
}

static void get_const(struct rd *r, struct fact_const *c)
{
	c->name = get_str(r);
	c->scope = get_str(r);
	c->value = get_str(r);
	get_span(r, &c->span);
}

static void get_import(struct rd *r, struct fact_import *im)
{
	im->module = get_str(r);
	im->name = get_str(r);
	im->alias = get_str(r);
	get_span(r, &im->span);
}

/*
 * `min`: the fewest bytes one item takes, so a count cannot ask for more memory than the input backs.
 * The vector gets exactly its count (not VEC_RESERVE's power of two): complete as loaded, so
 * file_facts_trim has nothing to give back.
 */
#define GET_VEC(r, v, min, fn) \
	do { \
		size_t n_ = get_count((r), (min)); \
		if (n_ > (v).cap) { \
			(v).items = xrealloc((v).items, n_ * sizeof(*(v).items)); \
			(v).cap = n_; \
		} \
		for (size_t i_ = 0; i_ < n_ && !(r)->bad; i_++) \
			fn((r), VEC_PUSH(&(v))); \
	} while (0)

static bool idx_ok(int v, size_t len)
{
	return v >= -1 && (v < 0 || (size_t)v < len);
}

/* Every index names an existing fact (analyses index vectors with them unchecked). */
static bool links_ok(const struct file_facts *ff)
{
	size_t nf = ff->functions.len, nc = ff->calls.len, nh = ff->handlers.len, nl = ff->loops.len;
	for (size_t i = 0; i < nf; i++) {
		const struct fact_function *f = &ff->functions.items[i];
		if (!idx_ok(f->parent, nf) || !f->name)
			return false;
		for (size_t d = 0; d < f->ndecorators; d++)
			if (!idx_ok(f->decorators[d].call, nc))
				return false;
	}
	for (size_t i = 0; i < nc; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (!idx_ok(c->func, nf) || !idx_ok(c->handler, nh) || !idx_ok(c->loop, nl) ||
		    !idx_ok(c->guard, nh) || !idx_ok(c->carrier, nc) || !c->callee)
			return false;
	}
	for (size_t i = 0; i < nh; i++)
		if (!idx_ok(ff->handlers.items[i].func, nf) || !idx_ok(ff->handlers.items[i].loop, nl))
			return false;
	for (size_t i = 0; i < ff->writes.len; i++) {
		const struct fact_write *w = &ff->writes.items[i];
		if (!idx_ok(w->func, nf) || !idx_ok(w->handler, nh) || !idx_ok(w->call, nc))
			return false;
	}
	for (size_t i = 0; i < ff->reads.len; i++)
		if (!idx_ok(ff->reads.items[i].func, nf))
			return false;
	for (size_t i = 0; i < ff->retries.len; i++)
		if (!idx_ok(ff->retries.items[i].func, nf) || !idx_ok(ff->retries.items[i].call, nc))
			return false;
	for (size_t i = 0; i < nl; i++)
		if (!idx_ok(ff->loops.items[i].func, nf) || !idx_ok(ff->loops.items[i].parent, nl))
			return false;
	for (size_t i = 0; i < ff->bindings.len; i++) {
		const struct fact_binding *b = &ff->bindings.items[i];
		if (!idx_ok(b->func, nf) || !idx_ok(b->loop, nl) || !idx_ok(b->call, nc))
			return false;
	}
	return true;
}

size_t facts_head_parse(const void *buf, size_t len, struct facts_head *h)
{
	/* no facts to fill: the reader's arena is never touched (the skip reason is read in place) */
	struct rd r = { buf, (const unsigned char *)buf + len, NULL, false, VEC_INIT };
	memset(h, 0, sizeof(*h));
	if (get_u32(&r) != FACTS_SERIAL_VERSION)
		return 0;
	h->lang = (enum lang)get_enum(&r, LANG__COUNT);
	h->nlines = get_u32(&r);
	unsigned fl = get_flags(&r, 2);
	h->parse_errors = fl & 1;
	h->is_test = fl >> 1 & 1;
	uint32_t n = get_u32(&r);
	if (n & 1) /* a reference: no string comes before this one */
		return 0;
	if (n) {
		h->skip_len = (n >> 1) - 1;
		if (!need(&r, h->skip_len))
			return 0;
		h->skip_reason = (const char *)r.p;
		r.p += h->skip_len;
	}
	h->max_nesting = get_u32(&r);
	h->nesting_cut = get_u32(&r);
	return r.bad ? 0 : (size_t)(r.p - (const unsigned char *)buf);
}

void facts_head_apply(const struct facts_head *h, struct file_facts *ff)
{
	ff->nlines = h->nlines;
	ff->parse_errors = h->parse_errors;
	ff->is_test = h->is_test;
	ff->skip_reason = h->skip_reason ? arena_strndup(&ff->arena, h->skip_reason, h->skip_len) : NULL;
	ff->max_nesting = h->max_nesting;
	ff->nesting_cut = h->nesting_cut;
}

int facts_deserialise(const void *buf, size_t len, struct file_facts *ff)
{
	struct rd r = { buf, (const unsigned char *)buf + len, ff, false, VEC_INIT };
	struct facts_head h;
	size_t used = facts_head_parse(buf, len, &h);
	if (!used || h.lang != ff->lang)
		r.bad = true;
	else {
		facts_head_apply(&h, ff);
		r.p += used;
		if (ff->skip_reason) /* the first string written: later ones may refer to it */
			VEC_APPEND(&r.strs, ff->skip_reason);
	}
	/* the minimum: one byte per field */
	GET_VEC(&r, ff->imports, 7, get_import);
	GET_VEC(&r, ff->functions, 14, get_function);
	GET_VEC(&r, ff->calls, 21, get_call);
	GET_VEC(&r, ff->handlers, 16, get_handler);
	GET_VEC(&r, ff->writes, 13, get_write);
	GET_VEC(&r, ff->reads, 14, get_read);
	GET_VEC(&r, ff->retries, 14, get_retry);
	GET_VEC(&r, ff->loops, 11, get_loop);
	GET_VEC(&r, ff->bindings, 11, get_binding);
	GET_VEC(&r, ff->consts, 7, get_const);
	VEC_FREE(&r.strs);
	if (!r.bad && r.p == r.end && links_ok(ff))
		return 0;
	char *path = xstrdup(ff->path);
	enum lang lang = ff->lang;
	file_facts_release(ff);
	file_facts_init(ff, path, lang);
	xfree(path);
	return -1;
}
