/*
 * Building a bounded YAML node tree from libyaml events (see ytree.h).
 *
 * The event API rather than yaml_parser_load: the document loader has no
 * depth or size limits of its own and would let us only inspect aliases
 * after the whole document is in memory; here every limit is checked as the
 * event arrives, and parsing stops at the first violation.
 */
#include "ytree.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "alloc.h"
#include "diag.h"
#include "strmap.h"
#include "vec.h"
#include "banned.h"

struct frame {
	struct ynode *node;
	VEC(struct ynode *) kids; /* reused between nodes at this depth */
	char *anchor;             /* registered when the collection ends */
};

struct builder {
	struct arena *a;
	const char *name;
	const char *text;
	size_t len;
	struct frame frames[YTREE_MAX_DEPTH];
	unsigned depth;
	struct strmap anchors; /* name -> struct ynode* */
	size_t budget;         /* nodes so far, alias copies included */
	struct ynode *root;
	bool multi;                  /* a stream of documents (ytree_parse_stream) */
	VEC(struct ynode *) docs;    /* their roots, in order */
	/* libyaml columns count characters; we report bytes. Cache the last conversion. */
	size_t *line_starts;
	size_t nlines;
	size_t cache_line, cache_chars, cache_byte;
};

static void index_lines(struct builder *b)
{
	size_t cap = 0;
	b->line_starts = xgrow(NULL, sizeof(size_t), 16, &cap);
	b->line_starts[0] = 0;
	b->nlines = 1;
	for (size_t i = 0; i < b->len; i++) {
		char ch = b->text[i];
		if (ch == '\n' || (ch == '\r' && (i + 1 >= b->len || b->text[i + 1] != '\n'))) {
			b->line_starts = xgrow(b->line_starts, sizeof(size_t), b->nlines + 1, &cap);
			b->line_starts[b->nlines++] = i + 1;
		}
	}
	b->cache_line = (size_t)-1;
}

/* The byte column (0-based) of the `chars`-th character of a 0-based line. */
static size_t byte_column(struct builder *b, size_t line, size_t chars)
{
	if (line >= b->nlines)
		return chars;
	size_t start = b->line_starts[line];
	size_t end = line + 1 < b->nlines ? b->line_starts[line + 1] : b->len;
	size_t c = 0, off = start;
	if (b->cache_line == line && b->cache_chars <= chars) {
		c = b->cache_chars;
		off = b->cache_byte;
	}
	while (c < chars && off < end) {
		unsigned char ch = (unsigned char)b->text[off++];
		/* skip UTF-8 continuation bytes */
		while (off < end && (ch & 0x80) && ((unsigned char)b->text[off] & 0xC0) == 0x80)
			off++;
		c++;
	}
	b->cache_line = line;
	b->cache_chars = c;
	b->cache_byte = off;
	return off - start + (chars - c);
}

static void mark_pos(struct builder *b, const yaml_mark_t *m, uint32_t *line, uint32_t *col)
{
	*line = (uint32_t)(m->line + 1);
	*col = (uint32_t)(byte_column(b, m->line, m->column) + 1);
}

static int error_mark(struct builder *b, const yaml_mark_t *m, const char *what)
{
	uint32_t line, col;
	mark_pos(b, m, &line, &col);
	return error_at(b->name, line, col, "%s", what);
}

static int syntax_error(struct builder *b, yaml_parser_t *p)
{
	if (p->error == YAML_MEMORY_ERROR)
		return error("%s: out of memory while parsing yaml", b->name);
	if (p->error == YAML_READER_ERROR) {
		/* Reader errors carry a byte offset, not a mark. */
		size_t off = p->problem_offset, lo = 0, hi = b->nlines;
		while (hi - lo > 1) {
			size_t mid = (lo + hi) / 2;
			if (b->line_starts[mid] <= off)
				lo = mid;
			else
				hi = mid;
		}
		return error_at(b->name, (unsigned)(lo + 1), (unsigned)(off - b->line_starts[lo] + 1),
				"yaml syntax error: %s (byte 0x%02x)",
				p->problem ? p->problem : "cannot read", (unsigned)p->problem_value & 0xffu);
	}
	uint32_t line, col;
	mark_pos(b, &p->problem_mark, &line, &col);
	if (p->context) {
		uint32_t cline, ccol;
		mark_pos(b, &p->context_mark, &cline, &ccol);
		return error_at(b->name, line, col, "yaml syntax error: %s %s (started at line %u column %u)",
				p->problem ? p->problem : "invalid yaml", p->context,
				(unsigned)cline, (unsigned)ccol);
	}
	return error_at(b->name, line, col, "yaml syntax error: %s",
			p->problem ? p->problem : "invalid yaml");
}

static struct ynode *new_node(struct builder *b, enum ynode_kind kind, const yaml_event_t *ev)
{
	struct ynode *n = arena_alloc(b->a, sizeof(*n));
	n->kind = kind;
	mark_pos(b, &ev->start_mark, &n->line, &n->col);
	mark_pos(b, &ev->end_mark, &n->end_line, &n->end_col);
	n->weight = 1;
	n->height = 1;
	return n;
}

/* Account for `n` (weight w, height h) at the current depth; -1 over a limit. */
static int charge(struct builder *b, const yaml_event_t *ev, size_t w, unsigned h)
{
	if (b->depth + h > YTREE_MAX_DEPTH) {
		char msg[128];
		snprintf(msg, sizeof(msg), "yaml nested deeper than %d levels", YTREE_MAX_DEPTH);
		return error_mark(b, &ev->start_mark, msg);
	}
	if (w > YTREE_MAX_NODES || b->budget + w > YTREE_MAX_NODES) {
		char msg[160];
		snprintf(msg, sizeof(msg),
			 "yaml document too large: more than %d nodes (an alias counts as a copy of what it names)",
			 YTREE_MAX_NODES);
		return error_mark(b, &ev->start_mark, msg);
	}
	b->budget += w;
	return 0;
}

static void attach(struct builder *b, struct ynode *n)
{
	if (!b->depth) {
		b->root = n;
		return;
	}
	struct frame *f = &b->frames[b->depth - 1];
	VEC_APPEND(&f->kids, n);
}

static void put_anchor(struct builder *b, const char *anchor, struct ynode *n)
{
	if (anchor)
		strmap_put(&b->anchors, anchor, n);
}

static int open_collection(struct builder *b, const yaml_event_t *ev, enum ynode_kind kind,
			   const yaml_char_t *anchor)
{
	if (charge(b, ev, 1, 1))
		return -1;
	struct frame *f = &b->frames[b->depth++];
	f->node = new_node(b, kind, ev);
	f->kids.len = 0;
	f->anchor = anchor ? xstrdup((const char *)anchor) : NULL;
	return 0;
}

static void close_collection(struct builder *b, const yaml_event_t *ev)
{
	struct frame *f = &b->frames[--b->depth];
	struct ynode *n = f->node;
	size_t nkids = f->kids.len;
	n->items = arena_alloc(b->a, (nkids ? nkids : 1) * sizeof(*n->items));
	if (nkids)
		memcpy(n->items, f->kids.items, nkids * sizeof(*n->items));
	n->n = n->kind == YNODE_MAP ? nkids / 2 : nkids;
	for (size_t i = 0; i < nkids; i++) {
		n->weight += n->items[i]->weight;
		if (n->items[i]->height + 1 > n->height)
			n->height = n->items[i]->height + 1;
	}
	mark_pos(b, &ev->end_mark, &n->end_line, &n->end_col);
	put_anchor(b, f->anchor, n);
	xfree(f->anchor);
	f->anchor = NULL;
	attach(b, n);
}

/* One event; 1 at the end of the stream, 0 to go on, -1 on an error. */
static int handle(struct builder *b, yaml_event_t *ev, int *docs)
{
	struct ynode *n;

	switch (ev->type) {
	case YAML_NO_EVENT:
	case YAML_STREAM_START_EVENT:
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		if (b->multi) {
			/* Anchors are the document's own; an empty document adds nothing. */
			if (b->root && !ynode_is_null(b->root))
				VEC_APPEND(&b->docs, b->root);
			b->root = NULL;
			strmap_release(&b->anchors);
		}
		return 0;
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		++*docs;
		if (!b->multi && *docs > 1)
			return error_mark(b, &ev->start_mark,
					  "expected a single yaml document, found a second one");
		if (*docs > YTREE_MAX_DOCS) {
			char msg[96];
			snprintf(msg, sizeof(msg), "more than %d yaml documents in one file", YTREE_MAX_DOCS);
			return error_mark(b, &ev->start_mark, msg);
		}
		return 0;
	case YAML_SCALAR_EVENT:
		if (charge(b, ev, 1, 1))
			return -1;
		n = new_node(b, YNODE_SCALAR, ev);
		n->value = arena_strndup(b->a, (const char *)ev->data.scalar.value,
					 ev->data.scalar.length);
		n->len = ev->data.scalar.length;
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		put_anchor(b, (const char *)ev->data.scalar.anchor, n);
		attach(b, n);
		return 0;
	case YAML_ALIAS_EVENT:
		n = strmap_get(&b->anchors, (const char *)ev->data.alias.anchor);
		if (!n) {
			char msg[200];
			snprintf(msg, sizeof(msg),
				 "yaml alias '*%.64s' names no anchor defined before it",
				 (const char *)ev->data.alias.anchor);
			return error_mark(b, &ev->start_mark, msg);
		}
		if (charge(b, ev, n->weight, n->height))
			return -1;
		attach(b, n);
		return 0;
	case YAML_SEQUENCE_START_EVENT:
		return open_collection(b, ev, YNODE_SEQ, ev->data.sequence_start.anchor);
	case YAML_MAPPING_START_EVENT:
		return open_collection(b, ev, YNODE_MAP, ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (!b->depth)
			BUG("collection end without a start");
		close_collection(b, ev);
		return 0;
	}
	return 0;
}

static int parse(struct builder *bp, struct arena *a, const char *name, const char *text, size_t len);

int ytree_parse(struct arena *a, const char *name, const char *text, size_t len,
		struct ynode **root)
{
	struct builder b;
	memset(&b, 0, sizeof(b));
	*root = NULL;
	int ret = parse(&b, a, name, text, len);
	if (!ret)
		*root = b.root;
	return ret;
}

int ytree_parse_stream(struct arena *a, const char *name, const char *text, size_t len,
		       struct ynode ***docs, size_t *ndocs)
{
	struct builder b;
	memset(&b, 0, sizeof(b));
	b.multi = true;
	*docs = NULL;
	*ndocs = 0;
	int ret = parse(&b, a, name, text, len);
	if (!ret && b.docs.len) {
		*docs = arena_alloc(a, b.docs.len * sizeof(**docs));
		memcpy(*docs, b.docs.items, b.docs.len * sizeof(**docs));
		*ndocs = b.docs.len;
	}
	VEC_FREE(&b.docs);
	return ret;
}

/* Parse into `bp` (zeroed but for `multi`); 0 or -1 after an error. */
static int parse(struct builder *bp, struct arena *a, const char *name, const char *text, size_t len)
{
	struct builder b = *bp;
	yaml_parser_t parser;
	yaml_event_t ev;
	int docs = 0, ret = 0;

	b.a = a;
	b.name = name;
	b.text = text;
	b.len = len;
	index_lines(&b);

	if (!yaml_parser_initialize(&parser)) {
		xfree(b.line_starts);
		return error("%s: cannot initialise the yaml parser", name);
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev)) {
			ret = syntax_error(&b, &parser);
			break;
		}
		int r = handle(&b, &ev, &docs);
		yaml_event_delete(&ev);
		if (r) {
			ret = r < 0 ? -1 : 0;
			break;
		}
	}
	yaml_parser_delete(&parser);

	for (unsigned i = 0; i < YTREE_MAX_DEPTH; i++) {
		VEC_FREE(&b.frames[i].kids);
		xfree(b.frames[i].anchor);
	}
	strmap_release(&b.anchors);
	xfree(b.line_starts);
	b.line_starts = NULL;
	*bp = b;
	return ret;
}

bool ynode_is_null(const struct ynode *n)
{
	if (n->kind != YNODE_SCALAR || n->quoted)
		return false;
	return !strcmp(n->value, "") || !strcmp(n->value, "~") || !strcmp(n->value, "null") ||
	       !strcmp(n->value, "Null") || !strcmp(n->value, "NULL");
}

const char *ynode_kind_name(const struct ynode *n)
{
	if (ynode_is_null(n))
		return "nothing (null)";
	switch (n->kind) {
	case YNODE_SCALAR:
		return "a scalar";
	case YNODE_SEQ:
		return "a list";
	case YNODE_MAP:
		return "a mapping";
	}
	return "?";
}

const struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	const struct ynode *v = NULL;
	for (size_t i = 0; map && map->kind == YNODE_MAP && i < map->n; i++) {
		const struct ynode *k = map->items[2 * i];
		if (k->kind == YNODE_SCALAR && !strcmp(k->value, key))
			v = map->items[2 * i + 1];
	}
	return v;
}

const char *ynode_str(const struct ynode *n)
{
	return n && n->kind == YNODE_SCALAR && !ynode_is_null(n) ? n->value : NULL;
}
