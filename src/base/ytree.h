#ifndef DISTARCH_YTREE_H
#define DISTARCH_YTREE_H
/*
 * One YAML document read into a small tree of nodes
 * with 1-based positions, built from libyaml's event parser under hard
 * limits, so that hostile input cannot exhaust memory or the stack.
 *
 * Aliases are not expanded: an alias node is the very node its anchor names
 * (the tree is a DAG, never a cycle, because an alias can only name a node
 * that is complete). Each alias still counts as a copy of what it names
 * against the node budget, so a "billion laughs" document is refused with
 * an error at the alias that crosses the budget instead of being walked.
 *
 * Ownership: every node and string lives in the arena passed to ytree_parse.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_kind kind;
	bool quoted;                /* scalar in quotes or block style: always a string */
	uint32_t line, col;         /* 1-based; columns in bytes */
	uint32_t end_line, end_col; /* end, end_col exclusive */
	const char *value;          /* scalar, NUL-terminated */
	size_t len;                 /* scalar length (may hold NUL bytes) */
	struct ynode **items;       /* SEQ: n items; MAP: n pairs, key items[2i], value items[2i+1] */
	size_t n;
	size_t weight;              /* nodes counting alias copies */
	unsigned height;            /* nesting levels, this node included */
};

#define YTREE_MAX_NODES 1000000
#define YTREE_MAX_DEPTH 64

/*
 * Parse the first and only document of `text`. On success returns 0 and sets
 * *root (NULL for an empty stream: no document, or only comments). On a
 * syntax error, a second document, an undefined alias or a limit, reports
 * error_at(name, line, column, ...) and returns -1.
 */
int ytree_parse(struct arena *a, const char *name, const char *text, size_t len,
		struct ynode **root);

#define YTREE_MAX_DOCS 100000

/*
 * Parse every document of a stream (`---`-separated, as Kubernetes
 * manifests are): *docs gets the roots of the non-empty documents, in
 * order, in the arena. Anchors are per document; the node budget and the
 * limits are for the whole stream. Errors as ytree_parse; on error
 * *ndocs is 0.
 */
int ytree_parse_stream(struct arena *a, const char *name, const char *text, size_t len,
		       struct ynode ***docs, size_t *ndocs);

/* The value of `key` in a mapping (the last, if repeated), or NULL (also when `map` is not a mapping). */
const struct ynode *ynode_get(const struct ynode *map, const char *key);
/* The scalar text of `n`, or NULL when it is not a non-null scalar. */
const char *ynode_str(const struct ynode *n);

/* A plain scalar that YAML reads as null: "", "~", "null". */
bool ynode_is_null(const struct ynode *n);
/* "a scalar", "a list", "a mapping" (or "null") for messages. */
const char *ynode_kind_name(const struct ynode *n);

#endif
