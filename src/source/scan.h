#ifndef DISTARCH_SCAN_H
#define DISTARCH_SCAN_H
/*
 * Turning files into facts: read each file, pick its front-end by
 * extension, extract, resolve through the API models, add to the index.
 *
 * Nothing is skipped silently: every file that is not turned into facts is
 * counted by reason and listed in `skipped` (the report shows both).
 */
#include <stddef.h>

#include "../base/vec.h"
#include "../facts/index.h"
#include "../models/models.h"
#include "repo.h"

enum skip_reason {
	SKIP_NOT_SOURCE,   /* not a language distarch reads (not counted as skipped in the summary) */
	SKIP_NO_FRONTEND,  /* a language whose front-end is not in this version */
	SKIP_TOO_LARGE,
	SKIP_BINARY,
	SKIP_UNREADABLE,
	SKIP_PARSE_FAILED,
	SKIP_GENERATED,    /* the front-end recognised minified or generated code */
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
	VEC(struct skipped_file) list; /* every skip except SKIP_NOT_SOURCE */
};

struct scan_options {
	size_t max_file_size; /* bytes; 0 = default (4 MiB) */
	bool progress;        /* progress lines on stderr for long scans */
};

void scan_stats_release(struct scan_stats *st);

/*
 * Scan `paths` (relative to r->root). Files already in the index are not
 * scanned again. Returns 0; per-file problems are skips, not failures.
 */
int scan_files(struct repo *r, const char *const *paths, size_t npaths,
	       const struct model_set *models, const struct scan_options *opts,
	       struct fact_index *ix, struct scan_stats *st);

/* Scan every file of the tree (repo_list_files, then scan_files). -1 when the tree cannot be listed. */
int scan_repository(struct repo *r, const struct model_set *models,
		    const struct scan_options *opts, struct fact_index *ix, struct scan_stats *st);

#endif
