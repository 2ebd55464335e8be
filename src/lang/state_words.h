#ifndef DISTARCH_STATE_WORDS_H
#define DISTARCH_STATE_WORDS_H
/*
 * Syntactic heuristics shared by the language front-ends: which field
 * names look like state another actor may read, which dictionary keys name
 * a message's kind, and a tiny scanner for SQL text in string literals.
 *
 * These are the one place where a front-end guesses; they only look at
 * names and text, never at what a library means. Nothing here allocates
 * or keeps pointers: results point into the caller's buffers.
 */
#include <stdbool.h>
#include <stddef.h>

/* `status`, `_state`, `is_ready`, `job_status`... (case-insensitive, leading '_' ignored). */
bool lang_is_state_field(const char *name, size_t n);
/* The stricter test for keyword arguments, where most state-like names are configuration. */
bool lang_is_state_keyword(const char *name, size_t n);

/* A dictionary key that discriminates message kinds: "type", "event", ... */
bool lang_is_message_key(const char *name, size_t n);

/* A loop counter name of a retry loop: "attempt", "retries", "tries", ... */
bool lang_is_retry_counter(const char *name, size_t n);

/*
 * Every word the tests above look for, lowercase (the prefilter's needles:
 * a name passes one of the tests only if it holds one of these, case
 * aside; "is_" stands for the prefix, camelCase `isX` included by the
 * caller). `message_key` marks lang_is_message_key's words.
 */
void lang_state_needles(void (*fn)(void *data, const char *word, bool message_key), void *data);

#define SQL_MAX_VALUES 16

/* A column assignment (`SET status = 'x'`) or test (`WHERE status IN ('a','b')`). */
struct sql_item {
	bool is_write;
	bool negated;          /* !=, <>, NOT IN */
	bool membership;       /* IN (...) */
	const char *table;     /* UPDATE's table, or NULL */
	size_t table_len;
	const char *col;       /* as written, may be qualified: "j.status" */
	size_t col_len;
	const char *text;      /* the value's text (first token) */
	size_t text_len;
	/* literal values (quotes stripped); a placeholder ($1, %s, ?, :x) gives none */
	const char *values[SQL_MAX_VALUES];
	size_t value_lens[SQL_MAX_VALUES];
	size_t nvalues;
};

typedef void (*sql_item_fn)(void *data, const struct sql_item *item);

/*
 * Scan `s` (at most the first 16 KiB) as SQL when it starts with a DML
 * keyword (SELECT, UPDATE, DELETE, INSERT, WITH) and report every SET
 * assignment and every simple WHERE test. Returns the number of items.
 */
size_t sql_scan(const char *s, size_t n, sql_item_fn fn, void *data);

#endif
