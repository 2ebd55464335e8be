#include "ts_util.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "../base/alloc.h"
#include "../base/diag.h"

#include "../base/banned.h"

const char *ts_text_ptr(TSNode n, const char *src, size_t len, size_t *out_len)
{
	uint32_t start, end;

	*out_len = 0;
	if (ts_node_is_null(n))
		return NULL;
	start = ts_node_start_byte(n);
	end = ts_node_end_byte(n);
	/* the tree never points past its input, but a stale node must not read out of bounds */
	if (start > len || end > len || end < start) {
		*out_len = 0;
		return NULL;
	}
	*out_len = end - start;
	return src + start;
}

const char *ts_text(struct file_facts *ff, TSNode n, const char *src, size_t len)
{
	size_t n_len;
	const char *p = ts_text_ptr(n, src, len, &n_len);

	if (!p)
		return facts_str(ff, "", 0);
	return facts_str(ff, p, n_len > TS_TEXT_MAX ? TS_TEXT_MAX : n_len);
}

bool ts_text_eq(TSNode n, const char *src, size_t len, const char *s)
{
	size_t n_len;
	const char *p = ts_text_ptr(n, src, len, &n_len);

	return p && n_len == strlen(s) && !memcmp(p, s, n_len);
}

struct span ts_span(TSNode n)
{
	TSPoint a, b;
	struct span s = { 0, 0, 0, 0 };

	if (ts_node_is_null(n))
		return s;
	a = ts_node_start_point(n);
	b = ts_node_end_point(n);
	s = (struct span){ a.row + 1, a.column + 1, b.row + 1, b.column + 1 };
	return s;
}

/*
 * Field names are looked up by a linear scan of the grammar's names; the
 * front-ends ask with string literals, so the id is remembered by the
 * name's address (per thread: no locking on the hot path).
 */
static TSFieldId field_id(const TSLanguage *lang, const char *name)
{
	static _Thread_local struct {
		const TSLanguage *lang;
		const char *name;
		TSFieldId id;
	} memo[128];
	size_t h = ((uintptr_t)name >> 3) & 127;
	if (memo[h].name != name || memo[h].lang != lang) {
		memo[h].id = ts_language_field_id_for_name(lang, name, (uint32_t)strlen(name));
		memo[h].lang = lang;
		memo[h].name = name;
	}
	return memo[h].id;
}

TSNode ts_field(TSNode n, const char *name)
{
	if (ts_node_is_null(n))
		return n;
	TSFieldId id = field_id(ts_node_language(n), name);
	if (!id) /* no such field in this grammar: what child_by_field_name answers */
		return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
	return ts_node_child_by_field_id(n, id);
}

uint32_t ts_kind_table(const TSLanguage *lang, const struct ts_kind_name *names, size_t n,
		       unsigned char **out)
{
	uint32_t count = ts_language_symbol_count(lang);
	unsigned char *kinds = xcalloc(count ? count : 1, 1);

	for (uint32_t s = 0; s < count; s++) {
		const char *name;
		if (ts_language_symbol_type(lang, (TSSymbol)s) != TSSymbolTypeRegular)
			continue;
		name = ts_language_symbol_name(lang, (TSSymbol)s);
		for (size_t i = 0; name && i < n; i++)
			if (!strcmp(name, names[i].name))
				kinds[s] = names[i].kind;
	}
	*out = kinds;
	return count;
}

void ts_walk(struct file_facts *ff, TSNode root, bool descend_root,
	     bool (*enter)(void *user, TSTreeCursor *cur), void (*leave)(void *user), void *user)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	bool descend = descend_root;
	size_t depth = 0; /* levels entered below the root */
	size_t max = ff->max_nesting ? ff->max_nesting : TS_MAX_NESTING;

	for (;;) {
		if (descend && depth >= max) {
			/* the limit: this node's children are not walked, and the file says so */
			descend = false;
			if (!ff->nesting_cut)
				ff->nesting_cut = ts_node_start_point(ts_tree_cursor_current_node(&cur)).row + 1;
		}
		if (descend && ts_tree_cursor_goto_first_child(&cur)) {
			depth++;
			descend = enter(user, &cur);
			continue;
		}
		for (;;) {
			if (!depth)
				goto done;
			leave(user);
			if (ts_tree_cursor_goto_next_sibling(&cur)) {
				descend = enter(user, &cur);
				break;
			}
			depth--;
			ts_tree_cursor_goto_parent(&cur);
		}
	}
done:
	ts_tree_cursor_delete(&cur);
}

/* --- bounded parsing --- */

struct deadline {
	struct timespec end;
	unsigned calls;
	bool expired;
};

static bool parse_progress(TSParseState *st)
{
	struct deadline *d = st->payload;
	struct timespec now;

	/* the clock is cheap but not free: look at it every 1024 steps */
	if (++d->calls & 1023)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > d->end.tv_sec ||
	    (now.tv_sec == d->end.tv_sec && now.tv_nsec >= d->end.tv_nsec))
		d->expired = true;
	return d->expired;
}

struct input {
	const char *src;
	uint32_t len;
};

static const char *read_input(void *payload, uint32_t byte, TSPoint pt, uint32_t *n)
{
	const struct input *in = payload;
	(void)pt;
	if (byte >= in->len) {
		*n = 0;
		return "";
	}
	*n = in->len - byte;
	return in->src + byte;
}

uint32_t ts_count_lines(const char *src, size_t len)
{
	uint32_t n = 0;
	const char *p = src, *end = src + len;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		n++;
		p++;
	}
	return n + (len && src[len - 1] != '\n');
}

/*
 * One parser per thread, kept across files: a parser holds its stacks and
 * token caches between parses, so reusing it spares a repository's scan a
 * great deal of allocation (tree-sitter supports parsing many documents
 * with one parser; trees outlive the parse). Freed when the thread ends.
 */
static pthread_key_t parser_key;
static pthread_once_t parser_once = PTHREAD_ONCE_INIT;
static bool parser_key_ok;

static void parser_free(void *p)
{
	ts_parser_delete(p);
}

static void parser_key_init(void)
{
	parser_key_ok = pthread_key_create(&parser_key, parser_free) == 0;
}

/* The calling thread's parser; `*owned` when it is a fresh one the caller deletes. */
static TSParser *thread_parser(bool *owned)
{
	TSParser *p;
	pthread_once(&parser_once, parser_key_init);
	*owned = false;
	if (!parser_key_ok) {
		*owned = true;
		return ts_parser_new();
	}
	p = pthread_getspecific(parser_key);
	if (!p) {
		p = ts_parser_new();
		if (pthread_setspecific(parser_key, p) != 0)
			*owned = true;
	}
	return p;
}

int ts_parse_bounded(const TSLanguage *lang, const char *what, const char *src, size_t len,
		     const char *path, TSTree **out)
{
	struct input in = { src, (uint32_t)len };
	TSInput input = { &in, read_input, TSInputEncodingUTF8, NULL };
	struct deadline dl = { 0 };
	TSParseOptions opts = { &dl, parse_progress };
	TSParser *parser;
	TSTree *tree;
	bool owned;

	*out = NULL;
	if (len >= UINT32_MAX)
		return error("%s: file too large to parse (%zu bytes)", path, len);
	/* a generous budget: 2 s plus 1 s per 100 KiB; tree-sitter is far faster */
	clock_gettime(CLOCK_MONOTONIC, &dl.end);
	dl.end.tv_sec += 2 + (time_t)(len / (100 * 1024));

	parser = thread_parser(&owned);
	if (!ts_parser_set_language(parser, lang)) {
		if (owned)
			ts_parser_delete(parser);
		return error("%s: tree-sitter %s grammar has an incompatible ABI", path, what);
	}
	tree = ts_parser_parse_with_options(parser, NULL, input, opts);
	if (owned)
		ts_parser_delete(parser);
	else if (!tree)
		ts_parser_reset(parser); /* a cancelled parse would otherwise resume on the next file */
	if (!tree)
		return error("%s: %s parse %s", path, what, dl.expired ? "timed out" : "failed");
	*out = tree;
	return 0;
}

void ts_walker_init(struct ts_walker *b, struct file_facts *ff, const char *src, size_t len,
		    const unsigned char *kinds, uint32_t nkinds, TSNode root)
{
	memset(b, 0, sizeof(*b));
	b->ff = ff;
	b->src = src;
	b->len = len;
	b->kinds = kinds;
	b->nkinds = nkinds;
	b->cur = ts_tree_cursor_new(root);
}

void ts_walker_release(struct ts_walker *b)
{
	ts_tree_cursor_delete(&b->cur);
	VEC_FREE(&b->scratch);
}

size_t ts_collect(struct ts_walker *b, TSNode n, bool named)
{
	size_t base = b->scratch.len;

	ts_tree_cursor_reset(&b->cur, n);
	if (!ts_tree_cursor_goto_first_child(&b->cur))
		return base;
	do {
		TSNode c = ts_tree_cursor_current_node(&b->cur);
		struct ts_child *ch;
		if (named && (!ts_node_is_named(c) || ts_kind(b, c) == TS_KIND_COMMENT))
			continue;
		ch = VEC_PUSH(&b->scratch);
		ch->node = c;
		ch->field = ts_tree_cursor_current_field_id(&b->cur);
	} while (ts_tree_cursor_goto_next_sibling(&b->cur));
	return base;
}

TSNode ts_first_named(struct ts_walker *b, TSNode n)
{
	size_t base = ts_collect(b, n, true);
	TSNode r = base < b->scratch.len ? ts_scratch_node(b, base) : (TSNode){ 0 };

	b->scratch.len = base;
	return r;
}

bool ts_block_exits(struct ts_walker *b, TSNode block, const unsigned char *exit_kinds, size_t n)
{
	uint32_t start = ts_node_start_byte(block);
	uint32_t slot = start % (sizeof(b->blk_start) / sizeof(b->blk_start[0]));
	bool exits = false;

	if (b->blk_exits[slot] && b->blk_start[slot] == start)
		return b->blk_exits[slot] > 0;
	for (uint32_t i = ts_node_named_child_count(block); i > 0; i--) {
		unsigned k = ts_kind(b, ts_node_named_child(block, i - 1));
		if (k == TS_KIND_COMMENT)
			continue;
		exits = memchr(exit_kinds, (int)k, n) != NULL;
		break;
	}
	b->blk_start[slot] = start;
	b->blk_exits[slot] = exits ? 1 : -1;
	return exits;
}

void ts_sb_add_node(const struct ts_walker *b, struct strbuf *sb, TSNode n)
{
	size_t l;
	const char *p = ts_wraw(b, n, &l);

	if (p)
		strbuf_add(sb, p, l > TS_TEXT_MAX ? TS_TEXT_MAX : l);
}

void ts_sb_add_chain(const struct ts_walker *b, struct strbuf *sb, const struct ts_link *chain,
		     int depth)
{
	while (depth-- > 0 && sb->len < TS_TEXT_MAX) {
		const struct ts_link *k = &chain[depth];
		switch (k->kind) {
		case TS_LINK_MEMBER:
		case TS_LINK_METHOD:
			strbuf_addch(sb, '.');
			ts_sb_add_node(b, sb, k->name);
			if (k->kind == TS_LINK_METHOD)
				strbuf_addstr(sb, "()");
			break;
		case TS_LINK_CALL:
			strbuf_addstr(sb, "()");
			break;
		case TS_LINK_INDEX:
			strbuf_addstr(sb, "[]");
			break;
		case TS_LINK_NONE:
			break;
		}
	}
}

int ts_file_begin(struct file_facts *ff, const char *src, size_t len)
{
	if (len >= UINT32_MAX)
		return error("%s: file too large to parse (%zu bytes)", ff->path, len);
	ff->nlines = ts_count_lines(src, len);
	return 0;
}

int ts_file_parse(const TSLanguage *lang, const char *what, const char *src, size_t len,
		  struct file_facts *ff, TSTree **out)
{
	if (ts_parse_bounded(lang, what, src, len, ff->path, out))
		return -1;
	ff->parse_errors = ts_node_has_error(ts_tree_root_node(*out));
	return 0;
}
