/*
 * Named string constants by tree-sitter query, one query per grammar;
 * Python's by reading the module's and the classes' statements directly.
 *
 * Captures: @name the constant, @value its string literal, @scope the
 * enum/class/object holding it (absent at package or module level), @mods
 * Java modifiers (the field must be final). Only declarations at the top of
 * a file or directly in a type count: a local `const x = 'a'` in a function
 * names nothing another file could use.
 */
#include "ts_consts.h"

#include <pthread.h>
#include <string.h>

#include "../base/diag.h"
#include "ts_util.h"
#include "../base/banned.h"

static const char go_query[] =
	"(const_spec name: (identifier) @name"
	" value: (expression_list . [(interpreted_string_literal) (raw_string_literal)] @value .))";

/* Top-level `const X = 'v'` and `const O = { K: 'v' }`, exported or not (JS and TS). */
#define JS_TOP(decl)                                                                   \
	"(program " decl ")"                                                           \
	"(program (export_statement declaration: " decl "))"
#define JS_SCALAR "(lexical_declaration (variable_declarator name: (identifier) @name value: (string) @value))"
#define JS_PAIR "(pair key: [(property_identifier) (string)] @name value: (string) @value)"
#define JS_OBJECT "(lexical_declaration (variable_declarator name: (identifier) @scope value: (object " JS_PAIR ")))"
#define TS_ASCONST                                                                     \
	"(lexical_declaration (variable_declarator name: (identifier) @scope"          \
	" value: [(as_expression (object " JS_PAIR ")) (satisfies_expression (object " JS_PAIR "))]))"
#define TS_ENUM                                                                        \
	"(enum_declaration name: (identifier) @scope body: (enum_body (enum_assignment"\
	" name: [(property_identifier) (string)] @name value: (string) @value)))"

static const char js_query[] = JS_TOP(JS_SCALAR) JS_TOP(JS_OBJECT);
static const char ts_query[] =
	JS_TOP(JS_SCALAR) JS_TOP(JS_OBJECT) JS_TOP(TS_ASCONST) "(program " TS_ENUM ")"
	"(program (export_statement declaration: " TS_ENUM "))";

static const char java_query[] =
	"(enum_declaration name: (identifier) @scope body: (enum_body (enum_constant"
	" name: (identifier) @name arguments: (argument_list . (string_literal) @value))))"
	"(class_declaration name: (identifier) @scope body: (class_body (field_declaration"
	" (modifiers) @mods declarator: (variable_declarator name: (identifier) @name"
	" value: (string_literal) @value))))"
	"(interface_declaration name: (identifier) @scope body: (interface_body"
	" (constant_declaration declarator: (variable_declarator name: (identifier) @name"
	" value: (string_literal) @value))))";

static const char *query_text(enum lang l)
{
	switch (l) {
	case LANG_GO: return go_query;
	case LANG_JAVASCRIPT: return js_query;
	case LANG_TYPESCRIPT: case LANG_TSX: return ts_query;
	case LANG_JAVA: return java_query;
	default: return NULL;
	}
}

/* Compiled once per language and kept for the process (never freed: a few KiB). */
static TSQuery *queries[LANG__COUNT];
static bool tried[LANG__COUNT];
static pthread_mutex_t queries_lock = PTHREAD_MUTEX_INITIALIZER;

static TSQuery *query_for(enum lang l, const TSLanguage *tl)
{
	TSQuery *q;
	pthread_mutex_lock(&queries_lock);
	if (!tried[l]) {
		uint32_t off = 0;
		TSQueryError err = TSQueryErrorNone;
		const char *text = query_text(l);
		tried[l] = true;
		if (text)
			queries[l] = ts_query_new(tl, text, (uint32_t)strlen(text), &off, &err);
		if (text && !queries[l])
			BUG("constant query for language %d does not compile (error %d at %u)",
			    (int)l, (int)err, off);
	}
	q = queries[l];
	pthread_mutex_unlock(&queries_lock);
	return q;
}

/* A string literal's content: without a Python prefix (r, b, u; f-strings are no constants) and quotes. */
static bool literal_content(const char *s, size_t n, const char **out, size_t *outn)
{
	size_t i = 0, q;
	while (i < n && strchr("rRbBuU", s[i]))
		i++;
	if (i < n && (s[i] == 'f' || s[i] == 'F'))
		return false;
	if (i >= n || !strchr("\"'`", s[i]))
		return false;
	q = (n - i >= 6 && s[i + 1] == s[i] && s[i + 2] == s[i]) ? 3 : 1;
	if (n - i < 2 * q)
		return false;
	*out = s + i + q;
	*outn = n - i - 2 * q;
	return true;
}

/*
 * One constant from its parts' texts: the name (its span), the literal as
 * written, the scope or NULL, the Java modifiers or NULL.
 */
static void add_const(struct file_facts *ff, const char *name, size_t nn, struct span at, const char *val,
		      size_t vn, const char *scope, size_t sn, const char *mods, size_t mn)
{
	const char *lit;
	size_t ln;
	if (!name || !val || !nn || !literal_content(val, vn, &lit, &ln) || ln > TS_TEXT_MAX)
		return;
	if (mods && !memmem(mods, mn, "final", 5))
		return; /* a Java field that can change is no constant */
	if (name[0] == '\'' || name[0] == '"') /* a quoted key: 'idle': 'IDLE' */
		if (!literal_content(name, nn, &name, &nn) || !nn)
			return;
	struct fact_const *c = VEC_PUSH(&ff->consts);
	c->name = facts_str(ff, name, nn);
	c->scope = scope ? facts_str(ff, scope, sn) : NULL;
	c->value = facts_str(ff, lit, ln);
	c->span = at;
}

/* The matches of `cur` (executed) as constants, until the cap. */
static void collect_matches(struct file_facts *ff, TSQuery *q, TSQueryCursor *cur, const char *src,
			    size_t len)
{
	TSQueryMatch m;
	while (ff->consts.len < TS_MAX_CONSTS && ts_query_cursor_next_match(cur, &m)) {
		const char *name = NULL, *scope = NULL, *val = NULL, *mods = NULL;
		size_t nn = 0, sn = 0, vn = 0, mn = 0;
		struct span at = { 0 };
		for (uint16_t i = 0; i < m.capture_count; i++) {
			uint32_t cl;
			const char *cap = ts_query_capture_name_for_id(q, m.captures[i].index, &cl);
			TSNode n = m.captures[i].node;
			if (!strcmp(cap, "name")) {
				name = ts_text_ptr(n, src, len, &nn);
				at = ts_span(n);
			} else if (!strcmp(cap, "scope")) {
				scope = ts_text_ptr(n, src, len, &sn);
			} else if (!strcmp(cap, "value")) {
				val = ts_text_ptr(n, src, len, &vn);
			} else if (!strcmp(cap, "mods")) {
				mods = ts_text_ptr(n, src, len, &mn);
			}
		}
		add_const(ff, name, nn, at, val, vn, scope, sn, mods, mn);
	}
}

/*
 * Go's constants sit in `const` declarations only: rather than walk the
 * whole tree with the query (a fifth of a Go file's extraction), run it
 * over each declaration, found from the keyword's bytes. Declarations are
 * disjoint and visited in order, so the matches and their order are the
 * whole-tree query's. A tree with errors gets the whole-tree query (a
 * const_spec may then hang under an ERROR node).
 */
static void collect_go(struct file_facts *ff, TSQuery *q, TSQueryCursor *cur, const TSTree *tree,
		       const char *src, size_t len)
{
	TSNode root = ts_tree_root_node(tree);
	size_t off = 0;

	while (off + 5 <= len && ff->consts.len < TS_MAX_CONSTS) {
		const char *p = memmem(src + off, len - off, "const", 5);
		if (!p)
			break;
		uint32_t at = (uint32_t)(p - src);
		TSNode kw = ts_node_descendant_for_byte_range(root, at, at + 5);
		TSNode decl = ts_node_parent(kw);
		off = (size_t)at + 5;
		if (ts_node_is_null(decl) || ts_node_start_byte(kw) != at || ts_node_end_byte(kw) != at + 5 ||
		    strcmp(ts_node_type(kw), "const") || strcmp(ts_node_type(decl), "const_declaration"))
			continue;
		ts_query_cursor_set_byte_range(cur, ts_node_start_byte(decl), ts_node_end_byte(decl));
		ts_query_cursor_exec(cur, q, decl);
		collect_matches(ff, q, cur, src, len);
		if (ts_node_end_byte(decl) > off)
			off = ts_node_end_byte(decl);
	}
}

/*
 * Python's constants are `NAME = "v"` statements directly in the module or
 * directly in a class body: read those statements, not the whole tree
 * (the query cost a seventh of a Python file's extraction walking every
 * node). Classes are found from the keyword's bytes, as Go's declarations
 * are; the statements of a block are taken in order. The order of the
 * constants is the query's: the module's first, then each class's in
 * source order.
 */
static void py_block(struct file_facts *ff, TSNode block, TSNode scope, const char *src, size_t len)
{
	uint32_t n = ts_node_named_child_count(block);
	size_t sn = 0;
	const char *sc = ts_node_is_null(scope) ? NULL : ts_text_ptr(scope, src, len, &sn);
	for (uint32_t i = 0; i < n && ff->consts.len < TS_MAX_CONSTS; i++) {
		TSNode st = ts_node_named_child(block, i);
		if (strcmp(ts_node_type(st), "expression_statement"))
			continue;
		uint32_t k = ts_node_named_child_count(st);
		for (uint32_t j = 0; j < k && ff->consts.len < TS_MAX_CONSTS; j++) {
			TSNode as = ts_node_named_child(st, j);
			if (strcmp(ts_node_type(as), "assignment"))
				continue;
			TSNode l = ts_node_child_by_field_name(as, "left", 4);
			TSNode r = ts_node_child_by_field_name(as, "right", 5);
			if (ts_node_is_null(l) || ts_node_is_null(r) || strcmp(ts_node_type(l), "identifier") ||
			    strcmp(ts_node_type(r), "string"))
				continue;
			size_t nn, vn;
			const char *name = ts_text_ptr(l, src, len, &nn), *val = ts_text_ptr(r, src, len, &vn);
			add_const(ff, name, nn, ts_span(l), val, vn, sc, sn, NULL, 0);
		}
	}
}

static void collect_python(struct file_facts *ff, const TSTree *tree, const char *src, size_t len)
{
	TSNode root = ts_tree_root_node(tree);
	size_t off = 0;

	if (!strcmp(ts_node_type(root), "module"))
		py_block(ff, root, (TSNode){ 0 }, src, len);
	while (off + 5 <= len && ff->consts.len < TS_MAX_CONSTS) {
		const char *p = memmem(src + off, len - off, "class", 5);
		if (!p)
			break;
		uint32_t at = (uint32_t)(p - src);
		off = (size_t)at + 5;
		TSNode kw = ts_node_descendant_for_byte_range(root, at, at + 5);
		TSNode cls = ts_node_parent(kw);
		if (ts_node_is_null(cls) || ts_node_start_byte(kw) != at || ts_node_end_byte(kw) != at + 5 ||
		    strcmp(ts_node_type(kw), "class") || strcmp(ts_node_type(cls), "class_definition"))
			continue;
		TSNode name = ts_node_child_by_field_name(cls, "name", 4);
		TSNode body = ts_node_child_by_field_name(cls, "body", 4);
		if (!ts_node_is_null(name) && !strcmp(ts_node_type(name), "identifier") && !ts_node_is_null(body) &&
		    !strcmp(ts_node_type(body), "block"))
			py_block(ff, body, name, src, len);
	}
}

void ts_collect_consts(struct file_facts *ff, const TSTree *tree, const char *src, size_t len)
{
	if (ff->lang == LANG_PYTHON) {
		collect_python(ff, tree, src, len);
		return;
	}
	TSQuery *q = query_for(ff->lang, ts_tree_language(tree));
	if (!q)
		return;
	TSQueryCursor *cur = ts_query_cursor_new();
	if (ff->lang == LANG_GO && !ts_node_has_error(ts_tree_root_node(tree))) {
		collect_go(ff, q, cur, tree, src, len);
	} else {
		ts_query_cursor_exec(cur, q, ts_tree_root_node(tree));
		collect_matches(ff, q, cur, src, len);
	}
	ts_query_cursor_delete(cur);
}
