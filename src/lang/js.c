/*
 * The JavaScript / TypeScript / TSX front-end: one tree-sitter parse, one
 * walk, facts out. The grammar follows ff->lang (LANG_JAVASCRIPT,
 * LANG_TYPESCRIPT, LANG_TSX); the three share node names, so one walker
 * serves them, with a kind table per grammar.
 *
 * Same shape as python.c: one pre-order pass of a single TSTreeCursor with
 * a heap stack of levels mirroring the cursor's path (no recursion over the
 * tree), each level carrying the context its node sits in. The only second
 * pass is the retry-loop one.
 *
 * JS idioms and the facts they make:
 * - try/catch/finally: HANDLER_EXCEPT / HANDLER_FINALLY. `catch (e)` has no
 *   type; the types are what the catch body tests: `e instanceof X` gives
 *   "X", `e.code === 'ECONNREFUSED'` / `e.name === 'AbortError'` give the
 *   string. None: a catch-all.
 * - `p.catch(cb)`, `p.then(ok, cb)`: HANDLER_CALLBACK whose body is cb and
 *   whose guarded region is the promise expression `p`.
 * - `x.on('close'|'error'|..., cb)`, `x.addEventListener(...)`,
 *   `x.onclose = cb`: HANDLER_CALLBACK whose types are the event name.
 * - Every function-like node (declarations, methods, arrows, function
 *   expressions) is a function fact; `constructor` is_constructor.
 * - `app.get('/path', handler)`: the handler function gets a synthetic
 *   decorator whose call is that registration (the models say whether it
 *   is an HTTP route), as Python's `@app.get("/path")`.
 * - `new X(...)` is a call whose callee is `X`.
 * - `import ... from 'm'` and `const x = require('m')` are imports.
 *
 * Everything here is syntax: what a call means is models_resolve()'s.
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

const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);

enum kind {
	K_OTHER = 0, K_COMMENT, K_IMPORT, K_IMPORT_CLAUSE, K_NAMESPACE_IMPORT, K_NAMED_IMPORTS,
	K_IMPORT_SPEC, K_FUNCDECL, K_FUNCEXPR, K_ARROW, K_METHOD, K_CLASS, K_CALL, K_NEW,
	K_MEMBER, K_SUBSCRIPT, K_IDENT, K_PROP_IDENT, K_THIS, K_ARGS, K_AWAIT, K_TRY,
	K_CATCH, K_FINALLY, K_THROW, K_RETURN, K_CONTINUE, K_BREAK, K_FOR, K_FOR_IN,
	K_WHILE, K_DO, K_IF, K_ELSE, K_ASSIGN, K_AUGASSIGN, K_UPDATE, K_VARDECL, K_STRING,
	K_TEMPLATE, K_NUMBER, K_TRUE, K_FALSE, K_NULL, K_UNDEFINED, K_UNARY, K_BINARY,
	K_OBJECT, K_PAIR, K_ARRAY, K_PAREN, K_BLOCK, K_SWITCH, K_CASE, K_DEFAULT,
	K_TERNARY, K_WRAP, K_FIELD_DEF, K_SUPER, K_OBJ_PATTERN, K_ARR_PATTERN,
	K_SHORTHAND_PAT, K_PAIR_PAT, K_SEQUENCE, K_STRING_FRAG,
};

static const struct ts_kind_name kind_names[] = {
	{ "comment", K_COMMENT }, { "import_statement", K_IMPORT },
	{ "import_clause", K_IMPORT_CLAUSE }, { "namespace_import", K_NAMESPACE_IMPORT },
	{ "named_imports", K_NAMED_IMPORTS }, { "import_specifier", K_IMPORT_SPEC },
	{ "function_declaration", K_FUNCDECL },
	{ "generator_function_declaration", K_FUNCDECL },
	{ "function_expression", K_FUNCEXPR }, { "function", K_FUNCEXPR },
	{ "generator_function", K_FUNCEXPR }, { "arrow_function", K_ARROW },
	{ "method_definition", K_METHOD }, { "class_declaration", K_CLASS },
	{ "class", K_CLASS }, { "abstract_class_declaration", K_CLASS },
	{ "call_expression", K_CALL }, { "new_expression", K_NEW },
	{ "member_expression", K_MEMBER }, { "subscript_expression", K_SUBSCRIPT },
	{ "identifier", K_IDENT }, { "property_identifier", K_PROP_IDENT },
	{ "private_property_identifier", K_PROP_IDENT },
	{ "shorthand_property_identifier", K_IDENT }, { "this", K_THIS },
	{ "super", K_SUPER }, { "arguments", K_ARGS }, { "await_expression", K_AWAIT },
	{ "try_statement", K_TRY }, { "catch_clause", K_CATCH },
	{ "finally_clause", K_FINALLY }, { "throw_statement", K_THROW },
	{ "return_statement", K_RETURN }, { "continue_statement", K_CONTINUE },
	{ "break_statement", K_BREAK }, { "for_statement", K_FOR },
	{ "for_in_statement", K_FOR_IN }, { "while_statement", K_WHILE },
	{ "do_statement", K_DO }, { "if_statement", K_IF }, { "else_clause", K_ELSE },
	{ "assignment_expression", K_ASSIGN },
	{ "augmented_assignment_expression", K_AUGASSIGN },
	{ "update_expression", K_UPDATE }, { "variable_declarator", K_VARDECL },
	{ "string", K_STRING }, { "template_string", K_TEMPLATE }, { "number", K_NUMBER },
	{ "true", K_TRUE }, { "false", K_FALSE }, { "null", K_NULL },
	{ "undefined", K_UNDEFINED }, { "unary_expression", K_UNARY },
	{ "binary_expression", K_BINARY }, { "object", K_OBJECT }, { "pair", K_PAIR },
	{ "array", K_ARRAY }, { "parenthesized_expression", K_PAREN },
	{ "statement_block", K_BLOCK }, { "switch_statement", K_SWITCH },
	{ "switch_case", K_CASE }, { "switch_default", K_DEFAULT },
	{ "ternary_expression", K_TERNARY }, { "as_expression", K_WRAP },
	{ "non_null_expression", K_WRAP }, { "satisfies_expression", K_WRAP },
	{ "type_assertion", K_WRAP }, { "public_field_definition", K_FIELD_DEF },
	{ "field_definition", K_FIELD_DEF }, { "object_pattern", K_OBJ_PATTERN },
	{ "array_pattern", K_ARR_PATTERN },
	{ "shorthand_property_identifier_pattern", K_SHORTHAND_PAT },
	{ "pair_pattern", K_PAIR_PAT }, { "sequence_expression", K_SEQUENCE },
	{ "string_fragment", K_STRING_FRAG },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS 64
#define MAX_VALUES 16
#define MAX_CHAIN 64
#define SCAN_BUDGET 4096
#define MINIFIED_MIN_BYTES (32 * 1024) /* below this a long-lined file is analysed anyway */
#define MINIFIED_AVG_LINE 1000         /* average bytes per line above which a file is minified */

enum dest { DEST_NONE, DEST_ASSIGN, DEST_RETURN, DEST_CALL };

static bool is_func_kind(enum kind k)
{
	return k == K_FUNCDECL || k == K_FUNCEXPR || k == K_ARROW || k == K_METHOD;
}

struct ctx {
	int func;
	int handler;        /* innermost handler body holding the node */
	int handler_nl;     /* ...with no loop in between */
	int handler_block;  /* one-shot: set on a handler's body block */
	int handler_direct; /* one-shot: the handler whose body block is the node's parent */
	int fn_handler;     /* one-shot: a callback function that is a handler's body */
	int loop;
	int guard;
	int exit_try;
	int carrier;
	int route_call;     /* one-shot: this function is registered by that call */
	int cb_handler;     /* for the arguments of a call: the handler its callback is */
	int cb_call;        /* ...and the call */
	uint32_t cb_start;  /* ...and the callback's start byte */
	const char *cls;
	const char *fn_name; /* one-shot: the name a function expression is bound to */
	struct span cond_body;
	TSNode dest_left;
	unsigned char dest;
	unsigned char parent_kind;
	bool has_cond;
	bool select;
	bool in_for;
	bool in_return;
	bool awaited;
	bool reply;         /* in the arguments of res.json()/res.send(): a route's reply */
};

static struct ts_where where_of(const struct ctx *c)
{
	return (struct ts_where){ c->func, c->handler, c->select, c->has_cond, c->cond_body };
}

struct visit {
	int call, func, loop, try_first, cb_handler;
	uint32_t cb_start;
	const char *cls;
	struct span cond_body;
	bool select_call, reply_call;
};

struct level {
	TSNode node;
	struct ctx ctx;
	struct visit v;
	unsigned char kind;
	bool skip;
};

struct field_ids {
	TSFieldId name, alias, body, function, arguments, object, property, index, value, key,
		  left, right, condition, consequence, alternative, handler, finalizer, parameter,
		  parameters, source, argument, constructor, initializer, increment, pattern,
		  operator;
};

struct walker {
	struct ts_walker b; /* first: the part all front-ends share */
	struct field_ids f;
	VEC(struct level) levels;
	VEC(struct ts_hextra) hx;
	VEC(struct ts_lextra) lx;
	struct strbuf sb;
};

static enum kind kind_of(const struct walker *w, TSNode n)
{
	return (enum kind)ts_kind(&w->b, n);
}

/* Through parentheses and TS wrappers (`x as T`, `x!`) to the expression. */
static TSNode unwrap(struct walker *w, TSNode n)
{
	for (int i = 0; i < MAX_CHAIN && !ts_node_is_null(n); i++) {
		enum kind k = kind_of(w, n);
		if (k != K_PAREN && k != K_WRAP)
			break;
		n = ts_first_named(&w->b, n);
	}
	return n;
}

/* A string's content without its quotes; a template with substitutions is not a literal. */
static const char *string_content(struct walker *w, TSNode n, size_t *len)
{
	const char *p = ts_wraw(&w->b, n, len);

	if (!p || *len < 2)
		return NULL;
	*len -= 2;
	return p + 1;
}

static bool is_plain_template(TSNode n)
{
	return ts_node_named_child_count(n) == 0 ||
	       (ts_node_named_child_count(n) == 1 &&
		!strcmp(ts_node_type(ts_node_named_child(n, 0)), "string_fragment"));
}

static bool is_stringish(struct walker *w, TSNode n)
{
	enum kind k = kind_of(w, n);
	return k == K_STRING || (k == K_TEMPLATE && is_plain_template(n));
}

/* Identifiers joined by dots: `a`, `this.x`, `WorkerStatus.IDLE`. */
static bool is_dotted(struct walker *w, TSNode n)
{
	for (int i = 0; i < MAX_CHAIN && !ts_node_is_null(n); i++) {
		enum kind k = kind_of(w, n);
		if (k == K_IDENT || k == K_THIS)
			return true;
		if (k != K_MEMBER)
			return false;
		n = ts_field_id(n, w->f.object);
	}
	return false;
}

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
	case K_STRING: case K_TEMPLATE:
		if (!is_stringish(w, n))
			return NULL;
		if (is_string)
			*is_string = true;
		p = string_content(w, n, &l);
		return p ? ts_wcopy(&w->b, p, l) : NULL;
	case K_NUMBER: case K_TRUE: case K_FALSE: case K_NULL: case K_UNDEFINED:
		return ts_wtext(&w->b, n);
	case K_UNARY: {
		enum kind k = kind_of(w, ts_field_id(n, w->f.argument));
		size_t ol;
		const char *op = ts_wraw(&w->b, ts_field_id(n, w->f.operator), &ol);
		return k == K_NUMBER && op && ol == 1 && *op == '-' ? ts_wtext(&w->b, n) : NULL;
	}
	case K_MEMBER:
		return is_dotted(w, n) ? ts_wtext(&w->b, n) : NULL;
	default:
		return NULL;
	}
}

/* A callee as written with call arguments and subscripts elided: `a.b().c`. */
static const char *callee_text(struct walker *w, TSNode n)
{
	struct ts_link chain[MAX_CHAIN];
	int depth = 0;

	while (depth < MAX_CHAIN && !ts_node_is_null(n)) {
		enum kind k = kind_of(w, n);
		struct ts_link link = { .kind = TS_LINK_NONE };
		TSNode next;
		if (k == K_MEMBER) {
			next = ts_field_id(n, w->f.object);
			link = (struct ts_link){ ts_field_id(n, w->f.property), TS_LINK_MEMBER };
		} else if (k == K_SUBSCRIPT) {
			next = ts_field_id(n, w->f.object);
			link.kind = TS_LINK_INDEX;
		} else if (k == K_CALL) {
			next = ts_field_id(n, w->f.function);
			link.kind = TS_LINK_CALL;
		} else if (k == K_WRAP || k == K_PAREN || k == K_AWAIT) {
			next = ts_first_named(&w->b, n);
		} else {
			break;
		}
		if (ts_node_is_null(next))
			break;
		chain[depth++] = link;
		n = next;
	}
	strbuf_reset(&w->sb);
	if (kind_of(w, n) == K_NEW)
		n = ts_field_id(n, w->f.constructor);
	ts_sb_add_node(&w->b, &w->sb, n);
	ts_sb_add_chain(&w->b, &w->sb, chain, depth);
	return ts_wcopy(&w->b, w->sb.buf, w->sb.len);
}

static size_t values_of(struct walker *w, TSNode n, const char **out, size_t max)
{
	size_t nv = 0, base;

	n = unwrap(w, n);
	if (ts_node_is_null(n))
		return 0;
	if (kind_of(w, n) != K_ARRAY) {
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

/* State-like names, camelCase included: `status`, `jobStatus`, `isReady`, `busy`. */
static bool state_name(const char *p, size_t l)
{
	static const char *const camel[] = { "Status", "State", "Phase", "Stage" };
	if (!p || !l)
		return false;
	if (lang_is_state_field(p, l))
		return true;
	for (size_t i = 0; i < ARRAY_LEN(camel); i++) {
		size_t k = strlen(camel[i]);
		if (l > k && !memcmp(p + l - k, camel[i], k) && p[l - k - 1] >= 'a' && p[l - k - 1] <= 'z')
			return true;
	}
	if (l > 2 && p[0] == 'i' && p[1] == 's' && p[2] >= 'A' && p[2] <= 'Z')
		return true;
	return false;
}

static bool is_state_node(struct walker *w, TSNode n)
{
	size_t l;
	const char *p = ts_wraw(&w->b, n, &l);
	return p && state_name(p, l);
}

/* --- facts --- */

static void fill_arg(struct walker *w, struct fact_arg *a, TSNode n)
{
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
	if (kind_of(w, args) == K_TEMPLATE) { /* tagged template: one argument */
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

/* Calls whose callback chooses one or some among several. */
static bool is_select_call(const char *m)
{
	static const char *const names[] = {
		"find", "filter", "findIndex", "findLast", "some", "every", "sort", "min",
		"max", "minBy", "maxBy", "pick", "select",
	};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (!strcmp(m, names[i]))
			return true;
	return false;
}

/* Events whose callback handles an ending or a failure. */
static bool is_failure_event(const char *e, size_t n)
{
	static const char *const names[] = {
		"error", "close", "end", "exit", "disconnect", "disconnected", "timeout",
		"abort", "aborted", "failed", "crash", "messageerror", "connect_error",
		"offline", "stalled",
	};
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (strlen(names[i]) == n && !strncmp(e, names[i], n))
			return true;
	return false;
}

/* --- data flow: names used, names bound --- */

#define NAMES_BUDGET 512

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
		case K_IDENT: case K_THIS:
			s = ts_wtext(&w->b, x);
			if (!ts_name_seen(out, *n, s))
				out[(*n)++] = s;
			continue;
		case K_MEMBER:
			if (is_dotted(w, x)) {
				s = callee_text(w, x);
				if (!ts_name_seen(out, *n, s))
					out[(*n)++] = s;
			} else if (sp < ARRAY_LEN(stack)) {
				stack[sp++] = ts_field_id(x, w->f.object);
			}
			continue;
		case K_CALL: case K_NEW:
			fn = k == K_CALL ? ts_field_id(x, w->f.function) : ts_field_id(x, w->f.constructor);
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(ts_field_id(x, w->f.arguments)))
				stack[sp++] = ts_field_id(x, w->f.arguments);
			if (sp < ARRAY_LEN(stack) && kind_of(w, fn) == K_MEMBER)
				stack[sp++] = ts_field_id(fn, w->f.object);
			else if (sp < ARRAY_LEN(stack) && kind_of(w, fn) != K_IDENT && !ts_node_is_null(fn))
				stack[sp++] = fn;
			continue;
		case K_PAIR:
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(ts_field_id(x, w->f.value)))
				stack[sp++] = ts_field_id(x, w->f.value);
			continue;
		case K_ARROW:
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(ts_field_id(x, w->f.body)))
				stack[sp++] = ts_field_id(x, w->f.body);
			continue;
		case K_COMMENT: case K_FUNCDECL: case K_FUNCEXPR: case K_CLASS: case K_METHOD:
		case K_PROP_IDENT:
			continue;
		default:
			break;
		}
		nc = ts_node_named_child_count(x);
		for (uint32_t i = nc; i > 0 && sp < ARRAY_LEN(stack); i--)
			stack[sp++] = ts_node_named_child(x, i - 1);
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

/* Bind each name of a target (`x`, `this.x`, `{a, b: c}`, `[a, b]`). */
static void bind_targets(struct walker *w, TSNode t, enum binding_kind kind, int func, int loop,
			 struct span at, const char **names, size_t nn)
{
	TSNode stack[32];
	size_t sp = 0;
	int pos = 0;

	if (ts_node_is_null(t))
		return;
	stack[sp++] = t;
	while (sp) {
		TSNode x = stack[--sp];
		enum kind k = kind_of(w, x);
		if (k == K_IDENT || k == K_SHORTHAND_PAT || (k == K_MEMBER && is_dotted(w, x))) {
			add_binding(w, kind,
				    k == K_MEMBER ? callee_text(w, x) : ts_wtext(&w->b, x), func,
				    loop, pos++, at, names, nn);
		} else if (k == K_PAIR_PAT) {
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(ts_field_id(x, w->f.value)))
				stack[sp++] = ts_field_id(x, w->f.value);
		} else if (k == K_OBJ_PATTERN || k == K_ARR_PATTERN || k == K_PAREN) {
			uint32_t nc = ts_node_named_child_count(x);
			for (uint32_t i = nc; i > 0 && sp < ARRAY_LEN(stack); i--)
				stack[sp++] = ts_node_named_child(x, i - 1);
		} else if (!strcmp(ts_node_type(x), "assignment_pattern") ||
			   !strcmp(ts_node_type(x), "object_assignment_pattern")) {
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(ts_field_id(x, w->f.left)))
				stack[sp++] = ts_field_id(x, w->f.left);
		}
	}
}

static void dataflow_params(struct walker *w, int func, TSNode def)
{
	TSNode params = ts_field_id(def, w->f.parameters);
	uint32_t nc;
	int pos = 0;

	if (ts_node_is_null(params)) {
		TSNode one = ts_field_id(def, w->f.parameter); /* x => ... */
		if (!ts_node_is_null(one) && kind_of(w, one) == K_IDENT)
			add_binding(w, BIND_PARAM, ts_wtext(&w->b, one), func, -1, 0, ts_span(one),
				    NULL, 0);
		return;
	}
	nc = ts_node_named_child_count(params);
	for (uint32_t i = 0; i < nc && i < MAX_ARGS; i++) {
		TSNode p = ts_node_named_child(params, i), id = p;
		if (kind_of(w, p) == K_COMMENT)
			continue;
		if (kind_of(w, id) != K_IDENT) {
			TSNode pat = ts_field_id(p, w->f.pattern);
			if (ts_node_is_null(pat))
				pat = ts_field_id(p, w->f.left);
			if (ts_node_is_null(pat))
				pat = ts_node_named_child(p, 0);
			id = pat;
		}
		if (!ts_node_is_null(id) && (kind_of(w, id) == K_OBJ_PATTERN ||
					     kind_of(w, id) == K_ARR_PATTERN)) {
			/* ({ topic, partition, message }) => ...: each name is a parameter */
			bind_targets(w, id, BIND_PARAM, func, -1, ts_span(p), NULL, 0);
			pos++;
			continue;
		}
		if (ts_node_is_null(id) || kind_of(w, id) != K_IDENT) {
			pos++;
			continue;
		}
		add_binding(w, BIND_PARAM, ts_wtext(&w->b, id), func, -1, pos++, ts_span(p), NULL,
			    0);
	}
}

/* The level index of the nearest ancestor, skipping await, parentheses and TS wrappers. */
static size_t value_parent(struct walker *w, size_t top)
{
	size_t p = top;
	while (p > 0) {
		enum kind k = (enum kind)w->levels.items[p - 1].kind;
		p--;
		if (k != K_AWAIT && k != K_PAREN && k != K_WRAP)
			return p;
	}
	return 0;
}

/* The statements after which a block is left (AP-2: a call that ends one). */
static const unsigned char exit_kinds[] = { K_RETURN, K_CONTINUE, K_BREAK, K_THROW };

static void dataflow_call(struct walker *w, int idx, TSNode fn, TSNode args, const struct ctx *c)
{
	const char *names[FACT_MAX_NAMES];
	size_t nn = 0, top = w->levels.len - 1, p;
	struct fact_call *call;

	if (kind_of(w, fn) == K_MEMBER)
		names_in(w, ts_field_id(fn, w->f.object), names, &nn, FACT_MAX_NAMES);
	else if (kind_of(w, fn) != K_IDENT)
		names_in(w, fn, names, &nn, FACT_MAX_NAMES);
	names_in(w, args, names, &nn, FACT_MAX_NAMES);
	call = &w->b.ff->calls.items[idx];
	call->names = ts_list(w->b.ff, names, nn);

	for (size_t i = top, steps = 0; i > 0 && steps < 256; i--, steps++) {
		const struct level *lv = &w->levels.items[i];
		enum kind k = (enum kind)lv->kind, pk;
		if (is_func_kind(k) || k == K_CLASS)
			break;
		if (k != K_BLOCK && k != K_CASE && k != K_DEFAULT)
			continue;
		call->block = ts_span(lv->node);
		call->block_exits = ts_block_exits(&w->b, lv->node, exit_kinds,
						   ARRAY_LEN(exit_kinds));
		pk = (enum kind)w->levels.items[i - 1].kind;
		call->conditional = k == K_CASE || k == K_DEFAULT || pk == K_IF || pk == K_ELSE ||
			pk == K_CATCH;
		break;
	}

	if (top < 2)
		return;
	p = value_parent(w, top);
	if (w->levels.items[p].kind == K_VARDECL || w->levels.items[p].kind == K_ASSIGN) {
		struct span as = ts_span(w->levels.items[p].node);
		for (size_t b = w->b.ff->bindings.len; b > 0; b--) {
			struct fact_binding *bd = &w->b.ff->bindings.items[b - 1];
			if (bd->kind != BIND_ASSIGN || memcmp(&bd->span, &as, sizeof(as)))
				break;
			if (bd->call < 0)
				bd->call = idx;
		}
	} else if (w->levels.items[p].kind == K_FOR_IN && w->levels.items[p].v.loop >= 0) {
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

/* --- handlers --- */

static int add_handler(struct walker *w, enum handler_kind kind, struct span body,
		       struct span guarded, int func, int loop, int try_first)
{
	int idx = (int)w->b.ff->handlers.len;
	struct fact_handler *h = VEC_PUSH(&w->b.ff->handlers);
	struct ts_hextra *x = VEC_PUSH(&w->hx);

	h->kind = kind;
	h->span = body;
	h->guarded = guarded;
	h->cls = FAIL_UNKNOWN;
	h->func = func;
	h->loop = loop;
	x->try_first = try_first < 0 ? idx : try_first;
	return idx;
}

/* Does `n` name the caught variable (`e`, `err`)? */
static bool is_var(struct walker *w, TSNode n, const char *var)
{
	n = unwrap(w, n);
	return var && kind_of(w, n) == K_IDENT && ts_text_eq(n, w->b.src, w->b.len, var);
}

/*
 * The types a catch body tests its variable against: `e instanceof X`
 * gives X; `e.code === 'ECONNREFUSED'`, `e.name === 'AbortError'`,
 * `err?.code == "ETIMEDOUT"` give the string. Nested functions are not
 * looked into; the scan has a node budget.
 */
static void catch_types(struct walker *w, struct fact_handler *h, TSNode body)
{
	const char *types[MAX_VALUES];
	size_t nt = 0, budget = SCAN_BUDGET;
	TSNode stack[64];
	size_t sp = 0;

	if (!h->var || ts_node_is_null(body))
		return;
	stack[sp++] = body;
	while (sp && budget-- && nt < MAX_VALUES) {
		TSNode x = stack[--sp];
		enum kind k = kind_of(w, x);
		uint32_t nc;

		if (is_func_kind(k) || k == K_CLASS)
			continue;
		if (k == K_BINARY) {
			TSNode l = ts_field_id(x, w->f.left), r = ts_field_id(x, w->f.right);
			size_t ol;
			const char *op = ts_wraw(&w->b, ts_field_id(x, w->f.operator), &ol);
			if (op && ol == 10 && !memcmp(op, "instanceof", 10) && is_var(w, l, h->var)) {
				const char *t = callee_text(w, unwrap(w, r));
				if (t && *t && !ts_name_seen(types, nt, t))
					types[nt++] = t;
			} else if (op && (ol == 2 || ol == 3) && op[0] == '=' && op[1] == '=') {
				TSNode m = unwrap(w, l), lit = r;
				if (kind_of(w, m) != K_MEMBER) {
					m = unwrap(w, r);
					lit = l;
				}
				if (kind_of(w, m) == K_MEMBER && is_var(w, ts_field_id(m, w->f.object), h->var)) {
					TSNode prop = ts_field_id(m, w->f.property);
					const char *v = literal_value(w, lit, NULL);
					if (v && *v && (ts_text_eq(prop, w->b.src, w->b.len, "code") ||
							ts_text_eq(prop, w->b.src, w->b.len, "name") ||
							ts_text_eq(prop, w->b.src, w->b.len, "type")) &&
					    !ts_name_seen(types, nt, v))
						types[nt++] = v;
				}
			}
		}
		nc = ts_node_named_child_count(x);
		for (uint32_t i = nc; i > 0 && sp < ARRAY_LEN(stack); i--)
			stack[sp++] = ts_node_named_child(x, i - 1);
	}
	h->types = ts_list(w->b.ff, types, nt);
}

static int visit_try(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode body = ts_field_id(n, w->f.body), cat = ts_field_id(n, w->f.handler), fin = ts_field_id(n, w->f.finalizer);
	struct span guarded = ts_span(ts_node_is_null(body) ? n : body);
	int first = -1;

	if (!ts_node_is_null(cat)) {
		TSNode param = ts_field_id(cat, w->f.parameter), cbody = ts_field_id(cat,
										     w->f.body);
		int h = add_handler(w, HANDLER_EXCEPT, ts_span(cat), guarded, c->func, c->loop, -1);
		first = h;
		if (!ts_node_is_null(param) && kind_of(w, param) == K_IDENT) {
			w->b.ff->handlers.items[h].var = ts_wtext(&w->b, param);
			catch_types(w, &w->b.ff->handlers.items[h], cbody);
		}
	}
	if (!ts_node_is_null(fin)) {
		int h = add_handler(w, HANDLER_FINALLY, ts_span(fin), guarded, c->func, c->loop, first);
		if (first < 0)
			first = h;
	}
	return first;
}

/*
 * Callback handlers made by a call: `p.catch(cb)`, `p.then(ok, cb)`,
 * `x.on('close', cb)`, `x.addEventListener('error', cb)`. Returns the
 * handler index and the callback node through *cb, or -1.
 */
static int callback_handler(struct walker *w, TSNode call, TSNode fn, TSNode args,
			    const struct ctx *c, TSNode *cb)
{
	const char *method;
	size_t ml, base, na;
	TSNode prop, recv, a0 = { 0 }, target = { 0 };
	const char *event = NULL;
	size_t el = 0;
	bool promise = false;
	int h;

	if (kind_of(w, fn) != K_MEMBER || ts_node_is_null(args) || kind_of(w, args) != K_ARGS)
		return -1;
	prop = ts_field_id(fn, w->f.property);
	recv = ts_field_id(fn, w->f.object);
	method = ts_wraw(&w->b, prop, &ml);
	if (!method)
		return -1;
	base = ts_collect(&w->b, args, true);
	na = w->b.scratch.len - base;
	if (na)
		a0 = ts_scratch_node(&w->b, base);
	if (ml == 5 && !memcmp(method, "catch", 5) && na >= 1) {
		target = a0;
		promise = true;
	} else if (ml == 4 && !memcmp(method, "then", 4) && na >= 2) {
		target = ts_scratch_node(&w->b, base + 1);
		promise = true;
	} else if (na >= 2 && ((ml == 2 && !memcmp(method, "on", 2)) ||
			       (ml == 4 && !memcmp(method, "once", 4)) ||
			       (ml == 16 && !memcmp(method, "addEventListener", 16))) &&
		   is_stringish(w, a0)) {
		event = string_content(w, a0, &el);
		if (event && is_failure_event(event, el))
			target = ts_scratch_node(&w->b, base + 1);
	}
	w->b.scratch.len = base;
	if (ts_node_is_null(target))
		return -1;
	target = unwrap(w, target);
	*cb = target;
	{
		struct span body = ts_span(target);
		if (is_func_kind(kind_of(w, target)) && !ts_node_is_null(ts_field_id(target, w->f.body)))
			body = ts_span(ts_field_id(target, w->f.body));
		h = add_handler(w, HANDLER_CALLBACK, body, promise ? ts_span(recv) : ts_span(call),
				c->func, c->loop, -1);
	}
	if (event) {
		const char *t = ts_wcopy(&w->b, event, el);
		w->b.ff->handlers.items[h].types = ts_list(w->b.ff, &t, 1);
		w->b.ff->handlers.items[h].subject = callee_text(w, recv);
	}
	if (is_func_kind(kind_of(w, target))) {
		TSNode params = ts_field_id(target, w->f.parameters), p0 = ts_field_id(target, w->f.parameter);
		if (ts_node_is_null(p0) && !ts_node_is_null(params))
			p0 = ts_node_named_child(params, 0);
		if (!ts_node_is_null(p0) && kind_of(w, p0) != K_IDENT)
			p0 = ts_field_id(p0, w->f.pattern);
		if (!ts_node_is_null(p0) && kind_of(w, p0) == K_IDENT) {
			struct fact_handler *hh = &w->b.ff->handlers.items[h];
			hh->var = ts_wtext(&w->b, p0);
			if (promise)
				catch_types(w, hh, ts_field_id(target, w->f.body));
		}
	}
	return h;
}

/*
 * `x.onclose = cb`, `x.onerror = function (e) {...}`: an event handler by
 * property, as `x.on('close', cb)`. Returns the handler, -1 if not one.
 */
static int property_handler(struct walker *w, TSNode n, const struct ctx *c, TSNode *cb)
{
	TSNode lhs = unwrap(w, ts_field_id(n, w->f.left)), rhs = unwrap(w, ts_field_id(n, w->f.right)), body;
	const char *p, *t;
	size_t l;
	int h;

	if (kind_of(w, lhs) != K_MEMBER || !is_func_kind(kind_of(w, rhs)))
		return -1;
	p = ts_wraw(&w->b, ts_field_id(lhs, w->f.property), &l);
	if (!p || l < 3 || p[0] != 'o' || p[1] != 'n' || !is_failure_event(p + 2, l - 2))
		return -1;
	body = ts_field_id(rhs, w->f.body);
	h = add_handler(w, HANDLER_CALLBACK, ts_span(ts_node_is_null(body) ? rhs : body), ts_span(n),
			c->func, c->loop, -1);
	t = ts_wcopy(&w->b, p + 2, l - 2);
	w->b.ff->handlers.items[h].types = ts_list(w->b.ff, &t, 1);
	w->b.ff->handlers.items[h].subject = callee_text(w, ts_field_id(lhs, w->f.object));
	*cb = rhs;
	return h;
}

/* --- calls --- */

/* `res.json(...)`, `res.send(...)`, `reply.send(...)`: a route's reply. */
static bool is_reply_call(struct walker *w, TSNode fn)
{
	TSNode recv, prop;
	size_t rl, ml;
	const char *r, *m;

	if (kind_of(w, fn) != K_MEMBER)
		return false;
	prop = ts_field_id(fn, w->f.property);
	recv = ts_field_id(fn, w->f.object);
	/* res.status(503).json(...) */
	if (kind_of(w, recv) == K_CALL && kind_of(w, ts_field_id(recv, w->f.function)) == K_MEMBER)
		recv = ts_field_id(ts_field_id(recv, w->f.function), w->f.object);
	m = ts_wraw(&w->b, prop, &ml);
	r = ts_wraw(&w->b, recv, &rl);
	if (!m || !r || kind_of(w, recv) != K_IDENT)
		return false;
	if (!((ml == 4 && !memcmp(m, "json", 4)) || (ml == 4 && !memcmp(m, "send", 4))))
		return false;
	return (rl == 3 && !memcmp(r, "res", 3)) || (rl == 5 && !memcmp(r, "reply", 5)) ||
	       (rl == 8 && !memcmp(r, "response", 8)) || (rl == 4 && !memcmp(r, "resp", 4));
}

/* `x.get('/path', handler)`: a registration whose first argument is a path. */
static bool is_route_registration(struct walker *w, TSNode fn, TSNode args, TSNode *handler)
{
	size_t base, na;
	TSNode a0, last;
	size_t l;
	const char *p;

	if (kind_of(w, fn) != K_MEMBER || ts_node_is_null(args) || kind_of(w, args) != K_ARGS)
		return false;
	base = ts_collect(&w->b, args, true);
	na = w->b.scratch.len - base;
	if (na < 2) {
		w->b.scratch.len = base;
		return false;
	}
	a0 = ts_scratch_node(&w->b, base);
	last = unwrap(w, ts_scratch_node(&w->b, base + na - 1));
	w->b.scratch.len = base;
	if (!is_stringish(w, a0) || !is_func_kind(kind_of(w, last)))
		return false;
	p = string_content(w, a0, &l);
	if (!p || !l || *p != '/')
		return false;
	*handler = last;
	return true;
}

static int visit_call(struct walker *w, TSNode n, enum kind k, const struct ctx *c,
		      struct visit *v)
{
	TSNode fn = k == K_NEW ? ts_field_id(n, w->f.constructor) : ts_field_id(n, w->f.function);
	TSNode args = ts_field_id(n, w->f.arguments), cb = { 0 };
	int idx = (int)w->b.ff->calls.len;
	struct fact_call *call = VEC_PUSH(&w->b.ff->calls);
	const char *callee = callee_text(w, fn);
	size_t nargs;
	struct fact_arg *a;

	call = &w->b.ff->calls.items[idx];
	call->callee = callee;
	call->method = kind_of(w, fn) == K_MEMBER ? ts_wtext(&w->b, ts_field_id(fn, w->f.property)) : callee;
	call->span = ts_span(n);
	call->func = c->func;
	call->handler = c->handler;
	call->loop = c->loop;
	call->guard = c->guard;
	call->awaited = c->awaited;
	call->in_return = c->in_return;
	call->carrier = c->carrier;
	if (c->dest == DEST_ASSIGN && !ts_node_is_null(c->dest_left) &&
	    (c->parent_kind == K_VARDECL || c->parent_kind == K_ASSIGN ||
	     c->parent_kind == K_AWAIT || c->parent_kind == K_WRAP))
		call->assigned_to = callee_text(w, c->dest_left);
	a = make_args(w, args, &nargs);
	call = &w->b.ff->calls.items[idx];
	call->args = a;
	call->nargs = nargs;
	v->select_call = is_select_call(call->method);
	v->reply_call = is_reply_call(w, fn);
	dataflow_call(w, idx, fn, args, c);
	if (k == K_CALL) {
		v->cb_handler = callback_handler(w, n, fn, args, c, &cb);
		if (v->cb_handler >= 0)
			v->cb_start = ts_node_start_byte(cb);
		else if (is_route_registration(w, fn, args, &cb))
			v->cb_start = ts_node_start_byte(cb);
	}
	return idx;
}

/* --- functions and classes --- */

static void add_route_decorator(struct walker *w, struct fact_function *fnf, int call)
{
	const struct fact_call *rc = &w->b.ff->calls.items[call];
	struct fact_decorator *d = arena_alloc(&w->b.ff->arena, sizeof(*d));

	memset(d, 0, sizeof(*d));
	d->name = rc->callee;
	d->args = rc->args;
	d->nargs = rc->nargs;
	d->span = rc->span;
	d->call = call;
	fnf->decorators = d;
	fnf->ndecorators = 1;
}

static int visit_function(struct walker *w, TSNode n, enum kind k, const struct ctx *c)
{
	int idx = (int)w->b.ff->functions.len;
	struct fact_function *fnf = VEC_PUSH(&w->b.ff->functions);
	TSNode name = ts_field_id(n, w->f.name);
	uint32_t nc = ts_node_child_count(n);

	if (!ts_node_is_null(name))
		fnf->name = ts_wtext(&w->b, name);
	else if (c->fn_name)
		fnf->name = c->fn_name;
	else
		fnf->name = facts_str(w->b.ff, "<anonymous>", 11);
	fnf->cls = k == K_METHOD || c->fn_name ? c->cls : NULL;
	fnf->span = ts_span(n);
	fnf->name_span = ts_node_is_null(name) ? fnf->span : ts_span(name);
	for (uint32_t i = 0; i < nc && i < 4; i++) {
		TSNode ch = ts_node_child(n, i);
		if (!ts_node_is_named(ch) && !strcmp(ts_node_type(ch), "async")) {
			fnf->is_async = true;
			break;
		}
	}
	fnf->parent = c->func;
	fnf->is_constructor = k == K_METHOD && c->cls && !strcmp(fnf->name, "constructor");
	if (c->route_call >= 0)
		add_route_decorator(w, fnf, c->route_call);
	return idx;
}

/* --- loops --- */

static bool counter_like(struct walker *w, TSNode n)
{
	size_t l;
	const char *p;

	n = unwrap(w, n);
	if (kind_of(w, n) == K_MEMBER)
		n = ts_field_id(n, w->f.property);
	if (kind_of(w, n) != K_IDENT && kind_of(w, n) != K_PROP_IDENT)
		return false;
	p = ts_wraw(&w->b, n, &l);
	return p && lang_is_retry_counter(p, l);
}

static long int_literal(struct walker *w, TSNode n)
{
	size_t l;
	const char *p;
	long v = 0;

	n = unwrap(w, n);
	if (ts_node_is_null(n) || kind_of(w, n) != K_NUMBER)
		return -1;
	p = ts_wraw(&w->b, n, &l);
	for (size_t i = 0; p && i < l && i < 9; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* `attempt < 3`, `attempts <= MAX`, `tries < n`: counted; attempts when literal. */
static void counter_condition(struct walker *w, TSNode cond, struct ts_lextra *lx, long init)
{
	TSNode l, r;
	size_t ol;
	const char *op;
	long lim;

	cond = unwrap(w, cond);
	if (kind_of(w, cond) != K_BINARY)
		return;
	l = ts_field_id(cond, w->f.left);
	r = ts_field_id(cond, w->f.right);
	op = ts_wraw(&w->b, ts_field_id(cond, w->f.operator), &ol);
	if (!op)
		return;
	if ((ol == 2 && !memcmp(op, "&&", 2))) {
		counter_condition(w, l, lx, init);
		return;
	}
	if (!counter_like(w, l) && !counter_like(w, r))
		return;
	lx->counted = true;
	lim = int_literal(w, r);
	if (!counter_like(w, l) || lim < 0 || init < 0)
		return;
	if (ol == 1 && *op == '<' && lim >= init)
		lx->attempts = (int)(lim - init);
	else if (ol == 2 && !memcmp(op, "<=", 2) && lim + 1 >= init)
		lx->attempts = (int)(lim + 1 - init);
}

static int visit_loop(struct walker *w, TSNode n, enum kind k, const struct ctx *c,
		      struct visit *v)
{
	int idx = (int)w->b.ff->loops.len;
	struct fact_loop *lp = VEC_PUSH(&w->b.ff->loops);
	struct ts_lextra *lx = VEC_PUSH(&w->lx);
	TSNode body = ts_field_id(n, w->f.body), cond = ts_field_id(n, w->f.condition);

	lp->span = ts_span(n);
	lp->func = c->func;
	lp->parent = c->loop;
	lx->attempts = -1;
	if (k == K_FOR) {
		TSNode init = ts_field_id(n, w->f.initializer);
		long start = 0;
		/* let attempt = 0 */
		if (!ts_node_is_null(init)) {
			TSNode d = ts_first_named(&w->b, init);
			if (kind_of(w, d) == K_VARDECL) {
				if (counter_like(w, ts_field_id(d, w->f.name)))
					lx->counted = true;
				start = int_literal(w, ts_field_id(d, w->f.value));
			}
		}
		if (kind_of(w, cond) == K_OTHER && !ts_node_is_null(cond) &&
		    !strcmp(ts_node_type(cond), "expression_statement"))
			cond = ts_first_named(&w->b, cond);
		if (ts_node_is_null(cond) || !strcmp(ts_node_type(cond), "empty_statement"))
			lp->infinite = true;
		else
			counter_condition(w, cond, lx, start);
		lx->is_range = lx->counted;
		if (lx->attempts >= 0)
			lx->counted = true;
	} else if (k == K_WHILE || k == K_DO) {
		TSNode cc = unwrap(w, cond);
		enum kind ck = kind_of(w, cc);
		lp->infinite = ck == K_TRUE || (ck == K_NUMBER && int_literal(w, cc) > 0);
		counter_condition(w, cc, lx, 0);
	} else { /* for (x of y), for await */
		TSNode right = ts_field_id(n, w->f.right);
		uint32_t nc = ts_node_child_count(n);
		for (uint32_t i = 0; i < nc && i < 4; i++)
			if (!strcmp(ts_node_type(ts_node_child(n, i)), "await"))
				lp->is_async = true;
		if (!ts_node_is_null(right))
			lp->iter = ts_span(right);
	}
	v->cond_body = ts_node_is_null(body) ? lp->span : ts_span(body);
	return idx;
}

/* --- writes --- */

static const char *key_name(struct walker *w, TSNode key, size_t *len)
{
	enum kind k = kind_of(w, key);
	if (k == K_PROP_IDENT || k == K_IDENT)
		return ts_wraw(&w->b, key, len);
	if (k == K_STRING)
		return string_content(w, key, len);
	return NULL;
}

static void assign_one(struct walker *w, const struct ctx *c, TSNode lhs, TSNode rhs, TSNode at)
{
	const char *value = NULL, *value_text = NULL, *p;
	size_t l;
	enum kind k;

	lhs = unwrap(w, lhs);
	k = kind_of(w, lhs);
	if (!ts_node_is_null(rhs)) {
		value = literal_value(w, rhs, NULL);
		value_text = ts_wtext(&w->b, rhs);
	}
	if (k == K_MEMBER) {
		TSNode prop = ts_field_id(lhs, w->f.property);
		if (!is_state_node(w, prop))
			return;
		ts_add_write(w->b.ff, where_of(c), WRITE_ATTR, callee_text(w, lhs),
			     ts_wtext(&w->b, prop), value, value_text, at, -1, false);
	} else if (k == K_SUBSCRIPT) {
		TSNode key = unwrap(w, ts_field_id(lhs, w->f.index));
		if (kind_of(w, key) != K_STRING || !(p = string_content(w, key, &l)) ||
		    !state_name(p, l))
			return;
		ts_add_write(w->b.ff, where_of(c), WRITE_KEY, ts_wtext(&w->b, lhs),
			     ts_wcopy(&w->b, p, l), value, value_text, at, -1, false);
	}
}

static void visit_assign(struct walker *w, TSNode n, enum kind k, const struct ctx *c)
{
	TSNode lhs = ts_field_id(n, w->f.left), rhs = ts_field_id(n, w->f.right);

	if (ts_node_is_null(lhs))
		return;
	for (int i = 0; i < MAX_CHAIN && !ts_node_is_null(rhs) && kind_of(w, rhs) == K_ASSIGN; i++)
		rhs = ts_field_id(rhs, w->f.right);
	if (k == K_AUGASSIGN) {
		if (c->loop >= 0 && counter_like(w, lhs))
			w->lx.items[c->loop].counted = true;
		return;
	}
	assign_one(w, c, lhs, rhs, n);
	if (k == K_ASSIGN) {
		const char *names[FACT_MAX_NAMES];
		size_t nn = 0;
		names_in(w, rhs, names, &nn, FACT_MAX_NAMES);
		bind_targets(w, unwrap(w, lhs), BIND_ASSIGN, c->func, c->loop, ts_span(n), names, nn);
	}
}

static void visit_vardecl(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode name = ts_field_id(n, w->f.name), value = unwrap(w, ts_field_id(n, w->f.value));
	const char *names[FACT_MAX_NAMES];
	size_t nn = 0;

	if (ts_node_is_null(name))
		return;
	/* const x = require('m'), const { A, B: b } = require('m') */
	/* const app = require('fastify')(): the module's factory, called */
	if (kind_of(w, value) == K_CALL && kind_of(w, ts_field_id(value, w->f.function)) == K_CALL &&
	    kind_of(w, name) == K_IDENT)
		value = ts_field_id(value, w->f.function);
	if (kind_of(w, value) == K_CALL &&
	    ts_text_eq(ts_field_id(value, w->f.function), w->b.src, w->b.len, "require")) {
		TSNode a0 = ts_first_named(&w->b, ts_field_id(value, w->f.arguments));
		size_t l;
		const char *p = is_stringish(w, a0) ? string_content(w, a0, &l) : NULL;
		if (p) {
			const char *module = ts_wcopy(&w->b, p, l);
			if (kind_of(w, name) == K_IDENT) {
				struct fact_import *im = VEC_PUSH(&w->b.ff->imports);
				im->module = module;
				im->alias = ts_wtext(&w->b, name);
				im->span = ts_span(n);
			} else if (kind_of(w, name) == K_OBJ_PATTERN) {
				size_t base = ts_collect(&w->b, name, true);
				for (size_t i = base; i < w->b.scratch.len; i++) {
					TSNode e = ts_scratch_node(&w->b, i);
					struct fact_import *im;
					if (kind_of(w, e) == K_SHORTHAND_PAT) {
						im = VEC_PUSH(&w->b.ff->imports);
						im->module = module;
						im->name = im->alias = ts_wtext(&w->b, e);
					} else if (kind_of(w, e) == K_PAIR_PAT &&
						   kind_of(w, ts_field_id(e, w->f.value)) == K_IDENT) {
						im = VEC_PUSH(&w->b.ff->imports);
						im->module = module;
						im->name = ts_wtext(&w->b,
								    ts_field_id(e, w->f.key));
						im->alias = ts_wtext(&w->b,
								     ts_field_id(e, w->f.value));
					} else {
						continue;
					}
					im->span = ts_span(n);
				}
				w->b.scratch.len = base;
			}
		}
	}
	names_in(w, ts_field_id(n, w->f.value), names, &nn, FACT_MAX_NAMES);
	bind_targets(w, name, BIND_ASSIGN, c->func, c->loop, ts_span(n), names, nn);
}

/* {status: X} / {type: 'IDLE'} that is sent, returned or assigned. */
static void visit_object(struct walker *w, TSNode n, const struct ctx *c)
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
		p = key_name(w, key, &l);
		if (!p || (!state_name(p, l) && !lang_is_message_key(p, l)))
			continue;
		fld = ts_wcopy(&w->b, p, l);
		target = fld;
		if (c->dest == DEST_CALL && c->reply) {
			ts_add_write(w->b.ff, where_of(c), WRITE_RETURN, target, fld, literal_value(w, val, NULL),
				  ts_wtext(&w->b, val), pair, c->carrier,
				  c->func >= 0 && w->b.ff->functions.items[c->func].ndecorators > 0);
		} else if (c->dest == DEST_CALL) {
			ts_add_write(w->b.ff, where_of(c), WRITE_MESSAGE, target, fld,
				     literal_value(w, val, NULL), ts_wtext(&w->b, val), pair,
				     c->carrier, c->carrier >= 0);
		} else if (c->dest == DEST_RETURN) {
			ts_add_write(w->b.ff, where_of(c), WRITE_RETURN, target, fld, literal_value(w, val, NULL),
				  ts_wtext(&w->b, val), pair, -1,
				  c->func >= 0 && w->b.ff->functions.items[c->func].ndecorators > 0);
		} else {
			if (!ts_node_is_null(c->dest_left)) {
				const char *left = callee_text(w, c->dest_left);
				target = arena_printf(&w->b.ff->arena, "%s[\"%s\"]", left, fld);
			}
			ts_add_write(w->b.ff, where_of(c), WRITE_KEY, target, fld,
				     literal_value(w, val, NULL), ts_wtext(&w->b, val), pair, -1,
				     false);
		}
	}
	w->b.scratch.len = base;
}

/* --- SQL in strings --- */

static void visit_string(struct walker *w, TSNode n, const struct ctx *c)
{
	struct ts_sql_ctx sc = { &w->b, where_of(c), c->carrier, n };
	const char *p;
	size_t l;

	p = string_content(w, n, &l);
	if (p && l >= 6)
		sql_scan(p, l, ts_sql_item, &sc);
}

/* --- reads --- */

static int state_target(struct walker *w, TSNode n, const char **target, const char **fld)
{
	size_t l;
	const char *p;

	n = unwrap(w, n);
	if (ts_node_is_null(n))
		return -1;
	switch (kind_of(w, n)) {
	case K_MEMBER: {
		TSNode prop = ts_field_id(n, w->f.property);
		if (!is_state_node(w, prop))
			return -1;
		*target = callee_text(w, n);
		*fld = ts_wtext(&w->b, prop);
		return READ_COMPARE;
	}
	case K_SUBSCRIPT: {
		TSNode key = unwrap(w, ts_field_id(n, w->f.index));
		if (kind_of(w, key) != K_STRING || !(p = string_content(w, key, &l)) || !state_name(p, l))
			return -1;
		*target = ts_wtext(&w->b, n);
		*fld = ts_wcopy(&w->b, p, l);
		return READ_COMPARE;
	}
	case K_IDENT:
		if (!is_state_node(w, n))
			return -1;
		*target = *fld = ts_wtext(&w->b, n);
		return READ_COMPARE;
	default:
		return -1;
	}
}

static void visit_binary(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode l = ts_field_id(n, w->f.left), r = ts_field_id(n, w->f.right), other = r;
	size_t ol;
	const char *op = ts_wraw(&w->b, ts_field_id(n, w->f.operator), &ol), *target = NULL, *fld = NULL;
	const char *vals[MAX_VALUES];
	bool eq, ne;
	int kind;
	size_t nv;
	struct fact_read *rd;

	if (!op)
		return;
	eq = (ol == 2 || ol == 3) && op[0] == '=' && op[1] == '=';
	ne = (ol == 2 || ol == 3) && op[0] == '!' && op[1] == '=';
	if (!eq && !ne)
		return;
	kind = state_target(w, l, &target, &fld);
	if (kind < 0) {
		kind = state_target(w, r, &target, &fld);
		other = l;
	}
	if (kind < 0)
		return;
	nv = values_of(w, other, vals, MAX_VALUES);
	if (!nv)
		return; /* a comparison with a variable says nothing of the values */
	rd = ts_add_read(w->b.ff, where_of(c), (enum read_kind)kind, target, fld, n);
	rd->values = ts_list(w->b.ff, vals, nv);
	rd->negated = ne;
}

/* `[A, B].includes(w.status)`, `set.has(w.status)` with literal members. */
static void visit_includes(struct walker *w, TSNode n, const struct ctx *c, bool negated)
{
	TSNode fn = ts_field_id(n, w->f.function), recv, a0;
	const char *target, *fld, *vals[MAX_VALUES];
	size_t nv;
	struct fact_read *r;

	if (kind_of(w, fn) != K_MEMBER || !ts_text_eq(ts_field_id(fn, w->f.property), w->b.src, w->b.len, "includes"))
		return;
	recv = unwrap(w, ts_field_id(fn, w->f.object));
	if (kind_of(w, recv) != K_ARRAY)
		return;
	a0 = ts_first_named(&w->b, ts_field_id(n, w->f.arguments));
	if (state_target(w, a0, &target, &fld) < 0)
		return;
	nv = values_of(w, recv, vals, MAX_VALUES);
	if (!nv)
		return;
	r = ts_add_read(w->b.ff, where_of(c), READ_MEMBERSHIP, target, fld, n);
	r->values = ts_list(w->b.ff, vals, nv);
	r->negated = negated;
}

/* Truth tests of state fields: `!w.busy`, `w.available && !w.dead`. */
static void truth_reads(struct walker *w, const struct ctx *c, TSNode n, bool negated, int depth)
{
	const char *target = NULL, *fld = NULL, *val;
	struct fact_read *r;
	size_t ol;
	const char *op;

	n = unwrap(w, n);
	if (ts_node_is_null(n) || depth > 8)
		return;
	switch (kind_of(w, n)) {
	case K_UNARY:
		op = ts_wraw(&w->b, ts_field_id(n, w->f.operator), &ol);
		if (op && ol == 1 && *op == '!')
			truth_reads(w, c, ts_field_id(n, w->f.argument), !negated, depth + 1);
		return;
	case K_BINARY:
		op = ts_wraw(&w->b, ts_field_id(n, w->f.operator), &ol);
		if (op && ol == 2 && (!memcmp(op, "&&", 2) || !memcmp(op, "||", 2))) {
			truth_reads(w, c, ts_field_id(n, w->f.left), negated, depth + 1);
			truth_reads(w, c, ts_field_id(n, w->f.right), negated, depth + 1);
		}
		return;
	case K_MEMBER: case K_SUBSCRIPT:
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

static void visit_switch(struct walker *w, TSNode n, const struct ctx *c)
{
	const char *target, *fld;
	TSNode body = ts_field_id(n, w->f.body);
	size_t base;

	if (state_target(w, ts_field_id(n, w->f.value), &target, &fld) < 0 || ts_node_is_null(body))
		return;
	base = ts_collect(&w->b, body, true);
	for (size_t i = base; i < w->b.scratch.len; i++) {
		TSNode cl = ts_scratch_node(&w->b, i);
		const char *v;
		struct fact_read *r;

		if (kind_of(w, cl) != K_CASE)
			continue;
		v = literal_value(w, ts_field_id(cl, w->f.value), NULL);
		if (!v)
			continue;
		r = ts_add_read(w->b.ff, where_of(c), READ_MATCH, target, fld, cl);
		r->values = ts_list(w->b.ff, &v, 1);
		r->selects = c->select || c->in_for;
		r->body = ts_span(cl);
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

static void visit_import(struct walker *w, TSNode n)
{
	TSNode src = ts_field_id(n, w->f.source), clause = { 0 };
	const char *module, *p;
	size_t l, base;

	p = string_content(w, src, &l);
	if (!p)
		return;
	module = ts_wcopy(&w->b, p, l);
	base = ts_collect(&w->b, n, true);
	for (size_t i = base; i < w->b.scratch.len; i++)
		if (kind_of(w, ts_scratch_node(&w->b, i)) == K_IMPORT_CLAUSE)
			clause = ts_scratch_node(&w->b, i);
	w->b.scratch.len = base;
	if (ts_node_is_null(clause)) {
		add_import(w, n, module, NULL, NULL); /* import 'x': side effects */
		return;
	}
	base = ts_collect(&w->b, clause, true);
	for (size_t i = base; i < w->b.scratch.len; i++) {
		TSNode ch = ts_scratch_node(&w->b, i);
		switch (kind_of(w, ch)) {
		case K_IDENT: /* import X from 'm': the module's default export */
			add_import(w, n, module, NULL, ts_wtext(&w->b, ch));
			break;
		case K_NAMESPACE_IMPORT: {
			TSNode id = ts_first_named(&w->b, ch);
			add_import(w, n, module, NULL,
				   ts_node_is_null(id) ? NULL : ts_wtext(&w->b, id));
			break;
		}
		case K_NAMED_IMPORTS: {
			size_t b2 = ts_collect(&w->b, ch, true);
			for (size_t j = b2; j < w->b.scratch.len; j++) {
				TSNode sp = ts_scratch_node(&w->b, j), nm, al;
				if (kind_of(w, sp) != K_IMPORT_SPEC)
					continue;
				nm = ts_field_id(sp, w->f.name);
				al = ts_field_id(sp, w->f.alias);
				if (ts_node_is_null(nm))
					continue;
				add_import(w, n, module, ts_wtext(&w->b, nm),
					   ts_wtext(&w->b, ts_node_is_null(al) ? nm : al));
			}
			w->b.scratch.len = b2;
			break;
		}
		default:
			break;
		}
	}
	w->b.scratch.len = base;
}

/* --- the walk --- */

static void visit(struct walker *w, TSNode node, TSNode parent, enum kind k,
		  const struct ctx *c, struct visit *v)
{
	struct file_facts *ff = w->b.ff;

	switch (k) {
	case K_IMPORT:
		visit_import(w, node);
		break;
	case K_FUNCDECL: case K_FUNCEXPR: case K_ARROW: case K_METHOD:
		v->func = visit_function(w, node, k, c);
		dataflow_params(w, v->func, node);
		if (k == K_ARROW && c->select) {
			/* workers.find(w => !w.busy): the body is the selecting condition */
			TSNode body = ts_field_id(node, w->f.body);
			if (!ts_node_is_null(body) && kind_of(w, body) != K_BLOCK) {
				struct ctx cc = *c;
				cc.func = v->func;
				cc.has_cond = true;
				cc.cond_body = ts_span(node);
				truth_reads(w, &cc, body, false, 0);
			}
		}
		break;
	case K_CLASS: {
		TSNode name = ts_field_id(node, w->f.name);
		v->cls = ts_node_is_null(name) ? facts_str(ff, "<class>", 7) : ts_wtext(&w->b,
											name);
		break;
	}
	case K_CALL: case K_NEW:
		v->call = visit_call(w, node, k, c, v);
		if (k == K_CALL) {
			bool neg = !ts_node_is_null(parent) && kind_of(w, parent) == K_UNARY;
			visit_includes(w, node, c, neg);
		}
		break;
	case K_TRY:
		v->try_first = visit_try(w, node, c);
		break;
	case K_FOR: case K_FOR_IN: case K_WHILE: case K_DO:
		v->loop = visit_loop(w, node, k, c, v);
		if (k == K_FOR_IN) {
			const char *names[FACT_MAX_NAMES];
			size_t nn = 0;
			names_in(w, ts_field_id(node, w->f.right), names, &nn, FACT_MAX_NAMES);
			bind_targets(w, ts_field_id(node, w->f.left), BIND_LOOP, c->func, v->loop,
				     ts_span(node), names, nn);
		}
		if (k == K_WHILE || k == K_DO) {
			struct ctx cc = *c;
			cc.has_cond = true;
			cc.cond_body = v->cond_body;
			cc.select = c->select || c->in_for;
			truth_reads(w, &cc, ts_field_id(node, w->f.condition), false, 0);
		}
		break;
	case K_IF: case K_TERNARY: {
		TSNode cons = ts_field_id(node, w->f.consequence);
		struct ctx cc = *c;
		v->cond_body = ts_span(ts_node_is_null(cons) ? node : cons);
		cc.has_cond = true;
		cc.cond_body = v->cond_body;
		cc.select = c->select || c->in_for;
		truth_reads(w, &cc, ts_field_id(node, w->f.condition), false, 0);
		break;
	}
	case K_THROW: case K_RETURN: case K_CONTINUE: case K_BREAK: {
		enum kind ek = k;
		ts_note_exit(ff, w->hx.items, ek == K_THROW ? TS_EXIT_RAISE : ek == K_RETURN ? TS_EXIT_RETURN :
			     ek == K_CONTINUE ? TS_EXIT_CONTINUE : TS_EXIT_BREAK,
			     c->handler_direct, c->handler_nl, c->exit_try);
		break;
	}
	case K_ASSIGN: case K_AUGASSIGN:
		visit_assign(w, node, k, c);
		if (k == K_ASSIGN) {
			TSNode cb;
			v->cb_handler = property_handler(w, node, c, &cb);
			if (v->cb_handler >= 0)
				v->cb_start = ts_node_start_byte(cb);
		}
		break;
	case K_UPDATE:
		if (c->loop >= 0 && counter_like(w, ts_field_id(node, w->f.argument)))
			w->lx.items[c->loop].counted = true;
		break;
	case K_VARDECL:
		visit_vardecl(w, node, c);
		break;
	case K_OBJECT:
		visit_object(w, node, c);
		break;
	case K_STRING:
		visit_string(w, node, c);
		break;
	case K_BINARY:
		visit_binary(w, node, c);
		break;
	case K_SWITCH:
		visit_switch(w, node, c);
		break;
	default:
		break;
	}
}

/* The name a function-valued child gets from where it is bound. */
static const char *bound_name(struct walker *w, TSNode parent, enum kind pk, TSFieldId fid)
{
	TSNode n = { 0 };
	if (pk == K_VARDECL && fid == w->f.value)
		n = ts_field_id(parent, w->f.name);
	else if (pk == K_ASSIGN && fid == w->f.right) {
		n = ts_field_id(parent, w->f.left);
		if (kind_of(w, n) == K_MEMBER)
			n = ts_field_id(n, w->f.property);
	} else if (pk == K_FIELD_DEF && fid == w->f.value) {
		n = ts_field_id(parent, w->f.property);
		if (ts_node_is_null(n))
			n = ts_field_id(parent, w->f.name);
	} else if (pk == K_PAIR && fid == w->f.value) {
		n = ts_field_id(parent, w->f.key);
	}
	if (ts_node_is_null(n) || (kind_of(w, n) != K_IDENT && kind_of(w, n) != K_PROP_IDENT))
		return NULL;
	return ts_wtext(&w->b, n);
}

static void derive(struct walker *w, struct ctx *c, const struct ctx *b, TSNode parent,
		   enum kind pk, TSFieldId fid, TSNode child, enum kind ck, struct visit *v)
{
	*c = *b;
	c->awaited = false;
	c->handler_direct = -1;
	c->handler_block = -1;
	c->fn_handler = -1;
	c->route_call = -1;
	c->fn_name = NULL;
	c->parent_kind = (unsigned char)pk;

	if (is_func_kind(ck))
		c->fn_name = bound_name(w, parent, pk, fid);

	switch (pk) {
	case K_AWAIT:
		c->awaited = true;
		break;
	case K_CALL: case K_NEW:
		if (fid == w->f.arguments) {
			c->carrier = b->carrier >= 0 ? b->carrier : v->call;
			c->dest = DEST_CALL;
			c->select = b->select || v->select_call;
			c->reply = b->reply || v->reply_call;
			c->cb_handler = v->cb_handler;
			c->cb_start = v->cb_start;
			c->cb_call = v->call;
			if (v->select_call) {
				c->has_cond = true;
				c->cond_body = ts_span(parent);
			}
		} else if (fid == w->f.function && v->cb_handler >= 0 &&
			   w->b.ff->handlers.items[v->cb_handler].types.len == 0) {
			/* p.catch(cb): the promise expression is the guarded region */
			struct fact_handler *h = &w->b.ff->handlers.items[v->cb_handler];
			if (h->guarded.line != h->span.line || h->guarded.col != h->span.col)
				c->guard = v->cb_handler;
		}
		break;
	case K_ARGS:
		if (b->cb_start && ts_node_start_byte(child) == b->cb_start) {
			if (b->cb_handler >= 0)
				c->fn_handler = b->cb_handler;
			else if (b->cb_call >= 0)
				c->route_call = b->cb_call;
		}
		c->cb_handler = -1;
		c->cb_start = 0;
		break;
	case K_RETURN:
		c->in_return = true;
		c->dest = DEST_RETURN;
		break;
	case K_FUNCDECL: case K_FUNCEXPR: case K_ARROW: case K_METHOD:
		if (fid == w->f.body) {
			bool keep_select = pk == K_ARROW && b->select;
			c->func = v->func;
			c->handler = c->handler_nl = b->fn_handler;
			if (ck == K_BLOCK)
				c->handler_block = b->fn_handler;
			c->loop = c->guard = c->exit_try = -1;
			c->carrier = -1;
			c->cb_handler = -1;
			c->cb_start = 0;
			c->dest = pk == K_ARROW && ck != K_BLOCK ? DEST_RETURN : DEST_NONE;
			c->in_for = c->in_return = c->reply = false;
			c->has_cond = c->select = keep_select;
			if (pk == K_ARROW && ck != K_BLOCK)
				c->in_return = true;
		} else {
			/* parameters: keep the one-shot function context for the body */
			c->fn_handler = b->fn_handler;
		}
		break;
	case K_CLASS:
		if (fid == w->f.body)
			c->cls = v->cls;
		break;
	case K_TRY:
		if (v->try_first < 0)
			break;
		if (fid == w->f.body) {
			c->guard = c->exit_try = v->try_first;
		} else if (ck == K_CATCH) {
			c->handler = c->handler_nl = v->try_first;
			c->exit_try = -1;
		} else if (ck == K_FINALLY) {
			int h = v->try_first;
			if (w->b.ff->handlers.items[h].kind != HANDLER_FINALLY)
				h++;
			if (h < (int)w->b.ff->handlers.len)
				c->handler = c->handler_nl = h;
			c->exit_try = -1;
		}
		break;
	case K_CATCH: case K_FINALLY:
		if (ck == K_BLOCK)
			c->handler_block = b->handler;
		break;
	case K_BLOCK:
		c->handler_direct = b->handler_block;
		c->has_cond = c->select = c->in_return = false;
		c->carrier = -1;
		c->dest = DEST_NONE;
		c->reply = false;
		break;
	case K_FOR: case K_FOR_IN: case K_WHILE: case K_DO:
		if (fid == w->f.body) {
			c->loop = v->loop;
			c->handler_nl = c->exit_try = -1;
			c->in_for = c->in_for || pk == K_FOR || pk == K_FOR_IN;
		} else if (fid == w->f.condition) {
			c->has_cond = true;
			c->cond_body = v->cond_body;
		}
		break;
	case K_IF: case K_TERNARY:
		if (fid == w->f.condition) {
			c->has_cond = true;
			c->cond_body = v->cond_body;
			c->select = b->select || b->in_for;
		}
		break;
	case K_VARDECL:
		if (fid == w->f.value) {
			c->dest = DEST_ASSIGN;
			c->dest_left = ts_field_id(parent, w->f.name);
		}
		break;
	case K_ASSIGN:
		if (fid == w->f.right) {
			c->dest = DEST_ASSIGN;
			c->dest_left = ts_field_id(parent, w->f.left);
			/* x.onclose = cb: the callback is the handler's body */
			if (v->cb_handler >= 0 && ts_node_start_byte(child) == v->cb_start)
				c->fn_handler = v->cb_handler;
		}
		break;
	default:
		break;
	}
}

static bool enter(void *user, TSTreeCursor *cur)
{
	struct walker *w = user;
	size_t p = w->levels.len - 1;
	struct level *lv = VEC_PUSH(&w->levels);
	struct level *pl = &w->levels.items[p];
	TSFieldId fid = ts_tree_cursor_current_field_id(cur);

	lv->node = ts_tree_cursor_current_node(cur);
	lv->kind = (unsigned char)kind_of(w, lv->node);
	lv->skip = false;
	if (!ts_node_is_named(lv->node) || lv->kind == K_COMMENT) {
		lv->skip = true;
		return false;
	}
	lv->v = (struct visit){ .call = -1, .func = -1, .loop = -1, .try_first = -1,
				.cb_handler = -1 };
	derive(w, &lv->ctx, &pl->ctx, pl->node, (enum kind)pl->kind, fid, lv->node,
	       (enum kind)lv->kind, &pl->v);
	visit(w, lv->node, pl->node, (enum kind)lv->kind, &lv->ctx, &lv->v);
	/* a callback handler's function: the handler lives in the function it is written in */
	if (lv->v.func >= 0 && lv->ctx.fn_handler >= 0)
		w->b.ff->handlers.items[lv->ctx.fn_handler].func = lv->v.func;
	return !w->levels.items[w->levels.len - 1].skip;
}

static void leave(void *user)
{
	((struct walker *)user)->levels.len--;
}

static void walk(struct walker *w, TSNode root)
{
	struct level *top = VEC_PUSH(&w->levels);

	memset(top, 0, sizeof(*top));
	top->node = root;
	top->kind = (unsigned char)kind_of(w, root);
	top->ctx.func = top->ctx.handler = top->ctx.handler_nl = -1;
	top->ctx.handler_direct = top->ctx.fn_handler = top->ctx.route_call = -1;
	top->ctx.handler_block = top->ctx.cb_call = -1;
	top->ctx.loop = top->ctx.guard = top->ctx.exit_try = top->ctx.carrier = -1;
	top->ctx.cb_handler = -1;
	top->v = (struct visit){ .call = -1, .func = -1, .loop = -1, .try_first = -1,
				 .cb_handler = -1 };
	visit(w, root, (TSNode){ 0 }, (enum kind)top->kind, &top->ctx, &top->v);

	ts_walk(w->b.ff, root, !w->levels.items[0].skip, enter, leave, w);
}

/* Kind tables, one per grammar, computed once and kept for the process. */
enum { G_JS, G_TS, G_TSX, G__COUNT };
static unsigned char *kinds[G__COUNT];
static uint32_t nkinds[G__COUNT];
static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;

static const TSLanguage *grammar(int g)
{
	return g == G_TS ? tree_sitter_typescript() : g == G_TSX ? tree_sitter_tsx() :
	       tree_sitter_javascript();
}

static void init_kinds(void)
{
	for (int g = 0; g < G__COUNT; g++)
		nkinds[g] = ts_kind_table(grammar(g), kind_names, ARRAY_LEN(kind_names),
					  &kinds[g]);
}

static void walker_init(struct walker *w, struct file_facts *ff, const char *src, size_t len,
			int g, TSNode root)
{
	const TSLanguage *lang = grammar(g);

	memset(w, 0, sizeof(*w));
	strbuf_init(&w->sb);
	pthread_once(&kinds_once, init_kinds);
	ts_walker_init(&w->b, ff, src, len, kinds[g], nkinds[g], root);
#define FIELD(x) w->f.x = ts_language_field_id_for_name(lang, #x, (uint32_t)strlen(#x))
	FIELD(name); FIELD(alias); FIELD(body); FIELD(function); FIELD(arguments);
	FIELD(object); FIELD(property); FIELD(index); FIELD(value); FIELD(key); FIELD(left);
	FIELD(right); FIELD(condition); FIELD(consequence); FIELD(alternative);
	FIELD(handler); FIELD(finalizer); FIELD(parameter); FIELD(parameters); FIELD(source);
	FIELD(argument); FIELD(constructor); FIELD(initializer); FIELD(increment);
	FIELD(pattern); FIELD(operator);
#undef FIELD
}

static void walker_release(struct walker *w)
{
	ts_walker_release(&w->b);
	VEC_FREE(&w->levels);
	VEC_FREE(&w->hx);
	VEC_FREE(&w->lx);
	strbuf_release(&w->sb);
}

/* --- parsing --- */

int js_extract(const char *src, size_t len, struct file_facts *ff)
{
	int g = ff->lang == LANG_TYPESCRIPT ? G_TS : ff->lang == LANG_TSX ? G_TSX : G_JS;
	const TSLanguage *lang = grammar(g);
	TSTree *tree;
	struct walker w;
	TSNode root;

	if (ts_file_begin(ff, src, len))
		return -1;

	/*
	 * Minified or bundled code (a 1 MB single line): facts are located by
	 * line, so a thousand functions on one line would all hold each other's
	 * calls and every analysis would go quadratic over them. Nobody edits
	 * such a file; it yields no facts (as linters skip *.min.js).
	 */
	if (len > MINIFIED_MIN_BYTES && len / (ff->nlines ? ff->nlines : 1) > MINIFIED_AVG_LINE) {
		ff->skip_reason = "minified or bundled: lines average over 1000 bytes";
		return 0;
	}

	if (ts_file_parse(lang, "javascript", src, len, ff, &tree))
		return -1;
	root = ts_tree_root_node(tree);
	walker_init(&w, ff, src, len, g, root);
	walk(&w, root);
	ts_find_retries(ff, w.hx.items, w.lx.items, TS_ITER_AS_FOR);
	walker_release(&w);
	ts_collect_consts(ff, tree, src, len);
	ts_tree_delete(tree);
	return 0;
}
