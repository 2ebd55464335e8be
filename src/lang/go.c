/*
 * The Go front-end: one tree-sitter parse, one walk, facts out.
 *
 * Same shape as python.c: a pre-order pass of one TSTreeCursor with a heap
 * stack of levels (so deep nesting costs heap, not C stack), each level
 * carrying the context its node sits in. Go's idioms map onto the shared
 * facts:
 *   - `if err != nil { ... }` (and `errors.Is/As`, `err == X`) is a
 *     HANDLER_ERRCHECK whose guarded region is the statement that produced
 *     `err` (the if's initializer or the assignment right before it);
 *   - methods get their receiver type as cls and the receiver name;
 *   - `NewX(...)` returning a value is a constructor;
 *   - an import binds its package name (last path segment, or its alias);
 *   - `http.HandleFunc("/x", h)` gives `h` a synthetic decorator (a route);
 *   - `for i := 0; i < 3; i++` / `for {}` around an err-check that goes
 *     round again is a RETRY_LOOP.
 * Everything here is syntax; models_resolve() says what a call means.
 */
#include "lang.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/strbuf.h"
#include "state_words.h"
#include "ts_consts.h"
#include "ts_facts.h"
#include "ts_util.h"
#include "../base/banned.h"

const TSLanguage *tree_sitter_go(void);

enum kind {
	K_OTHER = 0, K_COMMENT, K_IMPORT_SPEC, K_FUNC_DECL, K_METHOD_DECL, K_FUNC_LIT,
	K_CALL, K_SELECTOR, K_IDENT, K_FIELD_IDENT, K_PKG_IDENT, K_INDEX, K_ARGLIST,
	K_IF, K_FOR, K_FOR_CLAUSE, K_RANGE_CLAUSE, K_BLOCK, K_STMT_LIST, K_RETURN,
	K_CONTINUE, K_BREAK, K_ASSIGN, K_SHORT_VAR, K_EXPR_LIST, K_BINARY, K_UNARY,
	K_PAREN, K_STRING, K_RAW_STRING, K_INT, K_FLOAT, K_TRUE, K_FALSE, K_NIL,
	K_COMPOSITE, K_LITERAL_VALUE, K_KEYED, K_LITERAL_ELEM, K_EXPR_SWITCH,
	K_EXPR_CASE, K_TYPE_SWITCH, K_TYPE_CASE, K_DEFAULT_CASE, K_VAR_SPEC,
	K_PARAM_DECL, K_COMM_CASE, K_INC,
};

static const struct ts_kind_name kind_names[] = {
	{ "comment", K_COMMENT }, { "import_spec", K_IMPORT_SPEC },
	{ "function_declaration", K_FUNC_DECL }, { "method_declaration", K_METHOD_DECL },
	{ "func_literal", K_FUNC_LIT }, { "call_expression", K_CALL },
	{ "selector_expression", K_SELECTOR }, { "identifier", K_IDENT },
	{ "field_identifier", K_FIELD_IDENT }, { "package_identifier", K_PKG_IDENT },
	{ "index_expression", K_INDEX }, { "argument_list", K_ARGLIST },
	{ "if_statement", K_IF }, { "for_statement", K_FOR }, { "for_clause", K_FOR_CLAUSE },
	{ "range_clause", K_RANGE_CLAUSE }, { "block", K_BLOCK },
	{ "statement_list", K_STMT_LIST }, { "return_statement", K_RETURN },
	{ "continue_statement", K_CONTINUE }, { "break_statement", K_BREAK },
	{ "assignment_statement", K_ASSIGN }, { "short_var_declaration", K_SHORT_VAR },
	{ "expression_list", K_EXPR_LIST }, { "binary_expression", K_BINARY },
	{ "unary_expression", K_UNARY }, { "parenthesized_expression", K_PAREN },
	{ "interpreted_string_literal", K_STRING }, { "raw_string_literal", K_RAW_STRING },
	{ "int_literal", K_INT }, { "float_literal", K_FLOAT }, { "true", K_TRUE },
	{ "false", K_FALSE }, { "nil", K_NIL }, { "composite_literal", K_COMPOSITE },
	{ "literal_value", K_LITERAL_VALUE }, { "keyed_element", K_KEYED },
	{ "literal_element", K_LITERAL_ELEM },
	{ "expression_switch_statement", K_EXPR_SWITCH }, { "expression_case", K_EXPR_CASE },
	{ "type_switch_statement", K_TYPE_SWITCH }, { "type_case", K_TYPE_CASE },
	{ "default_case", K_DEFAULT_CASE }, { "var_spec", K_VAR_SPEC },
	{ "parameter_declaration", K_PARAM_DECL }, { "communication_case", K_COMM_CASE },
	{ "inc_statement", K_INC },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS 64
#define MAX_VALUES 16
#define MAX_CHAIN 64
#define MAX_VARTYPES 256
#define SCAN_BUDGET 512 /* nodes looked at per expression scan */

enum dest { DEST_NONE, DEST_ASSIGN, DEST_CALL, DEST_RETURN };

struct ctx {
	int func;
	int handler;        /* innermost err-check body holding the node */
	int handler_nl;     /* ...with no loop in between */
	int handler_direct; /* the err-check whose block directly holds the statement */
	int loop;
	int guard;          /* err-check whose guarded region (if initializer) holds it */
	int carrier;        /* outermost call whose arguments hold the node */
	struct span cond_body;
	TSNode dest_left;
	unsigned char dest;
	unsigned char parent_kind;
	bool has_cond;
	bool select;
	bool in_for;        /* in a range loop body (same function) */
	bool in_return;
};

static struct ts_where where_of(const struct ctx *c)
{
	return (struct ts_where){ c->func, c->handler, c->select, c->has_cond, c->cond_body };
}

struct visit {
	int call, func, loop, handler;
	struct span cond_body;
};

struct level {
	TSNode node;
	struct ctx ctx;
	struct visit v;
	unsigned char kind;
	bool skip;
};

struct hextra {
	bool direct_exit;
};

struct lextra {
	bool counted;
	int attempts;
	bool exits;      /* a break/return outside any err-check: leaves on success */
	bool retry_done;
};

struct vartype {
	const char *name, *type;
};

struct walker {
	struct ts_walker b; /* first: the part all front-ends share */
	VEC(struct level) levels;
	VEC(struct hextra) hx;
	VEC(struct lextra) lx;
	struct vartype vt[MAX_VARTYPES];
	size_t nvt;
	struct strbuf sb;
};

static enum kind kind_of(const struct walker *w, TSNode n)
{
	return (enum kind)ts_kind(&w->b, n);
}

static TSNode fld(TSNode n, const char *name)
{
	return ts_field(n, name);
}

static const char *copy(struct walker *w, const char *p, size_t n)
{
	return facts_str(w->b.ff, p ? p : "", p ? n : 0);
}

static bool type_is(TSNode n, const char *t)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), t);
}

static TSNode first_named(TSNode n)
{
	return ts_node_is_null(n) || !ts_node_named_child_count(n) ? (TSNode){ 0 } :
		ts_node_named_child(n, 0);
}

/* Skip parentheses, `&x`, `*x` and literal_element wrappers. */
static TSNode unwrap(struct walker *w, TSNode n)
{
	for (int i = 0; i < 32 && !ts_node_is_null(n); i++) {
		enum kind k = kind_of(w, n);
		if (k == K_PAREN || k == K_LITERAL_ELEM || k == K_EXPR_LIST) {
			if (k == K_EXPR_LIST && ts_node_named_child_count(n) != 1)
				break;
			n = first_named(n);
		} else if (k == K_UNARY) {
			size_t l;
			const char *op = ts_wraw(&w->b, fld(n, "operator"), &l);
			if (!op || l != 1 || (*op != '&' && *op != '*'))
				break;
			n = fld(n, "operand");
		} else {
			break;
		}
	}
	return n;
}

/* String literal content without quotes (no escape processing). */
static const char *string_content(struct walker *w, TSNode n, size_t *len)
{
	size_t l;
	const char *p = ts_wraw(&w->b, n, &l);
	if (!p || l < 2) {
		*len = 0;
		return p;
	}
	*len = l - 2;
	return p + 1;
}

static bool is_dotted(struct walker *w, TSNode n)
{
	for (int i = 0; i < MAX_CHAIN && !ts_node_is_null(n); i++) {
		enum kind k = kind_of(w, n);
		if (k == K_IDENT || k == K_PKG_IDENT || k == K_FIELD_IDENT)
			return true;
		if (k != K_SELECTOR)
			return false;
		n = fld(n, "operand");
	}
	return false;
}

/* Literal value: strings unquoted, numbers, True/False/None, names (enum members). */
static const char *literal_value(struct walker *w, TSNode n, bool *is_string)
{
	size_t l;
	const char *p;

	if (is_string)
		*is_string = false;
	n = unwrap(w, n);
	if (ts_node_is_null(n))
		return NULL;
	switch (kind_of(w, n)) {
	case K_STRING: case K_RAW_STRING:
		if (is_string)
			*is_string = true;
		p = string_content(w, n, &l);
		return copy(w, p, l > TS_TEXT_MAX ? TS_TEXT_MAX : l);
	case K_INT: case K_FLOAT:
		return ts_wtext(&w->b, n);
	case K_TRUE:
		return facts_str(w->b.ff, "True", 4);
	case K_FALSE:
		return facts_str(w->b.ff, "False", 5);
	case K_NIL:
		return facts_str(w->b.ff, "None", 4);
	case K_IDENT:
		return ts_wtext(&w->b, n);
	case K_SELECTOR:
		return is_dotted(w, n) ? ts_wtext(&w->b, n) : NULL;
	default:
		return NULL;
	}
}

/* `a.b().c[i].d` -> "a.b().c[].d", iterative, capped. */
static const char *callee_text(struct walker *w, TSNode n)
{
	struct ts_link chain[MAX_CHAIN];
	int depth = 0;

	while (depth < MAX_CHAIN && !ts_node_is_null(n)) {
		enum kind k = kind_of(w, n);
		struct ts_link link = { .kind = TS_LINK_NONE };
		TSNode next;
		if (k == K_SELECTOR) {
			next = fld(n, "operand");
			link = (struct ts_link){ fld(n, "field"), TS_LINK_MEMBER };
		} else if (k == K_CALL) {
			next = fld(n, "function");
			link.kind = TS_LINK_CALL;
		} else if (k == K_INDEX) {
			next = fld(n, "operand");
			link.kind = TS_LINK_INDEX;
		} else if (k == K_PAREN) {
			next = first_named(n);
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
	return copy(w, w->sb.buf, w->sb.len);
}

static struct strlist make_list(struct walker *w, const char **items, size_t n)
{
	return facts_strlist(w->b.ff, items, n);
}

/* Go state names: the shared words plus camelCase suffixes (jobStatus, WorkerState). */
static bool state_name(const char *p, size_t l)
{
	static const char *const sfx[] = { "Status", "State", "Phase", "Stage" };
	if (!p || !l)
		return false;
	if (lang_is_state_field(p, l))
		return true;
	for (size_t i = 0; i < ARRAY_LEN(sfx); i++) {
		size_t k = strlen(sfx[i]);
		if (l > k && !memcmp(p + l - k, sfx[i], k))
			return true;
	}
	return false;
}

/* A selector or identifier naming state: target and field, or false. */
static bool state_target(struct walker *w, TSNode n, const char **target, const char **field)
{
	TSNode last;
	size_t l;
	const char *p;

	n = unwrap(w, n);
	if (kind_of(w, n) == K_SELECTOR)
		last = fld(n, "field");
	else if (kind_of(w, n) == K_IDENT)
		last = n;
	else
		return false;
	p = ts_wraw(&w->b, last, &l);
	if (!state_name(p, l))
		return false;
	*field = copy(w, p, l);
	*target = callee_text(w, n);
	return true;
}

/* Names used by an expression (identifiers and dotted selectors), bounded. */
static void names_in(struct walker *w, TSNode e, const char **out, size_t *n, size_t max)
{
	TSNode stack[64];
	size_t sp = 0, seen = 0;

	if (ts_node_is_null(e))
		return;
	stack[sp++] = e;
	while (sp && *n < max && seen++ < SCAN_BUDGET) {
		TSNode x = stack[--sp];
		enum kind k = kind_of(w, x);
		uint32_t nc;
		if (k == K_IDENT || (k == K_SELECTOR && is_dotted(w, x))) {
			const char *s = k == K_IDENT ? ts_wtext(&w->b, x) : callee_text(w, x);
			bool dup = false;
			for (size_t i = 0; i < *n && !dup; i++)
				dup = !strcmp(out[i], s);
			if (!dup && strcmp(s, "nil"))
				out[(*n)++] = s;
			continue;
		}
		if (k == K_CALL) {
			TSNode fn = fld(x, "function");
			if (kind_of(w, fn) == K_SELECTOR && sp < ARRAY_LEN(stack))
				stack[sp++] = fld(fn, "operand");
			if (sp < ARRAY_LEN(stack))
				stack[sp++] = fld(x, "arguments");
			continue;
		}
		if (k == K_FUNC_LIT)
			continue;
		nc = ts_node_named_child_count(x);
		for (uint32_t i = nc; i > 0 && sp < ARRAY_LEN(stack); i--)
			stack[sp++] = ts_node_named_child(x, i - 1);
	}
}

static bool is_errname(const char *p, size_t l)
{
	if (!p || !l)
		return false;
	if ((l == 3 && !memcmp(p, "err", 3)) || (l == 1 && *p == 'e'))
		return true;
	return (l > 3 && (!memcmp(p + l - 3, "Err", 3) || !memcmp(p + l - 3, "err", 3)));
}

/* --- facts --- */

/* A write whose value is the expression `val` (its literal value and text). */
static void add_write(struct walker *w, const struct ctx *c, enum write_kind kind,
		      const char *target, const char *field, TSNode val, TSNode at, int call,
		      bool crosses)
{
	const char *value = literal_value(w, val, NULL);
	const char *value_text = ts_wtext(&w->b, val);

	ts_add_write(w->b.ff, where_of(c), kind, target, field, value, value_text, at, call,
		     crosses);
}

static struct fact_arg *make_args(struct walker *w, TSNode args, size_t *nargs)
{
	uint32_t nc = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
	struct fact_arg *out;
	size_t n = 0;

	*nargs = 0;
	if (!nc)
		return NULL;
	out = arena_alloc(&w->b.ff->arena, (nc > MAX_ARGS ? MAX_ARGS : nc) * sizeof(*out));
	for (uint32_t i = 0; i < nc && n < MAX_ARGS; i++) {
		TSNode a = ts_node_named_child(args, i);
		if (kind_of(w, a) == K_COMMENT)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].value = literal_value(w, a, &out[n].is_string);
		out[n].text = ts_wtext(&w->b, a);
		n++;
	}
	*nargs = n;
	return out;
}

static bool block_exits(struct walker *w, TSNode block)
{
	uint32_t nc = ts_node_named_child_count(block);
	for (uint32_t i = nc; i > 0; i--) {
		TSNode last = ts_node_named_child(block, i - 1);
		enum kind k = kind_of(w, last);
		if (k == K_COMMENT)
			continue;
		if (k == K_STMT_LIST)
			return block_exits(w, last);
		if (k == K_CALL || type_is(last, "expression_statement")) {
			size_t l;
			const char *p = ts_wraw(&w->b, last, &l);
			return p && l >= 6 && !memcmp(p, "panic(", 6);
		}
		return k == K_RETURN || k == K_CONTINUE || k == K_BREAK;
	}
	return false;
}

static void add_binding(struct walker *w, enum binding_kind kind, const char *name, int func,
			int loop, int index, struct span at, const char **names, size_t nn)
{
	size_t ln = name ? strlen(name) : 0;
	/* `msgs, err := sub.Fetch(1)`: the error value carries no payload (AP-2) */
	if (kind != BIND_PARAM && ln >= 3 && (!strcmp(name + ln - 3, "err") || !strcmp(name + ln - 3, "Err")))
		return;
	struct fact_binding *b = VEC_PUSH(&w->b.ff->bindings);
	b->kind = kind;
	b->name = name;
	b->call = -1;
	b->names = make_list(w, names, nn);
	b->span = at;
	b->func = func;
	b->loop = loop;
	b->index = index;
}

static void bind_list(struct walker *w, TSNode lhs, enum binding_kind kind, const struct ctx *c,
		      int loop, struct span at, TSNode rhs)
{
	const char *names[FACT_MAX_NAMES];
	size_t nn = 0;
	uint32_t nc;
	int pos = 0;

	names_in(w, rhs, names, &nn, FACT_MAX_NAMES);
	if (kind_of(w, lhs) != K_EXPR_LIST) {
		if (kind_of(w, lhs) == K_IDENT || kind_of(w, lhs) == K_SELECTOR)
			add_binding(w, kind, callee_text(w, lhs), c->func, loop, 0, at, names, nn);
		return;
	}
	nc = ts_node_named_child_count(lhs);
	for (uint32_t i = 0; i < nc && i < MAX_ARGS; i++) {
		TSNode t = ts_node_named_child(lhs, i);
		enum kind k = kind_of(w, t);
		if (k == K_IDENT || (k == K_SELECTOR && is_dotted(w, t))) {
			size_t l;
			const char *p = ts_wraw(&w->b, t, &l);
			if (!(l == 1 && p && *p == '_'))
				add_binding(w, kind, callee_text(w, t), c->func, loop, pos, at, names, nn);
		}
		pos++;
	}
}

/*
 * Where a call's value is stored when not by `=`/`:=` (AP-5 client
 * bindings): `var rdb = redis.NewClient(...)` -> "rdb"; a field of a
 * struct literal `&Store{rdb: redis.NewClient(...)}` -> "Store.rdb" (the
 * receiver type and field, which a method reads as `s.rdb`). Uses the walk's
 * ancestor stack (levels) so no parent lookups.
 */
static const char *stored_in(struct walker *w, TSNode n)
{
	size_t top = w->levels.len;
	if (top < 3)
		return NULL;
	const struct level *p = &w->levels.items[top - 2];
	if (p->kind == K_EXPR_LIST && w->levels.items[top - 3].kind == K_VAR_SPEC) {
		TSNode nm = fld(w->levels.items[top - 3].node, "name");
		TSNode val = fld(w->levels.items[top - 3].node, "value");
		if (ts_node_named_child_count(p->node) == 1 && ts_node_eq(val, p->node) &&
		    !ts_node_is_null(nm) && kind_of(w, nm) == K_IDENT)
			return ts_wtext(&w->b, nm);
		return NULL;
	}
	size_t k = top - 2;
	if (p->kind == K_LITERAL_ELEM)
		k--;
	if (k < 3 || w->levels.items[k].kind != K_KEYED ||
	    w->levels.items[k - 1].kind != K_LITERAL_VALUE || w->levels.items[k - 2].kind != K_COMPOSITE)
		return NULL;
	TSNode kv = w->levels.items[k].node, key = unwrap(w, fld(kv, "key"));
	TSNode val = fld(kv, "value"), inner = w->levels.items[k + 1].node;
	TSNode ty = fld(w->levels.items[k - 2].node, "type");
	size_t kl, tl;
	const char *ks = ts_wraw(&w->b, key, &kl), *ts = ts_wraw(&w->b, ty, &tl);
	if (!ts_node_eq(val, inner) || ts_node_is_null(ty) || strcmp(ts_node_type(ty), "type_identifier") ||
	    !ks || !ts || kl > 64 || tl > 64 || (kind_of(w, key) != K_IDENT && kind_of(w, key) != K_FIELD_IDENT))
		return NULL;
	char buf[130];
	snprintf(buf, sizeof(buf), "%.*s.%.*s", (int)tl, ts, (int)kl, ks);
	return copy(w, buf, strlen(buf));
}

/*
 * `json.Unmarshal(msg.Data, &spec)`, `dec.Decode(&ev)`, `rows.Scan(&id)`:
 * an address passed to a call is written by it, from what the call reads.
 * Bind each `&x` to the call, with the call's names as its value.
 */
static void out_params(struct walker *w, TSNode args, const struct ctx *c, int idx,
		       const char **names, size_t nn)
{
	uint32_t nc = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
	for (uint32_t i = 0; i < nc && i < MAX_ARGS; i++) {
		TSNode a = ts_node_named_child(args, i), x;
		size_t l;
		const char *op;
		if (kind_of(w, a) != K_UNARY)
			continue;
		op = ts_wraw(&w->b, fld(a, "operator"), &l);
		x = fld(a, "operand");
		if (!op || l != 1 || *op != '&' || kind_of(w, x) != K_IDENT)
			continue;
		size_t before = w->b.ff->bindings.len;
		add_binding(w, BIND_ASSIGN, ts_wtext(&w->b, x), c->func, c->loop, 0, ts_span(a),
			    names, nn);
		if (w->b.ff->bindings.len > before)
			w->b.ff->bindings.items[before].call = idx;
	}
}

static int visit_call(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode fn = fld(n, "function"), args = fld(n, "arguments");
	int idx = (int)w->b.ff->calls.len;
	struct fact_call *call;
	const char *callee = callee_text(w, fn);
	const char *names[FACT_MAX_NAMES];
	size_t nn = 0, nargs;
	struct fact_arg *a;

	call = VEC_PUSH(&w->b.ff->calls);
	call->callee = callee;
	call->method = kind_of(w, fn) == K_SELECTOR ? ts_wtext(&w->b, fld(fn, "field")) : callee;
	call->span = ts_span(n);
	call->func = c->func;
	call->handler = c->handler;
	call->loop = c->loop;
	call->guard = c->guard;
	call->in_return = c->in_return;
	call->carrier = c->carrier;
	if (c->dest == DEST_ASSIGN && !ts_node_is_null(c->dest_left) &&
	    (c->parent_kind == K_EXPR_LIST || c->parent_kind == K_ASSIGN ||
	     c->parent_kind == K_SHORT_VAR)) {
		TSNode t = c->dest_left;
		if (kind_of(w, t) == K_EXPR_LIST)
			t = first_named(t);
		if (!ts_node_is_null(t))
			w->b.ff->calls.items[idx].assigned_to = callee_text(w, t);
	} else {
		w->b.ff->calls.items[idx].assigned_to = stored_in(w, n);
	}
	a = make_args(w, args, &nargs);
	call = &w->b.ff->calls.items[idx];
	call->args = a;
	call->nargs = nargs;
	/* sync/atomic: `c.ready.Store(true)` writes the state field `ready` */
	if (nargs == 1 && kind_of(w, fn) == K_SELECTOR && ts_text_eq(fld(fn, "field"), w->b.src, w->b.len, "Store")) {
		TSNode obj = unwrap(w, fld(fn, "operand"));
		size_t fl;
		const char *fp = kind_of(w, obj) == K_SELECTOR ? ts_wraw(&w->b, fld(obj, "field"), &fl) : NULL;
		if (fp && state_name(fp, fl) && is_dotted(w, obj))
			add_write(w, c, WRITE_ATTR, callee_text(w, obj), copy(w, fp, fl),
				  ts_node_named_child(args, 0), n, -1, false);
		call = &w->b.ff->calls.items[idx];
	}
	if (kind_of(w, fn) == K_SELECTOR)
		names_in(w, fld(fn, "operand"), names, &nn, FACT_MAX_NAMES);
	names_in(w, args, names, &nn, FACT_MAX_NAMES);
	call = &w->b.ff->calls.items[idx];
	call->names = make_list(w, names, nn);
	out_params(w, args, c, idx, names, nn);

	/* innermost block, and whether it is a branch */
	for (size_t i = w->levels.len - 1, steps = 0; i > 0 && steps < 256; i--, steps++) {
		const struct level *lv = &w->levels.items[i];
		enum kind k = (enum kind)lv->kind, pk;
		if (k == K_FUNC_DECL || k == K_METHOD_DECL || k == K_FUNC_LIT)
			break;
		if (k != K_BLOCK && !(k == K_STMT_LIST && i > 0 &&
		      (w->levels.items[i - 1].kind == K_EXPR_CASE ||
		       w->levels.items[i - 1].kind == K_TYPE_CASE ||
		       w->levels.items[i - 1].kind == K_DEFAULT_CASE ||
		       w->levels.items[i - 1].kind == K_COMM_CASE)))
			continue;
		call->block = ts_span(lv->node);
		call->block_exits = block_exits(w, lv->node);
		pk = (enum kind)w->levels.items[i - 1].kind;
		call->conditional = pk == K_IF || pk == K_EXPR_CASE || pk == K_TYPE_CASE ||
			pk == K_DEFAULT_CASE || pk == K_COMM_CASE;
		break;
	}

	/* the value of an assignment (x, err := f()) or a range's iterable */
	for (size_t b = w->b.ff->bindings.len, steps = 0; b > 0 && steps < 16; b--, steps++) {
		struct fact_binding *bd = &w->b.ff->bindings.items[b - 1];
		if (bd->span.line != call->span.line && !span_has_line(&bd->span, call->span.line))
			break;
		if (bd->call < 0 && (bd->kind == BIND_ASSIGN || bd->kind == BIND_LOOP) &&
		    c->dest == DEST_ASSIGN)
			bd->call = idx;
	}
	return idx;
}

static void add_import(struct walker *w, TSNode spec)
{
	TSNode path = fld(spec, "path"), name = fld(spec, "name");
	struct fact_import *im;
	size_t l, sl;
	const char *p = string_content(w, path, &l), *seg, *end;

	if (!p || !l)
		return;
	im = VEC_PUSH(&w->b.ff->imports);
	im->module = copy(w, p, l);
	im->span = ts_span(spec);
	if (!ts_node_is_null(name)) {
		const char *a = ts_wraw(&w->b, name, &sl);
		if (a && sl == 1 && (*a == '_' || *a == '.'))
			im->alias = NULL; /* side-effect or dot import: binds no package name */
		else
			im->alias = ts_wtext(&w->b, name);
		if (!im->alias)
			im->alias = facts_str(w->b.ff, "_", 1);
		return;
	}
	/* the package name: last segment, skipping a /vN suffix; "go-x", "x-go", "x.go" -> x */
	end = p + l;
	for (;;) {
		seg = end;
		while (seg > p && seg[-1] != '/')
			seg--;
		if (seg > p && end - seg >= 2 && seg[0] == 'v' && isdigit((unsigned char)seg[1])) {
			end = seg - 1;
			continue;
		}
		break;
	}
	sl = (size_t)(end - seg);
	if (sl > 3 && !memcmp(seg, "go-", 3))
		seg += 3, sl -= 3;
	if (sl > 3 && (!memcmp(seg + sl - 3, "-go", 3) || !memcmp(seg + sl - 3, ".go", 3)))
		sl -= 3;
	{
		/* identifiers only: "amqp091-go" -> "amqp091" above; others keep letters/digits/_ */
		char buf[128];
		size_t k = 0;
		for (size_t i = 0; i < sl && k + 1 < sizeof(buf); i++)
			if (isalnum((unsigned char)seg[i]) || seg[i] == '_')
				buf[k++] = seg[i];
		im->alias = copy(w, k ? buf : "_", k ? k : 1);
	}
}

/* Receiver name and type of a method: `(d *Dispatcher)` -> d, Dispatcher. */
static void receiver_of(struct walker *w, TSNode recv, const char **name, const char **type)
{
	TSNode p = first_named(recv), t, nm;
	size_t l;
	const char *s;

	*name = *type = NULL;
	if (kind_of(w, p) != K_PARAM_DECL)
		return;
	nm = fld(p, "name");
	t = fld(p, "type");
	if (!ts_node_is_null(nm))
		*name = ts_wtext(&w->b, nm);
	s = ts_wraw(&w->b, t, &l);
	while (s && l && (*s == '*' || *s == ' '))
		s++, l--;
	if (s) {
		size_t k = 0;
		while (k < l && (isalnum((unsigned char)s[k]) || s[k] == '_'))
			k++;
		*type = copy(w, s, k);
	}
}

static int visit_function(struct walker *w, TSNode n, enum kind k, const struct ctx *c)
{
	int idx = (int)w->b.ff->functions.len;
	struct fact_function *f = VEC_PUSH(&w->b.ff->functions);
	TSNode name = fld(n, "name"), params;
	const char *rname = NULL, *rtype = NULL;

	f->name = ts_node_is_null(name) ? facts_str(w->b.ff, "", 0) : ts_wtext(&w->b, name);
	f->span = ts_span(n);
	f->name_span = ts_node_is_null(name) ? f->span : ts_span(name);
	f->parent = c->func;
	if (k == K_METHOD_DECL) {
		receiver_of(w, fld(n, "receiver"), &rname, &rtype);
		f = &w->b.ff->functions.items[idx];
		f->cls = rtype;
		f->receiver = rname;
	}
	/* NewX(...) returning a value builds an object before others see it */
	f->is_constructor = k == K_FUNC_DECL && !strncmp(f->name, "New", 3) &&
		(f->name[3] == '\0' || isupper((unsigned char)f->name[3])) &&
		!ts_node_is_null(fld(n, "result"));
	params = fld(n, "parameters");
	{
		uint32_t nc = ts_node_is_null(params) ? 0 : ts_node_named_child_count(params);
		int pos = 0;
		for (uint32_t i = 0; i < nc && i < MAX_ARGS; i++) {
			TSNode p = ts_node_named_child(params, i);
			uint32_t pc;
			if (kind_of(w, p) != K_PARAM_DECL)
				continue;
			pc = ts_node_named_child_count(p);
			for (uint32_t j = 0; j < pc; j++) {
				TSNode id = ts_node_named_child(p, j);
				if (kind_of(w, id) != K_IDENT)
					continue;
				add_binding(w, BIND_PARAM, ts_wtext(&w->b, id), idx, -1, pos++,
					    ts_span(p), NULL, 0);
			}
		}
	}
	return idx;
}

/* --- err-checks --- */

static const char *vartype_of(struct walker *w, const char *name)
{
	for (size_t i = w->nvt; i > 0; i--)
		if (!strcmp(w->vt[i - 1].name, name))
			return w->vt[i - 1].type;
	return NULL;
}

/* `var closeErr *websocket.CloseError`: remember the type for errors.As. */
static void visit_var_spec(struct walker *w, TSNode n)
{
	TSNode t = fld(n, "type"), nm = fld(n, "name");
	size_t l;
	const char *s = ts_wraw(&w->b, t, &l);
	if (ts_node_is_null(nm) || !s)
		return;
	while (l && *s == '*')
		s++, l--;
	if (w->nvt == MAX_VARTYPES)
		memmove(w->vt, w->vt + 1, (MAX_VARTYPES - 1) * sizeof(w->vt[0])), w->nvt--;
	w->vt[w->nvt].name = ts_wtext(&w->b, nm);
	w->vt[w->nvt].type = copy(w, s, l);
	w->nvt++;
}

struct errcond {
	const char *var;
	const char *types[MAX_VALUES];
	size_t ntypes;
	bool check; /* err != nil, errors.Is/As, err == X */
};

/* Scan a condition for err tests, bounded and without recursion. */
static void scan_errcond(struct walker *w, TSNode cond, struct errcond *ec)
{
	TSNode stack[32];
	size_t sp = 0, seen = 0;

	stack[sp++] = cond;
	while (sp && seen++ < SCAN_BUDGET) {
		TSNode x = unwrap(w, stack[--sp]);
		enum kind k = kind_of(w, x);
		if (k == K_BINARY) {
			TSNode l = unwrap(w, fld(x, "left")), r = unwrap(w, fld(x, "right"));
			size_t ol, ll, rl;
			const char *op = ts_wraw(&w->b, fld(x, "operator"), &ol);
			const char *lp = ts_wraw(&w->b, l, &ll), *rp = ts_wraw(&w->b, r, &rl);
			if (op && ol == 2 && (!memcmp(op, "&&", 2) || !memcmp(op, "||", 2))) {
				if (sp + 2 <= ARRAY_LEN(stack)) {
					stack[sp++] = r;
					stack[sp++] = l;
				}
				continue;
			}
			if (!op || ol != 2 || (memcmp(op, "!=", 2) && memcmp(op, "==", 2)))
				continue;
			if (kind_of(w, r) == K_IDENT && is_errname(rp, rl) && kind_of(w, l) != K_IDENT) {
				TSNode t = l; l = r; r = t;
				lp = rp; ll = rl;
				rp = ts_wraw(&w->b, r, &rl);
			}
			if (kind_of(w, l) != K_IDENT || !is_errname(lp, ll))
				continue;
			if (!ec->var)
				ec->var = copy(w, lp, ll);
			if (kind_of(w, r) == K_NIL) {
				ec->check |= !memcmp(op, "!=", 2);
			} else if (!memcmp(op, "==", 2) && ec->ntypes < MAX_VALUES &&
				   (kind_of(w, r) == K_SELECTOR || kind_of(w, r) == K_IDENT)) {
				ec->types[ec->ntypes++] = ts_wtext(&w->b, r);
				ec->check = true;
			}
		} else if (k == K_CALL) {
			TSNode fn = fld(x, "function"), args = fld(x, "arguments");
			TSNode a0, a1;
			size_t ml;
			const char *m;
			bool is_as;
			if (kind_of(w, fn) != K_SELECTOR)
				continue;
			m = ts_wraw(&w->b, fld(fn, "field"), &ml);
			if (!m || ml != 2 || (memcmp(m, "Is", 2) && memcmp(m, "As", 2)))
				continue;
			is_as = !memcmp(m, "As", 2);
			if (ts_node_is_null(args) || ts_node_named_child_count(args) < 2)
				continue;
			a0 = unwrap(w, ts_node_named_child(args, 0));
			a1 = ts_node_named_child(args, 1);
			if (!ec->var && kind_of(w, a0) == K_IDENT)
				ec->var = ts_wtext(&w->b, a0);
			ec->check = true;
			if (ec->ntypes >= MAX_VALUES)
				continue;
			if (is_as) {
				TSNode v = unwrap(w, a1);
				const char *t = kind_of(w, v) == K_IDENT ? vartype_of(w, ts_wtext(&w->b, v)) : NULL;
				if (t)
					ec->types[ec->ntypes++] = t;
			} else {
				ec->types[ec->ntypes++] = ts_wtext(&w->b, unwrap(w, a1));
			}
		} else if (k == K_UNARY) {
			size_t l;
			const char *op = ts_wraw(&w->b, fld(x, "operator"), &l);
			if (op && l == 1 && *op == '!' && sp < ARRAY_LEN(stack))
				stack[sp++] = fld(x, "operand");
		}
	}
}

/* The statement right before `n` in its block. */
static TSNode prev_stmt(struct walker *w, TSNode n)
{
	TSNode p = ts_node_prev_named_sibling(n);
	while (!ts_node_is_null(p) && kind_of(w, p) == K_COMMENT)
		p = ts_node_prev_named_sibling(p);
	return p;
}

static int add_handler(struct walker *w, const struct ctx *c, TSNode body, struct span guarded,
		       const char *var, const char **types, size_t nt)
{
	int idx = (int)w->b.ff->handlers.len;
	struct fact_handler *h = VEC_PUSH(&w->b.ff->handlers);
	h->kind = HANDLER_ERRCHECK;
	h->span = ts_span(body);
	h->guarded = guarded;
	h->types = make_list(w, types, nt);
	h->cls = FAIL_UNKNOWN;
	h->var = var;
	h->func = c->func;
	h->loop = c->loop;
	VEC_PUSH(&w->hx);
	/* calls of the guarded statement before the if get it as their guard */
	for (size_t i = w->b.ff->calls.len; i > 0; i--) {
		struct fact_call *call = &w->b.ff->calls.items[i - 1];
		if (call->span.line < guarded.line)
			break;
		if (span_has_line(&guarded, call->span.line) && call->guard < 0 &&
		    call->func == c->func)
			call->guard = idx;
	}
	return idx;
}

static int visit_if(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode cond = fld(n, "condition"), cons = fld(n, "consequence"), init = fld(n, "initializer");
	struct errcond ec = { 0 };
	struct span guarded;

	if (ts_node_is_null(cond) || ts_node_is_null(cons))
		return -1;
	scan_errcond(w, cond, &ec);
	if (!ec.check)
		return -1;
	if (!ts_node_is_null(init)) {
		guarded = ts_span(init);
	} else {
		TSNode p = prev_stmt(w, n);
		enum kind pk = kind_of(w, p);
		guarded = (pk == K_ASSIGN || pk == K_SHORT_VAR || type_is(p, "var_declaration") ||
			   type_is(p, "expression_statement")) ? ts_span(p) : ts_span(cond);
	}
	return add_handler(w, c, cons, guarded, ec.var, ec.types, ec.ntypes);
}

/* `switch e := err.(type) { case *net.OpError: ... }`: one handler per case. */
static void visit_type_switch(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode val = unwrap(w, fld(n, "value"));
	TSNode operand;
	uint32_t nc;
	size_t l;
	const char *p;

	if (!type_is(val, "type_assertion_expression"))
		return;
	operand = fld(val, "operand");
	p = ts_wraw(&w->b, operand, &l);
	if (kind_of(w, operand) != K_IDENT || !is_errname(p, l))
		return;
	nc = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < nc; i++) {
		TSNode cs = ts_node_named_child(n, i);
		const char *types[MAX_VALUES];
		size_t nt = 0;
		uint32_t cc;
		if (kind_of(w, cs) != K_TYPE_CASE)
			continue;
		cc = ts_node_named_child_count(cs);
		for (uint32_t j = 0; j < cc && nt < MAX_VALUES; j++) {
			TSNode t = ts_node_named_child(cs, j);
			const char *s;
			size_t sl;
			if (kind_of(w, t) == K_STMT_LIST || kind_of(w, t) == K_COMMENT)
				continue;
			s = ts_wraw(&w->b, t, &sl);
			while (s && sl && *s == '*')
				s++, sl--;
			types[nt++] = copy(w, s, sl);
		}
		add_handler(w, c, cs, ts_span(n), copy(w, p, l), types, nt);
	}
}

/* --- loops --- */

static long int_lit(struct walker *w, TSNode n)
{
	size_t l;
	const char *p = ts_wraw(&w->b, n, &l);
	char buf[24];
	if (kind_of(w, n) != K_INT || !p || !l || l >= sizeof(buf))
		return -1;
	memcpy(buf, p, l);
	buf[l] = '\0';
	return strtol(buf, NULL, 0);
}

static int visit_loop(struct walker *w, TSNode n, const struct ctx *c, struct visit *v,
		      bool *is_range)
{
	int idx = (int)w->b.ff->loops.len;
	struct fact_loop *lp = VEC_PUSH(&w->b.ff->loops);
	struct lextra *lx = VEC_PUSH(&w->lx);
	TSNode body = fld(n, "body"), head = (TSNode){ 0 };
	uint32_t nc = ts_node_named_child_count(n);

	lp->span = ts_span(n);
	lp->func = c->func;
	lp->parent = c->loop;
	lx->attempts = -1;
	*is_range = false;
	for (uint32_t i = 0; i < nc; i++) {
		TSNode ch = ts_node_named_child(n, i);
		if (!ts_node_eq(ch, body) && kind_of(w, ch) != K_COMMENT) {
			head = ch;
			break;
		}
	}
	v->cond_body = ts_node_is_null(body) ? lp->span : ts_span(body);
	if (ts_node_is_null(head)) {
		lp->infinite = true;
	} else if (kind_of(w, head) == K_RANGE_CLAUSE) {
		TSNode right = fld(head, "right"), left = fld(head, "left");
		*is_range = true;
		if (!ts_node_is_null(right))
			lp->iter = ts_span(right);
		if (!ts_node_is_null(left)) {
			const char *names[FACT_MAX_NAMES];
			size_t nn = 0;
			uint32_t lc = ts_node_named_child_count(left);
			names_in(w, right, names, &nn, FACT_MAX_NAMES);
			for (uint32_t i = 0; i < lc && i < 4; i++) {
				TSNode t = ts_node_named_child(left, i);
				if (kind_of(w, t) == K_IDENT && !ts_text_eq(t, w->b.src, w->b.len, "_"))
					add_binding(w, BIND_LOOP, ts_wtext(&w->b, t), c->func, idx,
						    (int)i, ts_span(n), names, nn);
			}
		}
	} else if (kind_of(w, head) == K_FOR_CLAUSE) {
		TSNode cond = unwrap(w, fld(head, "condition"));
		if (ts_node_is_null(cond)) {
			lp->infinite = true;
		} else if (kind_of(w, cond) == K_BINARY) {
			TSNode l = unwrap(w, fld(cond, "left")), r = unwrap(w, fld(cond, "right"));
			size_t ol, nl;
			const char *op = ts_wraw(&w->b, fld(cond, "operator"), &ol);
			const char *nm = ts_wraw(&w->b, l, &nl);
			long k = int_lit(w, r);
			if (op && (kind_of(w, l) == K_IDENT || kind_of(w, l) == K_SELECTOR) &&
			    (ol == 1 ? *op == '<' : (ol == 2 && !memcmp(op, "<=", 2)))) {
				/* `for i := 0; i < 3; i++` counts attempts when the bound is literal
				 * and small, or the counter is named like one */
				size_t tail = nl;
				const char *t = nm;
				while (tail && t) {
					const char *dot = memchr(t, '.', tail);
					if (!dot)
						break;
					tail -= (size_t)(dot - t) + 1;
					t = dot + 1;
				}
				if (k > 0 && k <= 100) {
					lx->counted = true;
					lx->attempts = (int)(ol == 2 ? k + 1 : k);
				} else if (t && lang_is_retry_counter(t, tail)) {
					lx->counted = true;
				}
			}
		}
	} else {
		/* `for cond {}`: a while loop */
		if (kind_of(w, head) == K_TRUE)
			lp->infinite = true;
	}
	return idx;
}

/* --- writes and reads --- */

static void visit_assign(struct walker *w, TSNode n, enum kind k, const struct ctx *c)
{
	TSNode lhs = fld(n, "left"), rhs = fld(n, "right");
	uint32_t nl, nr;

	if (ts_node_is_null(lhs) || ts_node_is_null(rhs))
		return;
	bind_list(w, lhs, BIND_ASSIGN, c, c->loop, ts_span(n), rhs);
	if (k != K_ASSIGN)
		return;
	{
		size_t ol;
		const char *op = ts_wraw(&w->b, fld(n, "operator"), &ol);
		if (!op || ol != 1 || *op != '=')
			return;
	}
	nl = kind_of(w, lhs) == K_EXPR_LIST ? ts_node_named_child_count(lhs) : 1;
	nr = kind_of(w, rhs) == K_EXPR_LIST ? ts_node_named_child_count(rhs) : 1;
	for (uint32_t i = 0; i < nl && i < nr && i < MAX_ARGS; i++) {
		TSNode l = kind_of(w, lhs) == K_EXPR_LIST ? ts_node_named_child(lhs, i) : lhs;
		TSNode r = kind_of(w, rhs) == K_EXPR_LIST ? ts_node_named_child(rhs, i) : rhs;
		const char *target, *field;
		if (kind_of(w, l) != K_SELECTOR || !state_target(w, l, &target, &field))
			continue;
		add_write(w, c, WRITE_ATTR, target, field, r, n, -1, false);
	}
}

/* `Msg{Type: "IDLE"}`, `map[string]any{"type": "IDLE"}` sent, returned or assigned. */
static void visit_keyed(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode key = unwrap(w, fld(n, "key")), val = fld(n, "value");
	size_t l;
	const char *p;
	const char *field;

	if (c->dest == DEST_NONE || ts_node_is_null(key))
		return;
	if (kind_of(w, key) == K_STRING || kind_of(w, key) == K_RAW_STRING)
		p = string_content(w, key, &l);
	else if (kind_of(w, key) == K_IDENT || kind_of(w, key) == K_FIELD_IDENT)
		p = ts_wraw(&w->b, key, &l);
	else
		return;
	if (!p || (!state_name(p, l) && !lang_is_message_key(p, l)))
		return;
	field = copy(w, p, l);
	switch (c->dest) {
	case DEST_CALL:
		add_write(w, c, WRITE_MESSAGE, field, field, val, n, c->carrier, c->carrier >= 0);
		break;
	case DEST_RETURN:
		add_write(w, c, WRITE_RETURN, field, field, val, n, -1,
			  c->func >= 0 && w->b.ff->functions.items[c->func].ndecorators > 0);
		break;
	default:
		add_write(w, c, WRITE_KEY, field, field, val, n, -1, false);
		break;
	}
}

/*
 * `if r.Status != Idle { continue }` in a loop: a guard clause. The rest of
 * the loop body runs only for Idle, so the test selects Idle for it. The
 * consequence must be the `continue` alone (a comment aside), with no else.
 */
static bool continue_guard(struct walker *w, TSNode cmp, const struct ctx *c, struct span *rest)
{
	TSNode ifs = ts_node_parent(cmp), cons;
	uint32_t nc, nstmt = 0;
	bool cont = false;

	while (!ts_node_is_null(ifs) && kind_of(w, ifs) == K_PAREN)
		ifs = ts_node_parent(ifs);
	if (c->loop < 0 || ts_node_is_null(ifs) || kind_of(w, ifs) != K_IF ||
	    !ts_node_is_null(fld(ifs, "alternative")) ||
	    ts_node_start_byte(unwrap(w, fld(ifs, "condition"))) != ts_node_start_byte(cmp))
		return false;
	cons = fld(ifs, "consequence");
	if (ts_node_is_null(cons))
		return false;
	if (ts_node_named_child_count(cons) == 1 && kind_of(w, first_named(cons)) == K_STMT_LIST)
		cons = first_named(cons);
	nc = ts_node_named_child_count(cons);
	for (uint32_t i = 0; i < nc; i++) {
		enum kind k = kind_of(w, ts_node_named_child(cons, i));
		if (k == K_COMMENT)
			continue;
		nstmt++;
		cont = k == K_CONTINUE;
	}
	if (nstmt != 1 || !cont)
		return false;
	*rest = ts_span(ifs);
	rest->line = rest->end_line;
	rest->col = rest->end_col;
	rest->end_line = w->b.ff->loops.items[c->loop].span.end_line;
	rest->end_col = w->b.ff->loops.items[c->loop].span.end_col;
	return true;
}

static void visit_compare(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode l = unwrap(w, fld(n, "left")), r = unwrap(w, fld(n, "right"));
	size_t ol;
	const char *op = ts_wraw(&w->b, fld(n, "operator"), &ol);
	const char *target, *field, *v;
	struct fact_read *rd;

	if (!op || ol != 2 || (memcmp(op, "==", 2) && memcmp(op, "!=", 2)))
		return;
	if (!state_target(w, l, &target, &field)) {
		TSNode t = l;
		l = r;
		r = t;
		if (!state_target(w, l, &target, &field))
			return;
	}
	if (kind_of(w, r) == K_NIL)
		return;
	v = literal_value(w, r, NULL);
	rd = ts_add_read(w->b.ff, where_of(c), READ_COMPARE, target, field, n);
	rd->negated = op[0] == '!';
	if (rd->negated && continue_guard(w, n, c, &rd->body))
		rd->negated = false; /* selects v for the rest of the loop body */
	if (v)
		rd->values = make_list(w, &v, 1);
}

static void visit_switch(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode val = fld(n, "value");
	const char *target, *field, *vals[MAX_VALUES];
	size_t nv = 0;
	uint32_t nc;
	struct fact_read *rd;

	if (ts_node_is_null(val) || !state_target(w, val, &target, &field))
		return;
	nc = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < nc; i++) {
		TSNode cs = ts_node_named_child(n, i), vl;
		uint32_t vc;
		if (kind_of(w, cs) != K_EXPR_CASE)
			continue;
		vl = fld(cs, "value");
		vc = ts_node_is_null(vl) ? 0 : ts_node_named_child_count(vl);
		for (uint32_t j = 0; j < vc && nv < MAX_VALUES; j++) {
			const char *v = literal_value(w, ts_node_named_child(vl, j), NULL);
			if (v)
				vals[nv++] = v;
		}
	}
	rd = ts_add_read(w->b.ff, where_of(c), READ_MATCH, target, field, val);
	rd->values = make_list(w, vals, nv);
	rd->body = ts_span(n);
}

/* `if !w.busy`, `if w.available && ...`: truth tests of state fields. */
static void truth_reads(struct walker *w, const struct ctx *c, TSNode cond)
{
	TSNode stack[16];
	bool neg[16];
	size_t sp = 0, seen = 0;

	stack[sp] = cond;
	neg[sp++] = false;
	while (sp && seen++ < 64) {
		TSNode x = stack[--sp];
		bool ng = neg[sp];
		enum kind k;
		const char *target, *field;
		while (kind_of(w, x) == K_PAREN)
			x = first_named(x);
		k = kind_of(w, x);
		if (k == K_UNARY) {
			size_t l;
			const char *op = ts_wraw(&w->b, fld(x, "operator"), &l);
			if (op && l == 1 && *op == '!' && sp < ARRAY_LEN(stack)) {
				stack[sp] = fld(x, "operand");
				neg[sp++] = !ng;
			}
		} else if (k == K_BINARY) {
			size_t l;
			const char *op = ts_wraw(&w->b, fld(x, "operator"), &l);
			if (op && l == 2 && (!memcmp(op, "&&", 2) || !memcmp(op, "||", 2)) &&
			    sp + 2 <= ARRAY_LEN(stack)) {
				stack[sp] = fld(x, "right");
				neg[sp++] = ng;
				stack[sp] = fld(x, "left");
				neg[sp++] = ng;
			}
		} else if (k == K_SELECTOR && state_target(w, x, &target, &field)) {
			struct fact_read *rd = ts_add_read(w->b.ff, where_of(c), READ_COMPARE,
							   target, field, x);
			const char *v = facts_str(w->b.ff, ng ? "False" : "True", ng ? 5 : 4);
			rd->values = make_list(w, &v, 1);
			rd->truthiness = true;
		}
	}
}

/* --- HTTP handlers registered by name: a synthetic route decorator --- */

static bool is_route_method(const char *m)
{
	static const char *const names[] = {
		"HandleFunc", "Handle", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "Any",
		"Get", "Post", "Put", "Delete", "Patch",
	};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (!strcmp(m, names[i]))
			return true;
	return false;
}

static void route_decorators(struct walker *w)
{
	struct file_facts *ff = w->b.ff;

	for (size_t ci = 0; ci < ff->calls.len; ci++) {
		struct fact_call *call = &ff->calls.items[ci];
		const struct fact_arg *h;
		const char *hname;
		if (!call->method || !is_route_method(call->method) || call->nargs < 2 ||
		    !call->args[0].is_string || !strchr(call->callee, '.'))
			continue;
		h = &call->args[call->nargs - 1];
		if (!h->text)
			continue;
		hname = strrchr(h->text, '.');
		hname = hname ? hname + 1 : h->text;
		/* http.HandlerFunc(h) wraps it */
		for (size_t fi = 0; fi < ff->functions.len; fi++) {
			struct fact_function *f = &ff->functions.items[fi];
			struct fact_decorator *d;
			if (strcmp(f->name, hname) || f->parent >= 0)
				continue;
			d = arena_alloc(&ff->arena, (f->ndecorators + 1) * sizeof(*d));
			if (f->ndecorators)
				memcpy(d, f->decorators, f->ndecorators * sizeof(*d));
			memset(&d[f->ndecorators], 0, sizeof(*d));
			d[f->ndecorators].name = call->callee;
			d[f->ndecorators].args = call->args;
			d[f->ndecorators].nargs = call->nargs;
			d[f->ndecorators].span = call->span;
			d[f->ndecorators].call = (int)ci;
			f->decorators = d;
			f->ndecorators++;
			break;
		}
	}
}

/* --- retry loops --- */

static void find_retries(struct walker *w)
{
	struct file_facts *ff = w->b.ff;

	for (size_t i = 0; i < ff->handlers.len; i++) {
		const struct fact_handler *h = &ff->handlers.items[i];
		struct lextra *lx;
		const struct fact_loop *lp;
		struct fact_retry *r;
		bool around;

		if (h->kind != HANDLER_ERRCHECK || h->loop < 0 || h->types.len)
			continue;
		around = (!h->reraises && !w->hx.items[i].direct_exit && !h->breaks) || h->continues;
		if (!around)
			continue;
		lx = &w->lx.items[h->loop];
		lp = &ff->loops.items[h->loop];
		if (lx->retry_done)
			continue;
		if (!lx->counted && !(lp->infinite && lx->exits))
			continue;
		if (lp->iter.line)
			continue; /* a range loop visits items; it does not retry */
		lx->retry_done = true;
		r = VEC_PUSH(&ff->retries);
		r->kind = RETRY_LOOP;
		r->source = facts_str(ff, "for-loop", 8);
		r->attempts = lx->attempts;
		r->span = lp->span;
		r->scope = lp->span;
		r->func = lp->func;
		r->call = -1;
	}
}

/* --- the walk --- */

/* Does the return statement's value mention `var`? */
static bool returns_var(struct walker *w, TSNode ret, const char *var)
{
	const char *names[FACT_MAX_NAMES];
	size_t nn = 0;
	if (!var)
		return false;
	names_in(w, ret, names, &nn, FACT_MAX_NAMES);
	for (size_t i = 0; i < nn; i++)
		if (!strcmp(names[i], var))
			return true;
	return false;
}

static void visit(struct walker *w, TSNode node, enum kind k, const struct ctx *c,
		  struct visit *v, bool *is_range)
{
	struct file_facts *ff = w->b.ff;

	switch (k) {
	case K_IMPORT_SPEC:
		add_import(w, node);
		break;
	case K_FUNC_DECL: case K_METHOD_DECL:
		v->func = visit_function(w, node, k, c);
		break;
	case K_CALL:
		v->call = visit_call(w, node, c);
		break;
	case K_IF:
		v->handler = visit_if(w, node, c);
		{
			TSNode cons = fld(node, "consequence");
			v->cond_body = ts_span(ts_node_is_null(cons) ? node : cons);
			if (v->handler < 0) {
				struct ctx cc = *c;
				cc.has_cond = true;
				cc.cond_body = v->cond_body;
				cc.select = c->select || c->in_for;
				truth_reads(w, &cc, fld(node, "condition"));
			}
		}
		break;
	case K_TYPE_SWITCH:
		visit_type_switch(w, node, c);
		break;
	case K_FOR:
		v->loop = visit_loop(w, node, c, v, is_range);
		break;
	case K_RETURN:
		if (c->handler_nl >= 0 &&
		    returns_var(w, node, ff->handlers.items[c->handler_nl].var))
			ff->handlers.items[c->handler_nl].reraises = true;
		else if (c->handler_direct >= 0)
			w->hx.items[c->handler_direct].direct_exit = true;
		if (c->loop >= 0 && c->handler_nl < 0)
			w->lx.items[c->loop].exits = true;
		break;
	case K_CONTINUE:
		if (c->handler_nl >= 0)
			ff->handlers.items[c->handler_nl].continues = true;
		break;
	case K_BREAK:
		if (c->handler_nl >= 0)
			ff->handlers.items[c->handler_nl].breaks = true;
		if (c->loop >= 0 && c->handler_nl < 0)
			w->lx.items[c->loop].exits = true;
		break;
	case K_ASSIGN: case K_SHORT_VAR:
		visit_assign(w, node, k, c);
		break;
	case K_VAR_SPEC:
		visit_var_spec(w, node);
		break;
	case K_KEYED:
		visit_keyed(w, node, c);
		break;
	case K_BINARY:
		visit_compare(w, node, c);
		break;
	case K_EXPR_SWITCH:
		visit_switch(w, node, c);
		break;
	default:
		break;
	}
}

static void derive(struct walker *w, struct ctx *c, const struct ctx *b, enum kind pk,
		   const char *fname, enum kind ck, const struct visit *v, bool pk_range)
{
	*c = *b;
	c->handler_direct = -1;
	c->parent_kind = (unsigned char)pk;
	switch (pk) {
	case K_CALL:
		if (fname && !strcmp(fname, "arguments")) {
			c->carrier = b->carrier >= 0 ? b->carrier : v->call;
			c->dest = DEST_CALL;
		}
		break;
	case K_RETURN:
		c->in_return = true;
		c->dest = DEST_RETURN;
		break;
	case K_FUNC_DECL: case K_METHOD_DECL:
		if (fname && !strcmp(fname, "body")) {
			c->func = v->func;
			c->handler = c->handler_nl = c->loop = c->guard = c->carrier = -1;
			c->dest = DEST_NONE;
			c->has_cond = c->select = c->in_for = c->in_return = false;
		}
		break;
	case K_FUNC_LIT:
		if (fname && !strcmp(fname, "body")) {
			c->carrier = -1;
			c->in_return = false;
			c->dest = DEST_NONE;
			c->handler_nl = -1;
		}
		break;
	case K_IF:
		if (fname && !strcmp(fname, "condition")) {
			c->has_cond = true;
			c->cond_body = v->cond_body;
			c->select = b->select || b->in_for;
		} else if (fname && !strcmp(fname, "initializer") && v->handler >= 0) {
			c->guard = v->handler;
		} else if (fname && !strcmp(fname, "consequence") && v->handler >= 0) {
			c->handler = c->handler_nl = v->handler;
			c->handler_direct = -2; /* marker: the block's statements are direct */
		}
		break;
	case K_BLOCK: case K_STMT_LIST:
		c->handler_direct = b->handler_direct == -2 ? b->handler : -1;
		if (b->handler_direct == -2 && pk == K_BLOCK && ck == K_STMT_LIST)
			c->handler_direct = -2;
		c->has_cond = c->select = c->in_return = false;
		c->carrier = -1;
		c->dest = DEST_NONE;
		break;
	case K_FOR:
		if (fname && !strcmp(fname, "body")) {
			c->loop = v->loop;
			c->handler_nl = -1;
			c->in_for = c->in_for || pk_range;
		}
		break;
	case K_ASSIGN: case K_SHORT_VAR:
		if (fname && !strcmp(fname, "right"))
			c->dest = DEST_ASSIGN;
		break;
	default:
		break;
	}
	(void)w;
}

struct levelx {
	bool is_range;
};
typedef VEC(struct levelx) levelxvec;

/* What the walk carries besides the walker: a parallel stack of per-level extras. */
struct walk_state {
	struct walker *w;
	levelxvec lxs;
};

static bool enter(void *user, TSTreeCursor *cur)
{
	struct walk_state *ws = user;
	struct walker *w = ws->w;
	levelxvec *lxs = &ws->lxs;
	size_t p = w->levels.len - 1;
	struct level *lv = VEC_PUSH(&w->levels);
	struct level *pl = &w->levels.items[p];
	const char *fname = ts_tree_cursor_current_field_name(cur);
	struct levelx *x = VEC_PUSH(lxs);
	bool prange = lxs->items[p].is_range;

	lv->node = ts_tree_cursor_current_node(cur);
	lv->kind = (unsigned char)kind_of(w, lv->node);
	if (!ts_node_is_named(lv->node) || lv->kind == K_COMMENT) {
		lv->skip = true;
		return false;
	}
	lv->v = (struct visit){ .call = -1, .func = -1, .loop = -1, .handler = -1 };
	derive(w, &lv->ctx, &pl->ctx, (enum kind)pl->kind, fname, (enum kind)lv->kind, &pl->v, prange);
	if ((pl->kind == K_ASSIGN || pl->kind == K_SHORT_VAR) && fname && !strcmp(fname, "right"))
		lv->ctx.dest_left = fld(pl->node, "left");
	visit(w, lv->node, (enum kind)lv->kind, &lv->ctx, &lv->v, &x->is_range);
	lxs->items[lxs->len - 1].is_range = x->is_range;
	return !w->levels.items[w->levels.len - 1].skip;
}

static void leave(void *user)
{
	struct walk_state *ws = user;

	ws->w->levels.len--;
	ws->lxs.len--;
}

static void walk(struct walker *w, TSNode root)
{
	struct level *top = VEC_PUSH(&w->levels);
	struct walk_state ws = { w, { 0 } };
	bool r = false;

	VEC_PUSH(&ws.lxs);
	top->node = root;
	top->kind = (unsigned char)kind_of(w, root);
	top->ctx.func = top->ctx.handler = top->ctx.handler_nl = top->ctx.handler_direct = -1;
	top->ctx.loop = top->ctx.guard = top->ctx.carrier = -1;
	top->v = (struct visit){ .call = -1, .func = -1, .loop = -1, .handler = -1 };
	visit(w, root, (enum kind)top->kind, &top->ctx, &top->v, &r);

	ts_walk(w->b.ff, root, !w->levels.items[0].skip, enter, leave, &ws);
	VEC_FREE(&ws.lxs);
}

static unsigned char *kinds;
static uint32_t nkinds;
static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;

static void init_kinds(void)
{
	nkinds = ts_kind_table(tree_sitter_go(), kind_names, ARRAY_LEN(kind_names), &kinds);
}

/* --- parsing --- */

int go_extract(const char *src, size_t len, struct file_facts *ff)
{
	const TSLanguage *lang = tree_sitter_go();
	TSTree *tree;
	struct walker w;
	TSNode root;

	if (ts_file_begin(ff, src, len))
		return -1;

	if (ts_file_parse(lang, "go", src, len, ff, &tree))
		return -1;
	root = ts_tree_root_node(tree);
	memset(&w, 0, sizeof(w));
	strbuf_init(&w.sb);
	pthread_once(&kinds_once, init_kinds);
	ts_walker_init(&w.b, ff, src, len, kinds, nkinds, root);
	walk(&w, root);
	route_decorators(&w);
	find_retries(&w);
	ts_walker_release(&w.b);
	VEC_FREE(&w.levels);
	VEC_FREE(&w.hx);
	VEC_FREE(&w.lx);
	strbuf_release(&w.sb);
	ts_collect_consts(ff, tree, src, len);
	ts_tree_delete(tree);
	return 0;
}
