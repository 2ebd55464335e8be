#include "ts_facts.h"

#include <string.h>

#include "../base/arena.h"
#include "../base/banned.h"

void ts_add_write(struct file_facts *ff, struct ts_where where, enum write_kind kind,
		  const char *target, const char *fld, const char *value, const char *value_text,
		  TSNode at, int call, bool crosses)
{
	struct fact_write *wr = VEC_PUSH(&ff->writes);

	wr->kind = kind;
	wr->target = target;
	wr->field = fld;
	wr->value = value;
	wr->value_text = value_text;
	wr->span = ts_span(at);
	wr->func = where.func;
	wr->handler = where.handler;
	wr->call = call;
	wr->crosses = crosses;
}

struct fact_read *ts_add_read(struct file_facts *ff, struct ts_where where, enum read_kind kind,
			      const char *target, const char *fld, TSNode at)
{
	struct fact_read *r = VEC_PUSH(&ff->reads);

	r->kind = kind;
	r->target = target;
	r->field = fld;
	r->span = ts_span(at);
	r->func = where.func;
	r->selects = where.select;
	r->body = where.has_cond ? where.cond_body : r->span;
	return r;
}

struct strlist ts_list(struct file_facts *ff, const char **items, size_t n)
{
	struct strlist l = { NULL, n };

	if (n) {
		l.items = arena_alloc(&ff->arena, n * sizeof(*l.items));
		memcpy(l.items, items, n * sizeof(*items));
	}
	return l;
}

void ts_sql_item(void *data, const struct sql_item *it)
{
	struct ts_sql_ctx *sc = data;
	struct ts_walker *b = sc->b;
	const char *col = it->col, *dot;
	size_t cl = it->col_len;

	dot = memrchr(col, '.', cl);
	if (dot) {
		cl -= (size_t)(dot + 1 - col);
		col = dot + 1;
	}
	if (!lang_is_state_field(col, cl))
		return;
	if (it->is_write) {
		const char *target = it->table ?
			arena_printf(&b->ff->arena, "%.*s.%.*s",
				     (int)(it->table_len > 100 ? 100 : it->table_len), it->table,
				     (int)(cl > 100 ? 100 : cl), col) :
			ts_wcopy(b, col, cl);
		ts_add_write(b->ff, sc->where, WRITE_SQL, target, ts_wcopy(b, col, cl),
			     it->nvalues ? ts_wcopy(b, it->values[0], it->value_lens[0]) : NULL,
			     ts_wcopy(b, it->text, it->text_len), sc->at, sc->carrier, false);
	} else {
		const char *vals[SQL_MAX_VALUES];
		struct fact_read *r;
		for (size_t i = 0; i < it->nvalues; i++)
			vals[i] = ts_wcopy(b, it->values[i], it->value_lens[i]);
		r = ts_add_read(b->ff, sc->where, READ_SQL, ts_wcopy(b, it->col, it->col_len),
				ts_wcopy(b, col, cl), sc->at);
		r->values = ts_list(b->ff, vals, it->nvalues);
		r->negated = it->negated;
		r->selects = true;
	}
}
