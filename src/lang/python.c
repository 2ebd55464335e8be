/*
 * The Python front-end: one tree-sitter parse, one walk, facts out.
 *
 * The walk is one pre-order pass of a single TSTreeCursor with a heap
 * stack of levels mirroring the cursor's path, so a 10,000-deep expression
 * costs heap, not C stack. Each level carries the context its node sits in
 * (enclosing function, handler, loop, try body, return value, the call
 * whose arguments hold it...), derived from its parent's level, so every
 * fact is complete the moment its node is visited. The only second pass is
 * the retry-loop one, which needs what the whole loop body did.
 *
 * Everything here is syntax: a call is its callee as written; what it means
 * is models_resolve()'s business.
 */
#include "lang.h"

#include <pthread.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/strbuf.h"
#include "state_words.h"
#include "ts_consts.h"
#include "ts_facts.h"
#include "ts_retry.h"
#include "ts_util.h"
#include "../base/banned.h"

const TSLanguage *tree_sitter_python(void);

enum kind {
	K_OTHER = 0, K_COMMENT, K_IMPORT, K_IMPORT_FROM, K_FUTURE_IMPORT, K_DOTTED,
	K_ALIASED_IMPORT, K_WILDCARD_IMPORT, K_FUNCDEF, K_CLASSDEF, K_DECORATED,
	K_DECORATOR, K_CALL, K_ATTRIBUTE, K_IDENT, K_SUBSCRIPT, K_ARGLIST, K_KWARG,
	K_AWAIT, K_TRY, K_EXCEPT, K_FINALLY, K_ELSE, K_RAISE, K_RETURN, K_CONTINUE,
	K_BREAK, K_FOR, K_WHILE, K_IF, K_ELIF, K_ASSIGN, K_AUGASSIGN, K_STRING,
	K_STRING_START, K_STRING_END, K_CONCAT, K_INTEGER, K_FLOAT, K_TRUE, K_FALSE,
	K_NONE, K_UNARY, K_DICT, K_PAIR, K_COMPARISON, K_MATCH, K_CASE,
	K_CASE_PATTERN, K_UNION_PATTERN, K_LAMBDA, K_LISTCOMP, K_SETCOMP,
	K_DICTCOMP, K_GENEXP, K_IF_CLAUSE, K_TUPLE, K_LIST, K_SET, K_PAREN,
	K_AS_PATTERN, K_PATTERN_LIST, K_TUPLE_PATTERN, K_EXPR_LIST, K_BLOCK,
	K_NOT, K_BOOLOP,
};

static const struct ts_kind_name kind_names[] = {
	{ "comment", K_COMMENT }, { "import_statement", K_IMPORT },
	{ "import_from_statement", K_IMPORT_FROM },
	{ "future_import_statement", K_FUTURE_IMPORT }, { "dotted_name", K_DOTTED },
	{ "aliased_import", K_ALIASED_IMPORT }, { "wildcard_import", K_WILDCARD_IMPORT },
	{ "function_definition", K_FUNCDEF }, { "class_definition", K_CLASSDEF },
	{ "decorated_definition", K_DECORATED }, { "decorator", K_DECORATOR },
	{ "call", K_CALL }, { "attribute", K_ATTRIBUTE }, { "identifier", K_IDENT },
	{ "subscript", K_SUBSCRIPT }, { "argument_list", K_ARGLIST },
	{ "keyword_argument", K_KWARG }, { "await", K_AWAIT },
	{ "try_statement", K_TRY }, { "except_clause", K_EXCEPT },
	{ "except_group_clause", K_EXCEPT }, { "finally_clause", K_FINALLY },
	{ "else_clause", K_ELSE }, { "raise_statement", K_RAISE },
	{ "return_statement", K_RETURN }, { "continue_statement", K_CONTINUE },
	{ "break_statement", K_BREAK }, { "for_statement", K_FOR },
	{ "while_statement", K_WHILE }, { "if_statement", K_IF },
	{ "elif_clause", K_ELIF }, { "assignment", K_ASSIGN },
	{ "augmented_assignment", K_AUGASSIGN }, { "string", K_STRING },
	{ "string_start", K_STRING_START }, { "string_end", K_STRING_END },
	{ "concatenated_string", K_CONCAT }, { "integer", K_INTEGER },
	{ "float", K_FLOAT }, { "true", K_TRUE }, { "false", K_FALSE },
	{ "none", K_NONE }, { "unary_operator", K_UNARY }, { "dictionary", K_DICT },
	{ "pair", K_PAIR }, { "comparison_operator", K_COMPARISON },
	{ "match_statement", K_MATCH }, { "case_clause", K_CASE },
	{ "case_pattern", K_CASE_PATTERN }, { "union_pattern", K_UNION_PATTERN },
	{ "lambda", K_LAMBDA }, { "list_comprehension", K_LISTCOMP },
	{ "set_comprehension", K_SETCOMP }, { "dictionary_comprehension", K_DICTCOMP },
	{ "generator_expression", K_GENEXP }, { "if_clause", K_IF_CLAUSE },
	{ "tuple", K_TUPLE }, { "list", K_LIST }, { "set", K_SET },
	{ "parenthesized_expression", K_PAREN }, { "as_pattern", K_AS_PATTERN },
	{ "pattern_list", K_PATTERN_LIST }, { "tuple_pattern", K_TUPLE_PATTERN },
	{ "expression_list", K_EXPR_LIST }, { "block", K_BLOCK },
	{ "not_operator", K_NOT }, { "boolean_operator", K_BOOLOP },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS 64     /* arguments recorded per call */
#define MAX_VALUES 16   /* values recorded per read */
#define MAX_CHAIN 64    /* a.b().c[...] segments followed when naming a callee */

/* Where a dictionary literal goes: it decides the kind of write its keys make. */
enum dest { DEST_NONE, DEST_ASSIGN, DEST_RETURN, DEST_CALL };

struct ctx {
	int func;           /* enclosing function fact */
	int handler;        /* innermost except/finally clause holding the node */
	int handler_nl;     /* ...with no loop in between (continue/break belong to it) */
	int handler_block;  /* one-shot: set on a clause's block */
	int handler_direct; /* one-shot: the clause whose block is the node's parent */
	int loop;
	int guard;          /* first handler of the innermost try whose body holds the node */
	int exit_try;       /* same, for try body/else with no loop in between */
	int carrier;        /* outermost call whose arguments hold the node */
	const char *cls;    /* class whose body directly holds the node */
	struct span cond_body;
	TSNode dest_left;   /* the assignment target when dest == DEST_ASSIGN */
	unsigned char dest;
	unsigned char parent_kind;
	bool has_cond;      /* in an if/elif/while/comprehension condition */
	bool select;        /* a comparison here chooses among several */
	bool in_for;        /* in a for loop body (same function) */
	bool in_return;
	bool awaited;       /* one-shot: the node is `await`'s operand */
};

static struct ts_where where_of(const struct ctx *c)
{
	return (struct ts_where){ c->func, c->handler, c->select, c->has_cond, c->cond_body };
}


/* What visiting a node made, for its children's contexts. */
struct visit {
	int call, func, loop, try_first, clause_ord;
	const char *cls;
	struct span cond_body;
	bool select_call;
};

/* One node on the traversal cursor's path, with its context. */
struct level {
	TSNode node;
	struct ctx ctx;
	struct visit v;
	unsigned char kind;
	bool skip;
};

struct pending_decorator {
	uint32_t start; /* the decorator node's start byte */
	int call;
};

struct field_ids {
	TSFieldId name, alias, module_name, body, function, arguments, object,
		  attribute, value, key, left, right, condition, consequence, subject,
		  definition, subscript, argument;
};

struct walker {
	struct ts_walker b; /* first: the part all front-ends share */
	struct field_ids f;
	VEC(struct level) levels; /* the traversal's path from the root */
	VEC(struct ts_hextra) hx;
	VEC(struct ts_lextra) lx;
	VEC(struct pending_decorator) pending;
	struct strbuf sb;
};

static enum kind kind_of(const struct walker *w, TSNode n)
{
	return (enum kind)ts_kind(&w->b, n);
}

/* The bytes between a string's quotes (f-string interpolations kept as written). */
static const char *string_content(struct walker *w, TSNode n, size_t *len)
{
	uint32_t nc = ts_node_child_count(n), start, end;
	TSNode first, last;

	*len = 0;
	if (nc < 2)
		return ts_wraw(&w->b, n, len);
	first = ts_node_child(n, 0);
	last = ts_node_child(n, nc - 1);
	start = kind_of(w, first) == K_STRING_START ? ts_node_end_byte(first) : ts_node_start_byte(n);
	end = kind_of(w, last) == K_STRING_END ? ts_node_start_byte(last) : ts_node_end_byte(n);
	if (end < start || end > w->b.len)
		return NULL;
	*len = end - start;
	return w->b.src + start;
}

/* Identifiers joined by dots, `a` or `WorkerStatus.IDLE`. */
static bool is_dotted(struct walker *w, TSNode n)
{
	for (int i = 0; i < MAX_CHAIN && !ts_node_is_null(n); i++) {
		enum kind k = kind_of(w, n);
		if (k == K_IDENT)
			return true;
		if (k != K_ATTRIBUTE)
			return false;
		n = ts_field_id(n, w->f.object);
	}
	return false;
}

/* A string's content of a concatenated string ("a" "b" -> ab), capped. */
static const char *concat_content(struct walker *w, TSNode n, size_t cap, size_t *len)
{
	size_t base = ts_collect(&w->b, n, true);

	strbuf_reset(&w->sb);
	for (size_t i = base; i < w->b.scratch.len && w->sb.len < cap; i++) {
		size_t l;
		const char *p = string_content(w, ts_scratch_node(&w->b, i), &l);
		if (p)
			strbuf_add(&w->sb, p, l > cap - w->sb.len ? cap - w->sb.len : l);
	}
	w->b.scratch.len = base;
	*len = w->sb.len;
	return w->sb.buf;
}

/*
 * The literal value of an expression, in the arena, or NULL: strings
 * without quotes, numbers, True/False/None, dotted names (enum members).
 */
static const char *literal_value(struct walker *w, TSNode n, bool *is_string)
{
	size_t l;
	const char *p;

	if (is_string)
		*is_string = false;
	if (ts_node_is_null(n))
		return NULL;
	switch (kind_of(w, n)) {
	case K_STRING:
		if (is_string)
			*is_string = true;
		p = string_content(w, n, &l);
		return p ? ts_wcopy(&w->b, p, l) : NULL;
	case K_CONCAT:
		if (is_string)
			*is_string = true;
		p = concat_content(w, n, TS_TEXT_MAX, &l);
		return ts_wcopy(&w->b, p, l);
	case K_INTEGER: case K_FLOAT: case K_TRUE: case K_FALSE: case K_NONE:
		return ts_wtext(&w->b, n);
	case K_UNARY: {
		enum kind k = kind_of(w, ts_field_id(n, w->f.argument));
		return k == K_INTEGER || k == K_FLOAT ? ts_wtext(&w->b, n) : NULL;
	}
	case K_ATTRIBUTE:
		return is_dotted(w, n) ? ts_wtext(&w->b, n) : NULL;
	default:
		return NULL;
	}
}

/*
 * A callee as written with call arguments and subscripts elided:
 * `client.table("x").update` -> "client.table().update". Iterative, so an
 * absurdly long chain cannot blow the stack; capped at TS_TEXT_MAX bytes.
 */
static const char *callee_text(struct walker *w, TSNode n)
{
	struct ts_link chain[MAX_CHAIN];
	int depth = 0;

	while (depth < MAX_CHAIN && !ts_node_is_null(n)) {
		enum kind k = kind_of(w, n);
		struct ts_link link = { .kind = TS_LINK_NONE };
		TSNode next;
		if (k == K_ATTRIBUTE) {
			next = ts_field_id(n, w->f.object);
			link = (struct ts_link){ ts_field_id(n, w->f.attribute), TS_LINK_MEMBER };
		} else if (k == K_CALL) {
			next = ts_field_id(n, w->f.function);
			link.kind = TS_LINK_CALL;
		} else if (k == K_SUBSCRIPT) {
			next = ts_field_id(n, w->f.value);
			link.kind = TS_LINK_INDEX;
		} else {
			break;
		}
		if (ts_node_is_null(next))
			break;
		chain[depth++] = link;
		n = next;
	}
	strbuf_reset(&w->sb);
	ts_sb_add_node(&w->b, &w->sb, n);
	ts_sb_add_chain(&w->b, &w->sb, chain, depth);
	return ts_wcopy(&w->b, w->sb.buf, w->sb.len);
}

/* The literal values of `n`, or of each element when it is a tuple/list/set. */
static size_t values_of(struct walker *w, TSNode n, const char **out, size_t max)
{
	enum kind k;
	size_t nv = 0, base;

	if (ts_node_is_null(n))
		return 0;
	k = kind_of(w, n);
	if (k == K_PAREN) {
		n = ts_first_named(&w->b, n);
		if (ts_node_is_null(n))
			return 0;
		k = kind_of(w, n);
	}
	if (k != K_TUPLE && k != K_LIST && k != K_SET) {
		const char *v = literal_value(w, n, NULL);
		if (v && max)
			out[nv++] = v;
		return nv;
	}
	base = ts_collect(&w->b, n, true);
	for (size_t i = base; i < w->b.scratch.len && nv < max; i++) {
		const char *v = literal_value(w, ts_scratch_node(&w->b, i), NULL);
		if (v)
			out[nv++] = v;
	}
	w->b.scratch.len = base;
	return nv;
}

/* --- arguments and calls --- */

static void fill_arg(struct walker *w, struct fact_arg *a, TSNode n)
{
	if (kind_of(w, n) == K_KWARG) {
		a->name = ts_wtext(&w->b, ts_field_id(n, w->f.name));
		n = ts_field_id(n, w->f.value);
		if (ts_node_is_null(n))
			return;
	}
	a->value = literal_value(w, n, &a->is_string);
	a->text = ts_wtext(&w->b, n);
}

static struct fact_arg *make_args(struct walker *w, TSNode args, size_t *nargs)
{
	struct fact_arg *out;
	size_t base, n;

	*nargs = 0;
	if (ts_node_is_null(args))
		return NULL;
	if (kind_of(w, args) == K_GENEXP) {
		out = arena_alloc(&w->b.ff->arena, sizeof(*out));
		out->text = ts_wtext(&w->b, args);
		*nargs = 1;
		return out;
	}
	base = ts_collect(&w->b, args, true);
	n = w->b.scratch.len - base;
	if (n > MAX_ARGS)
		n = MAX_ARGS;
	out = n ? arena_alloc(&w->b.ff->arena, n * sizeof(*out)) : NULL;
	for (size_t i = 0; i < n; i++)
		fill_arg(w, &out[i], ts_scratch_node(&w->b, base + i));
	w->b.scratch.len = base;
	*nargs = n;
	return out;
}

/* Calls whose keyword arguments select rather than set: filter(status=...). */
static bool is_filter_method(const char *m)
{
	static const char *const names[] = {
		"filter", "filter_by", "exclude", "where", "find", "find_one",
		"find_many", "get", "get_or_none", "count",
	};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (!strcmp(m, names[i]))
			return true;
	return false;
}

/* Calls that choose one or some among several: a comparison in their arguments selects. */
static bool is_select_call(const char *m)
{
	return !strcmp(m, "filter") || !strcmp(m, "next") || !strcmp(m, "min") ||
	       !strcmp(m, "max") || !strcmp(m, "sorted") || !strcmp(m, "any") ||
	       !strcmp(m, "all");
}

/* Keyword arguments named like state: update(status=...) writes, filter(status=...) reads. */
static void call_kwargs(struct walker *w, const struct ctx *c, int call, TSNode args,
			const char *method)
{
	bool filter = is_filter_method(method);
	size_t base;

	if (ts_node_is_null(args) || kind_of(w, args) != K_ARGLIST)
		return;
	base = ts_collect(&w->b, args, true);
	for (size_t i = base; i < w->b.scratch.len; i++) {
		TSNode kw = ts_scratch_node(&w->b, i), name, value;
		const char *p, *sep;
		size_t l;

		if (kind_of(w, kw) != K_KWARG)
			continue;
		name = ts_field_id(kw, w->f.name);
		value = ts_field_id(kw, w->f.value);
		p = ts_wraw(&w->b, name, &l);
		if (!p)
			continue;
		/* Django-style lookups: status__in=[...] reads the field `status` */
		sep = l > 2 ? memmem(p, l, "__", 2) : NULL;
		if (sep == p)
			sep = NULL;
		if (!lang_is_state_keyword(p, sep ? (size_t)(sep - p) : l))
			continue;
		if (filter) {
			const char *vals[MAX_VALUES];
			size_t nv = values_of(w, value, vals, MAX_VALUES);
			struct fact_read *r = ts_add_read(w->b.ff, where_of(c), READ_FILTER, ts_wcopy(&w->b, p, l),
						       ts_wcopy(&w->b, p, sep ? (size_t)(sep - p) : l), kw);
			r->values = ts_list(w->b.ff, vals, nv);
			r->negated = !strcmp(method, "exclude") ||
				     (sep && !strncmp(sep, "__ne", 4));
			r->selects = true;
			r->body = w->b.ff->calls.items[call].span;
		} else {
			ts_add_write(w->b.ff, where_of(c), WRITE_KWARG, ts_wcopy(&w->b, p, l),
				     ts_wcopy(&w->b, p, l), literal_value(w, value, NULL),
				     ts_wtext(&w->b, value), kw, call, false);
		}
	}
	w->b.scratch.len = base;
}

/* --- data flow for payload tracing (AP-2): names used, names bound --- */

#define NAMES_BUDGET 512 /* nodes looked at per expression */

/*
 * Append to out[*n] (up to max) the maximal dotted names `e` uses: `msg`,
 * `job.workflow`, the receiver `self.redis` of `self.redis.xack(...)`.
 * Keyword names, the callee's own last segment and lambda parameters are
 * not uses. Iterative with a node budget: cost is bounded per expression.
 */
static void names_in(struct walker *w, TSNode e, const char **out, size_t *n, size_t max)
{
	TSNode stack[64];
	size_t sp = 0, budget = NAMES_BUDGET;

	if (ts_node_is_null(e))
		return;
	stack[sp++] = e;
	while (sp && budget-- && *n < max) {
		TSNode x = stack[--sp], fn;
		enum kind k = kind_of(w, x);
		const char *s;
		uint32_t nc;

		switch (k) {
		case K_IDENT:
			s = ts_wtext(&w->b, x);
			if (!ts_name_seen(out, *n, s))
				out[(*n)++] = s;
			continue;
		case K_ATTRIBUTE:
			if (is_dotted(w, x)) {
				s = callee_text(w, x);
				if (!ts_name_seen(out, *n, s))
					out[(*n)++] = s;
			} else if (sp < ARRAY_LEN(stack)) {
				stack[sp++] = ts_field_id(x, w->f.object);
			}
			continue;
		case K_CALL:
			fn = ts_field_id(x, w->f.function);
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(ts_field_id(x, w->f.arguments)))
				stack[sp++] = ts_field_id(x, w->f.arguments);
			if (sp < ARRAY_LEN(stack) && kind_of(w, fn) == K_ATTRIBUTE)
				stack[sp++] = ts_field_id(fn, w->f.object);
			else if (sp < ARRAY_LEN(stack) && kind_of(w, fn) != K_IDENT && !ts_node_is_null(fn))
				stack[sp++] = fn;
			continue;
		case K_KWARG:
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(ts_field_id(x, w->f.value)))
				stack[sp++] = ts_field_id(x, w->f.value);
			continue;
		case K_LAMBDA:
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(ts_field_id(x, w->f.body)))
				stack[sp++] = ts_field_id(x, w->f.body);
			continue;
		case K_COMMENT: case K_FUNCDEF: case K_CLASSDEF:
			continue;
		default:
			break;
		}
		/* children pushed last-first so they pop in source order */
		nc = ts_node_named_child_count(x);
		for (uint32_t i = nc; i > 0 && sp < ARRAY_LEN(stack); i--)
			stack[sp++] = ts_node_named_child(x, i - 1);
	}
}

/* The statements after which a block is left (AP-2: a call that ends one). */
static const unsigned char exit_kinds[] = { K_RETURN, K_CONTINUE, K_BREAK, K_RAISE };

/*
 * The call at the top of the level stack: the names it uses, its block,
 * and the binding it feeds (`x = await f(...)`, `for m in f(...)`).
 */
static void dataflow_call(struct walker *w, int idx, TSNode fn, TSNode args, const struct ctx *c)
{
	const char *names[FACT_MAX_NAMES];
	size_t nn = 0, top = w->levels.len - 1;
	struct fact_call *call;

	if (kind_of(w, fn) == K_ATTRIBUTE)
		names_in(w, ts_field_id(fn, w->f.object), names, &nn, FACT_MAX_NAMES);
	else if (kind_of(w, fn) != K_IDENT)
		names_in(w, fn, names, &nn, FACT_MAX_NAMES);
	names_in(w, args, names, &nn, FACT_MAX_NAMES);
	call = &w->b.ff->calls.items[idx];
	call->names = ts_list(w->b.ff, names, nn);

	/* the innermost block, and whether it is a branch */
	for (size_t i = top, steps = 0; i > 0 && steps < 256; i--, steps++) {
		const struct level *lv = &w->levels.items[i];
		enum kind k = (enum kind)lv->kind, pk;
		if (k == K_FUNCDEF || k == K_CLASSDEF || k == K_LAMBDA)
			break;
		if (k != K_BLOCK)
			continue;
		call->block = ts_span(lv->node);
		call->block_exits = ts_block_exits(&w->b, lv->node, exit_kinds,
						   ARRAY_LEN(exit_kinds));
		pk = (enum kind)w->levels.items[i - 1].kind;
		call->conditional = pk == K_IF || pk == K_ELIF || pk == K_EXCEPT || pk == K_CASE ||
			(pk == K_ELSE && i >= 2 && w->levels.items[i - 2].kind == K_IF);
		break;
	}

	/* the value of an assignment or the iterable of a for loop */
	if (top < 2)
		return;
	{
		size_t p = top - 1;
		if (w->levels.items[p].kind == K_AWAIT || w->levels.items[p].kind == K_PAREN)
			p--;
		if (w->levels.items[p].kind == K_ASSIGN) {
			struct span as = ts_span(w->levels.items[p].node);
			if (c->dest != DEST_ASSIGN)
				return;
			for (size_t b = w->b.ff->bindings.len; b > 0; b--) {
				struct fact_binding *bd = &w->b.ff->bindings.items[b - 1];
				if (bd->kind != BIND_ASSIGN || memcmp(&bd->span, &as, sizeof(as)))
					break;
				if (bd->call < 0)
					bd->call = idx;
			}
		} else if (w->levels.items[p].kind == K_FOR && w->levels.items[p].v.loop >= 0) {
			int loop = w->levels.items[p].v.loop;
			for (size_t b = w->b.ff->bindings.len; b > 0; b--) {
				struct fact_binding *bd = &w->b.ff->bindings.items[b - 1];
				if (bd->kind != BIND_LOOP || bd->loop != loop)
					break;
				if (bd->call < 0)
					bd->call = idx;
			}
		}
	}
}

static void add_binding(struct walker *w, enum binding_kind kind, const char *name, int func,
			int loop, int index, struct span at, const char **names, size_t nn)
{
	struct fact_binding *b = VEC_PUSH(&w->b.ff->bindings);
	b->kind = kind;
	b->name = name;
	b->call = -1;
	b->names = ts_list(w->b.ff, names, nn);
	b->span = at;
	b->func = func;
	b->loop = loop;
	b->index = index;
}

/* Bind each name of a target (`x`, `self.x`, `a, (b, c)`), flattening tuples. */
static void bind_targets(struct walker *w, TSNode t, enum binding_kind kind, int func, int loop,
			 struct span at, const char **names, size_t nn)
{
	TSNode stack[32];
	size_t sp = 0;
	int pos = 0;

	stack[sp++] = t;
	while (sp) {
		TSNode x = stack[--sp];
		enum kind k = kind_of(w, x);
		if (k == K_IDENT || (k == K_ATTRIBUTE && is_dotted(w, x))) {
			add_binding(w, kind, k == K_IDENT ? ts_wtext(&w->b, x) : callee_text(w, x),
				    func, loop, pos++, at, names, nn);
		} else if (k == K_PATTERN_LIST || k == K_TUPLE_PATTERN || k == K_PAREN ||
			   k == K_TUPLE || k == K_LIST || k == K_EXPR_LIST ||
			   !strcmp(ts_node_type(x), "list_pattern")) {
			uint32_t nc = ts_node_named_child_count(x);
			for (uint32_t i = nc; i > 0 && sp < ARRAY_LEN(stack); i--)
				stack[sp++] = ts_node_named_child(x, i - 1);
		}
	}
}

/* `x = <expr>` (not augmented): bind the targets to the value's names. */
static void dataflow_assign(struct walker *w, TSNode n, enum kind k, const struct ctx *c)
{
	TSNode lhs = ts_field_id(n, w->f.left), rhs = ts_field_id(n, w->f.right);
	const char *names[FACT_MAX_NAMES];
	size_t nn = 0;

	if (k != K_ASSIGN || ts_node_is_null(lhs) || ts_node_is_null(rhs))
		return;
	names_in(w, rhs, names, &nn, FACT_MAX_NAMES);
	bind_targets(w, lhs, BIND_ASSIGN, c->func, c->loop, ts_span(n), names, nn);
}

/* `for <targets> in <iterable>`: bind the targets to the iterable's names. */
static void dataflow_for(struct walker *w, TSNode n, int loop, const struct ctx *c)
{
	TSNode lhs = ts_field_id(n, w->f.left), rhs = ts_field_id(n, w->f.right);
	const char *names[FACT_MAX_NAMES];
	size_t nn = 0;

	if (ts_node_is_null(lhs) || ts_node_is_null(rhs))
		return;
	names_in(w, rhs, names, &nn, FACT_MAX_NAMES);
	bind_targets(w, lhs, BIND_LOOP, c->func, loop, ts_span(n), names, nn);
}

/* The parameters of a function definition, in order (`*args`, `**kw` included by name). */
static void dataflow_params(struct walker *w, int func, TSNode def)
{
	TSNode params = ts_node_child_by_field_name(def, "parameters", 10);
	uint32_t nc;
	int pos = 0;

	if (ts_node_is_null(params))
		return;
	nc = ts_node_named_child_count(params);
	for (uint32_t i = 0; i < nc && i < MAX_ARGS; i++) {
		TSNode p = ts_node_named_child(params, i), id = p;
		const char *type = ts_node_type(p);
		if (kind_of(w, p) == K_COMMENT)
			continue;
		if (strcmp(type, "identifier")) {
			TSNode nm = ts_field_id(p, w->f.name);
			if (ts_node_is_null(nm))
				nm = ts_node_named_child(p, 0); /* typed_parameter, *args, **kw */
			id = nm;
			if (!ts_node_is_null(id) && kind_of(w, id) != K_IDENT)
				id = ts_node_named_child(id, 0);
		}
		if (ts_node_is_null(id) || kind_of(w, id) != K_IDENT)
			continue;
		add_binding(w, BIND_PARAM, ts_wtext(&w->b, id), func, -1, pos++, ts_span(p), NULL,
			    0);
	}
}

static int visit_call(struct walker *w, TSNode n, TSNode parent, const struct ctx *c,
		      struct visit *v)
{
	TSNode fn = ts_field_id(n, w->f.function), args = ts_field_id(n, w->f.arguments);
	int idx = (int)w->b.ff->calls.len;
	struct fact_call *call = VEC_PUSH(&w->b.ff->calls);
	const char *callee;

	callee = callee_text(w, fn);
	call = &w->b.ff->calls.items[idx]; /* callee_text does not push, but stay safe */
	call->callee = callee;
	call->method = kind_of(w, fn) == K_ATTRIBUTE ?
		ts_wtext(&w->b, ts_field_id(fn, w->f.attribute)) : callee;
	call->span = ts_span(n);
	call->func = c->func;
	call->handler = c->handler;
	call->loop = c->loop;
	call->guard = c->guard;
	call->awaited = c->awaited;
	call->in_return = c->in_return;
	call->carrier = c->carrier;
	if (c->dest == DEST_ASSIGN && !ts_node_is_null(c->dest_left) &&
	    (c->parent_kind == K_ASSIGN || c->parent_kind == K_AWAIT))
		call->assigned_to = callee_text(w, c->dest_left);
	{
		size_t nargs;
		struct fact_arg *a = make_args(w, args, &nargs);
		call = &w->b.ff->calls.items[idx];
		call->args = a;
		call->nargs = nargs;
	}
	if (c->parent_kind == K_DECORATOR) {
		struct pending_decorator *pd = VEC_PUSH(&w->pending);
		pd->start = ts_node_start_byte(parent);
		pd->call = idx;
	}
	v->select_call = is_select_call(w->b.ff->calls.items[idx].method);
	call_kwargs(w, c, idx, args, w->b.ff->calls.items[idx].method);
	dataflow_call(w, idx, fn, args, c);
	return idx;
}

/* --- functions and classes --- */

static void fill_decorators(struct walker *w, struct fact_function *fnf, TSNode decorated)
{
	size_t base = ts_collect(&w->b, decorated, true), n = 0, k = 0;

	for (size_t i = base; i < w->b.scratch.len; i++)
		n += kind_of(w, ts_scratch_node(&w->b, i)) == K_DECORATOR;
	if (!n) {
		w->b.scratch.len = base;
		return;
	}
	fnf->decorators = arena_alloc(&w->b.ff->arena, n * sizeof(*fnf->decorators));
	fnf->ndecorators = n;
	for (size_t i = base; i < w->b.scratch.len && k < n; i++) {
		TSNode d = ts_scratch_node(&w->b, i), e;
		struct fact_decorator *fd;

		if (kind_of(w, d) != K_DECORATOR)
			continue;
		fd = &fnf->decorators[k++];
		fd->span = ts_span(d);
		fd->call = -1;
		e = ts_first_named(&w->b, d);
		if (ts_node_is_null(e)) {
			fd->name = ts_wtext(&w->b, d);
			continue;
		}
		if (kind_of(w, e) != K_CALL) {
			fd->name = callee_text(w, e);
			continue;
		}
		fd->name = callee_text(w, ts_field_id(e, w->f.function));
		for (size_t j = 0; j < w->pending.len; j++) {
			if (w->pending.items[j].start != ts_node_start_byte(d))
				continue;
			fd->call = w->pending.items[j].call;
			fd->args = w->b.ff->calls.items[fd->call].args;
			fd->nargs = w->b.ff->calls.items[fd->call].nargs;
		}
	}
	w->b.scratch.len = base;
}

static int visit_function(struct walker *w, TSNode n, TSNode parent, const struct ctx *c)
{
	int idx = (int)w->b.ff->functions.len;
	struct fact_function *fnf = VEC_PUSH(&w->b.ff->functions);
	TSNode name = ts_field_id(n, w->f.name);

	fnf->name = ts_node_is_null(name) ? facts_str(w->b.ff, "", 0) : ts_wtext(&w->b, name);
	fnf->cls = c->cls;
	fnf->span = ts_span(n);
	fnf->name_span = ts_node_is_null(name) ? fnf->span : ts_span(name);
	fnf->is_async = ts_node_child_count(n) &&
		!strcmp(ts_node_type(ts_node_child(n, 0)), "async");
	fnf->parent = c->func;
	/* __init__ runs before the object is shared: its writes are initial state. */
	fnf->is_constructor = c->cls && !strcmp(fnf->name, "__init__");
	if (!ts_node_is_null(parent) && kind_of(w, parent) == K_DECORATED)
		fill_decorators(w, fnf, parent);
	w->pending.len = 0;
	return idx;
}

/* --- handlers and loops --- */

static void handler_types(struct walker *w, struct fact_handler *h, TSNode clause)
{
	TSNode v = ts_field_id(clause, w->f.value), alias = ts_field_id(clause, w->f.alias);
	const char *types[MAX_ARGS];
	size_t nt = 0;

	if (ts_node_is_null(v)) {
		/* older grammars leave the type unnamed: the first named non-block child */
		TSNode f = ts_first_named(&w->b, clause);
		if (!ts_node_is_null(f) && kind_of(w, f) != K_BLOCK)
			v = f;
	}
	if (!ts_node_is_null(v) && kind_of(w, v) == K_AS_PATTERN) {
		TSNode a = ts_field_id(v, w->f.alias);
		if (!ts_node_is_null(a))
			alias = a;
		v = ts_first_named(&w->b, v);
	}
	if (!ts_node_is_null(alias))
		h->var = ts_wtext(&w->b, alias);
	if (ts_node_is_null(v))
		return;
	if (kind_of(w, v) == K_PAREN) {
		TSNode inner = ts_first_named(&w->b, v);
		if (!ts_node_is_null(inner))
			v = inner;
	}
	if (kind_of(w, v) == K_TUPLE || kind_of(w, v) == K_EXPR_LIST) {
		size_t base = ts_collect(&w->b, v, true);
		for (size_t i = base; i < w->b.scratch.len && nt < MAX_ARGS; i++)
			types[nt++] = ts_wtext(&w->b, ts_scratch_node(&w->b, i));
		w->b.scratch.len = base;
	} else {
		types[nt++] = ts_wtext(&w->b, v);
	}
	h->types = ts_list(w->b.ff, types, nt);
}

static int visit_try(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode body = ts_field_id(n, w->f.body);
	size_t base = ts_collect(&w->b, n, true);
	int first = (int)w->b.ff->handlers.len;

	for (size_t i = base; i < w->b.scratch.len; i++) {
		TSNode cl = ts_scratch_node(&w->b, i);
		enum kind k = kind_of(w, cl);
		struct fact_handler *h;
		struct ts_hextra *x;

		if (k != K_EXCEPT && k != K_FINALLY)
			continue;
		h = VEC_PUSH(&w->b.ff->handlers);
		h->kind = k == K_EXCEPT ? HANDLER_EXCEPT : HANDLER_FINALLY;
		h->span = ts_span(cl);
		h->guarded = ts_node_is_null(body) ? h->span : ts_span(body);
		h->cls = FAIL_UNKNOWN;
		h->func = c->func;
		h->loop = c->loop;
		x = VEC_PUSH(&w->hx);
		x->try_first = first;
		if (k == K_EXCEPT) {
			size_t keep = w->b.scratch.len;
			handler_types(w, &w->b.ff->handlers.items[w->b.ff->handlers.len - 1], cl);
			w->b.scratch.len = keep;
		}
	}
	w->b.scratch.len = base;
	return (int)w->b.ff->handlers.len > first ? first : -1;
}

/* The last identifier of `a`, `self.attempts`, or NULL. */
static const char *name_tail(struct walker *w, TSNode n, size_t *len)
{
	if (ts_node_is_null(n))
		return NULL;
	if (kind_of(w, n) == K_ATTRIBUTE)
		n = ts_field_id(n, w->f.attribute);
	if (ts_node_is_null(n) || kind_of(w, n) != K_IDENT)
		return NULL;
	return ts_wraw(&w->b, n, len);
}

static bool counter_like(struct walker *w, TSNode n)
{
	size_t l;
	const char *p = name_tail(w, n, &l);
	return p && lang_is_retry_counter(p, l);
}

static long int_literal(struct walker *w, TSNode n)
{
	size_t l;
	const char *p;
	long v = 0;

	if (ts_node_is_null(n) || kind_of(w, n) != K_INTEGER)
		return -1;
	p = ts_wraw(&w->b, n, &l);
	for (size_t i = 0; p && i < l && i < 9; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* for x in range(...): is it a bounded attempt loop, and how many? */
static void for_range(struct walker *w, TSNode n, struct ts_lextra *lx)
{
	TSNode right = ts_field_id(n, w->f.right), args;
	size_t base, na;
	long a = -1, b = -1;

	if (ts_node_is_null(right) || kind_of(w, right) != K_CALL ||
	    !ts_text_eq(ts_field_id(right, w->f.function), w->b.src, w->b.len, "range"))
		return;
	lx->is_range = true;
	lx->counted = counter_like(w, ts_field_id(n, w->f.left));
	args = ts_field_id(right, w->f.arguments);
	if (ts_node_is_null(args))
		return;
	base = ts_collect(&w->b, args, true);
	na = w->b.scratch.len - base;
	for (size_t i = base; i < w->b.scratch.len; i++)
		lx->counted |= counter_like(w, ts_scratch_node(&w->b, i));
	if (na >= 1)
		a = int_literal(w, ts_scratch_node(&w->b, base));
	if (na >= 2)
		b = int_literal(w, ts_scratch_node(&w->b, base + 1));
	w->b.scratch.len = base;
	if (na == 1 && a >= 0)
		lx->attempts = (int)a;
	else if (na == 2 && a >= 0 && b >= a)
		lx->attempts = (int)(b - a);
	if (lx->attempts >= 0)
		lx->counted = true;
}

/* while attempt < 5: a counted loop (attempts known for a literal `<`). */
static void while_counter(struct walker *w, TSNode cond, struct ts_lextra *lx)
{
	size_t base;
	TSNode lhs = { 0 }, rhs = { 0 };
	const char *op = NULL;

	if (ts_node_is_null(cond) || kind_of(w, cond) != K_COMPARISON)
		return;
	base = ts_collect(&w->b, cond, false);
	if (w->b.scratch.len - base == 3) {
		lhs = ts_scratch_node(&w->b, base);
		op = ts_node_type(ts_scratch_node(&w->b, base + 1));
		rhs = ts_scratch_node(&w->b, base + 2);
	}
	w->b.scratch.len = base;
	if (!op)
		return;
	if (counter_like(w, lhs) || counter_like(w, rhs))
		lx->counted = true;
	if (counter_like(w, lhs) && !strcmp(op, "<") && int_literal(w, rhs) >= 0)
		lx->attempts = (int)int_literal(w, rhs);
}

static int visit_loop(struct walker *w, TSNode n, enum kind k, const struct ctx *c,
		      struct visit *v)
{
	int idx = (int)w->b.ff->loops.len;
	struct fact_loop *lp = VEC_PUSH(&w->b.ff->loops);
	struct ts_lextra *lx = VEC_PUSH(&w->lx);
	TSNode body = ts_field_id(n, w->f.body);

	lp->span = ts_span(n);
	lp->func = c->func;
	lp->parent = c->loop;
	lx->attempts = -1;
	if (k == K_WHILE) {
		TSNode cond = ts_field_id(n, w->f.condition);
		enum kind ck = ts_node_is_null(cond) ? K_OTHER : kind_of(w, cond);
		lp->infinite = ck == K_TRUE || (ck == K_INTEGER && int_literal(w, cond) > 0);
		while_counter(w, cond, lx);
		v->cond_body = ts_node_is_null(body) ? lp->span : ts_span(body);
	} else {
		TSNode right = ts_field_id(n, w->f.right);
		for_range(w, n, lx);
		lp = &w->b.ff->loops.items[idx];
		lp->is_async = ts_node_child_count(n) &&
			!strcmp(ts_node_type(ts_node_child(n, 0)), "async");
		if (!ts_node_is_null(right))
			lp->iter = ts_span(right);
	}
	return idx;
}

/* --- writes --- */

static bool is_state_name(struct walker *w, TSNode n)
{
	size_t l;
	const char *p = ts_wraw(&w->b, n, &l);
	return p && lang_is_state_field(p, l);
}

/* A string key that looks like state: d["status"]. Returns its content. */
static const char *state_key(struct walker *w, TSNode key, size_t *len)
{
	const char *p;

	if (ts_node_is_null(key) || kind_of(w, key) != K_STRING)
		return NULL;
	p = string_content(w, key, len);
	return p && lang_is_state_field(p, *len) ? p : NULL;
}

static void assign_one(struct walker *w, const struct ctx *c, TSNode lhs, TSNode rhs, TSNode at)
{
	const char *value = NULL, *value_text = NULL;
	enum kind k = kind_of(w, lhs);
	size_t l;
	const char *p;

	if (!ts_node_is_null(rhs)) {
		value = literal_value(w, rhs, NULL);
		value_text = ts_wtext(&w->b, rhs);
	}
	if (k == K_ATTRIBUTE) {
		TSNode attr = ts_field_id(lhs, w->f.attribute);
		if (!is_state_name(w, attr))
			return;
		ts_add_write(w->b.ff, where_of(c), WRITE_ATTR, callee_text(w, lhs),
			     ts_wtext(&w->b, attr), value, value_text, at, -1, false);
	} else if (k == K_SUBSCRIPT && (p = state_key(w, ts_field_id(lhs, w->f.subscript), &l))) {
		ts_add_write(w->b.ff, where_of(c), WRITE_KEY, ts_wtext(&w->b, lhs),
			     ts_wcopy(&w->b, p, l), value, value_text, at, -1, false);
	}
}

static void visit_assign(struct walker *w, TSNode n, enum kind k, const struct ctx *c)
{
	TSNode lhs = ts_field_id(n, w->f.left), rhs = ts_field_id(n, w->f.right);
	enum kind lk;

	if (ts_node_is_null(lhs))
		return;
	/* a = b.status = X: the value is the innermost right-hand side */
	for (int i = 0; i < MAX_CHAIN && !ts_node_is_null(rhs) && kind_of(w, rhs) == K_ASSIGN; i++)
		rhs = ts_field_id(rhs, w->f.right);
	lk = kind_of(w, lhs);
	if (k == K_AUGASSIGN && c->loop >= 0 && counter_like(w, lhs))
		w->lx.items[c->loop].counted = true;
	if (lk == K_PATTERN_LIST || lk == K_TUPLE_PATTERN) {
		size_t lb = ts_collect(&w->b, lhs, true), ln = w->b.scratch.len - lb, rb = w->b.scratch.len, rn = 0;
		if (!ts_node_is_null(rhs) &&
		    (kind_of(w, rhs) == K_EXPR_LIST || kind_of(w, rhs) == K_TUPLE)) {
			ts_collect(&w->b, rhs, true);
			rn = w->b.scratch.len - rb;
		}
		for (size_t i = 0; i < ln; i++)
			assign_one(w, c, ts_scratch_node(&w->b, lb + i),
				   rn == ln ? ts_scratch_node(&w->b, rb + i) : (TSNode){ 0 }, n);
		w->b.scratch.len = lb;
		return;
	}
	assign_one(w, c, lhs, rhs, n);
}

/* {"status": X} / {"type": "IDLE"} that is sent, returned or assigned. */
static void visit_dict(struct walker *w, TSNode n, const struct ctx *c)
{
	size_t base;

	if (c->dest == DEST_NONE)
		return;
	base = ts_collect(&w->b, n, true);
	for (size_t i = base; i < w->b.scratch.len; i++) {
		TSNode pair = ts_scratch_node(&w->b, i), key, val;
		const char *p, *target, *fld;
		size_t l;

		if (kind_of(w, pair) != K_PAIR)
			continue;
		key = ts_field_id(pair, w->f.key);
		val = ts_field_id(pair, w->f.value);
		if (ts_node_is_null(key) || kind_of(w, key) != K_STRING)
			continue;
		p = string_content(w, key, &l);
		if (!p || (!lang_is_state_field(p, l) && !lang_is_message_key(p, l)))
			continue;
		fld = ts_wcopy(&w->b, p, l);
		target = fld;
		switch (c->dest) {
		case DEST_CALL:
			ts_add_write(w->b.ff, where_of(c), WRITE_MESSAGE, target, fld,
				     literal_value(w, val, NULL), ts_wtext(&w->b, val), pair,
				     c->carrier, c->carrier >= 0);
			break;
		case DEST_RETURN:
			ts_add_write(w->b.ff, where_of(c), WRITE_RETURN, target, fld, literal_value(w, val, NULL),
				  ts_wtext(&w->b, val), pair, -1,
				  c->func >= 0 && w->b.ff->functions.items[c->func].ndecorators > 0);
			break;
		default:
			if (!ts_node_is_null(c->dest_left)) {
				const char *left = callee_text(w, c->dest_left);
				target = arena_printf(&w->b.ff->arena, "%s[\"%s\"]", left, fld);
			}
			ts_add_write(w->b.ff, where_of(c), WRITE_KEY, target, fld,
				     literal_value(w, val, NULL), ts_wtext(&w->b, val), pair, -1,
				     false);
			break;
		}
	}
	w->b.scratch.len = base;
}

/* --- SQL in strings --- */

static void visit_string(struct walker *w, TSNode n, enum kind k, TSNode parent,
			 const struct ctx *c)
{
	struct ts_sql_ctx sc = { &w->b, where_of(c), c->carrier, n };
	const char *p;
	size_t l;

	if (k == K_STRING && !ts_node_is_null(parent) && kind_of(w, parent) == K_CONCAT)
		return; /* scanned as part of the whole */
	if (k == K_CONCAT) {
		p = concat_content(w, n, 16 * 1024, &l);
		/* ts_sql_item copies what it keeps; the strbuf is only reused afterwards */
		{
			char *own = xstrndup(p, l);
			sql_scan(own, l, ts_sql_item, &sc);
			xfree(own);
		}
		return;
	}
	p = string_content(w, n, &l);
	if (p)
		sql_scan(p, l, ts_sql_item, &sc);
}

/* --- reads --- */

/*
 * Does `n` read a state-like field? Sets the target and field and returns
 * the read kind (READ_FILTER for `.get("status")`), or -1.
 */
static int state_target(struct walker *w, TSNode n, const char **target, const char **fld)
{
	size_t l;
	const char *p;

	if (ts_node_is_null(n))
		return -1;
	switch (kind_of(w, n)) {
	case K_ATTRIBUTE: {
		TSNode attr = ts_field_id(n, w->f.attribute);
		if (!is_state_name(w, attr))
			return -1;
		*target = callee_text(w, n);
		*fld = ts_wtext(&w->b, attr);
		return READ_COMPARE;
	}
	case K_SUBSCRIPT:
		p = state_key(w, ts_field_id(n, w->f.subscript), &l);
		if (!p)
			return -1;
		*target = ts_wtext(&w->b, n);
		*fld = ts_wcopy(&w->b, p, l);
		return READ_COMPARE;
	case K_IDENT:
		if (!is_state_name(w, n))
			return -1;
		*target = *fld = ts_wtext(&w->b, n);
		return READ_COMPARE;
	case K_CALL: {
		TSNode fn = ts_field_id(n, w->f.function), args = ts_field_id(n, w->f.arguments), a0;
		if (kind_of(w, fn) != K_ATTRIBUTE ||
		    !ts_text_eq(ts_field_id(fn, w->f.attribute), w->b.src, w->b.len, "get") ||
		    ts_node_is_null(args) || kind_of(w, args) != K_ARGLIST)
			return -1;
		a0 = ts_first_named(&w->b, args);
		p = state_key(w, a0, &l);
		if (!p)
			return -1;
		*target = ts_wtext(&w->b, n);
		*fld = ts_wcopy(&w->b, p, l);
		return READ_FILTER;
	}
	default:
		return -1;
	}
}

static void visit_comparison(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode operands[9];
	const char *ops[8];
	size_t no = 0, nops = 0, base = ts_collect(&w->b, n, false);

	for (size_t i = base; i < w->b.scratch.len && no < ARRAY_LEN(operands); i++) {
		TSNode ch = ts_scratch_node(&w->b, i);
		if (ts_node_is_named(ch)) {
			if (kind_of(w, ch) != K_COMMENT)
				operands[no++] = ch;
		} else if (nops < ARRAY_LEN(ops)) {
			ops[nops++] = ts_node_type(ch);
		}
	}
	w->b.scratch.len = base;
	for (size_t i = 0; i + 1 < no && i < nops; i++) {
		const char *op = ops[i], *target = NULL, *fld = NULL, *vals[MAX_VALUES];
		bool eq = !strcmp(op, "==") || !strcmp(op, "is");
		bool ne = !strcmp(op, "!=") || !strcmp(op, "is not") || !strcmp(op, "<>");
		bool in = !strcmp(op, "in"), notin = !strcmp(op, "not in");
		TSNode other = operands[i + 1];
		int kind;
		size_t nv;
		struct fact_read *r;

		if (!eq && !ne && !in && !notin)
			continue;
		kind = state_target(w, operands[i], &target, &fld);
		if (kind < 0 && (eq || ne)) {
			kind = state_target(w, operands[i + 1], &target, &fld);
			other = operands[i];
		}
		if (kind < 0)
			continue;
		nv = values_of(w, other, vals, MAX_VALUES);
		r = ts_add_read(w->b.ff, where_of(c), (in || notin) && kind == READ_COMPARE ? READ_MEMBERSHIP :
			     (enum read_kind)kind, target, fld, n);
		r->values = ts_list(w->b.ff, vals, nv);
		r->negated = ne || notin;
	}
}

/*
 * Truth tests of state fields in a condition (`if not w.busy`, `... if
 * w.available and not w.dead`): through `not`, `and`/`or` and parentheses
 * down to attributes and subscripts named like state (bare names are
 * locals, not shared state). Each becomes a read with the value "True" or
 * "False" and `truthiness` set.
 */
static void truth_reads(struct walker *w, const struct ctx *c, TSNode n, bool negated, int depth)
{
	const char *target = NULL, *fld = NULL, *val;
	struct fact_read *r;

	if (ts_node_is_null(n) || depth > 8)
		return;
	switch (kind_of(w, n)) {
	case K_NOT:
		truth_reads(w, c, ts_field_id(n, w->f.argument), !negated, depth + 1);
		return;
	case K_BOOLOP:
		truth_reads(w, c, ts_field_id(n, w->f.left), negated, depth + 1);
		truth_reads(w, c, ts_field_id(n, w->f.right), negated, depth + 1);
		return;
	case K_PAREN:
		truth_reads(w, c, ts_first_named(&w->b, n), negated, depth + 1);
		return;
	case K_ATTRIBUTE: case K_SUBSCRIPT:
		if (state_target(w, n, &target, &fld) != READ_COMPARE)
			return;
		val = negated ? "False" : "True";
		r = ts_add_read(w->b.ff, where_of(c), READ_COMPARE, target, fld, n);
		r->values = ts_list(w->b.ff, &val, 1);
		r->truthiness = true;
		return;
	default:
		return;
	}
}

/* The literal values a case pattern matches: `case Status.IDLE | "idle":`. */
static size_t case_values(struct walker *w, TSNode clause, const char **out, size_t max)
{
	size_t nv = 0, base = ts_collect(&w->b, clause, true);

	for (size_t i = base; i < w->b.scratch.len; i++) {
		TSNode cp = ts_scratch_node(&w->b, i), inner;
		if (kind_of(w, cp) != K_CASE_PATTERN)
			continue;
		inner = ts_first_named(&w->b, cp);
		if (ts_node_is_null(inner))
			continue;
		if (kind_of(w, inner) == K_UNION_PATTERN) {
			size_t ub = ts_collect(&w->b, inner, true);
			for (size_t j = ub; j < w->b.scratch.len && nv < max; j++) {
				TSNode alt = ts_scratch_node(&w->b, j);
				const char *v = kind_of(w, alt) == K_DOTTED ? ts_wtext(&w->b, alt) :
					literal_value(w, alt, NULL);
				if (v)
					out[nv++] = v;
			}
			w->b.scratch.len = ub;
		} else if (nv < max) {
			const char *v = kind_of(w, inner) == K_DOTTED ? ts_wtext(&w->b, inner) :
				literal_value(w, inner, NULL);
			if (v)
				out[nv++] = v;
		}
	}
	w->b.scratch.len = base;
	return nv;
}

static void visit_match(struct walker *w, TSNode n, const struct ctx *c)
{
	const char *target, *fld;
	TSNode body = ts_field_id(n, w->f.body);
	size_t base;

	if (state_target(w, ts_field_id(n, w->f.subject), &target, &fld) < 0 || ts_node_is_null(body))
		return;
	base = ts_collect(&w->b, body, true);
	for (size_t i = base; i < w->b.scratch.len; i++) {
		TSNode cl = ts_scratch_node(&w->b, i), cons;
		const char *vals[MAX_VALUES];
		size_t nv, keep = w->b.scratch.len;
		struct fact_read *r;

		if (kind_of(w, cl) != K_CASE)
			continue;
		nv = case_values(w, cl, vals, MAX_VALUES);
		w->b.scratch.len = keep;
		if (!nv)
			continue; /* case _: matches anything, reads nothing */
		r = ts_add_read(w->b.ff, where_of(c), READ_MATCH, target, fld, cl);
		r->values = ts_list(w->b.ff, vals, nv);
		r->selects = c->select || c->in_for;
		cons = ts_field_id(cl, w->f.consequence);
		r->body = ts_node_is_null(cons) ? r->span : ts_span(cons);
	}
	w->b.scratch.len = base;
}

/* --- imports --- */

static void add_import(struct walker *w, TSNode stmt, const char *module, const char *name,
		       const char *alias)
{
	struct fact_import *im = VEC_PUSH(&w->b.ff->imports);
	im->module = module;
	im->name = name;
	im->alias = alias;
	im->span = ts_span(stmt);
}

static void visit_import(struct walker *w, TSNode n, enum kind k)
{
	size_t base = ts_collect(&w->b, n, true);
	const char *module = k == K_FUTURE_IMPORT ? facts_str(w->b.ff, "__future__", 10) : NULL;

	if (k == K_IMPORT_FROM) {
		TSNode m = ts_field_id(n, w->f.module_name);
		module = ts_node_is_null(m) ? facts_str(w->b.ff, "", 0) : ts_wtext(&w->b, m);
	}
	for (size_t i = base; i < w->b.scratch.len; i++) {
		TSNode ch = ts_scratch_node(&w->b, i);
		enum kind ck = kind_of(w, ch);
		const char *name, *alias;

		if (ck == K_WILDCARD_IMPORT) {
			add_import(w, n, module, facts_str(w->b.ff, "*", 1), NULL);
			continue;
		}
		if (w->b.scratch.items[i].field != w->f.name)
			continue;
		if (ck == K_ALIASED_IMPORT) {
			name = ts_wtext(&w->b, ts_field_id(ch, w->f.name));
			alias = ts_wtext(&w->b, ts_field_id(ch, w->f.alias));
		} else {
			name = ts_wtext(&w->b, ch);
			alias = name;
			if (k == K_IMPORT) {
				/* `import a.b` binds `a` */
				const char *dot = strchr(name, '.');
				if (dot)
					alias = facts_str(w->b.ff, name, (size_t)(dot - name));
			}
		}
		if (k == K_IMPORT)
			add_import(w, n, name, NULL, alias);
		else
			add_import(w, n, module, name, alias);
	}
	w->b.scratch.len = base;
}

/* --- the walk --- */

static void visit(struct walker *w, TSNode node, TSNode parent, enum kind k,
		  const struct ctx *c, struct visit *v)
{
	struct file_facts *ff = w->b.ff;

	switch (k) {
	case K_IMPORT: case K_IMPORT_FROM: case K_FUTURE_IMPORT:
		visit_import(w, node, k);
		break;
	case K_FUNCDEF:
		v->func = visit_function(w, node, parent, c);
		dataflow_params(w, v->func, node);
		break;
	case K_CLASSDEF: {
		TSNode name = ts_field_id(node, w->f.name);
		v->cls = ts_node_is_null(name) ? NULL : ts_wtext(&w->b, name);
		w->pending.len = 0;
		break;
	}
	case K_CALL:
		v->call = visit_call(w, node, parent, c, v);
		break;
	case K_TRY:
		v->try_first = visit_try(w, node, c);
		break;
	case K_FOR: case K_WHILE:
		v->loop = visit_loop(w, node, k, c, v);
		if (k == K_FOR)
			dataflow_for(w, node, v->loop, c);
		break;
	case K_IF: case K_ELIF: {
		TSNode cons = ts_field_id(node, w->f.consequence);
		v->cond_body = ts_span(ts_node_is_null(cons) ? node : cons);
		{
			/* the condition's context, as derive() gives it */
			struct ctx cc = *c;
			cc.has_cond = true;
			cc.cond_body = v->cond_body;
			cc.select = c->select || c->in_for;
			truth_reads(w, &cc, ts_field_id(node, w->f.condition), false, 0);
		}
		break;
	}
	case K_IF_CLAUSE:
		truth_reads(w, c, ts_first_named(&w->b, node), false, 0);
		break;
	case K_LISTCOMP: case K_SETCOMP: case K_DICTCOMP: case K_GENEXP:
		v->cond_body = ts_span(node);
		break;
	case K_RAISE: case K_RETURN: case K_CONTINUE: case K_BREAK: {
		enum kind ek = k;
		ts_note_exit(ff, w->hx.items, ek == K_RAISE ? TS_EXIT_RAISE : ek == K_RETURN ? TS_EXIT_RETURN :
			     ek == K_CONTINUE ? TS_EXIT_CONTINUE : TS_EXIT_BREAK,
			     c->handler_direct, c->handler_nl, c->exit_try);
		break;
	}
	case K_ASSIGN: case K_AUGASSIGN:
		visit_assign(w, node, k, c);
		dataflow_assign(w, node, k, c);
		break;
	case K_DICT:
		visit_dict(w, node, c);
		break;
	case K_STRING: case K_CONCAT:
		visit_string(w, node, k, parent, c);
		break;
	case K_COMPARISON:
		visit_comparison(w, node, c);
		break;
	case K_MATCH:
		visit_match(w, node, c);
		break;
	default:
		break;
	}
}

/* The context of a child of a node of kind `pk`, from the node's own context. */
static void derive(const struct walker *w, struct ctx *c, const struct ctx *b, enum kind pk,
		   TSFieldId fid, enum kind ck, struct visit *v)
{
	*c = *b;
	c->awaited = false;
	c->handler_block = -1;
	c->handler_direct = -1;
	c->parent_kind = (unsigned char)pk;

	switch (pk) {
	case K_AWAIT:
		c->awaited = true;
		break;
	case K_CALL:
		if (fid == w->f.arguments) {
			c->carrier = b->carrier >= 0 ? b->carrier : v->call;
			c->dest = DEST_CALL;
			c->select = b->select || v->select_call;
		}
		break;
	case K_RETURN:
		c->in_return = true;
		c->dest = DEST_RETURN;
		break;
	case K_FUNCDEF:
		if (fid == w->f.body) {
			c->func = v->func;
			c->handler = c->handler_nl = c->loop = c->guard = c->exit_try = -1;
			c->carrier = -1;
			c->cls = NULL;
			c->dest = DEST_NONE;
			c->has_cond = c->select = c->in_for = c->in_return = false;
		}
		break;
	case K_LAMBDA:
		if (fid == w->f.body) {
			c->in_return = false;
			c->carrier = -1;
			c->dest = DEST_NONE;
		}
		break;
	case K_CLASSDEF:
		if (fid == w->f.body)
			c->cls = v->cls;
		break;
	case K_TRY:
		if (v->try_first < 0)
			break;
		if (fid == w->f.body) {
			c->guard = c->exit_try = v->try_first;
		} else if (ck == K_ELSE) {
			c->exit_try = v->try_first;
		} else if (ck == K_EXCEPT || ck == K_FINALLY) {
			c->handler = c->handler_nl = v->try_first + v->clause_ord++;
		}
		break;
	case K_EXCEPT: case K_FINALLY:
		if (ck == K_BLOCK)
			c->handler_block = b->handler;
		break;
	case K_BLOCK:
		c->handler_direct = b->handler_block;
		c->has_cond = c->select = c->in_return = false;
		c->carrier = -1;
		c->dest = DEST_NONE;
		break;
	case K_FOR: case K_WHILE:
		if (fid == w->f.body) {
			c->loop = v->loop;
			c->handler_nl = c->exit_try = -1;
			c->in_for = c->in_for || pk == K_FOR;
		} else if (fid == w->f.condition) {
			c->has_cond = true;
			c->cond_body = v->cond_body;
		}
		break;
	case K_IF: case K_ELIF:
		if (fid == w->f.condition) {
			c->has_cond = true;
			c->cond_body = v->cond_body;
			c->select = b->select || b->in_for;
		}
		break;
	case K_LISTCOMP: case K_SETCOMP: case K_DICTCOMP: case K_GENEXP:
		if (ck == K_IF_CLAUSE) {
			c->has_cond = c->select = true;
			c->cond_body = v->cond_body;
		}
		break;
	case K_ASSIGN:
		if (fid == w->f.right) {
			c->dest = DEST_ASSIGN; /* dest_left is set by walk(), which has the node */
		}
		break;
	default:
		break;
	}
}

/*
 * Enter the node under the traversal cursor: derive its context from its
 * parent's level and visit it. Anonymous tokens and comments get a level
 * too (it keeps depth == cursor depth) but are neither visited nor entered.
 */
static bool enter(void *user, TSTreeCursor *cur)
{
	struct walker *w = user;
	size_t p = w->levels.len - 1;
	struct level *lv = VEC_PUSH(&w->levels);
	struct level *pl = &w->levels.items[p];
	TSFieldId fid = ts_tree_cursor_current_field_id(cur);

	lv->node = ts_tree_cursor_current_node(cur);
	lv->kind = (unsigned char)kind_of(w, lv->node);
	if (!ts_node_is_named(lv->node) || lv->kind == K_COMMENT) {
		lv->skip = true;
		return false;
	}
	lv->v = (struct visit){ .call = -1, .func = -1, .loop = -1, .try_first = -1 };
	derive(w, &lv->ctx, &pl->ctx, (enum kind)pl->kind, fid, (enum kind)lv->kind, &pl->v);
	if (pl->kind == K_ASSIGN && fid == w->f.right)
		lv->ctx.dest_left = ts_field_id(pl->node, w->f.left);
	visit(w, lv->node, pl->node, (enum kind)lv->kind, &lv->ctx, &lv->v);
	return !w->levels.items[w->levels.len - 1].skip;
}

/* One pre-order pass with a single cursor; `levels` mirrors the cursor's path. */
static void leave(void *user)
{
	((struct walker *)user)->levels.len--;
}

static void walk(struct walker *w, TSNode root)
{
	struct level *top = VEC_PUSH(&w->levels);

	top->node = root;
	top->kind = (unsigned char)kind_of(w, root);
	top->ctx.func = top->ctx.handler = top->ctx.handler_nl = -1;
	top->ctx.handler_block = top->ctx.handler_direct = -1;
	top->ctx.loop = top->ctx.guard = top->ctx.exit_try = top->ctx.carrier = -1;
	top->v = (struct visit){ .call = -1, .func = -1, .loop = -1, .try_first = -1 };
	visit(w, root, (TSNode){ 0 }, (enum kind)top->kind, &top->ctx, &top->v);

	ts_walk(w->b.ff, root, !w->levels.items[0].skip, enter, leave, w);
}

/*
 * Node kinds by grammar symbol, computed once: the symbol table is the
 * grammar's and never changes. Allocated once and kept for the process.
 */
static unsigned char *kinds;
static uint32_t nkinds;
static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;

static void init_kinds(void)
{
	nkinds = ts_kind_table(tree_sitter_python(), kind_names, ARRAY_LEN(kind_names), &kinds);
}

static void walker_init(struct walker *w, struct file_facts *ff, const char *src, size_t len,
			const TSLanguage *lang, TSNode root)
{
	memset(w, 0, sizeof(*w));
	strbuf_init(&w->sb);
	pthread_once(&kinds_once, init_kinds);
	ts_walker_init(&w->b, ff, src, len, kinds, nkinds, root);
#define FIELD(x) w->f.x = ts_language_field_id_for_name(lang, #x, (uint32_t)strlen(#x))
	FIELD(name); FIELD(alias); FIELD(module_name); FIELD(body); FIELD(function);
	FIELD(arguments); FIELD(object); FIELD(attribute); FIELD(value); FIELD(key);
	FIELD(left); FIELD(right); FIELD(condition); FIELD(consequence); FIELD(subject);
	FIELD(definition); FIELD(subscript); FIELD(argument);
#undef FIELD
}

static void walker_release(struct walker *w)
{
	ts_walker_release(&w->b);
	VEC_FREE(&w->levels);
	VEC_FREE(&w->hx);
	VEC_FREE(&w->lx);
	VEC_FREE(&w->pending);
	strbuf_release(&w->sb);
}

/* --- parsing --- */

int python_extract(const char *src, size_t len, struct file_facts *ff)
{
	const TSLanguage *lang = tree_sitter_python();
	TSTree *tree;
	struct walker w;
	TSNode root;

	if (ts_file_begin(ff, src, len))
		return -1;
	if (ts_file_parse(lang, "python", src, len, ff, &tree))
		return -1;
	root = ts_tree_root_node(tree);
	walker_init(&w, ff, src, len, lang, root);
	walk(&w, root);
	ts_find_retries(ff, w.hx.items, w.lx.items, TS_ITER_AS_WHILE);
	walker_release(&w);
	ts_collect_consts(ff, tree, src, len);
	ts_tree_delete(tree);
	return 0;
}
