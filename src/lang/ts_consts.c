/*
 * Named string constants: Go's and Java's by tree-sitter query, Python's,
 * JavaScript's and TypeScript's by reading the few blocks that can hold
 * them (a query walks every node of the tree).
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
 * The named children of a node in order, through a cursor:
 * ts_node_named_child(n, i) is linear in i, which a module of thousands of
 * statements would make quadratic.
 */
struct kids {
	TSTreeCursor cur;
	bool started;
};

static void kids_init(struct kids *k, TSNode n)
{
	k->cur = ts_tree_cursor_new(n);
	k->started = false;
}

static bool kids_next(struct kids *k, TSNode *out)
{
	for (;;) {
		bool ok = k->started ? ts_tree_cursor_goto_next_sibling(&k->cur)
				     : ts_tree_cursor_goto_first_child(&k->cur);
		k->started = true;
		if (!ok)
			return false;
		*out = ts_tree_cursor_current_node(&k->cur);
		if (ts_node_is_named(*out))
			return true;
	}
}

static void kids_end(struct kids *k)
{
	ts_tree_cursor_delete(&k->cur);
}

static bool is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

static TSNode field(TSNode n, const char *name)
{
	return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

/* A constant whose name and value are nodes; `scope` may be a null node. */
static void add_nodes(struct file_facts *ff, TSNode name, TSNode val, TSNode scope, const char *src, size_t len)
{
	size_t nn, vn, sn = 0;
	const char *np = ts_text_ptr(name, src, len, &nn), *vp = ts_text_ptr(val, src, len, &vn);
	const char *sp = ts_node_is_null(scope) ? NULL : ts_text_ptr(scope, src, len, &sn);
	add_const(ff, np, nn, ts_span(name), vp, vn, sp, sn, NULL, 0);
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
	struct kids stmts, parts;
	TSNode st, as;
	kids_init(&stmts, block);
	while (ff->consts.len < TS_MAX_CONSTS && kids_next(&stmts, &st)) {
		if (!is(st, "expression_statement"))
			continue;
		kids_init(&parts, st);
		while (ff->consts.len < TS_MAX_CONSTS && kids_next(&parts, &as)) {
			TSNode l = field(as, "left"), r = field(as, "right");
			if (is(as, "assignment") && is(l, "identifier") && is(r, "string"))
				add_nodes(ff, l, r, scope, src, len);
		}
		kids_end(&parts);
	}
	kids_end(&stmts);
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
		TSNode name = field(cls, "name"), body = field(cls, "body");
		if (is(name, "identifier") && is(body, "block"))
			py_block(ff, body, name, src, len);
	}
}

/*
 * JavaScript's and TypeScript's constants sit at the top of the file only
 * (`const X = 'v'`, `const O = { K: 'v' }`, TypeScript `as const` /
 * `satisfies` objects and enums, each also behind `export`): read the
 * program's statements, not the whole tree (the query was a fifth of a
 * JavaScript file's extraction). Any lexical declaration counts, as in the
 * query: `let` too.
 */
static void js_pairs(struct file_facts *ff, TSNode obj, TSNode scope, const char *src, size_t len)
{
	struct kids k;
	TSNode p;
	kids_init(&k, obj);
	while (ff->consts.len < TS_MAX_CONSTS && kids_next(&k, &p)) {
		TSNode key = field(p, "key"), val = field(p, "value");
		if (is(p, "pair") && (is(key, "property_identifier") || is(key, "string")) && is(val, "string"))
			add_nodes(ff, key, val, scope, src, len);
	}
	kids_end(&k);
}

static void js_statement(struct file_facts *ff, TSNode st, bool ts, const char *src, size_t len)
{
	struct kids k;
	TSNode d, v;
	if (is(st, "lexical_declaration")) {
		kids_init(&k, st);
		while (ff->consts.len < TS_MAX_CONSTS && kids_next(&k, &d)) {
			TSNode name = field(d, "name"), val = field(d, "value");
			if (!is(d, "variable_declarator") || !is(name, "identifier"))
				continue;
			if (is(val, "string")) {
				add_nodes(ff, name, val, (TSNode){ 0 }, src, len);
			} else if (is(val, "object")) {
				js_pairs(ff, val, name, src, len);
			} else if (ts && (is(val, "as_expression") || is(val, "satisfies_expression"))) {
				struct kids e;
				kids_init(&e, val);
				while (kids_next(&e, &v))
					if (is(v, "object"))
						js_pairs(ff, v, name, src, len);
				kids_end(&e);
			}
		}
		kids_end(&k);
	} else if (ts && is(st, "enum_declaration")) {
		TSNode name = field(st, "name"), body = field(st, "body");
		if (!is(name, "identifier") || !is(body, "enum_body"))
			return;
		kids_init(&k, body);
		while (ff->consts.len < TS_MAX_CONSTS && kids_next(&k, &d)) {
			TSNode key = field(d, "name"), val = field(d, "value");
			if (is(d, "enum_assignment") && (is(key, "property_identifier") || is(key, "string")) &&
			    is(val, "string"))
				add_nodes(ff, key, val, name, src, len);
		}
		kids_end(&k);
	}
}

static void collect_js(struct file_facts *ff, const TSTree *tree, bool ts, const char *src, size_t len)
{
	TSNode root = ts_tree_root_node(tree), st;
	struct kids k;
	if (!is(root, "program"))
		return;
	kids_init(&k, root);
	while (ff->consts.len < TS_MAX_CONSTS && kids_next(&k, &st)) {
		if (is(st, "export_statement"))
			st = field(st, "declaration");
		js_statement(ff, st, ts, src, len);
	}
	kids_end(&k);
}

void ts_collect_consts(struct file_facts *ff, const TSTree *tree, const char *src, size_t len)
{
	if (ff->lang == LANG_PYTHON) {
		collect_python(ff, tree, src, len);
		return;
	}
	if (ff->lang == LANG_JAVASCRIPT || ff->lang == LANG_TYPESCRIPT || ff->lang == LANG_TSX) {
		collect_js(ff, tree, ff->lang != LANG_JAVASCRIPT, src, len);
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
