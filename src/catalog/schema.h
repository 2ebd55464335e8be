#ifndef DISTARCH_CATALOG_SCHEMA_H
#define DISTARCH_CATALOG_SCHEMA_H
/*
 * Validating a YAML tree (src/base/ytree.h) against a fixed schema, shared by
 * the catalog entry loader and the module loader: fetch a mapping's known
 * keys, check types, copy strings. Every problem is reported with
 * error_at(name, line, column, ...) naming what was expected, and counted
 * in `errors`; the helpers keep going, so a file's problems are all reported
 * in one run.
 *
 * Ownership: strings and lists are copied into `arena` (the caller's set);
 * the tree itself is only read.
 */
#include <stdbool.h>
#include <stddef.h>

#include "../base/arena.h"
#include "../base/strbuf.h"
#include "../base/ytree.h"

/* A list of NUL-terminated strings. */
struct textlist {
	const char **items;
	size_t len;
};

struct yschema {
	struct arena *arena; /* strings are copied here */
	const char *name;    /* the file, for messages */
	int errors;
};

/* Report at a node (or at `line`:`col`) and count the error; evaluates to -1. */
int ys_error(struct yschema *S, const struct ynode *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Fetch the values of `map`'s keys into `vals` (indexed like the
 * NULL-terminated `keys`; a missing key gives NULL), reporting non-scalar,
 * unknown and duplicate keys. `what` names the mapping in messages ("the
 * front matter"). `map` must be a mapping.
 */
void ys_fields(struct yschema *S, const struct ynode *map, const char *what,
	       const char *const *keys, const struct ynode **vals);

/* A required key: reports "missing 'KEY' in WHAT (expected HINT)" at `map` when v is NULL. */
bool ys_require(struct yschema *S, const struct ynode *map, const struct ynode *v,
		const char *key, const char *what, const char *hint);

/* Is `v` a mapping? Reports "'KEY' must be a mapping" otherwise. */
bool ys_is_map(struct yschema *S, const struct ynode *v, const char *key);

/*
 * A non-empty string (any scalar but null; a string with a NUL byte is
 * refused), trailing whitespace trimmed, copied; NULL (reported) otherwise
 * and NULL (not reported) when v is NULL. With `one_line`, a line break
 * inside is an error.
 */
const char *ys_str(struct yschema *S, const struct ynode *v, const char *key, bool one_line);

/*
 * A list of non-empty one-line strings; a single string is a list of one.
 * With `allowed` (NULL-terminated), each item must be one of them. With
 * `min`, fewer items is an error. v NULL gives an empty list.
 */
struct textlist ys_strlist(struct yschema *S, const struct ynode *v, const char *key,
			   const char *const *allowed, size_t min);

/* Is s[0, n) well-formed UTF-8 (no overlongs, no surrogates)? JSON output needs it. */
bool ys_utf8_valid(const char *s, size_t n);

/* Append "a, b, c" (a NULL-terminated list) to `sb`, for messages. */
void ys_join(struct strbuf *sb, const char *const *items);

#endif
