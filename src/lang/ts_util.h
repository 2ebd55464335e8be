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
#include <tree_sitter/api.h>

#include "../facts/facts.h"

#define TS_TEXT_MAX 200

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

/* The child in field `name`, or a null node (ts_node_is_null). */
TSNode ts_field(TSNode n, const char *name);

#endif
