#ifndef DISTARCH_INDEX_H
#define DISTARCH_INDEX_H
/*
 * The repository index: the facts of every scanned file, by path, and the
 * lookups the analyses make across files, so that "who reads `status`",
 * "who writes it", "which functions are named G" and "who calls G" are
 * map lookups, not rescans.
 *
 * Ownership: the index owns each file_facts (allocated by index_add) and
 * frees them in index_release. Files keep the order they were added in;
 * the scanner adds them sorted by path, so output is deterministic.
 * Lookups are valid after index_build() and until the next index_add().
 */
#include "../base/strmap.h"
#include "deps.h"
#include "facts.h"

/* One fact of one file: ff->reads.items[idx], ff->calls.items[idx], ... */
struct fact_ref {
	const struct file_facts *ff;
	size_t idx;
};
typedef VEC(struct fact_ref) fact_refs;

struct fact_index {
	VEC(struct file_facts *) files;
	struct strmap by_path;   /* path -> struct file_facts * */
	struct strmap readers;   /* field -> fact_refs * (reads) */
	struct strmap writers;   /* field -> fact_refs * (writes) */
	struct strmap functions; /* function name -> fact_refs * (functions) */
	struct strmap callers;   /* method name (last callee segment) -> fact_refs * (calls) */
	bool built;
	/* Not owned: when set, every lookup (and constant linking) is noted in
	 * it for the current target (deps.h). Lookups stay const: the record
	 * is beside the index, not in it. */
	struct dep_rec *rec;
	/* Not owned, may be NULL: the wide function names (DEP_FUNCTIONS keys,
	 * deps.h) of a lazy check, whose files may not be loaded. */
	const u64set *wide;
};

void index_init(struct fact_index *ix);
void index_release(struct fact_index *ix);
/* A new, initialised file_facts owned by the index. */
struct file_facts *index_add(struct fact_index *ix, const char *path, enum lang lang);
/* Take over `ff` (xmalloc'd, file_facts_init'ed, filled: a scan worker's or the cache's). */
void index_adopt(struct fact_index *ix, struct file_facts *ff);
struct file_facts *index_get(const struct fact_index *ix, const char *path);
/*
 * The analyses are done: free every file's facts and the lookups, keeping
 * the files and their paths (reports borrow them). A repository's facts
 * are most of a run's memory; its report need not sit on top of them.
 */
void index_drop_facts(struct fact_index *ix);

/*
 * Build (or rebuild) the lookup maps over every file (a file whose facts
 * are not loaded adds nothing). It first links state values written or
 * compared by name to the strings their constants stand for
 * (index_link_consts), across files and packages of one language.
 */
void index_build(struct fact_index *ix);

/*
 * Rewrite each write's value and read's values that name a constant
 * (fact_const) to the constant's string (const_link.c says when a name
 * resolves). Called by index_build; each file is linked once (`linked`),
 * against the constants of the files loaded then: a file loaded later is
 * linked when it comes, the others stay as they were.
 */
void index_link_consts(struct fact_index *ix);

/*
 * The constants' names (DEP_CONST keys) linking `ff` looks up, appended to
 * `out`: what its linking would note in the dependency record, known
 * before it is linked.
 */
void index_const_keys(const struct file_facts *ff, depkeys *out);

/*
 * The key state fields are indexed and looked up by, the same in every
 * language: lowercase, without '_' and '-'. Go's exported `Status` (sent as
 * JSON "status"), Python's `job_status` and TypeScript's `jobStatus` name
 * one field of a message. Writes `out` (always NUL-terminated).
 */
void index_field_key(const char *field, char *out, size_t n);

/* The lookups: NULL when nothing matches. Fields match by index_field_key, function and method names exactly. */
const fact_refs *index_readers(const struct fact_index *ix, const char *field);
const fact_refs *index_writers(const struct fact_index *ix, const char *field);
const fact_refs *index_functions(const struct fact_index *ix, const char *name);
/*
 * The functions named `name`, or NULL when there are none or more than
 * `max` (SIZE_MAX: no bound): then none is read, and the record notes
 * only that (DEP_FUNCTIONS_MANY). Under a bound up to DEP_WIDE, a wide
 * name (ix->wide) is refused without looking; a larger bound looks.
 */
const fact_refs *index_functions_upto(const struct fact_index *ix, const char *name, size_t max);
const fact_refs *index_callers(const struct fact_index *ix, const char *method);

#endif
