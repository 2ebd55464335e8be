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


struct child {
	TSNode node;
	TSFieldId field;
};

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

/* Per-handler facts that only the retry pass needs. */
struct hextra {
	int try_first;
	bool direct_exit; /* a direct break or return in the clause */
	bool try_exits;   /* the try body (or else) breaks out of / returns from the loop */
};

/* Per-loop facts that only the retry pass needs. */
struct lextra {
	bool is_range;    /* for ... in range(...) */
	bool counted;     /* a retry counter: range(N) literal, counter-like names */
	int attempts;
	bool retry_done;
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
	struct file_facts *ff;
	const char *src;
	size_t len;
	const unsigned char *kinds;
	uint32_t nkinds;
	struct field_ids f;
	TSTreeCursor cur;
	VEC(struct child) scratch; /* a stack of child lists; see collect() */
	VEC(struct level) levels; /* the traversal's path from the root */
	VEC(struct hextra) hx;
	VEC(struct lextra) lx;
	VEC(struct pending_decorator) pending;
	struct strbuf sb;
	uint32_t blk_start[64]; /* AP-2: block_exits() cache, by block start byte */
	signed char blk_exits[64];
};

static enum kind kind_of(const struct walker *w, TSNode n)
{
	TSSymbol s;

	if (ts_node_is_null(n))
		return K_OTHER;
	s = ts_node_symbol(n);
	return s < w->nkinds ? (enum kind)w->kinds[s] : K_OTHER;
}

static TSNode field(TSNode n, TSFieldId id)
{
	if (ts_node_is_null(n) || !id)
		return (TSNode){ 0 };
	return ts_node_child_by_field_id(n, id);
}

/*
 * Append the children of `n` (named only, comments skipped, when `named`)
 * to the scratch stack and return where they start. The caller reads them
 * by index (nested collect() calls may move the array) and truncates
 * scratch.len back to the returned base when done.
 */
static size_t collect(struct walker *w, TSNode n, bool named)
{
	size_t base = w->scratch.len;

	ts_tree_cursor_reset(&w->cur, n);
	if (!ts_tree_cursor_goto_first_child(&w->cur))
		return base;
	do {
		TSNode c = ts_tree_cursor_current_node(&w->cur);
		struct child *ch;
		if (named && (!ts_node_is_named(c) || kind_of(w, c) == K_COMMENT))
			continue;
		ch = VEC_PUSH(&w->scratch);
		ch->node = c;
		ch->field = ts_tree_cursor_current_field_id(&w->cur);
	} while (ts_tree_cursor_goto_next_sibling(&w->cur));
	return base;
}

static TSNode scratch_node(const struct walker *w, size_t i)
{
	return w->scratch.items[i].node;
}

static TSNode first_named(struct walker *w, TSNode n)
{
	size_t base = collect(w, n, true);
	TSNode r = base < w->scratch.len ? scratch_node(w, base) : (TSNode){ 0 };
	w->scratch.len = base;
	return r;
}

static const char *text(struct walker *w, TSNode n)
{
	return ts_text(w->ff, n, w->src, w->len);
}

static const char *raw(struct walker *w, TSNode n, size_t *len)
{
	return ts_text_ptr(n, w->src, w->len, len);
}

/* The bytes between a string's quotes (f-string interpolations kept as written). */
static const char *string_content(struct walker *w, TSNode n, size_t *len)
{
	uint32_t nc = ts_node_child_count(n), start, end;
	TSNode first, last;

	*len = 0;
	if (nc < 2)
		return raw(w, n, len);
	first = ts_node_child(n, 0);
	last = ts_node_child(n, nc - 1);
	start = kind_of(w, first) == K_STRING_START ? ts_node_end_byte(first) : ts_node_start_byte(n);
	end = kind_of(w, last) == K_STRING_END ? ts_node_start_byte(last) : ts_node_end_byte(n);
	if (end < start || end > w->len)
		return NULL;
	*len = end - start;
	return w->src + start;
}

static const char *copy(struct walker *w, const char *p, size_t n)
{
	return facts_str(w->ff, p ? p : "", p ? (n > TS_TEXT_MAX ? TS_TEXT_MAX : n) : 0);
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
		n = field(n, w->f.object);
	}
	return false;
}

/* A string's content of a concatenated string ("a" "b" -> ab), capped. */
static const char *concat_content(struct walker *w, TSNode n, size_t cap, size_t *len)
{
	size_t base = collect(w, n, true);

	strbuf_reset(&w->sb);
	for (size_t i = base; i < w->scratch.len && w->sb.len < cap; i++) {
		size_t l;
		const char *p = string_content(w, scratch_node(w, i), &l);
		if (p)
			strbuf_add(&w->sb, p, l > cap - w->sb.len ? cap - w->sb.len : l);
	}
	w->scratch.len = base;
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
		return p ? copy(w, p, l) : NULL;
	case K_CONCAT:
		if (is_string)
			*is_string = true;
		p = concat_content(w, n, TS_TEXT_MAX, &l);
		return copy(w, p, l);
	case K_INTEGER: case K_FLOAT: case K_TRUE: case K_FALSE: case K_NONE:
		return text(w, n);
	case K_UNARY: {
		enum kind k = kind_of(w, field(n, w->f.argument));
		return k == K_INTEGER || k == K_FLOAT ? text(w, n) : NULL;
	}
	case K_ATTRIBUTE:
		return is_dotted(w, n) ? text(w, n) : NULL;
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
	TSNode chain[MAX_CHAIN];
	int depth = 0;
	size_t l;
	const char *p;

	while (depth < MAX_CHAIN && !ts_node_is_null(n)) {
		enum kind k = kind_of(w, n);
		TSNode next;
		if (k == K_ATTRIBUTE)
			next = field(n, w->f.object);
		else if (k == K_CALL)
			next = field(n, w->f.function);
		else if (k == K_SUBSCRIPT)
			next = field(n, w->f.value);
		else
			break;
		if (ts_node_is_null(next))
			break;
		chain[depth++] = n;
		n = next;
	}
	strbuf_reset(&w->sb);
	p = raw(w, n, &l);
	if (p)
		strbuf_add(&w->sb, p, l > TS_TEXT_MAX ? TS_TEXT_MAX : l);
	while (depth-- > 0 && w->sb.len < TS_TEXT_MAX) {
		TSNode c = chain[depth];
		switch (kind_of(w, c)) {
		case K_ATTRIBUTE:
			strbuf_addch(&w->sb, '.');
			p = raw(w, field(c, w->f.attribute), &l);
			if (p)
				strbuf_add(&w->sb, p, l > TS_TEXT_MAX ? TS_TEXT_MAX : l);
			break;
		case K_CALL:
			strbuf_addstr(&w->sb, "()");
			break;
		default:
			strbuf_addstr(&w->sb, "[]");
			break;
		}
	}
	return copy(w, w->sb.buf, w->sb.len);
}

static struct strlist make_list(struct walker *w, const char **items, size_t n)
{
	struct strlist l = { NULL, n };
	if (n) {
		l.items = arena_alloc(&w->ff->arena, n * sizeof(*l.items));
		memcpy(l.items, items, n * sizeof(*items));
	}
	return l;
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
		n = first_named(w, n);
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
	base = collect(w, n, true);
	for (size_t i = base; i < w->scratch.len && nv < max; i++) {
		const char *v = literal_value(w, scratch_node(w, i), NULL);
		if (v)
			out[nv++] = v;
	}
	w->scratch.len = base;
	return nv;
}

/* --- arguments and calls --- */

static void fill_arg(struct walker *w, struct fact_arg *a, TSNode n)
{
	if (kind_of(w, n) == K_KWARG) {
		a->name = text(w, field(n, w->f.name));
		n = field(n, w->f.value);
		if (ts_node_is_null(n))
			return;
	}
	a->value = literal_value(w, n, &a->is_string);
	a->text = text(w, n);
}

static struct fact_arg *make_args(struct walker *w, TSNode args, size_t *nargs)
{
	struct fact_arg *out;
	size_t base, n;

	*nargs = 0;
	if (ts_node_is_null(args))
		return NULL;
	if (kind_of(w, args) == K_GENEXP) {
		out = arena_alloc(&w->ff->arena, sizeof(*out));
		out->text = text(w, args);
		*nargs = 1;
		return out;
	}
	base = collect(w, args, true);
	n = w->scratch.len - base;
	if (n > MAX_ARGS)
		n = MAX_ARGS;
	out = n ? arena_alloc(&w->ff->arena, n * sizeof(*out)) : NULL;
	for (size_t i = 0; i < n; i++)
		fill_arg(w, &out[i], scratch_node(w, base + i));
	w->scratch.len = base;
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

static void add_write(struct walker *w, const struct ctx *c, enum write_kind kind,
		      const char *target, const char *fld, const char *value,
		      const char *value_text, TSNode at, int call, bool crosses)
{
	struct fact_write *wr = VEC_PUSH(&w->ff->writes);

	wr->kind = kind;
	wr->target = target;
	wr->field = fld;
	wr->value = value;
	wr->value_text = value_text;
	wr->span = ts_span(at);
	wr->func = c->func;
	wr->handler = c->handler;
	wr->call = call;
	wr->crosses = crosses;
}

static struct fact_read *add_read(struct walker *w, const struct ctx *c, enum read_kind kind,
				  const char *target, const char *fld, TSNode at)
{
	struct fact_read *r = VEC_PUSH(&w->ff->reads);

	r->kind = kind;
	r->target = target;
	r->field = fld;
	r->span = ts_span(at);
	r->func = c->func;
	r->selects = c->select;
	r->body = c->has_cond ? c->cond_body : r->span;
	return r;
}

/* Keyword arguments named like state: update(status=...) writes, filter(status=...) reads. */
static void call_kwargs(struct walker *w, const struct ctx *c, int call, TSNode args,
			const char *method)
{
	bool filter = is_filter_method(method);
	size_t base;

	if (ts_node_is_null(args) || kind_of(w, args) != K_ARGLIST)
		return;
	base = collect(w, args, true);
	for (size_t i = base; i < w->scratch.len; i++) {
		TSNode kw = scratch_node(w, i), name, value;
		const char *p, *sep;
		size_t l;

		if (kind_of(w, kw) != K_KWARG)
			continue;
		name = field(kw, w->f.name);
		value = field(kw, w->f.value);
		p = raw(w, name, &l);
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
			struct fact_read *r = add_read(w, c, READ_FILTER, copy(w, p, l),
						       copy(w, p, sep ? (size_t)(sep - p) : l), kw);
			r->values = make_list(w, vals, nv);
			r->negated = !strcmp(method, "exclude") ||
				     (sep && !strncmp(sep, "__ne", 4));
			r->selects = true;
			r->body = w->ff->calls.items[call].span;
		} else {
			add_write(w, c, WRITE_KWARG, copy(w, p, l), copy(w, p, l),
				  literal_value(w, value, NULL), text(w, value), kw, call, false);
		}
	}
	w->scratch.len = base;
}

/* --- data flow for payload tracing (AP-2): names used, names bound --- */

#define NAMES_BUDGET 512 /* nodes looked at per expression */

static bool name_seen(const char **out, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(out[i], s))
			return true;
	return false;
}

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
			s = text(w, x);
			if (!name_seen(out, *n, s))
				out[(*n)++] = s;
			continue;
		case K_ATTRIBUTE:
			if (is_dotted(w, x)) {
				s = callee_text(w, x);
				if (!name_seen(out, *n, s))
					out[(*n)++] = s;
			} else if (sp < ARRAY_LEN(stack)) {
				stack[sp++] = field(x, w->f.object);
			}
			continue;
		case K_CALL:
			fn = field(x, w->f.function);
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(field(x, w->f.arguments)))
				stack[sp++] = field(x, w->f.arguments);
			if (sp < ARRAY_LEN(stack) && kind_of(w, fn) == K_ATTRIBUTE)
				stack[sp++] = field(fn, w->f.object);
			else if (sp < ARRAY_LEN(stack) && kind_of(w, fn) != K_IDENT && !ts_node_is_null(fn))
				stack[sp++] = fn;
			continue;
		case K_KWARG:
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(field(x, w->f.value)))
				stack[sp++] = field(x, w->f.value);
			continue;
		case K_LAMBDA:
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(field(x, w->f.body)))
				stack[sp++] = field(x, w->f.body);
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

/* Does the block end by leaving it (return, continue, break, raise)? Cached per block. */
static bool block_exits(struct walker *w, TSNode block)
{
	uint32_t start = ts_node_start_byte(block), slot = start % ARRAY_LEN(w->blk_start);
	uint32_t nc;
	bool exits = false;

	if (w->blk_exits[slot] && w->blk_start[slot] == start)
		return w->blk_exits[slot] > 0;
	nc = ts_node_named_child_count(block);
	for (uint32_t i = nc; i > 0; i--) {
		TSNode last = ts_node_named_child(block, i - 1);
		enum kind k = kind_of(w, last);
		if (k == K_COMMENT)
			continue;
		exits = k == K_RETURN || k == K_CONTINUE || k == K_BREAK || k == K_RAISE;
		break;
	}
	w->blk_start[slot] = start;
	w->blk_exits[slot] = exits ? 1 : -1;
	return exits;
}

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
		names_in(w, field(fn, w->f.object), names, &nn, FACT_MAX_NAMES);
	else if (kind_of(w, fn) != K_IDENT)
		names_in(w, fn, names, &nn, FACT_MAX_NAMES);
	names_in(w, args, names, &nn, FACT_MAX_NAMES);
	call = &w->ff->calls.items[idx];
	call->names = make_list(w, names, nn);

	/* the innermost block, and whether it is a branch */
	for (size_t i = top, steps = 0; i > 0 && steps < 256; i--, steps++) {
		const struct level *lv = &w->levels.items[i];
		enum kind k = (enum kind)lv->kind, pk;
		if (k == K_FUNCDEF || k == K_CLASSDEF || k == K_LAMBDA)
			break;
		if (k != K_BLOCK)
			continue;
		call->block = ts_span(lv->node);
		call->block_exits = block_exits(w, lv->node);
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
			for (size_t b = w->ff->bindings.len; b > 0; b--) {
				struct fact_binding *bd = &w->ff->bindings.items[b - 1];
				if (bd->kind != BIND_ASSIGN || memcmp(&bd->span, &as, sizeof(as)))
					break;
				if (bd->call < 0)
					bd->call = idx;
			}
		} else if (w->levels.items[p].kind == K_FOR && w->levels.items[p].v.loop >= 0) {
			int loop = w->levels.items[p].v.loop;
			for (size_t b = w->ff->bindings.len; b > 0; b--) {
				struct fact_binding *bd = &w->ff->bindings.items[b - 1];
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
	struct fact_binding *b = VEC_PUSH(&w->ff->bindings);
	b->kind = kind;
	b->name = name;
	b->call = -1;
	b->names = make_list(w, names, nn);
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
			add_binding(w, kind, k == K_IDENT ? text(w, x) : callee_text(w, x), func, loop,
				    pos++, at, names, nn);
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
	TSNode lhs = field(n, w->f.left), rhs = field(n, w->f.right);
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
	TSNode lhs = field(n, w->f.left), rhs = field(n, w->f.right);
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
			TSNode nm = field(p, w->f.name);
			if (ts_node_is_null(nm))
				nm = ts_node_named_child(p, 0); /* typed_parameter, *args, **kw */
			id = nm;
			if (!ts_node_is_null(id) && kind_of(w, id) != K_IDENT)
				id = ts_node_named_child(id, 0);
		}
		if (ts_node_is_null(id) || kind_of(w, id) != K_IDENT)
			continue;
		add_binding(w, BIND_PARAM, text(w, id), func, -1, pos++, ts_span(p), NULL, 0);
	}
}

static int visit_call(struct walker *w, TSNode n, TSNode parent, const struct ctx *c,
		      struct visit *v)
{
	TSNode fn = field(n, w->f.function), args = field(n, w->f.arguments);
	int idx = (int)w->ff->calls.len;
	struct fact_call *call = VEC_PUSH(&w->ff->calls);
	const char *callee;

	callee = callee_text(w, fn);
	call = &w->ff->calls.items[idx]; /* callee_text does not push, but stay safe */
	call->callee = callee;
	call->method = kind_of(w, fn) == K_ATTRIBUTE ?
		text(w, field(fn, w->f.attribute)) : callee;
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
		call = &w->ff->calls.items[idx];
		call->args = a;
		call->nargs = nargs;
	}
	if (c->parent_kind == K_DECORATOR) {
		struct pending_decorator *pd = VEC_PUSH(&w->pending);
		pd->start = ts_node_start_byte(parent);
		pd->call = idx;
	}
	v->select_call = is_select_call(w->ff->calls.items[idx].method);
	call_kwargs(w, c, idx, args, w->ff->calls.items[idx].method);
	dataflow_call(w, idx, fn, args, c);
	return idx;
}

/* --- functions and classes --- */

static void fill_decorators(struct walker *w, struct fact_function *fnf, TSNode decorated)
{
	size_t base = collect(w, decorated, true), n = 0, k = 0;

	for (size_t i = base; i < w->scratch.len; i++)
		n += kind_of(w, scratch_node(w, i)) == K_DECORATOR;
	if (!n) {
		w->scratch.len = base;
		return;
	}
	fnf->decorators = arena_alloc(&w->ff->arena, n * sizeof(*fnf->decorators));
	fnf->ndecorators = n;
	for (size_t i = base; i < w->scratch.len && k < n; i++) {
		TSNode d = scratch_node(w, i), e;
		struct fact_decorator *fd;

		if (kind_of(w, d) != K_DECORATOR)
			continue;
		fd = &fnf->decorators[k++];
		fd->span = ts_span(d);
		fd->call = -1;
		e = first_named(w, d);
		if (ts_node_is_null(e)) {
			fd->name = text(w, d);
			continue;
		}
		if (kind_of(w, e) != K_CALL) {
			fd->name = callee_text(w, e);
			continue;
		}
		fd->name = callee_text(w, field(e, w->f.function));
		for (size_t j = 0; j < w->pending.len; j++) {
			if (w->pending.items[j].start != ts_node_start_byte(d))
				continue;
			fd->call = w->pending.items[j].call;
			fd->args = w->ff->calls.items[fd->call].args;
			fd->nargs = w->ff->calls.items[fd->call].nargs;
		}
	}
	w->scratch.len = base;
}

static int visit_function(struct walker *w, TSNode n, TSNode parent, const struct ctx *c)
{
	int idx = (int)w->ff->functions.len;
	struct fact_function *fnf = VEC_PUSH(&w->ff->functions);
	TSNode name = field(n, w->f.name);

	fnf->name = ts_node_is_null(name) ? facts_str(w->ff, "", 0) : text(w, name);
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
	TSNode v = field(clause, w->f.value), alias = field(clause, w->f.alias);
	const char *types[MAX_ARGS];
	size_t nt = 0;

	if (ts_node_is_null(v)) {
		/* older grammars leave the type unnamed: the first named non-block child */
		TSNode f = first_named(w, clause);
		if (!ts_node_is_null(f) && kind_of(w, f) != K_BLOCK)
			v = f;
	}
	if (!ts_node_is_null(v) && kind_of(w, v) == K_AS_PATTERN) {
		TSNode a = field(v, w->f.alias);
		if (!ts_node_is_null(a))
			alias = a;
		v = first_named(w, v);
	}
	if (!ts_node_is_null(alias))
		h->var = text(w, alias);
	if (ts_node_is_null(v))
		return;
	if (kind_of(w, v) == K_PAREN) {
		TSNode inner = first_named(w, v);
		if (!ts_node_is_null(inner))
			v = inner;
	}
	if (kind_of(w, v) == K_TUPLE || kind_of(w, v) == K_EXPR_LIST) {
		size_t base = collect(w, v, true);
		for (size_t i = base; i < w->scratch.len && nt < MAX_ARGS; i++)
			types[nt++] = text(w, scratch_node(w, i));
		w->scratch.len = base;
	} else {
		types[nt++] = text(w, v);
	}
	h->types = make_list(w, types, nt);
}

static int visit_try(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode body = field(n, w->f.body);
	size_t base = collect(w, n, true);
	int first = (int)w->ff->handlers.len;

	for (size_t i = base; i < w->scratch.len; i++) {
		TSNode cl = scratch_node(w, i);
		enum kind k = kind_of(w, cl);
		struct fact_handler *h;
		struct hextra *x;

		if (k != K_EXCEPT && k != K_FINALLY)
			continue;
		h = VEC_PUSH(&w->ff->handlers);
		h->kind = k == K_EXCEPT ? HANDLER_EXCEPT : HANDLER_FINALLY;
		h->span = ts_span(cl);
		h->guarded = ts_node_is_null(body) ? h->span : ts_span(body);
		h->cls = FAIL_UNKNOWN;
		h->func = c->func;
		h->loop = c->loop;
		x = VEC_PUSH(&w->hx);
		x->try_first = first;
		if (k == K_EXCEPT) {
			size_t keep = w->scratch.len;
			handler_types(w, &w->ff->handlers.items[w->ff->handlers.len - 1], cl);
			w->scratch.len = keep;
		}
	}
	w->scratch.len = base;
	return (int)w->ff->handlers.len > first ? first : -1;
}

/* The last identifier of `a`, `self.attempts`, or NULL. */
static const char *name_tail(struct walker *w, TSNode n, size_t *len)
{
	if (ts_node_is_null(n))
		return NULL;
	if (kind_of(w, n) == K_ATTRIBUTE)
		n = field(n, w->f.attribute);
	if (ts_node_is_null(n) || kind_of(w, n) != K_IDENT)
		return NULL;
	return raw(w, n, len);
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
	p = raw(w, n, &l);
	for (size_t i = 0; p && i < l && i < 9; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* for x in range(...): is it a bounded attempt loop, and how many? */
static void for_range(struct walker *w, TSNode n, struct lextra *lx)
{
	TSNode right = field(n, w->f.right), args;
	size_t base, na;
	long a = -1, b = -1;

	if (ts_node_is_null(right) || kind_of(w, right) != K_CALL ||
	    !ts_text_eq(field(right, w->f.function), w->src, w->len, "range"))
		return;
	lx->is_range = true;
	lx->counted = counter_like(w, field(n, w->f.left));
	args = field(right, w->f.arguments);
	if (ts_node_is_null(args))
		return;
	base = collect(w, args, true);
	na = w->scratch.len - base;
	for (size_t i = base; i < w->scratch.len; i++)
		lx->counted |= counter_like(w, scratch_node(w, i));
	if (na >= 1)
		a = int_literal(w, scratch_node(w, base));
	if (na >= 2)
		b = int_literal(w, scratch_node(w, base + 1));
	w->scratch.len = base;
	if (na == 1 && a >= 0)
		lx->attempts = (int)a;
	else if (na == 2 && a >= 0 && b >= a)
		lx->attempts = (int)(b - a);
	if (lx->attempts >= 0)
		lx->counted = true;
}

/* while attempt < 5: a counted loop (attempts known for a literal `<`). */
static void while_counter(struct walker *w, TSNode cond, struct lextra *lx)
{
	size_t base;
	TSNode lhs = { 0 }, rhs = { 0 };
	const char *op = NULL;

	if (ts_node_is_null(cond) || kind_of(w, cond) != K_COMPARISON)
		return;
	base = collect(w, cond, false);
	if (w->scratch.len - base == 3) {
		lhs = scratch_node(w, base);
		op = ts_node_type(scratch_node(w, base + 1));
		rhs = scratch_node(w, base + 2);
	}
	w->scratch.len = base;
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
	int idx = (int)w->ff->loops.len;
	struct fact_loop *lp = VEC_PUSH(&w->ff->loops);
	struct lextra *lx = VEC_PUSH(&w->lx);
	TSNode body = field(n, w->f.body);

	lp->span = ts_span(n);
	lp->func = c->func;
	lp->parent = c->loop;
	lx->attempts = -1;
	if (k == K_WHILE) {
		TSNode cond = field(n, w->f.condition);
		enum kind ck = ts_node_is_null(cond) ? K_OTHER : kind_of(w, cond);
		lp->infinite = ck == K_TRUE || (ck == K_INTEGER && int_literal(w, cond) > 0);
		while_counter(w, cond, lx);
		v->cond_body = ts_node_is_null(body) ? lp->span : ts_span(body);
	} else {
		TSNode right = field(n, w->f.right);
		for_range(w, n, lx);
		lp = &w->ff->loops.items[idx];
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
	const char *p = raw(w, n, &l);
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
		value_text = text(w, rhs);
	}
	if (k == K_ATTRIBUTE) {
		TSNode attr = field(lhs, w->f.attribute);
		if (!is_state_name(w, attr))
			return;
		add_write(w, c, WRITE_ATTR, callee_text(w, lhs), text(w, attr), value,
			  value_text, at, -1, false);
	} else if (k == K_SUBSCRIPT && (p = state_key(w, field(lhs, w->f.subscript), &l))) {
		add_write(w, c, WRITE_KEY, text(w, lhs), copy(w, p, l), value, value_text,
			  at, -1, false);
	}
}

static void visit_assign(struct walker *w, TSNode n, enum kind k, const struct ctx *c)
{
	TSNode lhs = field(n, w->f.left), rhs = field(n, w->f.right);
	enum kind lk;

	if (ts_node_is_null(lhs))
		return;
	/* a = b.status = X: the value is the innermost right-hand side */
	for (int i = 0; i < MAX_CHAIN && !ts_node_is_null(rhs) && kind_of(w, rhs) == K_ASSIGN; i++)
		rhs = field(rhs, w->f.right);
	lk = kind_of(w, lhs);
	if (k == K_AUGASSIGN && c->loop >= 0 && counter_like(w, lhs))
		w->lx.items[c->loop].counted = true;
	if (lk == K_PATTERN_LIST || lk == K_TUPLE_PATTERN) {
		size_t lb = collect(w, lhs, true), ln = w->scratch.len - lb, rb = w->scratch.len, rn = 0;
		if (!ts_node_is_null(rhs) &&
		    (kind_of(w, rhs) == K_EXPR_LIST || kind_of(w, rhs) == K_TUPLE)) {
			collect(w, rhs, true);
			rn = w->scratch.len - rb;
		}
		for (size_t i = 0; i < ln; i++)
			assign_one(w, c, scratch_node(w, lb + i),
				   rn == ln ? scratch_node(w, rb + i) : (TSNode){ 0 }, n);
		w->scratch.len = lb;
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
	base = collect(w, n, true);
	for (size_t i = base; i < w->scratch.len; i++) {
		TSNode pair = scratch_node(w, i), key, val;
		const char *p, *target, *fld;
		size_t l;

		if (kind_of(w, pair) != K_PAIR)
			continue;
		key = field(pair, w->f.key);
		val = field(pair, w->f.value);
		if (ts_node_is_null(key) || kind_of(w, key) != K_STRING)
			continue;
		p = string_content(w, key, &l);
		if (!p || (!lang_is_state_field(p, l) && !lang_is_message_key(p, l)))
			continue;
		fld = copy(w, p, l);
		target = fld;
		switch (c->dest) {
		case DEST_CALL:
			add_write(w, c, WRITE_MESSAGE, target, fld, literal_value(w, val, NULL),
				  text(w, val), pair, c->carrier, c->carrier >= 0);
			break;
		case DEST_RETURN:
			add_write(w, c, WRITE_RETURN, target, fld, literal_value(w, val, NULL),
				  text(w, val), pair, -1,
				  c->func >= 0 && w->ff->functions.items[c->func].ndecorators > 0);
			break;
		default:
			if (!ts_node_is_null(c->dest_left)) {
				const char *left = callee_text(w, c->dest_left);
				target = arena_printf(&w->ff->arena, "%s[\"%s\"]", left, fld);
			}
			add_write(w, c, WRITE_KEY, target, fld, literal_value(w, val, NULL),
				  text(w, val), pair, -1, false);
			break;
		}
	}
	w->scratch.len = base;
}

/* --- SQL in strings --- */

struct sql_ctx {
	struct walker *w;
	const struct ctx *c;
	TSNode at;
};

static void sql_item(void *data, const struct sql_item *it)
{
	struct sql_ctx *sc = data;
	struct walker *w = sc->w;
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
			arena_printf(&w->ff->arena, "%.*s.%.*s", (int)(it->table_len > 100 ? 100 : it->table_len),
				     it->table, (int)(cl > 100 ? 100 : cl), col) :
			copy(w, col, cl);
		add_write(w, sc->c, WRITE_SQL, target, copy(w, col, cl),
			  it->nvalues ? copy(w, it->values[0], it->value_lens[0]) : NULL,
			  copy(w, it->text, it->text_len), sc->at, sc->c->carrier, false);
	} else {
		const char *vals[SQL_MAX_VALUES];
		struct fact_read *r;
		for (size_t i = 0; i < it->nvalues; i++)
			vals[i] = copy(w, it->values[i], it->value_lens[i]);
		r = add_read(w, sc->c, READ_SQL, copy(w, it->col, it->col_len),
			     copy(w, col, cl), sc->at);
		r->values = make_list(w, vals, it->nvalues);
		r->negated = it->negated;
		r->selects = true;
	}
}

static void visit_string(struct walker *w, TSNode n, enum kind k, TSNode parent,
			 const struct ctx *c)
{
	struct sql_ctx sc = { w, c, n };
	const char *p;
	size_t l;

	if (k == K_STRING && !ts_node_is_null(parent) && kind_of(w, parent) == K_CONCAT)
		return; /* scanned as part of the whole */
	if (k == K_CONCAT) {
		p = concat_content(w, n, 16 * 1024, &l);
		/* sql_item copies what it keeps; the strbuf is only reused afterwards */
		{
			char *own = xstrndup(p, l);
			sql_scan(own, l, sql_item, &sc);
			xfree(own);
		}
		return;
	}
	p = string_content(w, n, &l);
	if (p)
		sql_scan(p, l, sql_item, &sc);
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
		TSNode attr = field(n, w->f.attribute);
		if (!is_state_name(w, attr))
			return -1;
		*target = callee_text(w, n);
		*fld = text(w, attr);
		return READ_COMPARE;
	}
	case K_SUBSCRIPT:
		p = state_key(w, field(n, w->f.subscript), &l);
		if (!p)
			return -1;
		*target = text(w, n);
		*fld = copy(w, p, l);
		return READ_COMPARE;
	case K_IDENT:
		if (!is_state_name(w, n))
			return -1;
		*target = *fld = text(w, n);
		return READ_COMPARE;
	case K_CALL: {
		TSNode fn = field(n, w->f.function), args = field(n, w->f.arguments), a0;
		if (kind_of(w, fn) != K_ATTRIBUTE ||
		    !ts_text_eq(field(fn, w->f.attribute), w->src, w->len, "get") ||
		    ts_node_is_null(args) || kind_of(w, args) != K_ARGLIST)
			return -1;
		a0 = first_named(w, args);
		p = state_key(w, a0, &l);
		if (!p)
			return -1;
		*target = text(w, n);
		*fld = copy(w, p, l);
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
	size_t no = 0, nops = 0, base = collect(w, n, false);

	for (size_t i = base; i < w->scratch.len && no < ARRAY_LEN(operands); i++) {
		TSNode ch = scratch_node(w, i);
		if (ts_node_is_named(ch)) {
			if (kind_of(w, ch) != K_COMMENT)
				operands[no++] = ch;
		} else if (nops < ARRAY_LEN(ops)) {
			ops[nops++] = ts_node_type(ch);
		}
	}
	w->scratch.len = base;
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
		r = add_read(w, c, (in || notin) && kind == READ_COMPARE ? READ_MEMBERSHIP :
			     (enum read_kind)kind, target, fld, n);
		r->values = make_list(w, vals, nv);
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
		truth_reads(w, c, field(n, w->f.argument), !negated, depth + 1);
		return;
	case K_BOOLOP:
		truth_reads(w, c, field(n, w->f.left), negated, depth + 1);
		truth_reads(w, c, field(n, w->f.right), negated, depth + 1);
		return;
	case K_PAREN:
		truth_reads(w, c, first_named(w, n), negated, depth + 1);
		return;
	case K_ATTRIBUTE: case K_SUBSCRIPT:
		if (state_target(w, n, &target, &fld) != READ_COMPARE)
			return;
		val = negated ? "False" : "True";
		r = add_read(w, c, READ_COMPARE, target, fld, n);
		r->values = make_list(w, &val, 1);
		r->truthiness = true;
		return;
	default:
		return;
	}
}

/* The literal values a case pattern matches: `case Status.IDLE | "idle":`. */
static size_t case_values(struct walker *w, TSNode clause, const char **out, size_t max)
{
	size_t nv = 0, base = collect(w, clause, true);

	for (size_t i = base; i < w->scratch.len; i++) {
		TSNode cp = scratch_node(w, i), inner;
		if (kind_of(w, cp) != K_CASE_PATTERN)
			continue;
		inner = first_named(w, cp);
		if (ts_node_is_null(inner))
			continue;
		if (kind_of(w, inner) == K_UNION_PATTERN) {
			size_t ub = collect(w, inner, true);
			for (size_t j = ub; j < w->scratch.len && nv < max; j++) {
				TSNode alt = scratch_node(w, j);
				const char *v = kind_of(w, alt) == K_DOTTED ? text(w, alt) :
					literal_value(w, alt, NULL);
				if (v)
					out[nv++] = v;
			}
			w->scratch.len = ub;
		} else if (nv < max) {
			const char *v = kind_of(w, inner) == K_DOTTED ? text(w, inner) :
				literal_value(w, inner, NULL);
			if (v)
				out[nv++] = v;
		}
	}
	w->scratch.len = base;
	return nv;
}

static void visit_match(struct walker *w, TSNode n, const struct ctx *c)
{
	const char *target, *fld;
	TSNode body = field(n, w->f.body);
	size_t base;

	if (state_target(w, field(n, w->f.subject), &target, &fld) < 0 || ts_node_is_null(body))
		return;
	base = collect(w, body, true);
	for (size_t i = base; i < w->scratch.len; i++) {
		TSNode cl = scratch_node(w, i), cons;
		const char *vals[MAX_VALUES];
		size_t nv, keep = w->scratch.len;
		struct fact_read *r;

		if (kind_of(w, cl) != K_CASE)
			continue;
		nv = case_values(w, cl, vals, MAX_VALUES);
		w->scratch.len = keep;
		if (!nv)
			continue; /* case _: matches anything, reads nothing */
		r = add_read(w, c, READ_MATCH, target, fld, cl);
		r->values = make_list(w, vals, nv);
		r->selects = c->select || c->in_for;
		cons = field(cl, w->f.consequence);
		r->body = ts_node_is_null(cons) ? r->span : ts_span(cons);
	}
	w->scratch.len = base;
}

/* --- imports --- */

static void add_import(struct walker *w, TSNode stmt, const char *module, const char *name,
		       const char *alias)
{
	struct fact_import *im = VEC_PUSH(&w->ff->imports);
	im->module = module;
	im->name = name;
	im->alias = alias;
	im->span = ts_span(stmt);
}

static void visit_import(struct walker *w, TSNode n, enum kind k)
{
	size_t base = collect(w, n, true);
	const char *module = k == K_FUTURE_IMPORT ? facts_str(w->ff, "__future__", 10) : NULL;

	if (k == K_IMPORT_FROM) {
		TSNode m = field(n, w->f.module_name);
		module = ts_node_is_null(m) ? facts_str(w->ff, "", 0) : text(w, m);
	}
	for (size_t i = base; i < w->scratch.len; i++) {
		TSNode ch = scratch_node(w, i);
		enum kind ck = kind_of(w, ch);
		const char *name, *alias;

		if (ck == K_WILDCARD_IMPORT) {
			add_import(w, n, module, facts_str(w->ff, "*", 1), NULL);
			continue;
		}
		if (w->scratch.items[i].field != w->f.name)
			continue;
		if (ck == K_ALIASED_IMPORT) {
			name = text(w, field(ch, w->f.name));
			alias = text(w, field(ch, w->f.alias));
		} else {
			name = text(w, ch);
			alias = name;
			if (k == K_IMPORT) {
				/* `import a.b` binds `a` */
				const char *dot = strchr(name, '.');
				if (dot)
					alias = facts_str(w->ff, name, (size_t)(dot - name));
			}
		}
		if (k == K_IMPORT)
			add_import(w, n, name, NULL, alias);
		else
			add_import(w, n, module, name, alias);
	}
	w->scratch.len = base;
}

/* --- the walk --- */

static void visit(struct walker *w, TSNode node, TSNode parent, enum kind k,
		  const struct ctx *c, struct visit *v)
{
	struct file_facts *ff = w->ff;

	switch (k) {
	case K_IMPORT: case K_IMPORT_FROM: case K_FUTURE_IMPORT:
		visit_import(w, node, k);
		break;
	case K_FUNCDEF:
		v->func = visit_function(w, node, parent, c);
		dataflow_params(w, v->func, node);
		break;
	case K_CLASSDEF: {
		TSNode name = field(node, w->f.name);
		v->cls = ts_node_is_null(name) ? NULL : text(w, name);
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
		TSNode cons = field(node, w->f.consequence);
		v->cond_body = ts_span(ts_node_is_null(cons) ? node : cons);
		{
			/* the condition's context, as derive() gives it */
			struct ctx cc = *c;
			cc.has_cond = true;
			cc.cond_body = v->cond_body;
			cc.select = c->select || c->in_for;
			truth_reads(w, &cc, field(node, w->f.condition), false, 0);
		}
		break;
	}
	case K_IF_CLAUSE:
		truth_reads(w, c, first_named(w, node), false, 0);
		break;
	case K_LISTCOMP: case K_SETCOMP: case K_DICTCOMP: case K_GENEXP:
		v->cond_body = ts_span(node);
		break;
	case K_RAISE:
		if (c->handler_direct >= 0 && ff->handlers.items[c->handler_direct].kind == HANDLER_EXCEPT)
			ff->handlers.items[c->handler_direct].reraises = true;
		break;
	case K_RETURN:
		if (c->handler_direct >= 0)
			w->hx.items[c->handler_direct].direct_exit = true;
		if (c->exit_try >= 0)
			w->hx.items[c->exit_try].try_exits = true;
		break;
	case K_CONTINUE:
		if (c->handler_nl >= 0)
			ff->handlers.items[c->handler_nl].continues = true;
		break;
	case K_BREAK:
		if (c->handler_nl >= 0)
			ff->handlers.items[c->handler_nl].breaks = true;
		if (c->handler_direct >= 0)
			w->hx.items[c->handler_direct].direct_exit = true;
		if (c->exit_try >= 0)
			w->hx.items[c->exit_try].try_exits = true;
		break;
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
 * A retry loop: a loop holding a try whose except clause goes around again
 * (does not re-raise, break or return directly, or continues), when the
 * loop is counted (range(N), an attempt counter) or is an infinite loop
 * whose try body leaves it on success.
 */
static void find_retries(struct walker *w)
{
	struct file_facts *ff = w->ff;

	for (size_t i = 0; i < ff->handlers.len; i++) {
		const struct fact_handler *h = &ff->handlers.items[i];
		const struct hextra *x = &w->hx.items[i];
		struct lextra *lx;
		const struct fact_loop *lp;
		bool around, bounded;
		struct fact_retry *r;

		if (h->kind != HANDLER_EXCEPT || h->loop < 0)
			continue;
		around = (!h->reraises && !x->direct_exit) || h->continues;
		if (!around)
			continue;
		lx = &w->lx.items[h->loop];
		lp = &ff->loops.items[h->loop];
		if (lx->retry_done)
			continue;
		if (lx->is_range)
			bounded = lx->counted || w->hx.items[x->try_first].try_exits;
		else
			bounded = lx->counted || (lp->infinite && w->hx.items[x->try_first].try_exits);
		if (!bounded)
			continue;
		lx->retry_done = true;
		r = VEC_PUSH(&ff->retries);
		r->kind = RETRY_LOOP;
		r->source = facts_str(ff, lx->is_range ? "for-loop" : "while-loop", lx->is_range ? 8 : 10);
		r->attempts = lx->attempts;
		r->span = lp->span;
		r->scope = lp->span;
		r->func = lp->func;
		r->call = -1;
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
		lv->ctx.dest_left = field(pl->node, w->f.left);
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

	ts_walk(w->ff, root, !w->levels.items[0].skip, enter, leave, w);
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
	w->ff = ff;
	w->src = src;
	w->len = len;
	strbuf_init(&w->sb);
	pthread_once(&kinds_once, init_kinds);
	w->kinds = kinds;
	w->nkinds = nkinds;
#define FIELD(x) w->f.x = ts_language_field_id_for_name(lang, #x, (uint32_t)strlen(#x))
	FIELD(name); FIELD(alias); FIELD(module_name); FIELD(body); FIELD(function);
	FIELD(arguments); FIELD(object); FIELD(attribute); FIELD(value); FIELD(key);
	FIELD(left); FIELD(right); FIELD(condition); FIELD(consequence); FIELD(subject);
	FIELD(definition); FIELD(subscript); FIELD(argument);
#undef FIELD
	w->cur = ts_tree_cursor_new(root);
}

static void walker_release(struct walker *w)
{
	ts_tree_cursor_delete(&w->cur);
	VEC_FREE(&w->scratch);
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

	if (len >= UINT32_MAX)
		return error("%s: file too large to parse (%zu bytes)", ff->path, len);
	ff->nlines = ts_count_lines(src, len);
	if (ts_parse_bounded(lang, "python", src, len, ff->path, &tree))
		return -1;

	root = ts_tree_root_node(tree);
	ff->parse_errors = ts_node_has_error(root);
	walker_init(&w, ff, src, len, lang, root);
	walk(&w, root);
	find_retries(&w);
	walker_release(&w);
	ts_collect_consts(ff, tree, src, len);
	ts_tree_delete(tree);
	return 0;
}
