#ifndef DISTARCH_FILEIO_H
#define DISTARCH_FILEIO_H
/*
 * Reading whole files with a size cap, and safe replacement of files.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "strbuf.h"

/*
 * Append the contents of `path` to `sb`. Fails (error(), -1) when the file
 * cannot be read or is larger than `max` bytes (0 = no limit); `sb` is left
 * as it was on failure.
 */
int read_file(const char *path, struct strbuf *sb, size_t max);
/* read_file() without its error lines, for caches: what cannot be read is only a miss. 0 or -1. */
int read_file_quiet(const char *path, struct strbuf *sb, size_t max);
/* Read all of a stdio stream (stdin for `--patch -`). */
int read_stream(void *fp, const char *name, struct strbuf *sb, size_t max);
/*
 * Every file distarch writes goes through write_file_in() (or its short form
 * write_file_atomic()): a temporary file in the destination's folder
 * (O_CREAT|O_EXCL|O_NOFOLLOW), all bytes written, fsync(2), close(2) checked,
 * then rename(2) over the destination: readers see the old file or the new
 * one, never half of one. On any failure the temporary file is removed, the
 * destination is left as it was, an error() naming it is printed, and -1 is
 * returned with errno kept from the call that failed.
 *
 * `root` confines the write (NULL: no confinement): when the destination lies
 * inside `root` as written (made absolute, "." and ".." taken lexically), its
 * folder must still be inside realpath(root) once every symlink is followed;
 * otherwise the write is refused (errno EPERM) before anything is created. A
 * path the user named outside the root is theirs to name and is written.
 * A destination that exists and is neither a regular file nor a symlink (a
 * device such as /dev/full, a pipe, a folder) is refused: rename(2) would
 * replace it. A symlink destination is replaced, not followed.
 */
enum write_flags {
	WRITE_EXEC = 1,   /* mode 0755 (a git hook) instead of 0644; the umask applies */
	WRITE_NOSYNC = 2, /* skip fsync (a cache that can be rebuilt) */
	WRITE_UNNAMED = 4, /* file_writer: no temporary name while it is written */
};
int write_file_in(const char *root, const char *path, const void *data, size_t len, unsigned flags);
/*
 * The same in pieces, for a file too large to hold in memory (the fact
 * cache's pack): file_writer_open() makes the temporary file after
 * write_file_in()'s checks, file_writer_add() appends, file_writer_put_at()
 * overwrites bytes already written (a header filled in last),
 * file_writer_commit() puts the file in place, file_writer_abort() drops it.
 * Every failure prints error() as write_file_in() does, removes the
 * temporary file and returns -1 (errno kept); the writer is then closed and
 * further calls return -1 (abort: nothing). WRITE_UNNAMED: the temporary
 * file has no name until the commit (O_TMPFILE, where the file system has
 * it), so a run killed half-way leaves nothing behind.
 */
struct file_writer {
	int fd; /* -1: closed (failed, committed or aborted) */
	unsigned flags;
	bool unnamed;
	struct strbuf path, dir, tmp;
};
int file_writer_open(struct file_writer *w, const char *root, const char *path, unsigned flags);
int file_writer_add(struct file_writer *w, const void *data, size_t len);
int file_writer_put_at(struct file_writer *w, uint64_t offset, const void *data, size_t len);
int file_writer_commit(struct file_writer *w);
void file_writer_abort(struct file_writer *w);
/* write_file_in(NULL, path, data, len, 0). */
int write_file_atomic(const char *path, const void *data, size_t len);
/*
 * Create folder `dir` and its missing parents (mkdir -p), confined to `root`
 * as write_file_in() is (NULL: not confined). Returns 0 or -1 (error() printed).
 */
int mkdir_p_in(const char *root, const char *dir);
int mkdir_p(const char *dir);
/*
 * The confinement rule alone: 0 when `dir` (a folder to write in, existing
 * or not) may be written for `root`, else -1 with error() printed about
 * `what` (the file or folder the caller meant to write).
 */
int write_confined(const char *root, const char *dir, const char *what);
/* The same, quiet: -1 with the reason appended to `why` (a cache that is skipped, not an error). */
int path_confined(const char *root, const char *dir, struct strbuf *why);

/*
 * realpath(3) of the longest existing prefix of `path`, the rest appended
 * unchanged: "/r/new/f.py" with only /r existing gives /r resolved + "/new/f.py".
 * 0, or -1 when not even "/" resolves (errno set); nothing printed.
 */
int path_resolve_existing(const char *path, struct strbuf *out);
/* Is absolute `path` the folder `dir` (absolute, no trailing '/' unless "/") or below it? */
int path_is_within(const char *dir, const char *path);

#endif
