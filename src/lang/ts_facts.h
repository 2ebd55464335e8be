#ifndef DISTARCH_TS_FACTS_H
#define DISTARCH_TS_FACTS_H
/*
 * Write and read facts as the tree-sitter front-ends add them, from where
 * the node sits (struct ts_where, which each front-end fills from its own
 * context). Strings passed in must already live in the facts' arena; the
 * facts keep the pointers.
 */
#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

#include "../facts/facts.h"
#include "state_words.h"
#include "ts_util.h"

/* The part of a front-end's context that every write and read records. */
struct ts_where {
	int func;              /* enclosing function fact, or -1 */
	int handler;           /* innermost handler clause holding the node, or -1 */
	bool select;           /* a comparison here chooses among several */
	bool has_cond;         /* in a condition: a read's body is cond_body, else the read itself */
	struct span cond_body;
};

/* A write at `at` (value, value_text may be NULL); `call` is the call fact making it, or -1. */
void ts_add_write(struct file_facts *ff, struct ts_where where, enum write_kind kind,
		  const char *target, const char *fld, const char *value, const char *value_text,
		  TSNode at, int call, bool crosses);

/* A read at `at`, returned for the caller to fill values, negated, ... */
struct fact_read *ts_add_read(struct file_facts *ff, struct ts_where where, enum read_kind kind,
			      const char *target, const char *fld, TSNode at);

/* The `n` arena strings at `items` as a list (the pointers are copied, not the strings). */
struct strlist ts_list(struct file_facts *ff, const char **items, size_t n);

/* SQL in a string literal at `at`: sql_scan()'s callback ts_sql_item() takes this as `data`. */
struct ts_sql_ctx {
	struct ts_walker *b;
	struct ts_where where;
	int carrier; /* the call fact whose arguments hold the string, or -1 */
	TSNode at;
};

/* A state column written (SET/INSERT: WRITE_SQL) or compared (WHERE: READ_SQL) by the SQL. */
void ts_sql_item(void *data, const struct sql_item *it);

#endif
