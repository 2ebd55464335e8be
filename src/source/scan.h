#ifndef DISTARCH_SCAN_H
#define DISTARCH_SCAN_H
/*
 * Turning files into facts: read each file, pick its front-end by
 * extension, extract, resolve through the API models, add to the index.
 *
 * Nothing is skipped silently: every file that is not turned into facts is
 * counted by reason and listed in `skipped` (the report shows both).
 * A file cut at the nesting limit (SKIP_TOO_DEEP) is both parsed and listed:
 * its facts are partial.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "../base/vec.h"
#include "../cache/factcache.h"
#include "../facts/index.h"
#include "../models/models.h"
#include "prefilter.h"
#include "repo.h"

enum skip_reason {
	SKIP_NOT_SOURCE,   /* not a language distarch reads (not counted as skipped in the summary) */
	SKIP_NO_FRONTEND,  /* a language whose front-end is not in this version */
	SKIP_TOO_LARGE,
	SKIP_BINARY,
	SKIP_UNREADABLE,
	SKIP_PARSE_FAILED,
	SKIP_GENERATED,    /* the front-end recognised minified or generated code */
	SKIP_LONG_LINE,    /* a line longer than max_line_length */
	SKIP_SYMLINK,      /* a symlink (a loop, dangling, or to a file scanned itself): not followed */
	SKIP_SYMLINK_OUTSIDE, /* a symlink leading outside the repository: not read */
	SKIP_VANISHED,     /* listed, but gone when read */
	SKIP_BAD_NAME,     /* a file name that is not UTF-8 (reports could not carry it) */
	SKIP_TOO_DEEP,     /* parsed, but nested deeper than max_nesting: facts below that depth not read */
	SKIP__COUNT
};
const char *skip_reason_name(enum skip_reason r);

struct skipped_file {
	char *path;
	enum skip_reason reason;
	char *detail; /* "go", "5242880 bytes", strerror text */
};

struct scan_stats {
	size_t files;        /* files considered */
	size_t parsed;       /* turned into facts */
	size_t parse_errors; /* parsed with syntax errors (best-effort facts) */
	size_t bytes;
	size_t skipped[SKIP__COUNT];
	/* files the prefilter found no fact in that any analysis could use: indexed empty, not parsed (prefilter.h) */
	size_t prefiltered;
	VEC(struct skipped_file) list; /* every skip except SKIP_NOT_SOURCE */
};

struct scan_options {
	size_t max_file_size; /* bytes; 0 = default (4 MiB) */
	bool progress;        /* progress lines on stderr for long scans */
	size_t max_line_length; /* bytes; 0 = default (SCAN_MAX_LINE_LENGTH) */
	unsigned max_nesting;   /* syntax tree levels the front-ends walk; 0 = default (TS_MAX_NESTING) */
	unsigned jobs;          /* worker threads; 0 = one per online processor, 1 = none */
	struct fact_cache *cache; /* facts of unchanged files (src/cache/), or NULL: parse everything */
	/* Parse only the seeds and their closure (prefilter.h), given the files
	 * already in the index; the rest is indexed empty. NULL: parse everything. */
	const struct prefilter *prefilter;
	/*
	 * Lazy: a file whose bytes have a cache record, and that the dependency
	 * record knows with the same facts (`recorded`, facts/deps.h's
	 * identity), gets only its scalar fields (fact_cache_load_head;
	 * `unloaded` set, counted as the record says); its facts wait in the
	 * cache for scan_load(), while the cache stays open. A diff check loads
	 * the few files a change can reach.
	 *
	 * The prefilter's closure reads the names of every parsed file. A file it
	 * holds back that the record knows as held back was reached by none of
	 * the names of the files the record knows: only the names of the files
	 * loaded can reach it now, and the closure runs over those. When a held
	 * file is new to the record, the scan loads everything first.
	 */
	bool lazy;
	bool (*recorded)(const void *ctx, const char *path, uint64_t identity);
	const void *recorded_ctx;
	/* A stat of `path` taken earlier in this run (the tree key's), or NULL:
	 * the scan takes its stat from there, not from lstat(2) again. */
	const struct stat *(*stat_of)(const void *ctx, const char *path);
	const void *stat_ctx;
};

/*
 * The fact cache of `root` for scans with these options (its key holds what
 * shapes facts: version, binary, models, limits), or NULL when `no_cache`.
 * fact_cache_close() saves and frees it after the last scan_files().
 * NULL too when `root` is no project (neither a .dist-architect/ folder
 * nor the top of a git work tree): distarch writes into projects only.
 */
struct fact_cache *scan_cache_open(const char *root, const struct scan_options *opts, bool no_cache,
				   size_t max_bytes, bool quiet);

/* What shapes facts besides a file's bytes (the fact cache's key; the report memo builds on it). */
uint64_t scan_cache_key(const struct scan_options *opts);

#define SCAN_MAX_FILE_SIZE ((size_t)4 << 20)
#define SCAN_MAX_LINE_LENGTH ((size_t)256 << 10)

void scan_stats_release(struct scan_stats *st);

/*
 * Scan `paths` (relative to r->root). Files already in the index are not
 * scanned again. Returns 0; per-file problems are skips, not failures.
 */
int scan_files(struct repo *r, const char *const *paths, size_t npaths,
	       const struct model_set *models, const struct scan_options *opts,
	       struct fact_index *ix, struct scan_stats *st);

/*
 * Load the facts of the index's files at `files` (positions) that a lazy
 * scan left unloaded, with the same options (its cache still open). A
 * record found corrupt now is replaced by the file's facts parsed again.
 * 0, or -1 when a file could be neither loaded nor parsed (said; its facts
 * stay empty).
 */
int scan_load(struct repo *r, const struct model_set *models, const struct scan_options *opts,
	      struct fact_index *ix, const size_t *files, size_t n);
/* Scan every file of the tree (repo_list_files, then scan_files). -1 when the tree cannot be listed. */
int scan_repository(struct repo *r, const struct model_set *models,
		    const struct scan_options *opts, struct fact_index *ix, struct scan_stats *st);

#endif
