#ifndef DISTARCH_SRCLINES_H
#define DISTARCH_SRCLINES_H
/*
 * The lines of the files a report points into, read once and cached: what
 * fingerprints, baselines and inline suppressions look at (the facts keep
 * no source text).
 *
 * A file that cannot be read any more (deleted since, a folder, over the
 * size cap) reads as empty: its lines are "" and nothing is suppressed in
 * it. That is not an error: the scan already counted the file's skip.
 *
 * Ownership: the cache owns every file's text and line table;
 * srclines_release frees them. Pointers it returns live until then.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/strbuf.h"
#include "../base/strmap.h"

struct srcfile {
	char *text;          /* NUL-terminated (the file may hold NULs) */
	size_t len;
	size_t *starts;      /* byte offset of each line; starts[nlines] == len + 1 */
	uint32_t nlines;
	bool readable;
};

struct srclines {
	char *root; /* absolute or as given; paths are relative to it */
	struct strmap files; /* path -> struct srcfile * */
};

void srclines_init(struct srclines *s, const char *root);
void srclines_release(struct srclines *s);

/* The file at `path` (relative to the root), read on first use. Never NULL. */
const struct srcfile *srclines_get(struct srclines *s, const char *path);
/* Read `path` into `f` without keeping it (a file looked at once); srcfile_release frees. */
void srclines_read(const struct srclines *s, const char *path, struct srcfile *f);
/* Fill a srcfile from memory (copied); for tests and fuzzing. srcfile_release frees. */
void srcfile_from_buffer(struct srcfile *f, const char *text, size_t len);
void srcfile_release(struct srcfile *f);

/*
 * Line `line` (1-based) without its line break; *n gets its length. A line
 * past the end is "" (n 0).
 */
const char *srcfile_line(const struct srcfile *f, uint32_t line, size_t *n);

/* Byte column (1-based) to a column in Unicode code points (1-based) on that line. */
uint32_t srcfile_char_column(const struct srcfile *f, uint32_t line, uint32_t byte_col);

/*
 * The line's text as a fingerprint sees it: leading and trailing blanks
 * removed and every run of blanks inside made one space, so re-indenting
 * or moving code keeps it. Appended to `out`.
 */
void srcline_normalize(const char *s, size_t n, struct strbuf *out);

#endif
