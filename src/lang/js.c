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

struct child {
	TSNode node;
	TSFieldId field;
};

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

struct hextra {
	int try_first;
	bool direct_exit;
	bool try_exits;
};

struct lextra {
	bool is_range; /* a counted C-style for */
	bool counted;
	int attempts;
	bool retry_done;
};

struct field_ids {
	TSFieldId name, alias, body, function, arguments, object, property, index, value, key,
		  left, right, condition, consequence, alternative, handler, finalizer, parameter,
		  parameters, source, argument, constructor, initializer, increment, pattern,
		  operator;
};

struct walker {
	struct file_facts *ff;
	const char *src;
	size_t len;
	const unsigned char *kinds;
	uint32_t nkinds;
	struct field_ids f;
	TSTreeCursor cur;
	VEC(struct child) scratch;
	VEC(struct level) levels;
	VEC(struct hextra) hx;
	VEC(struct lextra) lx;
	struct strbuf sb;
	uint32_t blk_start[64];
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

static size_t collect(struct walker *w, TSNode n, bool named)
{
	size_t base = w->scratch.len;

	if (ts_node_is_null(n))
		return base;
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

/* Through parentheses and TS wrappers (`x as T`, `x!`) to the expression. */
static TSNode unwrap(struct walker *w, TSNode n)
{
	for (int i = 0; i < MAX_CHAIN && !ts_node_is_null(n); i++) {
		enum kind k = kind_of(w, n);
		if (k != K_PAREN && k != K_WRAP)
			break;
		n = first_named(w, n);
	}
	return n;
}

static const char *text(struct walker *w, TSNode n)
{
	return ts_text(w->ff, n, w->src, w->len);
}

static const char *raw(struct walker *w, TSNode n, size_t *len)
{
	return ts_text_ptr(n, w->src, w->len, len);
}

static const char *copy(struct walker *w, const char *p, size_t n)
{
	return facts_str(w->ff, p ? p : "", p ? (n > TS_TEXT_MAX ? TS_TEXT_MAX : n) : 0);
}

/* A string's content without its quotes; a template with substitutions is not a literal. */
static const char *string_content(struct walker *w, TSNode n, size_t *len)
{
	const char *p = raw(w, n, len);

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
		n = field(n, w->f.object);
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
		return p ? copy(w, p, l) : NULL;
	case K_NUMBER: case K_TRUE: case K_FALSE: case K_NULL: case K_UNDEFINED:
		return text(w, n);
	case K_UNARY: {
		enum kind k = kind_of(w, field(n, w->f.argument));
		size_t ol;
		const char *op = raw(w, field(n, w->f.operator), &ol);
		return k == K_NUMBER && op && ol == 1 && *op == '-' ? text(w, n) : NULL;
	}
	case K_MEMBER:
		return is_dotted(w, n) ? text(w, n) : NULL;
	default:
		return NULL;
	}
}

/* A callee as written with call arguments and subscripts elided: `a.b().c`. */
static const char *callee_text(struct walker *w, TSNode n)
{
	TSNode chain[MAX_CHAIN];
	int depth = 0;
	size_t l;
	const char *p;

	while (depth < MAX_CHAIN && !ts_node_is_null(n)) {
		enum kind k = kind_of(w, n);
		TSNode next;
		if (k == K_MEMBER || k == K_SUBSCRIPT)
			next = field(n, w->f.object);
		else if (k == K_CALL)
			next = field(n, w->f.function);
		else if (k == K_WRAP || k == K_PAREN)
			next = first_named(w, n);
		else if (k == K_AWAIT)
			next = first_named(w, n);
		else
			break;
		if (ts_node_is_null(next))
			break;
		chain[depth++] = n;
		n = next;
	}
	strbuf_reset(&w->sb);
	if (kind_of(w, n) == K_NEW)
		n = field(n, w->f.constructor);
	p = raw(w, n, &l);
	if (p)
		strbuf_add(&w->sb, p, l > TS_TEXT_MAX ? TS_TEXT_MAX : l);
	while (depth-- > 0 && w->sb.len < TS_TEXT_MAX) {
		TSNode c = chain[depth];
		switch (kind_of(w, c)) {
		case K_MEMBER:
			strbuf_addch(&w->sb, '.');
			p = raw(w, field(c, w->f.property), &l);
			if (p)
				strbuf_add(&w->sb, p, l > TS_TEXT_MAX ? TS_TEXT_MAX : l);
			break;
		case K_CALL:
			strbuf_addstr(&w->sb, "()");
			break;
		case K_SUBSCRIPT:
			strbuf_addstr(&w->sb, "[]");
			break;
		default:
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
	base = collect(w, n, true);
	for (size_t i = base; i < w->scratch.len && nv < max; i++) {
		const char *v = literal_value(w, scratch_node(w, i), NULL);
		if (v)
			out[nv++] = v;
	}
	w->scratch.len = base;
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
	const char *p = raw(w, n, &l);
	return p && state_name(p, l);
}

/* --- facts --- */

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

static void fill_arg(struct walker *w, struct fact_arg *a, TSNode n)
{
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
	if (kind_of(w, args) == K_TEMPLATE) { /* tagged template: one argument */
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

static bool name_seen(const char **out, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(out[i], s))
			return true;
	return false;
}

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
			s = text(w, x);
			if (!name_seen(out, *n, s))
				out[(*n)++] = s;
			continue;
		case K_MEMBER:
			if (is_dotted(w, x)) {
				s = callee_text(w, x);
				if (!name_seen(out, *n, s))
					out[(*n)++] = s;
			} else if (sp < ARRAY_LEN(stack)) {
				stack[sp++] = field(x, w->f.object);
			}
			continue;
		case K_CALL: case K_NEW:
			fn = k == K_CALL ? field(x, w->f.function) : field(x, w->f.constructor);
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(field(x, w->f.arguments)))
				stack[sp++] = field(x, w->f.arguments);
			if (sp < ARRAY_LEN(stack) && kind_of(w, fn) == K_MEMBER)
				stack[sp++] = field(fn, w->f.object);
			else if (sp < ARRAY_LEN(stack) && kind_of(w, fn) != K_IDENT && !ts_node_is_null(fn))
				stack[sp++] = fn;
			continue;
		case K_PAIR:
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(field(x, w->f.value)))
				stack[sp++] = field(x, w->f.value);
			continue;
		case K_ARROW:
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(field(x, w->f.body)))
				stack[sp++] = field(x, w->f.body);
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
		exits = k == K_RETURN || k == K_CONTINUE || k == K_BREAK || k == K_THROW;
		break;
	}
	w->blk_start[slot] = start;
	w->blk_exits[slot] = exits ? 1 : -1;
	return exits;
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
			add_binding(w, kind, k == K_MEMBER ? callee_text(w, x) : text(w, x), func, loop,
				    pos++, at, names, nn);
		} else if (k == K_PAIR_PAT) {
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(field(x, w->f.value)))
				stack[sp++] = field(x, w->f.value);
		} else if (k == K_OBJ_PATTERN || k == K_ARR_PATTERN || k == K_PAREN) {
			uint32_t nc = ts_node_named_child_count(x);
			for (uint32_t i = nc; i > 0 && sp < ARRAY_LEN(stack); i--)
				stack[sp++] = ts_node_named_child(x, i - 1);
		} else if (!strcmp(ts_node_type(x), "assignment_pattern") ||
			   !strcmp(ts_node_type(x), "object_assignment_pattern")) {
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(field(x, w->f.left)))
				stack[sp++] = field(x, w->f.left);
		}
	}
}

static void dataflow_params(struct walker *w, int func, TSNode def)
{
	TSNode params = field(def, w->f.parameters);
	uint32_t nc;
	int pos = 0;

	if (ts_node_is_null(params)) {
		TSNode one = field(def, w->f.parameter); /* x => ... */
		if (!ts_node_is_null(one) && kind_of(w, one) == K_IDENT)
			add_binding(w, BIND_PARAM, text(w, one), func, -1, 0, ts_span(one), NULL, 0);
		return;
	}
	nc = ts_node_named_child_count(params);
	for (uint32_t i = 0; i < nc && i < MAX_ARGS; i++) {
		TSNode p = ts_node_named_child(params, i), id = p;
		if (kind_of(w, p) == K_COMMENT)
			continue;
		if (kind_of(w, id) != K_IDENT) {
			TSNode pat = field(p, w->f.pattern);
			if (ts_node_is_null(pat))
				pat = field(p, w->f.left);
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
		add_binding(w, BIND_PARAM, text(w, id), func, -1, pos++, ts_span(p), NULL, 0);
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

static void dataflow_call(struct walker *w, int idx, TSNode fn, TSNode args, const struct ctx *c)
{
	const char *names[FACT_MAX_NAMES];
	size_t nn = 0, top = w->levels.len - 1, p;
	struct fact_call *call;

	if (kind_of(w, fn) == K_MEMBER)
		names_in(w, field(fn, w->f.object), names, &nn, FACT_MAX_NAMES);
	else if (kind_of(w, fn) != K_IDENT)
		names_in(w, fn, names, &nn, FACT_MAX_NAMES);
	names_in(w, args, names, &nn, FACT_MAX_NAMES);
	call = &w->ff->calls.items[idx];
	call->names = make_list(w, names, nn);

	for (size_t i = top, steps = 0; i > 0 && steps < 256; i--, steps++) {
		const struct level *lv = &w->levels.items[i];
		enum kind k = (enum kind)lv->kind, pk;
		if (is_func_kind(k) || k == K_CLASS)
			break;
		if (k != K_BLOCK && k != K_CASE && k != K_DEFAULT)
			continue;
		call->block = ts_span(lv->node);
		call->block_exits = block_exits(w, lv->node);
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
		for (size_t b = w->ff->bindings.len; b > 0; b--) {
			struct fact_binding *bd = &w->ff->bindings.items[b - 1];
			if (bd->kind != BIND_ASSIGN || memcmp(&bd->span, &as, sizeof(as)))
				break;
			if (bd->call < 0)
				bd->call = idx;
		}
	} else if (w->levels.items[p].kind == K_FOR_IN && w->levels.items[p].v.loop >= 0) {
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

/* --- handlers --- */

static int add_handler(struct walker *w, enum handler_kind kind, struct span body,
		       struct span guarded, int func, int loop, int try_first)
{
	int idx = (int)w->ff->handlers.len;
	struct fact_handler *h = VEC_PUSH(&w->ff->handlers);
	struct hextra *x = VEC_PUSH(&w->hx);

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
	return var && kind_of(w, n) == K_IDENT && ts_text_eq(n, w->src, w->len, var);
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
			TSNode l = field(x, w->f.left), r = field(x, w->f.right);
			size_t ol;
			const char *op = raw(w, field(x, w->f.operator), &ol);
			if (op && ol == 10 && !memcmp(op, "instanceof", 10) && is_var(w, l, h->var)) {
				const char *t = callee_text(w, unwrap(w, r));
				if (t && *t && !name_seen(types, nt, t))
					types[nt++] = t;
			} else if (op && (ol == 2 || ol == 3) && op[0] == '=' && op[1] == '=') {
				TSNode m = unwrap(w, l), lit = r;
				if (kind_of(w, m) != K_MEMBER) {
					m = unwrap(w, r);
					lit = l;
				}
				if (kind_of(w, m) == K_MEMBER && is_var(w, field(m, w->f.object), h->var)) {
					TSNode prop = field(m, w->f.property);
					const char *v = literal_value(w, lit, NULL);
					if (v && *v && (ts_text_eq(prop, w->src, w->len, "code") ||
							ts_text_eq(prop, w->src, w->len, "name") ||
							ts_text_eq(prop, w->src, w->len, "type")) &&
					    !name_seen(types, nt, v))
						types[nt++] = v;
				}
			}
		}
		nc = ts_node_named_child_count(x);
		for (uint32_t i = nc; i > 0 && sp < ARRAY_LEN(stack); i--)
			stack[sp++] = ts_node_named_child(x, i - 1);
	}
	h->types = make_list(w, types, nt);
}

static int visit_try(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode body = field(n, w->f.body), cat = field(n, w->f.handler), fin = field(n, w->f.finalizer);
	struct span guarded = ts_span(ts_node_is_null(body) ? n : body);
	int first = -1;

	if (!ts_node_is_null(cat)) {
		TSNode param = field(cat, w->f.parameter), cbody = field(cat, w->f.body);
		int h = add_handler(w, HANDLER_EXCEPT, ts_span(cat), guarded, c->func, c->loop, -1);
		first = h;
		if (!ts_node_is_null(param) && kind_of(w, param) == K_IDENT) {
			w->ff->handlers.items[h].var = text(w, param);
			catch_types(w, &w->ff->handlers.items[h], cbody);
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
	prop = field(fn, w->f.property);
	recv = field(fn, w->f.object);
	method = raw(w, prop, &ml);
	if (!method)
		return -1;
	base = collect(w, args, true);
	na = w->scratch.len - base;
	if (na)
		a0 = scratch_node(w, base);
	if (ml == 5 && !memcmp(method, "catch", 5) && na >= 1) {
		target = a0;
		promise = true;
	} else if (ml == 4 && !memcmp(method, "then", 4) && na >= 2) {
		target = scratch_node(w, base + 1);
		promise = true;
	} else if (na >= 2 && ((ml == 2 && !memcmp(method, "on", 2)) ||
			       (ml == 4 && !memcmp(method, "once", 4)) ||
			       (ml == 16 && !memcmp(method, "addEventListener", 16))) &&
		   is_stringish(w, a0)) {
		event = string_content(w, a0, &el);
		if (event && is_failure_event(event, el))
			target = scratch_node(w, base + 1);
	}
	w->scratch.len = base;
	if (ts_node_is_null(target))
		return -1;
	target = unwrap(w, target);
	*cb = target;
	{
		struct span body = ts_span(target);
		if (is_func_kind(kind_of(w, target)) && !ts_node_is_null(field(target, w->f.body)))
			body = ts_span(field(target, w->f.body));
		h = add_handler(w, HANDLER_CALLBACK, body, promise ? ts_span(recv) : ts_span(call),
				c->func, c->loop, -1);
	}
	if (event) {
		const char *t = copy(w, event, el);
		w->ff->handlers.items[h].types = make_list(w, &t, 1);
		w->ff->handlers.items[h].subject = callee_text(w, recv);
	}
	if (is_func_kind(kind_of(w, target))) {
		TSNode params = field(target, w->f.parameters), p0 = field(target, w->f.parameter);
		if (ts_node_is_null(p0) && !ts_node_is_null(params))
			p0 = ts_node_named_child(params, 0);
		if (!ts_node_is_null(p0) && kind_of(w, p0) != K_IDENT)
			p0 = field(p0, w->f.pattern);
		if (!ts_node_is_null(p0) && kind_of(w, p0) == K_IDENT) {
			struct fact_handler *hh = &w->ff->handlers.items[h];
			hh->var = text(w, p0);
			if (promise)
				catch_types(w, hh, field(target, w->f.body));
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
	TSNode lhs = unwrap(w, field(n, w->f.left)), rhs = unwrap(w, field(n, w->f.right)), body;
	const char *p, *t;
	size_t l;
	int h;

	if (kind_of(w, lhs) != K_MEMBER || !is_func_kind(kind_of(w, rhs)))
		return -1;
	p = raw(w, field(lhs, w->f.property), &l);
	if (!p || l < 3 || p[0] != 'o' || p[1] != 'n' || !is_failure_event(p + 2, l - 2))
		return -1;
	body = field(rhs, w->f.body);
	h = add_handler(w, HANDLER_CALLBACK, ts_span(ts_node_is_null(body) ? rhs : body), ts_span(n),
			c->func, c->loop, -1);
	t = copy(w, p + 2, l - 2);
	w->ff->handlers.items[h].types = make_list(w, &t, 1);
	w->ff->handlers.items[h].subject = callee_text(w, field(lhs, w->f.object));
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
	prop = field(fn, w->f.property);
	recv = field(fn, w->f.object);
	/* res.status(503).json(...) */
	if (kind_of(w, recv) == K_CALL && kind_of(w, field(recv, w->f.function)) == K_MEMBER)
		recv = field(field(recv, w->f.function), w->f.object);
	m = raw(w, prop, &ml);
	r = raw(w, recv, &rl);
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
	base = collect(w, args, true);
	na = w->scratch.len - base;
	if (na < 2) {
		w->scratch.len = base;
		return false;
	}
	a0 = scratch_node(w, base);
	last = unwrap(w, scratch_node(w, base + na - 1));
	w->scratch.len = base;
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
	TSNode fn = k == K_NEW ? field(n, w->f.constructor) : field(n, w->f.function);
	TSNode args = field(n, w->f.arguments), cb = { 0 };
	int idx = (int)w->ff->calls.len;
	struct fact_call *call = VEC_PUSH(&w->ff->calls);
	const char *callee = callee_text(w, fn);
	size_t nargs;
	struct fact_arg *a;

	call = &w->ff->calls.items[idx];
	call->callee = callee;
	call->method = kind_of(w, fn) == K_MEMBER ? text(w, field(fn, w->f.property)) : callee;
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
	call = &w->ff->calls.items[idx];
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
	const struct fact_call *rc = &w->ff->calls.items[call];
	struct fact_decorator *d = arena_alloc(&w->ff->arena, sizeof(*d));

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
	int idx = (int)w->ff->functions.len;
	struct fact_function *fnf = VEC_PUSH(&w->ff->functions);
	TSNode name = field(n, w->f.name);
	uint32_t nc = ts_node_child_count(n);

	if (!ts_node_is_null(name))
		fnf->name = text(w, name);
	else if (c->fn_name)
		fnf->name = c->fn_name;
	else
		fnf->name = facts_str(w->ff, "<anonymous>", 11);
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
		n = field(n, w->f.property);
	if (kind_of(w, n) != K_IDENT && kind_of(w, n) != K_PROP_IDENT)
		return false;
	p = raw(w, n, &l);
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
	p = raw(w, n, &l);
	for (size_t i = 0; p && i < l && i < 9; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* `attempt < 3`, `attempts <= MAX`, `tries < n`: counted; attempts when literal. */
static void counter_condition(struct walker *w, TSNode cond, struct lextra *lx, long init)
{
	TSNode l, r;
	size_t ol;
	const char *op;
	long lim;

	cond = unwrap(w, cond);
	if (kind_of(w, cond) != K_BINARY)
		return;
	l = field(cond, w->f.left);
	r = field(cond, w->f.right);
	op = raw(w, field(cond, w->f.operator), &ol);
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
	int idx = (int)w->ff->loops.len;
	struct fact_loop *lp = VEC_PUSH(&w->ff->loops);
	struct lextra *lx = VEC_PUSH(&w->lx);
	TSNode body = field(n, w->f.body), cond = field(n, w->f.condition);

	lp->span = ts_span(n);
	lp->func = c->func;
	lp->parent = c->loop;
	lx->attempts = -1;
	if (k == K_FOR) {
		TSNode init = field(n, w->f.initializer);
		long start = 0;
		/* let attempt = 0 */
		if (!ts_node_is_null(init)) {
			TSNode d = first_named(w, init);
			if (kind_of(w, d) == K_VARDECL) {
				if (counter_like(w, field(d, w->f.name)))
					lx->counted = true;
				start = int_literal(w, field(d, w->f.value));
			}
		}
		if (kind_of(w, cond) == K_OTHER && !ts_node_is_null(cond) &&
		    !strcmp(ts_node_type(cond), "expression_statement"))
			cond = first_named(w, cond);
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
		TSNode right = field(n, w->f.right);
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
		return raw(w, key, len);
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
		value_text = text(w, rhs);
	}
	if (k == K_MEMBER) {
		TSNode prop = field(lhs, w->f.property);
		if (!is_state_node(w, prop))
			return;
		add_write(w, c, WRITE_ATTR, callee_text(w, lhs), text(w, prop), value, value_text,
			  at, -1, false);
	} else if (k == K_SUBSCRIPT) {
		TSNode key = unwrap(w, field(lhs, w->f.index));
		if (kind_of(w, key) != K_STRING || !(p = string_content(w, key, &l)) ||
		    !state_name(p, l))
			return;
		add_write(w, c, WRITE_KEY, text(w, lhs), copy(w, p, l), value, value_text, at, -1,
			  false);
	}
}

static void visit_assign(struct walker *w, TSNode n, enum kind k, const struct ctx *c)
{
	TSNode lhs = field(n, w->f.left), rhs = field(n, w->f.right);

	if (ts_node_is_null(lhs))
		return;
	for (int i = 0; i < MAX_CHAIN && !ts_node_is_null(rhs) && kind_of(w, rhs) == K_ASSIGN; i++)
		rhs = field(rhs, w->f.right);
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
	TSNode name = field(n, w->f.name), value = unwrap(w, field(n, w->f.value));
	const char *names[FACT_MAX_NAMES];
	size_t nn = 0;

	if (ts_node_is_null(name))
		return;
	/* const x = require('m'), const { A, B: b } = require('m') */
	/* const app = require('fastify')(): the module's factory, called */
	if (kind_of(w, value) == K_CALL && kind_of(w, field(value, w->f.function)) == K_CALL &&
	    kind_of(w, name) == K_IDENT)
		value = field(value, w->f.function);
	if (kind_of(w, value) == K_CALL &&
	    ts_text_eq(field(value, w->f.function), w->src, w->len, "require")) {
		TSNode a0 = first_named(w, field(value, w->f.arguments));
		size_t l;
		const char *p = is_stringish(w, a0) ? string_content(w, a0, &l) : NULL;
		if (p) {
			const char *module = copy(w, p, l);
			if (kind_of(w, name) == K_IDENT) {
				struct fact_import *im = VEC_PUSH(&w->ff->imports);
				im->module = module;
				im->alias = text(w, name);
				im->span = ts_span(n);
			} else if (kind_of(w, name) == K_OBJ_PATTERN) {
				size_t base = collect(w, name, true);
				for (size_t i = base; i < w->scratch.len; i++) {
					TSNode e = scratch_node(w, i);
					struct fact_import *im;
					if (kind_of(w, e) == K_SHORTHAND_PAT) {
						im = VEC_PUSH(&w->ff->imports);
						im->module = module;
						im->name = im->alias = text(w, e);
					} else if (kind_of(w, e) == K_PAIR_PAT &&
						   kind_of(w, field(e, w->f.value)) == K_IDENT) {
						im = VEC_PUSH(&w->ff->imports);
						im->module = module;
						im->name = text(w, field(e, w->f.key));
						im->alias = text(w, field(e, w->f.value));
					} else {
						continue;
					}
					im->span = ts_span(n);
				}
				w->scratch.len = base;
			}
		}
	}
	names_in(w, field(n, w->f.value), names, &nn, FACT_MAX_NAMES);
	bind_targets(w, name, BIND_ASSIGN, c->func, c->loop, ts_span(n), names, nn);
}

/* {status: X} / {type: 'IDLE'} that is sent, returned or assigned. */
static void visit_object(struct walker *w, TSNode n, const struct ctx *c)
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
		p = key_name(w, key, &l);
		if (!p || (!state_name(p, l) && !lang_is_message_key(p, l)))
			continue;
		fld = copy(w, p, l);
		target = fld;
		if (c->dest == DEST_CALL && c->reply) {
			add_write(w, c, WRITE_RETURN, target, fld, literal_value(w, val, NULL),
				  text(w, val), pair, c->carrier,
				  c->func >= 0 && w->ff->functions.items[c->func].ndecorators > 0);
		} else if (c->dest == DEST_CALL) {
			add_write(w, c, WRITE_MESSAGE, target, fld, literal_value(w, val, NULL),
				  text(w, val), pair, c->carrier, c->carrier >= 0);
		} else if (c->dest == DEST_RETURN) {
			add_write(w, c, WRITE_RETURN, target, fld, literal_value(w, val, NULL),
				  text(w, val), pair, -1,
				  c->func >= 0 && w->ff->functions.items[c->func].ndecorators > 0);
		} else {
			if (!ts_node_is_null(c->dest_left)) {
				const char *left = callee_text(w, c->dest_left);
				target = arena_printf(&w->ff->arena, "%s[\"%s\"]", left, fld);
			}
			add_write(w, c, WRITE_KEY, target, fld, literal_value(w, val, NULL),
				  text(w, val), pair, -1, false);
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
			arena_printf(&w->ff->arena, "%.*s.%.*s",
				     (int)(it->table_len > 100 ? 100 : it->table_len), it->table,
				     (int)(cl > 100 ? 100 : cl), col) :
			copy(w, col, cl);
		add_write(w, sc->c, WRITE_SQL, target, copy(w, col, cl),
			  it->nvalues ? copy(w, it->values[0], it->value_lens[0]) : NULL,
			  copy(w, it->text, it->text_len), sc->at, sc->c->carrier, false);
	} else {
		const char *vals[SQL_MAX_VALUES];
		struct fact_read *r;
		for (size_t i = 0; i < it->nvalues; i++)
			vals[i] = copy(w, it->values[i], it->value_lens[i]);
		r = add_read(w, sc->c, READ_SQL, copy(w, it->col, it->col_len), copy(w, col, cl),
			     sc->at);
		r->values = make_list(w, vals, it->nvalues);
		r->negated = it->negated;
		r->selects = true;
	}
}

static void visit_string(struct walker *w, TSNode n, const struct ctx *c)
{
	struct sql_ctx sc = { w, c, n };
	const char *p;
	size_t l;

	p = string_content(w, n, &l);
	if (p && l >= 6)
		sql_scan(p, l, sql_item, &sc);
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
		TSNode prop = field(n, w->f.property);
		if (!is_state_node(w, prop))
			return -1;
		*target = callee_text(w, n);
		*fld = text(w, prop);
		return READ_COMPARE;
	}
	case K_SUBSCRIPT: {
		TSNode key = unwrap(w, field(n, w->f.index));
		if (kind_of(w, key) != K_STRING || !(p = string_content(w, key, &l)) || !state_name(p, l))
			return -1;
		*target = text(w, n);
		*fld = copy(w, p, l);
		return READ_COMPARE;
	}
	case K_IDENT:
		if (!is_state_node(w, n))
			return -1;
		*target = *fld = text(w, n);
		return READ_COMPARE;
	default:
		return -1;
	}
}

static void visit_binary(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode l = field(n, w->f.left), r = field(n, w->f.right), other = r;
	size_t ol;
	const char *op = raw(w, field(n, w->f.operator), &ol), *target = NULL, *fld = NULL;
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
	rd = add_read(w, c, (enum read_kind)kind, target, fld, n);
	rd->values = make_list(w, vals, nv);
	rd->negated = ne;
}

/* `[A, B].includes(w.status)`, `set.has(w.status)` with literal members. */
static void visit_includes(struct walker *w, TSNode n, const struct ctx *c, bool negated)
{
	TSNode fn = field(n, w->f.function), recv, a0;
	const char *target, *fld, *vals[MAX_VALUES];
	size_t nv;
	struct fact_read *r;

	if (kind_of(w, fn) != K_MEMBER || !ts_text_eq(field(fn, w->f.property), w->src, w->len, "includes"))
		return;
	recv = unwrap(w, field(fn, w->f.object));
	if (kind_of(w, recv) != K_ARRAY)
		return;
	a0 = first_named(w, field(n, w->f.arguments));
	if (state_target(w, a0, &target, &fld) < 0)
		return;
	nv = values_of(w, recv, vals, MAX_VALUES);
	if (!nv)
		return;
	r = add_read(w, c, READ_MEMBERSHIP, target, fld, n);
	r->values = make_list(w, vals, nv);
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
		op = raw(w, field(n, w->f.operator), &ol);
		if (op && ol == 1 && *op == '!')
			truth_reads(w, c, field(n, w->f.argument), !negated, depth + 1);
		return;
	case K_BINARY:
		op = raw(w, field(n, w->f.operator), &ol);
		if (op && ol == 2 && (!memcmp(op, "&&", 2) || !memcmp(op, "||", 2))) {
			truth_reads(w, c, field(n, w->f.left), negated, depth + 1);
			truth_reads(w, c, field(n, w->f.right), negated, depth + 1);
		}
		return;
	case K_MEMBER: case K_SUBSCRIPT:
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

static void visit_switch(struct walker *w, TSNode n, const struct ctx *c)
{
	const char *target, *fld;
	TSNode body = field(n, w->f.body);
	size_t base;

	if (state_target(w, field(n, w->f.value), &target, &fld) < 0 || ts_node_is_null(body))
		return;
	base = collect(w, body, true);
	for (size_t i = base; i < w->scratch.len; i++) {
		TSNode cl = scratch_node(w, i);
		const char *v;
		struct fact_read *r;

		if (kind_of(w, cl) != K_CASE)
			continue;
		v = literal_value(w, field(cl, w->f.value), NULL);
		if (!v)
			continue;
		r = add_read(w, c, READ_MATCH, target, fld, cl);
		r->values = make_list(w, &v, 1);
		r->selects = c->select || c->in_for;
		r->body = ts_span(cl);
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

static void visit_import(struct walker *w, TSNode n)
{
	TSNode src = field(n, w->f.source), clause = { 0 };
	const char *module, *p;
	size_t l, base;

	p = string_content(w, src, &l);
	if (!p)
		return;
	module = copy(w, p, l);
	base = collect(w, n, true);
	for (size_t i = base; i < w->scratch.len; i++)
		if (kind_of(w, scratch_node(w, i)) == K_IMPORT_CLAUSE)
			clause = scratch_node(w, i);
	w->scratch.len = base;
	if (ts_node_is_null(clause)) {
		add_import(w, n, module, NULL, NULL); /* import 'x': side effects */
		return;
	}
	base = collect(w, clause, true);
	for (size_t i = base; i < w->scratch.len; i++) {
		TSNode ch = scratch_node(w, i);
		switch (kind_of(w, ch)) {
		case K_IDENT: /* import X from 'm': the module's default export */
			add_import(w, n, module, NULL, text(w, ch));
			break;
		case K_NAMESPACE_IMPORT: {
			TSNode id = first_named(w, ch);
			add_import(w, n, module, NULL, ts_node_is_null(id) ? NULL : text(w, id));
			break;
		}
		case K_NAMED_IMPORTS: {
			size_t b2 = collect(w, ch, true);
			for (size_t j = b2; j < w->scratch.len; j++) {
				TSNode sp = scratch_node(w, j), nm, al;
				if (kind_of(w, sp) != K_IMPORT_SPEC)
					continue;
				nm = field(sp, w->f.name);
				al = field(sp, w->f.alias);
				if (ts_node_is_null(nm))
					continue;
				add_import(w, n, module, text(w, nm),
					   text(w, ts_node_is_null(al) ? nm : al));
			}
			w->scratch.len = b2;
			break;
		}
		default:
			break;
		}
	}
	w->scratch.len = base;
}

/* --- the walk --- */

static void visit(struct walker *w, TSNode node, TSNode parent, enum kind k,
		  const struct ctx *c, struct visit *v)
{
	struct file_facts *ff = w->ff;

	switch (k) {
	case K_IMPORT:
		visit_import(w, node);
		break;
	case K_FUNCDECL: case K_FUNCEXPR: case K_ARROW: case K_METHOD:
		v->func = visit_function(w, node, k, c);
		dataflow_params(w, v->func, node);
		if (k == K_ARROW && c->select) {
			/* workers.find(w => !w.busy): the body is the selecting condition */
			TSNode body = field(node, w->f.body);
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
		TSNode name = field(node, w->f.name);
		v->cls = ts_node_is_null(name) ? facts_str(ff, "<class>", 7) : text(w, name);
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
			names_in(w, field(node, w->f.right), names, &nn, FACT_MAX_NAMES);
			bind_targets(w, field(node, w->f.left), BIND_LOOP, c->func, v->loop,
				     ts_span(node), names, nn);
		}
		if (k == K_WHILE || k == K_DO) {
			struct ctx cc = *c;
			cc.has_cond = true;
			cc.cond_body = v->cond_body;
			cc.select = c->select || c->in_for;
			truth_reads(w, &cc, field(node, w->f.condition), false, 0);
		}
		break;
	case K_IF: case K_TERNARY: {
		TSNode cons = field(node, w->f.consequence);
		struct ctx cc = *c;
		v->cond_body = ts_span(ts_node_is_null(cons) ? node : cons);
		cc.has_cond = true;
		cc.cond_body = v->cond_body;
		cc.select = c->select || c->in_for;
		truth_reads(w, &cc, field(node, w->f.condition), false, 0);
		break;
	}
	case K_THROW:
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
		if (k == K_ASSIGN) {
			TSNode cb;
			v->cb_handler = property_handler(w, node, c, &cb);
			if (v->cb_handler >= 0)
				v->cb_start = ts_node_start_byte(cb);
		}
		break;
	case K_UPDATE:
		if (c->loop >= 0 && counter_like(w, field(node, w->f.argument)))
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
		n = field(parent, w->f.name);
	else if (pk == K_ASSIGN && fid == w->f.right) {
		n = field(parent, w->f.left);
		if (kind_of(w, n) == K_MEMBER)
			n = field(n, w->f.property);
	} else if (pk == K_FIELD_DEF && fid == w->f.value) {
		n = field(parent, w->f.property);
		if (ts_node_is_null(n))
			n = field(parent, w->f.name);
	} else if (pk == K_PAIR && fid == w->f.value) {
		n = field(parent, w->f.key);
	}
	if (ts_node_is_null(n) || (kind_of(w, n) != K_IDENT && kind_of(w, n) != K_PROP_IDENT))
		return NULL;
	return text(w, n);
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
			   w->ff->handlers.items[v->cb_handler].types.len == 0) {
			/* p.catch(cb): the promise expression is the guarded region */
			struct fact_handler *h = &w->ff->handlers.items[v->cb_handler];
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
			if (w->ff->handlers.items[h].kind != HANDLER_FINALLY)
				h++;
			if (h < (int)w->ff->handlers.len)
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
			c->dest_left = field(parent, w->f.name);
		}
		break;
	case K_ASSIGN:
		if (fid == w->f.right) {
			c->dest = DEST_ASSIGN;
			c->dest_left = field(parent, w->f.left);
			/* x.onclose = cb: the callback is the handler's body */
			if (v->cb_handler >= 0 && ts_node_start_byte(child) == v->cb_start)
				c->fn_handler = v->cb_handler;
		}
		break;
	default:
		break;
	}
}

/* Retry loops: as python.c's find_retries. */
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
		r->source = facts_str(ff, lx->is_range || lp->iter.line ? "for-loop" : "while-loop",
				      lx->is_range || lp->iter.line ? 8 : 10);
		r->attempts = lx->attempts;
		r->span = lp->span;
		r->scope = lp->span;
		r->func = lp->func;
		r->call = -1;
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
		w->ff->handlers.items[lv->ctx.fn_handler].func = lv->v.func;
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

	ts_walk(w->ff, root, !w->levels.items[0].skip, enter, leave, w);
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
	w->ff = ff;
	w->src = src;
	w->len = len;
	strbuf_init(&w->sb);
	pthread_once(&kinds_once, init_kinds);
	w->kinds = kinds[g];
	w->nkinds = nkinds[g];
#define FIELD(x) w->f.x = ts_language_field_id_for_name(lang, #x, (uint32_t)strlen(#x))
	FIELD(name); FIELD(alias); FIELD(body); FIELD(function); FIELD(arguments);
	FIELD(object); FIELD(property); FIELD(index); FIELD(value); FIELD(key); FIELD(left);
	FIELD(right); FIELD(condition); FIELD(consequence); FIELD(alternative);
	FIELD(handler); FIELD(finalizer); FIELD(parameter); FIELD(parameters); FIELD(source);
	FIELD(argument); FIELD(constructor); FIELD(initializer); FIELD(increment);
	FIELD(pattern); FIELD(operator);
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

	if (len >= UINT32_MAX)
		return error("%s: file too large to parse (%zu bytes)", ff->path, len);
	ff->nlines = ts_count_lines(src, len);

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

	if (ts_parse_bounded(lang, "javascript", src, len, ff->path, &tree))
		return -1;

	root = ts_tree_root_node(tree);
	ff->parse_errors = ts_node_has_error(root);
	walker_init(&w, ff, src, len, g, root);
	walk(&w, root);
	find_retries(&w);
	walker_release(&w);
	ts_collect_consts(ff, tree, src, len);
	ts_tree_delete(tree);
	return 0;
}
