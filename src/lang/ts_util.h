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
#include <tree_sitter/api.h>

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

#endif
