#ifndef DISTARCH_FILEIO_H
#define DISTARCH_FILEIO_H
/*
 * Reading whole files with a size cap, and safe replacement of files.
 */
#include <stddef.h>
#include "strbuf.h"

/*
 * Append the contents of `path` to `sb`. Fails (error(), -1) when the file
 * cannot be read or is larger than `max` bytes (0 = no limit); `sb` is left
 * as it was on failure.
 */
int read_file(const char *path, struct strbuf *sb, size_t max);
/* Read all of a stdio stream (stdin for `--patch -`). */
int read_stream(void *fp, const char *name, struct strbuf *sb, size_t max);
/*
 * Write `len` bytes to `path` through a temporary file in the same folder and
 * rename(2): readers see the old file or the new one, never half of one.
 */
int write_file_atomic(const char *path, const void *data, size_t len);
/* Create folder `dir` and its missing parents (mkdir -p). Returns 0 or -1 (error() printed). */
int mkdir_p(const char *dir);

#endif
