/*
 * The Java front-end: one tree-sitter parse, one walk, facts out.
 *
 * Same shape as python.c (read its header first): a single TSTreeCursor
 * walk with a heap stack of levels, each carrying the context its node sits
 * in, so a 10,000-deep expression costs heap, not C stack; the only second
 * pass is the retry-loop one.
 *
 * Java idioms and the facts they become:
 *   - methods and constructors are functions (cls = the innermost class,
 *     enum, interface or record, or the type of an anonymous class);
 *     constructors set is_constructor; lambdas are not functions;
 *     annotations are decorators with their arguments (`@Retryable(
 *     maxAttempts = 3)` has the keyword argument maxAttempts), and an
 *     annotation of a method is also a call fact, so models can give it an
 *     operation (`@GetMapping` = http.route);
 *   - `new T(...)` is a call of T; a builder chain `T.newBuilder().x(1)
 *     .build()` is one call per link, written "T.newBuilder().x", and every
 *     inner link has the outermost call as its carrier (where the value ends
 *     up: the outermost call's assigned_to);
 *   - try/catch (multi-catch `A | B` gives two types), finally and
 *     try-with-resources are handlers;
 *   - state writes: `this.status = X`, a bare `status = X` in a method (an
 *     implicit this), setters `w.setStatus(X)` (a WRITE_ATTR on
 *     "w.status" carrying the setter call), `Map.of("status", X)` and
 *     `m.put("status", X)`; SQL in string literals;
 *   - state reads: `==`/`!=`, `.equals(...)`, getters (`w.getStatus()`,
 *     `w.isBusy()`, a record accessor `w.status()`) read the property,
 *     `switch (...) { case IDLE: }`, truth tests in conditions and in
 *     stream filters (`filter(w -> !w.isBusy())`), which select;
 *   - counted for loops and while loops around a try are retry loops.
 */
#include "lang.h"

#include <ctype.h>
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

const TSLanguage *tree_sitter_java(void);

enum kind {
	K_OTHER = 0, K_COMMENT, K_IMPORT, K_CLASS, K_CLASS_BODY, K_NEW, K_METHOD, K_CTOR,
	K_MODIFIERS, K_ANNOTATION, K_MARKER, K_ANN_ARGS, K_EVP, K_INVOKE, K_FIELD_ACCESS,
	K_IDENT, K_TYPE_IDENT, K_SCOPED_TYPE, K_SCOPED_IDENT, K_GENERIC, K_ARGLIST, K_TRY,
	K_TRY_RES, K_RESOURCES, K_CATCH, K_CATCH_PARAM, K_CATCH_TYPE, K_FINALLY, K_THROW,
	K_RETURN, K_CONTINUE, K_BREAK, K_FOR, K_EFOR, K_WHILE, K_DO, K_IF, K_ASSIGN,
	K_LOCALVAR, K_FIELD_DECL, K_DECLARATOR, K_STRING, K_INT, K_FLOAT, K_TRUE, K_FALSE,
	K_NULL, K_CHAR, K_UNARY, K_BINARY, K_SWITCH, K_SWITCH_BLOCK, K_SWITCH_GROUP,
	K_SWITCH_RULE, K_SWITCH_LABEL, K_LAMBDA, K_BLOCK, K_PAREN, K_UPDATE, K_THIS,
	K_SUPER, K_FORMAL_PARAMS, K_FORMAL_PARAM, K_CAST, K_TERNARY, K_ASTERISK,
};

static const struct ts_kind_name kind_names[] = {
	{ "line_comment", K_COMMENT }, { "block_comment", K_COMMENT },
	{ "import_declaration", K_IMPORT },
	{ "class_declaration", K_CLASS }, { "interface_declaration", K_CLASS },
	{ "enum_declaration", K_CLASS }, { "record_declaration", K_CLASS },
	{ "annotation_type_declaration", K_CLASS },
	{ "class_body", K_CLASS_BODY }, { "enum_body", K_CLASS_BODY },
	{ "interface_body", K_CLASS_BODY }, { "enum_body_declarations", K_CLASS_BODY },
	{ "object_creation_expression", K_NEW }, { "method_declaration", K_METHOD },
	{ "constructor_declaration", K_CTOR }, { "compact_constructor_declaration", K_CTOR },
	{ "modifiers", K_MODIFIERS }, { "annotation", K_ANNOTATION },
	{ "marker_annotation", K_MARKER }, { "annotation_argument_list", K_ANN_ARGS },
	{ "element_value_pair", K_EVP }, { "method_invocation", K_INVOKE },
	{ "field_access", K_FIELD_ACCESS }, { "identifier", K_IDENT },
	{ "type_identifier", K_TYPE_IDENT }, { "scoped_type_identifier", K_SCOPED_TYPE },
	{ "scoped_identifier", K_SCOPED_IDENT }, { "generic_type", K_GENERIC },
	{ "argument_list", K_ARGLIST }, { "try_statement", K_TRY },
	{ "try_with_resources_statement", K_TRY_RES }, { "resource_specification", K_RESOURCES },
	{ "catch_clause", K_CATCH }, { "catch_formal_parameter", K_CATCH_PARAM },
	{ "catch_type", K_CATCH_TYPE }, { "finally_clause", K_FINALLY },
	{ "throw_statement", K_THROW }, { "return_statement", K_RETURN },
	{ "continue_statement", K_CONTINUE }, { "break_statement", K_BREAK },
	{ "for_statement", K_FOR }, { "enhanced_for_statement", K_EFOR },
	{ "while_statement", K_WHILE }, { "do_statement", K_DO }, { "if_statement", K_IF },
	{ "assignment_expression", K_ASSIGN }, { "local_variable_declaration", K_LOCALVAR },
	{ "field_declaration", K_FIELD_DECL }, { "variable_declarator", K_DECLARATOR },
	{ "string_literal", K_STRING }, { "decimal_integer_literal", K_INT },
	{ "hex_integer_literal", K_INT }, { "octal_integer_literal", K_INT },
	{ "binary_integer_literal", K_INT }, { "decimal_floating_point_literal", K_FLOAT },
	{ "hex_floating_point_literal", K_FLOAT }, { "true", K_TRUE }, { "false", K_FALSE },
	{ "null_literal", K_NULL }, { "character_literal", K_CHAR },
	{ "unary_expression", K_UNARY }, { "binary_expression", K_BINARY },
	{ "switch_expression", K_SWITCH }, { "switch_block", K_SWITCH_BLOCK },
	{ "switch_block_statement_group", K_SWITCH_GROUP }, { "switch_rule", K_SWITCH_RULE },
	{ "switch_label", K_SWITCH_LABEL }, { "lambda_expression", K_LAMBDA },
	{ "block", K_BLOCK }, { "constructor_body", K_BLOCK },
	{ "parenthesized_expression", K_PAREN }, { "update_expression", K_UPDATE },
	{ "this", K_THIS }, { "super", K_SUPER }, { "formal_parameters", K_FORMAL_PARAMS },
	{ "formal_parameter", K_FORMAL_PARAM }, { "cast_expression", K_CAST },
	{ "ternary_expression", K_TERNARY }, { "asterisk", K_ASTERISK },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS 64     /* arguments recorded per call */
#define MAX_VALUES 16   /* values recorded per read */
#define MAX_CHAIN 64    /* a.b().c segments followed when naming a callee */

struct ctx {
	int func;           /* enclosing function fact */
	int handler;        /* innermost catch/finally clause holding the node */
	int handler_nl;     /* ...with no loop in between (continue/break belong to it) */
	int handler_block;  /* one-shot: set on a clause's block */
	int handler_direct; /* one-shot: the clause whose block is the node's parent */
	int loop;
	int guard;          /* first handler of the innermost try whose body holds the node */
	int exit_try;       /* same, for the try body with no loop in between */
	int carrier;        /* outermost call whose arguments (or builder chain) hold the node */
	const char *cls;    /* class whose body holds the node */
	struct span cond_body;
	unsigned char parent_kind;
	bool has_cond;      /* in an if/while condition or a stream filter */
	bool select;        /* a comparison here chooses among several */
	bool in_for;        /* in a for loop body (same function) */
	bool in_return;
};

static struct ts_where where_of(const struct ctx *c)
{
	return (struct ts_where){ c->func, c->handler, c->select, c->has_cond, c->cond_body };
}

struct visit {
	int call, func, loop, try_first, clause_ord;
	int cb_handler; /* a listener method's handler (onFailure of a WebSocketListener), -1 */
	const char *cls;
	struct span cond_body;
	bool select_call;
};

struct level {
	TSNode node;
	struct ctx ctx;
	struct visit v;
	unsigned char kind;
	bool skip;
};

/* An annotation of a method, waiting for its call fact. */
struct pending_annotation {
	uint32_t start;
	int func;
	size_t deco;
};

struct field_ids {
	TSFieldId name, body, object, arguments, left, right, value, condition, consequence,
		  alternative, type, declarator, key, operand, parameters, init, update, field,
		  operator;
};

struct walker {
	struct ts_walker b; /* first: the part all front-ends share */
	struct field_ids f;
	VEC(struct level) levels;
	VEC(struct ts_hextra) hx;
	VEC(struct ts_lextra) lx;
	VEC(struct pending_annotation) pending;
	struct strbuf sb;
};

static enum kind kind_of(const struct walker *w, TSNode n)
{
	return (enum kind)ts_kind(&w->b, n);
}

/* The first named child of kind `k`, or a null node. */
static TSNode child_of_kind(struct walker *w, TSNode n, enum kind k)
{
	size_t base = ts_collect(&w->b, n, true);
	TSNode r = { 0 };
	for (size_t i = base; i < w->b.scratch.len; i++)
		if (kind_of(w, ts_scratch_node(&w->b, i)) == k) {
			r = ts_scratch_node(&w->b, i);
			break;
		}
	w->b.scratch.len = base;
	return r;
}

/* Inside the parentheses: `(x)` -> x (a few levels). */
static TSNode unparen(struct walker *w, TSNode n)
{
	for (int i = 0; i < 8 && !ts_node_is_null(n) && kind_of(w, n) == K_PAREN; i++)
		n = ts_first_named(&w->b, n);
	return n;
}

/* The bytes between a string literal's quotes ("..." or a """ text block). */
static const char *string_content(struct walker *w, TSNode n, size_t *len)
{
	size_t l;
	const char *p = ts_wraw(&w->b, n, &l);

	*len = 0;
	if (!p)
		return NULL;
	if (l >= 6 && !strncmp(p, "\"\"\"", 3) && !strncmp(p + l - 3, "\"\"\"", 3)) {
		*len = l - 6;
		return p + 3;
	}
	if (l >= 2 && p[0] == '"' && p[l - 1] == '"') {
		*len = l - 2;
		return p + 1;
	}
	*len = l;
	return p;
}

/* Identifiers (or `this`) joined by dots: `a`, `WorkerStatus.IDLE`, `this.status`. */
static bool is_dotted(struct walker *w, TSNode n)
{
	for (int i = 0; i < MAX_CHAIN && !ts_node_is_null(n); i++) {
		enum kind k = kind_of(w, n);
		if (k == K_IDENT || k == K_THIS)
			return true;
		if (k != K_FIELD_ACCESS)
			return false;
		n = ts_field_id(n, w->f.object);
	}
	return false;
}

/* IDLE, WORKER_BUSY: a constant's name, most often an enum member. */
static bool constant_like(const char *p, size_t l)
{
	bool upper = false;
	if (!l || !isupper((unsigned char)p[0]))
		return false;
	for (size_t i = 0; i < l; i++) {
		if (islower((unsigned char)p[i]))
			return false;
		upper |= isupper((unsigned char)p[i]) != 0;
	}
	return upper && l >= 2;
}

/*
 * The literal value of an expression, in the arena, or NULL: strings
 * without quotes, numbers, true/false/null, enum members (dotted names or
 * a bare CONSTANT).
 */
static const char *literal_value(struct walker *w, TSNode n, bool *is_string)
{
	size_t l;
	const char *p;

	if (is_string)
		*is_string = false;
	n = unparen(w, n);
	if (ts_node_is_null(n))
		return NULL;
	switch (kind_of(w, n)) {
	case K_STRING:
		if (is_string)
			*is_string = true;
		p = string_content(w, n, &l);
		return p ? ts_wcopy(&w->b, p, l) : NULL;
	case K_INT: case K_FLOAT: case K_TRUE: case K_FALSE: case K_NULL: case K_CHAR:
		return ts_wtext(&w->b, n);
	case K_UNARY: {
		enum kind k = kind_of(w, ts_field_id(n, w->f.operand));
		return k == K_INT || k == K_FLOAT ? ts_wtext(&w->b, n) : NULL;
	}
	case K_FIELD_ACCESS:
		return is_dotted(w, n) && kind_of(w, ts_field_id(n, w->f.object)) != K_THIS ? ts_wtext(&w->b, n) : NULL;
	case K_IDENT:
		p = ts_wraw(&w->b, n, &l);
		return p && constant_like(p, l) ? ts_wtext(&w->b, n) : NULL;
	default:
		return NULL;
	}
}

/* A type as named, generics dropped: `KafkaConsumer<String, String>` -> KafkaConsumer. */
static TSNode type_name_node(struct walker *w, TSNode t)
{
	if (!ts_node_is_null(t) && kind_of(w, t) == K_GENERIC)
		t = ts_first_named(&w->b, t);
	return t;
}

/*
 * An expression as a callee prefix, with call arguments elided:
 * `HttpClient.newBuilder().build()` -> "HttpClient.newBuilder().build()",
 * `new OkHttpClient.Builder()` -> "OkHttpClient.Builder()". Iterative and
 * capped at TS_TEXT_MAX bytes. Appends to w->sb.
 */
static void chain_text(struct walker *w, TSNode n)
{
	struct ts_link chain[MAX_CHAIN];
	int depth = 0;

	while (depth < MAX_CHAIN && !ts_node_is_null(n)) {
		enum kind k = kind_of(w, n);
		TSNode next;
		if (k == K_INVOKE || k == K_FIELD_ACCESS)
			next = ts_field_id(n, w->f.object);
		else
			break;
		if (ts_node_is_null(next))
			break;
		chain[depth++] = k == K_INVOKE ?
			(struct ts_link){ ts_field_id(n, w->f.name), TS_LINK_METHOD } :
			(struct ts_link){ ts_field_id(n, w->f.field), TS_LINK_MEMBER };
		n = next;
	}
	switch (kind_of(w, n)) {
	case K_INVOKE: /* a bare call heads the chain */
		ts_sb_add_node(&w->b, &w->sb, ts_field_id(n, w->f.name));
		strbuf_addstr(&w->sb, "()");
		break;
	case K_NEW:
		ts_sb_add_node(&w->b, &w->sb, type_name_node(w, ts_field_id(n, w->f.type)));
		strbuf_addstr(&w->sb, "()");
		break;
	default:
		ts_sb_add_node(&w->b, &w->sb, n);
		break;
	}
	ts_sb_add_chain(&w->b, &w->sb, chain, depth);
}

static const char *expr_text(struct walker *w, TSNode n)
{
	strbuf_reset(&w->sb);
	chain_text(w, n);
	return ts_wcopy(&w->b, w->sb.buf, w->sb.len);
}

/* The callee of a method invocation as written: "this.http.newCall", "pick". */
static const char *invoke_callee(struct walker *w, TSNode n)
{
	TSNode obj = ts_field_id(n, w->f.object);

	strbuf_reset(&w->sb);
	if (!ts_node_is_null(obj)) {
		chain_text(w, obj);
		strbuf_addch(&w->sb, '.');
	}
	if (w->sb.len < TS_TEXT_MAX)
		ts_sb_add_node(&w->b, &w->sb, ts_field_id(n, w->f.name));
	return ts_wcopy(&w->b, w->sb.buf, w->sb.len);
}

/* The literal value of `n`, or of each argument of List.of/Set.of/EnumSet.of/Arrays.asList. */
static size_t values_of(struct walker *w, TSNode n, const char **out, size_t max)
{
	size_t nv = 0;
	const char *v;

	n = unparen(w, n);
	if (ts_node_is_null(n) || !max)
		return 0;
	if (kind_of(w, n) == K_INVOKE) {
		size_t l, base;
		const char *m = ts_wraw(&w->b, ts_field_id(n, w->f.name), &l);
		if (!m || !((l == 2 && !strncmp(m, "of", 2)) || (l == 6 && !strncmp(m, "asList", 6))))
			return 0;
		base = ts_collect(&w->b, ts_field_id(n, w->f.arguments), true);
		for (size_t i = base; i < w->b.scratch.len && nv < max; i++)
			if ((v = literal_value(w, ts_scratch_node(&w->b, i), NULL)))
				out[nv++] = v;
		w->b.scratch.len = base;
		return nv;
	}
	v = literal_value(w, n, NULL);
	if (v)
		out[nv++] = v;
	return nv;
}

/* --- state-like names --- */

/* camelCase to snake_case, then the shared test: workerStatus, isReady, STATUS. */
static bool state_name(const char *p, size_t l)
{
	char buf[96];
	size_t n = 0;

	if (!p || !l || l > 48)
		return false;
	for (size_t i = 0; i < l && n + 2 < sizeof(buf); i++) {
		unsigned char ch = (unsigned char)p[i];
		if (isupper(ch) && i > 0 && islower((unsigned char)p[i - 1]))
			buf[n++] = '_';
		buf[n++] = (char)tolower(ch);
	}
	return lang_is_state_field(buf, n);
}

/*
 * The property a getter or setter names: getStatus/setStatus -> "status",
 * isBusy -> "busy". `prefix` is "get", "set" or "is". Returns the property
 * in the arena, or NULL when the name is not state-like.
 */
static const char *accessor_property(struct walker *w, const char *m, size_t l, const char *prefix)
{
	size_t k = strlen(prefix);
	char buf[64];

	if (l <= k || l - k >= sizeof(buf) || strncmp(m, prefix, k) || !isupper((unsigned char)m[k]))
		return NULL;
	memcpy(buf, m + k, l - k);
	buf[0] = (char)tolower((unsigned char)buf[0]);
	if (!state_name(buf, l - k))
		return NULL;
	return ts_wcopy(&w->b, buf, l - k);
}

static size_t arg_count(struct walker *w, TSNode args)
{
	size_t base, n;
	if (ts_node_is_null(args))
		return 0;
	base = ts_collect(&w->b, args, true);
	n = w->b.scratch.len - base;
	w->b.scratch.len = base;
	return n;
}

/* "w.status" for a getter on `w`, "status" for a bare one. */
static const char *property_target(struct walker *w, TSNode obj, const char *prop)
{
	if (ts_node_is_null(obj))
		return prop;
	strbuf_reset(&w->sb);
	chain_text(w, obj);
	strbuf_addch(&w->sb, '.');
	strbuf_addstr(&w->sb, prop);
	return ts_wcopy(&w->b, w->sb.buf, w->sb.len);
}

/*
 * Does `n` read a state-like field? Sets target and field and returns
 * READ_COMPARE (a field or getter), READ_FILTER (`m.get("status")`), or -1.
 */
static int state_target(struct walker *w, TSNode n, const char **target, const char **fld)
{
	size_t l;
	const char *p;

	n = unparen(w, n);
	if (ts_node_is_null(n))
		return -1;
	switch (kind_of(w, n)) {
	case K_FIELD_ACCESS: {
		TSNode f = ts_field_id(n, w->f.field);
		p = ts_wraw(&w->b, f, &l);
		if (!state_name(p, l) || constant_like(p, l))
			return -1;
		*target = expr_text(w, n);
		*fld = ts_wtext(&w->b, f);
		return READ_COMPARE;
	}
	case K_IDENT:
		p = ts_wraw(&w->b, n, &l);
		if (!state_name(p, l) || constant_like(p, l))
			return -1;
		*target = *fld = ts_wtext(&w->b, n);
		return READ_COMPARE;
	case K_INVOKE: {
		TSNode args = ts_field_id(n, w->f.arguments), obj = ts_field_id(n, w->f.object);
		size_t na = arg_count(w, args);
		const char *prop;
		p = ts_wraw(&w->b, ts_field_id(n, w->f.name), &l);
		if (!p)
			return -1;
		if (na == 0) {
			prop = accessor_property(w, p, l, "get");
			if (!prop)
				prop = accessor_property(w, p, l, "is");
			if (!prop && state_name(p, l) && !(l > 2 && !strncmp(p, "is", 2)))
				prop = ts_wcopy(&w->b, p, l); /* a record accessor: w.status() */
			if (!prop)
				return -1;
			*target = property_target(w, obj, prop);
			*fld = prop;
			return READ_COMPARE;
		}
		if (na == 1 && l == 3 && !strncmp(p, "get", 3) && !ts_node_is_null(obj)) {
			TSNode a0 = ts_first_named(&w->b, args);
			size_t kl;
			const char *k;
			if (kind_of(w, a0) != K_STRING || !(k = string_content(w, a0, &kl)) ||
			    !state_name(k, kl))
				return -1;
			*target = expr_text(w, n);
			*fld = ts_wcopy(&w->b, k, kl);
			return READ_FILTER;
		}
		return -1;
	}
	default:
		return -1;
	}
}

/* --- facts --- */

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

/* Calls that choose one or some among several: comparisons in their arguments select. */
static bool is_select_call(const char *m)
{
	static const char *const sel[] = {
		"filter", "anyMatch", "allMatch", "noneMatch", "min", "max", "sorted",
		"removeIf", "takeWhile", "dropWhile",
	};
	for (size_t i = 0; i < ARRAY_LEN(sel); i++)
		if (!strcmp(m, sel[i]))
			return true;
	return false;
}

/* --- data flow (AP-2): names used --- */

#define NAMES_BUDGET 512

/* The maximal dotted names `e` uses (see python.c's names_in()). */
static void names_in(struct walker *w, TSNode e, const char **out, size_t *n, size_t max)
{
	TSNode stack[64];
	size_t sp = 0, budget = NAMES_BUDGET;

	if (ts_node_is_null(e))
		return;
	stack[sp++] = e;
	while (sp && budget-- && *n < max) {
		TSNode x = stack[--sp], o;
		enum kind k = kind_of(w, x);
		const char *s;
		uint32_t nc;

		switch (k) {
		case K_IDENT: case K_THIS:
			s = ts_wtext(&w->b, x);
			if (!ts_name_seen(out, *n, s))
				out[(*n)++] = s;
			continue;
		case K_FIELD_ACCESS:
			if (is_dotted(w, x)) {
				s = expr_text(w, x);
				if (!ts_name_seen(out, *n, s))
					out[(*n)++] = s;
			} else if (sp < ARRAY_LEN(stack)) {
				stack[sp++] = ts_field_id(x, w->f.object);
			}
			continue;
		case K_INVOKE:
			o = ts_field_id(x, w->f.object);
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(ts_field_id(x, w->f.arguments)))
				stack[sp++] = ts_field_id(x, w->f.arguments);
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(o))
				stack[sp++] = o;
			continue;
		case K_NEW:
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(ts_field_id(x, w->f.arguments)))
				stack[sp++] = ts_field_id(x, w->f.arguments);
			continue;
		case K_LAMBDA:
			if (sp < ARRAY_LEN(stack) && !ts_node_is_null(ts_field_id(x, w->f.body)))
				stack[sp++] = ts_field_id(x, w->f.body);
			continue;
		case K_COMMENT: case K_CLASS_BODY: case K_TYPE_IDENT: case K_GENERIC:
		case K_SCOPED_TYPE:
			continue;
		default:
			break;
		}
		nc = ts_node_named_child_count(x);
		for (uint32_t i = nc; i > 0 && sp < ARRAY_LEN(stack); i--)
			stack[sp++] = ts_node_named_child(x, i - 1);
	}
}

/* The statements after which a block is left (AP-2: a call that ends one). */
static const unsigned char exit_kinds[] = { K_RETURN, K_CONTINUE, K_BREAK, K_THROW };

/*
 * The call at the top of the level stack: its names, its block, the name
 * its value is bound to, and the binding it feeds.
 */
static void dataflow_call(struct walker *w, int idx, TSNode obj, TSNode args)
{
	const char *names[FACT_MAX_NAMES];
	size_t nn = 0, top = w->levels.len - 1, p;
	struct fact_call *call;
	struct span as;

	names_in(w, obj, names, &nn, FACT_MAX_NAMES);
	names_in(w, args, names, &nn, FACT_MAX_NAMES);
	call = &w->b.ff->calls.items[idx];
	call->names = ts_list(w->b.ff, names, nn);

	for (size_t i = top, steps = 0; i > 0 && steps < 256; i--, steps++) {
		const struct level *lv = &w->levels.items[i];
		enum kind k = (enum kind)lv->kind, pk;
		if (k == K_METHOD || k == K_CTOR || k == K_LAMBDA || k == K_CLASS_BODY)
			break;
		if (k != K_BLOCK && k != K_SWITCH_GROUP)
			continue;
		call->block = ts_span(lv->node);
		call->block_exits = ts_block_exits(&w->b, lv->node, exit_kinds,
						   ARRAY_LEN(exit_kinds));
		pk = (enum kind)w->levels.items[i - 1].kind;
		call->conditional = k == K_SWITCH_GROUP || pk == K_IF || pk == K_CATCH ||
				    pk == K_SWITCH_RULE;
		break;
	}

	/* x = call(...), T x = call(...), for (T x : call(...)) */
	if (top < 2)
		return;
	p = top - 1;
	while (p > 1 && (w->levels.items[p].kind == K_PAREN || w->levels.items[p].kind == K_CAST))
		p--;
	switch (w->levels.items[p].kind) {
	case K_DECLARATOR: {
		TSNode d = w->levels.items[p].node;
		if (!ts_node_eq(ts_field_id(d, w->f.value), w->levels.items[p + 1].node))
			return;
		call->assigned_to = ts_wtext(&w->b, ts_field_id(d, w->f.name));
		as = ts_span(d);
		break;
	}
	case K_ASSIGN: {
		TSNode a = w->levels.items[p].node;
		if (!ts_node_eq(ts_field_id(a, w->f.right), w->levels.items[p + 1].node))
			return;
		call->assigned_to = expr_text(w, ts_field_id(a, w->f.left));
		as = ts_span(a);
		break;
	}
	case K_EFOR: {
		int loop = w->levels.items[p].v.loop;
		if (loop < 0 || !ts_node_eq(ts_field_id(w->levels.items[p].node, w->f.value),
					    w->levels.items[p + 1].node))
			return;
		for (size_t b = w->b.ff->bindings.len; b > 0; b--) {
			struct fact_binding *bd = &w->b.ff->bindings.items[b - 1];
			if (bd->kind != BIND_LOOP || bd->loop != loop)
				break;
			if (bd->call < 0)
				bd->call = idx;
		}
		return;
	}
	default:
		return;
	}
	for (size_t b = w->b.ff->bindings.len; b > 0; b--) {
		struct fact_binding *bd = &w->b.ff->bindings.items[b - 1];
		if (bd->kind != BIND_ASSIGN || memcmp(&bd->span, &as, sizeof(as)))
			continue;
		if (bd->call < 0)
			bd->call = idx;
		break;
	}
}

/* Is `name` a parameter or local of function `func` (bound before)? */
static bool is_local(struct walker *w, int func, const char *p, size_t l)
{
	if (func < 0)
		return false;
	for (size_t b = w->b.ff->bindings.len; b > 0; b--) {
		const struct fact_binding *bd = &w->b.ff->bindings.items[b - 1];
		if (bd->func != func)
			break;
		if (strlen(bd->name) == l && !strncmp(bd->name, p, l))
			return true;
	}
	return false;
}

/* --- calls --- */

static void fill_arg(struct walker *w, struct fact_arg *a, TSNode n)
{
	if (kind_of(w, n) == K_EVP) {
		a->name = ts_wtext(&w->b, ts_field_id(n, w->f.key));
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
	base = ts_collect(&w->b, args, true);
	n = w->b.scratch.len - base;
	if (n > MAX_ARGS)
		n = MAX_ARGS;
	if (!n) {
		w->b.scratch.len = base;
		return NULL;
	}
	out = arena_alloc(&w->b.ff->arena, n * sizeof(*out));
	memset(out, 0, n * sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		/* fill_arg may collect: read the node first */
		TSNode a = ts_scratch_node(&w->b, base + i);
		size_t keep = w->b.scratch.len;
		fill_arg(w, &out[i], a);
		w->b.scratch.len = keep;
	}
	w->b.scratch.len = base;
	*nargs = n;
	return out;
}

static int new_call(struct walker *w, TSNode n, const struct ctx *c, const char *callee,
		    const char *method)
{
	int idx = (int)w->b.ff->calls.len;
	struct fact_call *call = VEC_PUSH(&w->b.ff->calls);

	call->callee = callee;
	call->method = method;
	call->span = ts_span(n);
	call->func = c->func;
	call->handler = c->handler;
	call->loop = c->loop;
	call->guard = c->guard;
	call->in_return = c->in_return;
	call->carrier = c->carrier;
	return idx;
}

/* `Map.of("status", X, ...)` and `m.put("status", X)`: keys that are state or a message's kind. */
static void map_pairs(struct walker *w, const struct ctx *c, int call, TSNode args, bool put,
		      const char *recv)
{
	size_t base = ts_collect(&w->b, args, true), n = w->b.scratch.len - base;

	for (size_t i = 0; i + 1 < n; i += 2) {
		TSNode key = ts_scratch_node(&w->b, base + i), val = ts_scratch_node(&w->b,
										     base + i + 1);
		const char *p, *fld;
		size_t l, keep = w->b.scratch.len;
		if (kind_of(w, key) != K_STRING)
			continue;
		p = string_content(w, key, &l);
		if (!p || (!state_name(p, l) && !lang_is_message_key(p, l)))
			continue;
		fld = ts_wcopy(&w->b, p, l);
		if (put) {
			ts_add_write(w->b.ff, where_of(c), WRITE_KEY,
				     arena_printf(&w->b.ff->arena, "%s[\"%s\"]", recv, fld), fld,
				     literal_value(w, val, NULL), ts_wtext(&w->b, val), key, call,
				     false);
		} else if (c->in_return) {
			ts_add_write(w->b.ff, where_of(c), WRITE_RETURN, fld, fld, literal_value(w, val, NULL), ts_wtext(&w->b, val),
				  key, -1, c->func >= 0 && w->b.ff->functions.items[c->func].ndecorators > 0);
		} else if (c->carrier >= 0) {
			ts_add_write(w->b.ff, where_of(c), WRITE_MESSAGE, fld, fld,
				     literal_value(w, val, NULL), ts_wtext(&w->b, val), key,
				     c->carrier, true);
		} else {
			/* Map<..> report = Map.of("status", X): the key of `report` */
			ts_add_write(w->b.ff, where_of(c), WRITE_KEY, recv ? arena_printf(&w->b.ff->arena, "%s[\"%s\"]", recv, fld) : fld,
				  fld, literal_value(w, val, NULL), ts_wtext(&w->b, val), key, call, false);
		}
		w->b.scratch.len = keep;
		if (put)
			break;
	}
	w->b.scratch.len = base;
}

/* `x.equals(y)`: a comparison when one side reads state. */
static void equals_read(struct walker *w, TSNode n, TSNode parent, const struct ctx *c)
{
	TSNode obj = ts_field_id(n, w->f.object), a0 = ts_first_named(&w->b, ts_field_id(n, w->f.arguments)), other;
	const char *target = NULL, *fld = NULL, *vals[MAX_VALUES];
	int kind;
	size_t nv;
	struct fact_read *r;

	if (ts_node_is_null(obj) || ts_node_is_null(a0))
		return;
	kind = state_target(w, obj, &target, &fld);
	other = a0;
	if (kind < 0) {
		kind = state_target(w, a0, &target, &fld);
		other = obj;
	}
	if (kind < 0)
		return;
	nv = values_of(w, other, vals, MAX_VALUES);
	r = ts_add_read(w->b.ff, where_of(c), (enum read_kind)kind, target, fld, n);
	r->values = ts_list(w->b.ff, vals, nv);
	r->negated = !ts_node_is_null(parent) && kind_of(w, parent) == K_UNARY &&
		     ts_text_eq(ts_field_id(parent, w->f.operator), w->b.src, w->b.len, "!");
}

/* `EnumSet.of(A, B).contains(w.getStatus())`, `List.of(...).contains(...)`: membership. */
static void contains_read(struct walker *w, TSNode n, TSNode parent, const struct ctx *c)
{
	TSNode obj = ts_field_id(n, w->f.object), a0 = ts_first_named(&w->b, ts_field_id(n, w->f.arguments));
	const char *target = NULL, *fld = NULL, *vals[MAX_VALUES];
	size_t nv;
	struct fact_read *r;

	if (ts_node_is_null(obj) || state_target(w, a0, &target, &fld) != READ_COMPARE)
		return;
	nv = values_of(w, obj, vals, MAX_VALUES);
	if (!nv)
		return;
	r = ts_add_read(w->b.ff, where_of(c), READ_MEMBERSHIP, target, fld, n);
	r->values = ts_list(w->b.ff, vals, nv);
	r->negated = !ts_node_is_null(parent) && kind_of(w, parent) == K_UNARY &&
		     ts_text_eq(ts_field_id(parent, w->f.operator), w->b.src, w->b.len, "!");
}

/* The name the call at the top of the level stack is assigned to (`T x = call()`, `x = call()`), or NULL. */
static const char *assigned_name(struct walker *w)
{
	size_t top = w->levels.len - 1;
	const struct level *p;

	if (top < 1)
		return NULL;
	p = &w->levels.items[top - 1];
	if (p->kind == K_DECLARATOR && ts_node_eq(ts_field_id(p->node, w->f.value), w->levels.items[top].node))
		return ts_wtext(&w->b, ts_field_id(p->node, w->f.name));
	if (p->kind == K_ASSIGN && ts_node_eq(ts_field_id(p->node, w->f.right), w->levels.items[top].node))
		return expr_text(w, ts_field_id(p->node, w->f.left));
	return NULL;
}

static int visit_invoke(struct walker *w, TSNode n, TSNode parent, const struct ctx *c,
			struct visit *v)
{
	TSNode obj = ts_field_id(n, w->f.object), args = ts_field_id(n, w->f.arguments);
	const char *callee = invoke_callee(w, n), *method, *prop;
	int idx;
	size_t l, nargs;
	const char *m;
	struct fact_arg *a;

	method = ts_wtext(&w->b, ts_field_id(n, w->f.name));
	idx = new_call(w, n, c, callee, method);
	a = make_args(w, args, &nargs);
	w->b.ff->calls.items[idx].args = a;
	w->b.ff->calls.items[idx].nargs = nargs;
	v->select_call = is_select_call(method);
	m = ts_wraw(&w->b, ts_field_id(n, w->f.name), &l);
	/* setters of state-like properties: w.setStatus(WorkerStatus.IDLE) */
	if (m && nargs == 1 && (prop = accessor_property(w, m, l, "set"))) {
		const char *target = ts_node_is_null(obj) ?
			arena_printf(&w->b.ff->arena, "this.%s", prop) : property_target(w, obj, prop);
		ts_add_write(w->b.ff, where_of(c), WRITE_ATTR, target, prop, a[0].value, a[0].text,
			     n, idx, false);
	}
	if (m && l == 6 && !strncmp(m, "equals", 6))
		equals_read(w, n, parent, c);
	else if (m && l == 8 && !strncmp(m, "contains", 8))
		contains_read(w, n, parent, c);
	else if (m && ((l == 2 && !strncmp(m, "of", 2)) || (l == 8 && !strncmp(m, "ofEntries", 8))) &&
		 ts_text_eq(obj, w->b.src, w->b.len, "Map"))
		map_pairs(w, c, idx, args, false, assigned_name(w));
	else if (m && l == 3 && !strncmp(m, "put", 3) && nargs == 2 && !ts_node_is_null(obj))
		map_pairs(w, c, idx, args, true, expr_text(w, obj));
	dataflow_call(w, idx, obj, args);
	return idx;
}

static int visit_new(struct walker *w, TSNode n, const struct ctx *c, struct visit *v)
{
	TSNode t = type_name_node(w, ts_field_id(n, w->f.type)), args = ts_field_id(n,
										    w->f.arguments);
	const char *callee = ts_wtext(&w->b, t), *dot = strrchr(callee, '.');
	int idx = new_call(w, n, c, callee,
			   dot ? facts_str(w->b.ff, dot + 1, strlen(dot + 1)) : callee);
	size_t nargs;
	struct fact_arg *a = make_args(w, args, &nargs);

	w->b.ff->calls.items[idx].args = a;
	w->b.ff->calls.items[idx].nargs = nargs;
	v->cls = callee; /* an anonymous class body's methods belong to this type */
	dataflow_call(w, idx, (TSNode){ 0 }, args);
	return idx;
}

/* An annotation of a method: a call fact, and the decorator's link to it. */
static void visit_annotation(struct walker *w, TSNode n, const struct ctx *c)
{
	uint32_t start = ts_node_start_byte(n);

	for (size_t j = 0; j < w->pending.len; j++) {
		struct pending_annotation *pa = &w->pending.items[j];
		struct fact_decorator *fd;
		const char *dot;
		int idx;
		if (pa->start != start)
			continue;
		fd = &w->b.ff->functions.items[pa->func].decorators[pa->deco];
		dot = strrchr(fd->name, '.');
		idx = new_call(w, n, c, fd->name,
			       dot ? facts_str(w->b.ff, dot + 1, strlen(dot + 1)) : fd->name);
		w->b.ff->calls.items[idx].args = fd->args;
		w->b.ff->calls.items[idx].nargs = fd->nargs;
		fd->call = idx;
		pa->start = UINT32_MAX;
		return;
	}
}

/* --- functions --- */

static void fill_decorators(struct walker *w, int fi, TSNode def)
{
	TSNode mods = child_of_kind(w, def, K_MODIFIERS);
	size_t base, n = 0, k = 0;
	struct fact_decorator *ds;

	if (ts_node_is_null(mods))
		return;
	base = ts_collect(&w->b, mods, true);
	for (size_t i = base; i < w->b.scratch.len; i++) {
		enum kind ak = kind_of(w, ts_scratch_node(&w->b, i));
		n += ak == K_ANNOTATION || ak == K_MARKER;
	}
	if (!n) {
		w->b.scratch.len = base;
		return;
	}
	ds = arena_alloc(&w->b.ff->arena, n * sizeof(*ds));
	memset(ds, 0, n * sizeof(*ds));
	for (size_t i = base; i < w->b.scratch.len && k < n; i++) {
		TSNode d = ts_scratch_node(&w->b, i);
		enum kind ak = kind_of(w, d);
		struct fact_decorator *fd;
		struct pending_annotation *pa;
		size_t keep;
		if (ak != K_ANNOTATION && ak != K_MARKER)
			continue;
		fd = &ds[k];
		fd->span = ts_span(d);
		fd->call = -1;
		fd->name = ts_wtext(&w->b, ts_field_id(d, w->f.name));
		keep = w->b.scratch.len;
		if (ak == K_ANNOTATION)
			fd->args = make_args(w, ts_field_id(d, w->f.arguments), &fd->nargs);
		w->b.scratch.len = keep;
		pa = VEC_PUSH(&w->pending);
		pa->start = ts_node_start_byte(d);
		pa->func = fi;
		pa->deco = k++;
	}
	w->b.scratch.len = base;
	w->b.ff->functions.items[fi].decorators = ds;
	w->b.ff->functions.items[fi].ndecorators = k;
}

static void dataflow_params(struct walker *w, int func, TSNode def)
{
	TSNode params = ts_field_id(def, w->f.parameters);
	size_t base;
	int pos = 0;

	if (ts_node_is_null(params))
		return;
	base = ts_collect(&w->b, params, true);
	for (size_t i = base; i < w->b.scratch.len && pos < MAX_ARGS; i++) {
		TSNode p = ts_scratch_node(&w->b, i), id = ts_field_id(p, w->f.name);
		if (ts_node_is_null(id))
			continue;
		add_binding(w, BIND_PARAM, ts_wtext(&w->b, id), func, -1, pos++, ts_span(p), NULL,
			    0);
	}
	w->b.scratch.len = base;
}

static int visit_function(struct walker *w, TSNode n, enum kind k, const struct ctx *c)
{
	int idx = (int)w->b.ff->functions.len;
	struct fact_function *fnf = VEC_PUSH(&w->b.ff->functions);
	TSNode name = ts_field_id(n, w->f.name);

	fnf->name = ts_node_is_null(name) ? facts_str(w->b.ff, "", 0) : ts_wtext(&w->b, name);
	fnf->cls = c->cls;
	fnf->span = ts_span(n);
	fnf->name_span = ts_node_is_null(name) ? fnf->span : ts_span(name);
	fnf->parent = c->func;
	fnf->is_constructor = k == K_CTOR;
	fnf->receiver = facts_str(w->b.ff, "this", 4);
	fnf->implicit_receiver = true;
	fill_decorators(w, idx, n);
	dataflow_params(w, idx, n);
	return idx;
}

/* --- handlers and loops --- */

/* `onFailure`, `onClose`, `onError`, `onCompleted`: a listener's ending or failure event. */
static bool is_ending_event(const char *p, size_t l)
{
	static const char *const names[] = {
		"Failure", "Failed", "Error", "Close", "Closed", "Closing", "Complete",
		"Completed", "End", "Disconnect", "Disconnected", "Timeout",
	};
	if (l < 3 || p[0] != 'o' || p[1] != 'n')
		return false;
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (strlen(names[i]) == l - 2 && !memcmp(p + 2, names[i], l - 2))
			return true;
	return false;
}

/*
 * The types a method's class is declared as: `extends A implements B, C`,
 * or for an anonymous class `new T() {...}`, T. Generics dropped.
 */
static size_t class_supertypes(struct walker *w, TSNode method, const char **out, size_t max)
{
	TSNode body = ts_node_parent(method), cls = ts_node_parent(body), t;
	size_t n = 0;

	if (ts_node_is_null(cls) || kind_of(w, body) != K_CLASS_BODY)
		return 0;
	if (kind_of(w, cls) == K_NEW) {
		t = type_name_node(w, ts_field_id(cls, w->f.type));
		if (!ts_node_is_null(t))
			out[n++] = ts_wtext(&w->b, t);
		return n;
	}
	if (kind_of(w, cls) != K_CLASS)
		return 0;
	t = ts_node_child_by_field_name(cls, "superclass", 10);
	if (!ts_node_is_null(t) && !ts_node_is_null(t = type_name_node(w, ts_first_named(&w->b, t))))
		out[n++] = ts_wtext(&w->b, t);
	t = ts_node_child_by_field_name(cls, "interfaces", 10);
	if (!ts_node_is_null(t) && !ts_node_is_null(t = ts_first_named(&w->b, t))) {
		size_t base = ts_collect(&w->b, t, true);
		for (size_t i = base; i < w->b.scratch.len && n < max; i++)
			out[n++] = ts_wtext(&w->b, type_name_node(w, ts_scratch_node(&w->b, i)));
		w->b.scratch.len = base;
	}
	return n;
}

/*
 * A listener method of a failure or ending event (`onFailure` of an OkHttp
 * WebSocketListener, `onClose` of a WebSocket.Listener, `onCompleted` of a
 * StreamObserver): a HANDLER_CALLBACK whose body is the method's and whose
 * types are "Supertype.method" for each declared supertype, for the models
 * to classify. Returns the handler, -1 if not one.
 */
static int listener_handler(struct walker *w, TSNode n, int func)
{
	const char *supers[8], *types[8];
	const struct fact_function *fn = &w->b.ff->functions.items[func];
	TSNode body = ts_field_id(n, w->f.body);
	struct fact_handler *h;
	struct ts_hextra *x;
	size_t ns, l = strlen(fn->name);
	int idx;

	if (ts_node_is_null(body) || !is_ending_event(fn->name, l))
		return -1;
	ns = class_supertypes(w, n, supers, ARRAY_LEN(supers));
	if (!ns)
		return -1;
	for (size_t i = 0; i < ns; i++)
		types[i] = arena_printf(&w->b.ff->arena, "%s.%s", supers[i], fn->name);
	idx = (int)w->b.ff->handlers.len;
	h = VEC_PUSH(&w->b.ff->handlers);
	h->kind = HANDLER_CALLBACK;
	h->span = ts_span(body);
	h->guarded = fn->span;
	h->cls = FAIL_UNKNOWN;
	h->func = func;
	h->loop = -1;
	h->types = ts_list(w->b.ff, types, ns);
	x = VEC_PUSH(&w->hx);
	x->try_first = idx;
	return idx;
}

static void catch_types(struct walker *w, struct fact_handler *h, TSNode clause)
{
	TSNode param = child_of_kind(w, clause, K_CATCH_PARAM), ct;
	const char *types[MAX_ARGS];
	size_t nt = 0, base;

	if (ts_node_is_null(param))
		return;
	if (!ts_node_is_null(ts_field_id(param, w->f.name)))
		h->var = ts_wtext(&w->b, ts_field_id(param, w->f.name));
	ct = child_of_kind(w, param, K_CATCH_TYPE);
	if (ts_node_is_null(ct))
		return;
	base = ts_collect(&w->b, ct, true);
	for (size_t i = base; i < w->b.scratch.len && nt < MAX_ARGS; i++)
		types[nt++] = ts_wtext(&w->b, type_name_node(w, ts_scratch_node(&w->b, i)));
	w->b.scratch.len = base;
	/* catch (Exception e) / Throwable: a catch-all */
	if (nt == 1 && (!strcmp(types[0], "Throwable") || !strcmp(types[0], "java.lang.Throwable")))
		types[0] = facts_str(w->b.ff, "Exception", 9);
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

		if (k != K_CATCH && k != K_FINALLY)
			continue;
		h = VEC_PUSH(&w->b.ff->handlers);
		h->kind = k == K_CATCH ? HANDLER_EXCEPT : HANDLER_FINALLY;
		h->span = ts_span(cl);
		h->guarded = ts_node_is_null(body) ? h->span : ts_span(body);
		h->cls = FAIL_UNKNOWN;
		h->func = c->func;
		h->loop = c->loop;
		x = VEC_PUSH(&w->hx);
		x->try_first = first;
		if (k == K_CATCH) {
			size_t keep = w->b.scratch.len;
			catch_types(w, &w->b.ff->handlers.items[w->b.ff->handlers.len - 1], cl);
			w->b.scratch.len = keep;
		}
	}
	w->b.scratch.len = base;
	return (int)w->b.ff->handlers.len > first ? first : -1;
}

static bool counter_like(struct walker *w, TSNode n)
{
	size_t l;
	const char *p;

	n = unparen(w, n);
	if (kind_of(w, n) == K_FIELD_ACCESS)
		n = ts_field_id(n, w->f.field);
	if (kind_of(w, n) != K_IDENT)
		return false;
	p = ts_wraw(&w->b, n, &l);
	return p && lang_is_retry_counter(p, l);
}

static long int_literal(struct walker *w, TSNode n)
{
	size_t l;
	const char *p;
	long v = 0;

	if (ts_node_is_null(n) || kind_of(w, n) != K_INT)
		return -1;
	p = ts_wraw(&w->b, n, &l);
	for (size_t i = 0; p && i < l && i < 9; i++) {
		if (p[i] == '_')
			continue;
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* `attempt < 3` / `attempt <= MAX`: counted, and the bound when literal. */
static void loop_condition(struct walker *w, TSNode cond, struct ts_lextra *lx, long start)
{
	TSNode lhs, rhs;
	size_t l;
	const char *op;
	long bound;

	cond = unparen(w, cond);
	if (ts_node_is_null(cond) || kind_of(w, cond) != K_BINARY)
		return;
	lhs = ts_field_id(cond, w->f.left);
	rhs = ts_field_id(cond, w->f.right);
	op = ts_wraw(&w->b, ts_field_id(cond, w->f.operator), &l);
	if (!op)
		return;
	if (counter_like(w, lhs) || counter_like(w, rhs))
		lx->counted = true;
	bound = int_literal(w, rhs);
	if (bound < 0 || kind_of(w, lhs) != K_IDENT || start < 0)
		return;
	if (l == 1 && op[0] == '<' && bound >= start)
		lx->attempts = (int)(bound - start);
	else if (l == 2 && !strncmp(op, "<=", 2) && bound + 1 >= start)
		lx->attempts = (int)(bound - start + 1);
	if (lx->attempts >= 0)
		lx->counted = true;
}

/* The start value of `for (int i = 0; ...)`, or -1. */
static long for_start(struct walker *w, TSNode init)
{
	if (ts_node_is_null(init))
		return -1;
	if (kind_of(w, init) == K_LOCALVAR) {
		TSNode d = ts_field_id(init, w->f.declarator);
		return int_literal(w, ts_field_id(d, w->f.value));
	}
	if (kind_of(w, init) == K_ASSIGN)
		return int_literal(w, ts_field_id(init, w->f.right));
	return -1;
}

static int visit_loop(struct walker *w, TSNode n, enum kind k, const struct ctx *c,
		      struct visit *v)
{
	int idx = (int)w->b.ff->loops.len;
	struct fact_loop *lp = VEC_PUSH(&w->b.ff->loops);
	struct ts_lextra *lx = VEC_PUSH(&w->lx);
	TSNode body = ts_field_id(n, w->f.body), cond = unparen(w, ts_field_id(n, w->f.condition));

	lp->span = ts_span(n);
	lp->func = c->func;
	lp->parent = c->loop;
	lx->attempts = -1;
	switch (k) {
	case K_FOR:
		lp->infinite = ts_node_is_null(cond) || kind_of(w, cond) == K_TRUE;
		lx->is_range = !lp->infinite;
		loop_condition(w, cond, lx, for_start(w, ts_field_id(n, w->f.init)));
		if (!ts_node_is_null(ts_field_id(n, w->f.update)) && counter_like(w, ts_field_id(ts_field_id(n, w->f.update), w->f.left)))
			lx->counted = true;
		break;
	case K_EFOR: {
		TSNode val = ts_field_id(n, w->f.value);
		if (!ts_node_is_null(val))
			lp->iter = ts_span(val);
		break;
	}
	default: /* while, do */
		lp->infinite = kind_of(w, cond) == K_TRUE;
		loop_condition(w, cond, lx, 0);
		break;
	}
	v->cond_body = ts_node_is_null(body) ? lp->span : ts_span(body);
	return idx;
}

/* --- writes and reads --- */

static void visit_assign(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode lhs = ts_field_id(n, w->f.left), rhs = ts_field_id(n, w->f.right), nm;
	const char *value, *value_text, *p, *names[FACT_MAX_NAMES];
	size_t l, nn = 0;
	bool plain = ts_text_eq(ts_field_id(n, w->f.operator), w->b.src, w->b.len, "=");

	if (ts_node_is_null(lhs))
		return;
	for (int i = 0; i < MAX_CHAIN && !ts_node_is_null(rhs) && kind_of(w, rhs) == K_ASSIGN; i++)
		rhs = ts_field_id(rhs, w->f.right);
	if (!plain && c->loop >= 0 && counter_like(w, lhs))
		w->lx.items[c->loop].counted = true;
	if (!plain)
		return;
	value = literal_value(w, rhs, NULL);
	value_text = ts_node_is_null(rhs) ? NULL : ts_wtext(&w->b, rhs);
	if (kind_of(w, lhs) == K_FIELD_ACCESS) {
		nm = ts_field_id(lhs, w->f.field);
		p = ts_wraw(&w->b, nm, &l);
		if (state_name(p, l))
			ts_add_write(w->b.ff, where_of(c), WRITE_ATTR, expr_text(w, lhs),
				     ts_wtext(&w->b, nm), value, value_text, n, -1, false);
	} else if (kind_of(w, lhs) == K_IDENT) {
		p = ts_wraw(&w->b, lhs, &l);
		/* a bare field of the object: `status = IDLE;` in a method */
		if (c->func >= 0 && w->b.ff->functions.items[c->func].cls && state_name(p, l) &&
		    !constant_like(p, l) && !is_local(w, c->func, p, l))
			ts_add_write(w->b.ff, where_of(c), WRITE_ATTR,
				     arena_printf(&w->b.ff->arena, "this.%.*s", (int)l, p),
				     ts_wcopy(&w->b, p, l), value, value_text, n, -1, false);
	}
	if (kind_of(w, lhs) == K_IDENT || (kind_of(w, lhs) == K_FIELD_ACCESS && is_dotted(w, lhs))) {
		names_in(w, rhs, names, &nn, FACT_MAX_NAMES);
		add_binding(w, BIND_ASSIGN, expr_text(w, lhs), c->func, c->loop, 0, ts_span(n), names, nn);
	}
}

static void visit_declarator(struct walker *w, TSNode n, TSNode parent, const struct ctx *c)
{
	TSNode name = ts_field_id(n, w->f.name), val = ts_field_id(n, w->f.value);
	const char *names[FACT_MAX_NAMES];
	size_t nn = 0;

	if (ts_node_is_null(name) || kind_of(w, parent) != K_LOCALVAR)
		return;
	names_in(w, val, names, &nn, FACT_MAX_NAMES);
	add_binding(w, BIND_ASSIGN, ts_wtext(&w->b, name), c->func, c->loop, 0, ts_span(n), names,
		    nn);
}

static void visit_efor(struct walker *w, TSNode n, int loop, const struct ctx *c)
{
	TSNode name = ts_field_id(n, w->f.name), val = ts_field_id(n, w->f.value);
	const char *names[FACT_MAX_NAMES];
	size_t nn = 0;

	if (ts_node_is_null(name))
		return;
	names_in(w, val, names, &nn, FACT_MAX_NAMES);
	add_binding(w, BIND_LOOP, ts_wtext(&w->b, name), c->func, loop, 0, ts_span(n), names, nn);
}

static void visit_binary(struct walker *w, TSNode n, const struct ctx *c)
{
	TSNode lhs = ts_field_id(n, w->f.left), rhs = ts_field_id(n, w->f.right), other = rhs;
	const char *target = NULL, *fld = NULL, *vals[MAX_VALUES], *op;
	size_t l, nv;
	int kind;
	struct fact_read *r;
	bool eq, ne;

	op = ts_wraw(&w->b, ts_field_id(n, w->f.operator), &l);
	eq = op && l == 2 && !strncmp(op, "==", 2);
	ne = op && l == 2 && !strncmp(op, "!=", 2);
	if (!eq && !ne)
		return;
	kind = state_target(w, lhs, &target, &fld);
	if (kind < 0) {
		kind = state_target(w, rhs, &target, &fld);
		other = lhs;
	}
	if (kind < 0)
		return;
	nv = values_of(w, other, vals, MAX_VALUES);
	r = ts_add_read(w->b.ff, where_of(c), (enum read_kind)kind, target, fld, n);
	r->values = ts_list(w->b.ff, vals, nv);
	r->negated = ne;
}

/* Truth tests of state in a condition: `!w.isBusy()`, `slot.busy && ...`. */
static void truth_reads(struct walker *w, const struct ctx *c, TSNode n, bool negated, int depth)
{
	const char *target = NULL, *fld = NULL, *val, *op;
	struct fact_read *r;
	size_t l;

	if (ts_node_is_null(n) || depth > 8)
		return;
	switch (kind_of(w, n)) {
	case K_UNARY:
		if (ts_text_eq(ts_field_id(n, w->f.operator), w->b.src, w->b.len, "!"))
			truth_reads(w, c, ts_field_id(n, w->f.operand), !negated, depth + 1);
		return;
	case K_BINARY:
		op = ts_wraw(&w->b, ts_field_id(n, w->f.operator), &l);
		if (op && l == 2 && (!strncmp(op, "&&", 2) || !strncmp(op, "||", 2))) {
			truth_reads(w, c, ts_field_id(n, w->f.left), negated, depth + 1);
			truth_reads(w, c, ts_field_id(n, w->f.right), negated, depth + 1);
		}
		return;
	case K_PAREN:
		truth_reads(w, c, ts_first_named(&w->b, n), negated, depth + 1);
		return;
	case K_FIELD_ACCESS: case K_INVOKE:
		if (state_target(w, n, &target, &fld) != READ_COMPARE)
			return;
		val = negated ? "false" : "true";
		r = ts_add_read(w->b.ff, where_of(c), READ_COMPARE, target, fld, n);
		r->values = ts_list(w->b.ff, &val, 1);
		r->truthiness = true;
		return;
	default:
		return;
	}
}

/* The values of a switch label: `case IDLE, BUSY:` / `case "idle" ->`. */
static size_t label_values(struct walker *w, TSNode holder, const char **out, size_t max)
{
	size_t nv = 0, base = ts_collect(&w->b, holder, true);

	for (size_t i = base; i < w->b.scratch.len; i++) {
		TSNode lab = ts_scratch_node(&w->b, i);
		size_t lb;
		if (kind_of(w, lab) != K_SWITCH_LABEL)
			continue;
		lb = ts_collect(&w->b, lab, true);
		for (size_t j = lb; j < w->b.scratch.len && nv < max; j++) {
			TSNode e = ts_scratch_node(&w->b, j);
			const char *v = kind_of(w, e) == K_IDENT ? ts_wtext(&w->b, e) : literal_value(w, e, NULL);
			if (v)
				out[nv++] = v;
		}
		w->b.scratch.len = lb;
	}
	w->b.scratch.len = base;
	return nv;
}

static void visit_switch(struct walker *w, TSNode n, const struct ctx *c)
{
	const char *target, *fld;
	TSNode body = ts_field_id(n, w->f.body);
	size_t base;

	if (state_target(w, ts_field_id(n, w->f.condition), &target, &fld) < 0 || ts_node_is_null(body))
		return;
	base = ts_collect(&w->b, body, true);
	for (size_t i = base; i < w->b.scratch.len; i++) {
		TSNode cl = ts_scratch_node(&w->b, i);
		const char *vals[MAX_VALUES];
		size_t nv, keep = w->b.scratch.len;
		struct fact_read *r;

		if (kind_of(w, cl) != K_SWITCH_GROUP && kind_of(w, cl) != K_SWITCH_RULE)
			continue;
		nv = label_values(w, cl, vals, MAX_VALUES);
		w->b.scratch.len = keep;
		if (!nv)
			continue; /* default: reads nothing */
		r = ts_add_read(w->b.ff, where_of(c), READ_MATCH, target, fld, cl);
		r->values = ts_list(w->b.ff, vals, nv);
		r->selects = c->select || c->in_for;
		r->body = ts_span(cl);
	}
	w->b.scratch.len = base;
}

/* --- SQL in strings --- */

static void visit_string(struct walker *w, TSNode n, const struct ctx *c)
{
	struct ts_sql_ctx sc = { &w->b, where_of(c), c->carrier, n };
	size_t l;
	const char *p = string_content(w, n, &l);

	if (p && l)
		sql_scan(p, l, ts_sql_item, &sc);
}

/* --- imports --- */

static void visit_import(struct walker *w, TSNode n)
{
	size_t base = ts_collect(&w->b, n, false);
	bool is_static = false, star = false;
	TSNode path = { 0 };
	const char *full, *dot;
	struct fact_import *im;

	for (size_t i = base; i < w->b.scratch.len; i++) {
		TSNode ch = ts_scratch_node(&w->b, i);
		enum kind k = kind_of(w, ch);
		if (!ts_node_is_named(ch) && ts_text_eq(ch, w->b.src, w->b.len, "static"))
			is_static = true;
		else if (k == K_SCOPED_IDENT || k == K_IDENT)
			path = ch;
		else if (k == K_ASTERISK)
			star = true;
	}
	w->b.scratch.len = base;
	if (ts_node_is_null(path))
		return;
	full = ts_wtext(&w->b, path);
	im = VEC_PUSH(&w->b.ff->imports);
	im->span = ts_span(n);
	(void)is_static;
	if (star) {
		/* import a.b.*; / import static a.b.C.*; */
		im->module = full;
		im->name = facts_str(w->b.ff, "*", 1);
		return;
	}
	/* import a.b.C; / import static a.b.C.m;: module a.b, name C, bound as C */
	dot = strrchr(full, '.');
	if (!dot) {
		im->module = full;
		im->alias = full;
		return;
	}
	im->module = facts_str(w->b.ff, full, (size_t)(dot - full));
	im->name = facts_str(w->b.ff, dot + 1, strlen(dot + 1));
	im->alias = im->name;
}

/* --- the walk --- */

static void visit(struct walker *w, struct level *lv, TSNode parent, const struct ctx *c)
{
	TSNode node = lv->node;
	struct visit *v = &lv->v;
	struct file_facts *ff = w->b.ff;

	switch ((enum kind)lv->kind) {
	case K_IMPORT:
		visit_import(w, node);
		lv->skip = true;
		break;
	case K_CLASS: {
		TSNode name = ts_field_id(node, w->f.name);
		v->cls = ts_node_is_null(name) ? NULL : ts_wtext(&w->b, name);
		break;
	}
	case K_METHOD: case K_CTOR:
		v->func = visit_function(w, node, (enum kind)lv->kind, c);
		if (lv->kind == K_METHOD)
			v->cb_handler = listener_handler(w, node, v->func);
		break;
	case K_ANNOTATION: case K_MARKER:
		visit_annotation(w, node, c);
		lv->skip = true; /* its arguments are the decorator's */
		break;
	case K_INVOKE:
		v->call = visit_invoke(w, node, parent, c, v);
		break;
	case K_NEW:
		v->call = visit_new(w, node, c, v);
		break;
	case K_TRY: case K_TRY_RES:
		v->try_first = visit_try(w, node, c);
		break;
	case K_FOR: case K_EFOR: case K_WHILE: case K_DO:
		v->loop = visit_loop(w, node, (enum kind)lv->kind, c, v);
		if (lv->kind == K_EFOR)
			visit_efor(w, node, v->loop, c);
		break;
	case K_IF: {
		TSNode cons = ts_field_id(node, w->f.consequence);
		struct ctx cc = *c;
		v->cond_body = ts_span(ts_node_is_null(cons) ? node : cons);
		cc.has_cond = true;
		cc.cond_body = v->cond_body;
		cc.select = c->select || c->in_for;
		truth_reads(w, &cc, unparen(w, ts_field_id(node, w->f.condition)), false, 0);
		break;
	}
	case K_LAMBDA: {
		/* filter(w -> !w.isBusy()): the body of a selecting lambda */
		TSNode body = ts_field_id(node, w->f.body);
		if (c->select && kind_of(w, body) != K_BLOCK)
			truth_reads(w, c, unparen(w, body), false, 0);
		break;
	}
	case K_THROW: case K_RETURN: case K_CONTINUE: case K_BREAK: {
		enum kind ek = (enum kind)lv->kind;
		ts_note_exit(ff, w->hx.items, ek == K_THROW ? TS_EXIT_RAISE : ek == K_RETURN ? TS_EXIT_RETURN :
			     ek == K_CONTINUE ? TS_EXIT_CONTINUE : TS_EXIT_BREAK,
			     c->handler_direct, c->handler_nl, c->exit_try);
		break;
	}
	case K_ASSIGN:
		visit_assign(w, node, c);
		break;
	case K_UPDATE:
		if (c->loop >= 0 && counter_like(w, ts_first_named(&w->b, node)))
			w->lx.items[c->loop].counted = true;
		break;
	case K_DECLARATOR:
		visit_declarator(w, node, parent, c);
		break;
	case K_BINARY:
		visit_binary(w, node, c);
		break;
	case K_SWITCH:
		visit_switch(w, node, c);
		break;
	case K_STRING:
		visit_string(w, node, c);
		lv->skip = true;
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
	c->handler_block = -1;
	c->handler_direct = -1;
	c->parent_kind = (unsigned char)pk;

	switch (pk) {
	case K_INVOKE:
		if (fid == w->f.arguments) {
			c->carrier = b->carrier >= 0 ? b->carrier : v->call;
			c->select = b->select || v->select_call;
			if (v->select_call) {
				c->has_cond = true;
				c->cond_body = w->b.ff->calls.items[v->call].span;
			}
		} else if (fid == w->f.object && (ck == K_INVOKE || ck == K_NEW)) {
			/* a builder chain: its value ends up where the outermost call's goes */
			c->carrier = b->carrier >= 0 ? b->carrier : v->call;
		}
		break;
	case K_NEW:
		if (fid == w->f.arguments)
			c->carrier = b->carrier >= 0 ? b->carrier : v->call;
		else if (ck == K_CLASS_BODY) {
			c->cls = v->cls;
			c->carrier = -1;
			c->in_return = c->has_cond = c->select = false;
		}
		break;
	case K_RETURN:
		c->in_return = true;
		break;
	case K_METHOD: case K_CTOR:
		if (fid == w->f.body) {
			c->func = v->func;
			c->handler = c->handler_nl = c->loop = c->guard = c->exit_try = -1;
			if (v->cb_handler >= 0)
				c->handler = c->handler_nl = v->cb_handler;
			c->carrier = -1;
			c->cls = NULL;
			c->has_cond = c->select = c->in_for = c->in_return = false;
		}
		break;
	case K_LAMBDA:
		if (fid == w->f.body) {
			c->in_return = false;
			c->carrier = -1;
		}
		break;
	case K_CLASS:
		if (fid == w->f.body)
			c->cls = v->cls;
		break;
	case K_TRY: case K_TRY_RES:
		if (v->try_first < 0)
			break;
		if (fid == w->f.body || ck == K_RESOURCES) {
			c->guard = c->exit_try = v->try_first;
		} else if (ck == K_CATCH || ck == K_FINALLY) {
			c->handler = c->handler_nl = v->try_first + v->clause_ord++;
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
		break;
	case K_FOR: case K_EFOR: case K_WHILE: case K_DO:
		if (fid == w->f.body) {
			c->loop = v->loop;
			c->handler_nl = c->exit_try = -1;
			c->in_for = c->in_for || pk == K_FOR || pk == K_EFOR;
		} else if (fid == w->f.condition) {
			c->has_cond = true;
			c->cond_body = v->cond_body;
		}
		break;
	case K_IF:
		if (fid == w->f.condition) {
			c->has_cond = true;
			c->cond_body = v->cond_body;
			c->select = b->select || b->in_for;
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
	derive(w, &lv->ctx, &pl->ctx, (enum kind)pl->kind, fid, (enum kind)lv->kind, &pl->v);
	visit(w, lv, pl->node, &lv->ctx);
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
	top->ctx.handler_block = top->ctx.handler_direct = -1;
	top->ctx.loop = top->ctx.guard = top->ctx.exit_try = top->ctx.carrier = -1;
	top->v = (struct visit){ .call = -1, .func = -1, .loop = -1, .try_first = -1,
				.cb_handler = -1 };

	ts_walk(w->b.ff, root, !w->levels.items[0].skip, enter, leave, w);
}

static unsigned char *kinds;
static uint32_t nkinds;
static pthread_once_t kinds_once = PTHREAD_ONCE_INIT;

static void init_kinds(void)
{
	nkinds = ts_kind_table(tree_sitter_java(), kind_names, ARRAY_LEN(kind_names), &kinds);
}

static void walker_init(struct walker *w, struct file_facts *ff, const char *src, size_t len,
			const TSLanguage *lang, TSNode root)
{
	memset(w, 0, sizeof(*w));
	strbuf_init(&w->sb);
	pthread_once(&kinds_once, init_kinds);
	ts_walker_init(&w->b, ff, src, len, kinds, nkinds, root);
#define FIELD(x) w->f.x = ts_language_field_id_for_name(lang, #x, (uint32_t)strlen(#x))
	FIELD(name); FIELD(body); FIELD(object); FIELD(arguments); FIELD(left); FIELD(right);
	FIELD(value); FIELD(condition); FIELD(consequence); FIELD(alternative); FIELD(type);
	FIELD(declarator); FIELD(key); FIELD(operand); FIELD(parameters); FIELD(init);
	FIELD(update); FIELD(field); FIELD(operator);
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

int java_extract(const char *src, size_t len, struct file_facts *ff)
{
	const TSLanguage *lang = tree_sitter_java();
	TSTree *tree;
	struct walker w;
	TSNode root;

	if (ts_file_begin(ff, src, len))
		return -1;

	if (ts_file_parse(lang, "java", src, len, ff, &tree))
		return -1;
	root = ts_tree_root_node(tree);
	walker_init(&w, ff, src, len, lang, root);
	walk(&w, root);
	ts_find_retries(ff, w.hx.items, w.lx.items, TS_ITER_SKIP);
	walker_release(&w);
	ts_collect_consts(ff, tree, src, len);
	ts_tree_delete(tree);
	return 0;
}
