#ifndef DISTARCH_TS_UTIL_H
#define DISTARCH_TS_UTIL_H
/*
 * Small tree-sitter helpers shared by the language front-ends.
 *
 * Nodes borrow the source buffer they were parsed from; every string these
 * helpers return is copied into the facts' arena (owned by `ff`) and lives
 * as long as it. Source-text copies are cut at TS_TEXT_MAX bytes so that a
 * megabyte-long literal cannot bloat the facts.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "../base/strbuf.h"
#include "../base/vec.h"
#include "../facts/facts.h"

#define TS_TEXT_MAX 200
#define TS_MAX_NESTING 1000

/*
 * Every helper accepts a null node (what a missing field gives) and treats
 * it as empty: an error-recovered tree may lack children a grammar promises.
 */

/* The node's bytes in `src` (NULL and *out_len = 0 when null or out of range). */
const char *ts_text_ptr(TSNode n, const char *src, size_t len, size_t *out_len);

/* The node's source text copied into the arena, truncated to TS_TEXT_MAX. */
const char *ts_text(struct file_facts *ff, TSNode n, const char *src, size_t len);

/* True when the node's text equals `s` exactly. */
bool ts_text_eq(TSNode n, const char *src, size_t len, const char *s);

/* tree-sitter's 0-based rows and byte columns as a 1-based span (all 0 for a null node). */
struct span ts_span(TSNode n);

/*
 * The child in field `name`, or a null node (ts_node_is_null). `name` is a
 * string literal: its address keys a per-thread memo of field ids.
 */
TSNode ts_field(TSNode n, const char *name);

/* One row of a front-end's node-kind table: grammar symbol name -> its enum kind. */
struct ts_kind_name {
	const char *name;
	unsigned char kind;
};

/*
 * Resolve `names` against `lang`'s regular (named) symbols into an
 * array indexed by symbol (0 for a symbol not in `names`), stored in
 * *out, and return its length. The array is heap-allocated for the caller
 * to keep (front-ends build it once per process under pthread_once).
 */
uint32_t ts_kind_table(const TSLanguage *lang, const struct ts_kind_name *names, size_t n,
		       unsigned char **out);

/*
 * One pre-order pass over `root`'s subtree with a single cursor, without
 * recursion (a 10,000-deep expression cannot overflow the C stack). The
 * caller keeps its own stack of levels mirroring the cursor's path and has
 * already pushed (and visited) the root's: `enter` pushes a level for the
 * node under the cursor and returns whether to walk its children; `leave`
 * pops the level of the node being left. `descend_root` says whether to walk
 * the root's children at all.
 *
 * The walk goes at most ff->max_nesting levels below the root (0:
 * TS_MAX_NESTING): deeper nodes are not entered, and ff->nesting_cut gets
 * the line of the first node whose children were left out, so the facts
 * are known to be partial. This bounds the front-ends' level stacks and
 * their look-ups along them, whatever the input.
 */
void ts_walk(struct file_facts *ff, TSNode root, bool descend_root,
	     bool (*enter)(void *user, TSTreeCursor *cur), void (*leave)(void *user), void *user);

/* The number of lines in `src`, counting a last line without a newline. */
uint32_t ts_count_lines(const char *src, size_t len);

/*
 * Parse `src` with `lang` under a generous deadline (2 s plus 1 s per
 * 100 KiB; tree-sitter is far faster). On success stores the tree in *out
 * (the caller deletes it) and returns 0; otherwise reports "<path>: <what>
 * parse timed out|failed" (or an ABI mismatch, or a file of 4 GiB or more)
 * via error() and returns its value. `what` names the grammar in messages
 * ("python", "go", ...).
 */
int ts_parse_bounded(const TSLanguage *lang, const char *what, const char *src, size_t len,
		     const char *path, TSTree **out);

/*
 * The part every front-end's walker shares, embedded as its first member
 * `b`: the file being walked, the kind table, and a cursor with a stack of
 * child lists for ts_collect(). Each front-end's `enum kind` starts
 * K_OTHER = 0, K_COMMENT = 1 (TS_KIND_OTHER, TS_KIND_COMMENT).
 */
#define TS_KIND_OTHER 0
#define TS_KIND_COMMENT 1

struct ts_child {
	TSNode node;
	TSFieldId field;
};

struct ts_walker {
	struct file_facts *ff;
	const char *src;
	size_t len;
	const unsigned char *kinds; /* by grammar symbol; see ts_kind_table() */
	uint32_t nkinds;
	TSTreeCursor cur;
	VEC(struct ts_child) scratch; /* a stack of child lists; see ts_collect() */
	uint32_t blk_start[64];       /* ts_block_exits() cache, by block start byte */
	signed char blk_exits[64];    /* ...1 exits, -1 does not, 0 empty slot */
};

/* Set up `b` for `src`'s tree under `root`; ts_walker_release() frees it. */
void ts_walker_init(struct ts_walker *b, struct file_facts *ff, const char *src, size_t len,
		    const unsigned char *kinds, uint32_t nkinds, TSNode root);
void ts_walker_release(struct ts_walker *b);

/* The node's kind by the walker's table (TS_KIND_OTHER for a null node or unknown symbol). */
static inline unsigned ts_kind(const struct ts_walker *b, TSNode n)
{
	TSSymbol s;

	if (ts_node_is_null(n))
		return TS_KIND_OTHER;
	s = ts_node_symbol(n);
	return s < b->nkinds ? b->kinds[s] : TS_KIND_OTHER;
}

/* The child in field `id` (a null node for a null `n` or id 0). */
static inline TSNode ts_field_id(TSNode n, TSFieldId id)
{
	if (ts_node_is_null(n) || !id)
		return (TSNode){ 0 };
	return ts_node_child_by_field_id(n, id);
}

/*
 * Append the children of `n` (named only, comments skipped, when `named`)
 * to the scratch stack and return where they start. The caller reads them
 * by index (nested ts_collect() calls may move the array) and truncates
 * scratch.len back to the returned base when done.
 */
size_t ts_collect(struct ts_walker *b, TSNode n, bool named);

static inline TSNode ts_scratch_node(const struct ts_walker *b, size_t i)
{
	return b->scratch.items[i].node;
}

/* The first named child that is not a comment, or a null node. */
TSNode ts_first_named(struct ts_walker *b, TSNode n);

/*
 * Whether `block`'s last statement (comments skipped) is of one of the
 * `n` kinds in `exit_kinds` (return, break, continue, raise/throw...).
 * Remembered by the block's start byte: call it for blocks of one tree.
 */
bool ts_block_exits(struct ts_walker *b, TSNode block, const unsigned char *exit_kinds, size_t n);

/* ts_text() / ts_text_ptr() of the walked file. */
static inline const char *ts_wtext(const struct ts_walker *b, TSNode n)
{
	return ts_text(b->ff, n, b->src, b->len);
}

static inline const char *ts_wraw(const struct ts_walker *b, TSNode n, size_t *len)
{
	return ts_text_ptr(n, b->src, b->len, len);
}

/* `n` bytes at `p` (NULL: "") copied into the arena, cut at TS_TEXT_MAX. */
static inline const char *ts_wcopy(const struct ts_walker *b, const char *p, size_t n)
{
	return facts_str(b->ff, p ? p : "", p ? (n > TS_TEXT_MAX ? TS_TEXT_MAX : n) : 0);
}

/* The node's source text appended to `sb`, cut at TS_TEXT_MAX bytes (nothing for a null node). */
void ts_sb_add_node(const struct ts_walker *b, struct strbuf *sb, TSNode n);

/*
 * One link of a callee chain (`a.b().c[i]`): what it writes after the text
 * of the expression it follows, `name` being the member's name node.
 */
enum ts_link_kind {
	TS_LINK_NONE,   /* nothing: parentheses, await... */
	TS_LINK_MEMBER, /* .name */
	TS_LINK_METHOD, /* .name() */
	TS_LINK_CALL,   /* () */
	TS_LINK_INDEX,  /* [] */
};

struct ts_link {
	TSNode name;
	enum ts_link_kind kind;
};

/*
 * Append chain[depth - 1] down to chain[0] (the outermost link last) to
 * `sb`, stopping once it holds TS_TEXT_MAX bytes.
 */
void ts_sb_add_chain(const struct ts_walker *b, struct strbuf *sb, const struct ts_link *chain,
		     int depth);

/* Whether `s` is among the `n` strings of `names`. */
static inline bool ts_name_seen(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return true;
	return false;
}

/*
 * A front-end's first steps on a file: ts_file_begin() refuses one of
 * 4 GiB or more ("<path>: file too large to parse") and counts its lines
 * into ff->nlines; ts_file_parse() parses it (ts_parse_bounded) into *out
 * and sets ff->parse_errors. Each returns 0, or error()'s value.
 */
int ts_file_begin(struct file_facts *ff, const char *src, size_t len);
int ts_file_parse(const TSLanguage *lang, const char *what, const char *src, size_t len,
		  struct file_facts *ff, TSTree **out);

#endif
