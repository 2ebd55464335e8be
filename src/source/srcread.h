#ifndef DISTARCH_SRCREAD_H
#define DISTARCH_SRCREAD_H
/*
 * Reading one listed file for the scan, under the scan's limits, safely:
 * a symlink is never followed (one pointing outside the repository is not
 * even opened), a FIFO or device never blocks the scan, a file that went
 * away between the listing and the read is said to have vanished, and
 * binary content, NUL bytes and over-long lines are recognised before any
 * front-end sees the bytes.
 *
 * Nothing is printed: the caller counts each refusal as a skip with its
 * reason and detail (scan.h). Safe to call from several threads at once.
 */
#include <stddef.h>

#include "../base/strbuf.h"
#include "scan.h"

struct src_limits {
	size_t max_file_size;   /* bytes */
	size_t max_line_length; /* bytes */
};

/*
 * Read ROOT/PATH into `src` (reset first). Returns 0 when `src` holds the
 * file, or 1 with *why and `detail` (reset first) saying why it was not
 * read. Never fails otherwise.
 */
int src_read(const char *root, const char *path, const struct src_limits *lim,
	     struct strbuf *src, enum skip_reason *why, struct strbuf *detail);

/*
 * For an entry that is not source by its name: 1 with *why and `detail`
 * when it still deserves a line in the summary - a folder that cannot be
 * listed (a path ending in '/'), a symlink loop, a dangling symlink or one
 * leading outside the repository - else 0 (a plain non-source file).
 */
int src_check_other(const char *root, const char *path, enum skip_reason *why,
		    struct strbuf *detail);

#endif
