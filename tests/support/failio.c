/*
 * LD_PRELOAD shim for tests/e2e/t0720-failure-injection.sh (after jq's
 * src/inject_errors.c): makes one kind of file operation fail on the files
 * whose path contains a string, to check that a failed write leaves the
 * old file intact, no temporary file behind, and exit status 2.
 *
 *   FAILIO_OP     write | fsync | close | rename
 *   FAILIO_MATCH  substring of the path (of the open file; of either rename
 *                 argument); default: every path
 *   FAILIO_ERRNO  ENOSPC (default) | EIO | EDQUOT
 *
 * `write` fails as a full disk does: the first call on a matching file
 * writes half of what it was given, later calls fail.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int op_is(const char *op)
{
	const char *v = getenv("FAILIO_OP");
	return v && !strcmp(v, op);
}

static int fail_errno(void)
{
	const char *v = getenv("FAILIO_ERRNO");
	if (v && !strcmp(v, "EIO"))
		return EIO;
	if (v && !strcmp(v, "EDQUOT"))
		return EDQUOT;
	return ENOSPC;
}

static int path_matches(const char *path)
{
	const char *m = getenv("FAILIO_MATCH");
	return path && (!m || !*m || strstr(path, m));
}

/* Does the file open as `fd` match? Only regular paths, never the std streams. */
static int fd_matches(int fd)
{
	char link[64], path[PATH_MAX];
	if (fd <= 2)
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0 || path[0] != '/')
		return 0;
	path[n] = '\0';
	return path_matches(path);
}

#define REAL(name) \
	static __typeof__(&name) real_##name; \
	if (!real_##name) \
		*(void **)&real_##name = dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t count)
{
	REAL(write);
	static char partial[4096];
	if (op_is("write") && fd_matches(fd)) {
		if (fd < (int)sizeof(partial) && !partial[fd] && count > 1) {
			partial[fd] = 1;
			return real_write(fd, buf, count / 2);
		}
		errno = fail_errno();
		return -1;
	}
	return real_write(fd, buf, count);
}

int fsync(int fd)
{
	REAL(fsync);
	if (op_is("fsync") && fd_matches(fd)) {
		errno = fail_errno();
		return -1;
	}
	return real_fsync(fd);
}

int close(int fd)
{
	REAL(close);
	if (op_is("close") && fd_matches(fd)) {
		/* As NFS does: the descriptor is gone, the data may not be. */
		real_close(fd);
		errno = fail_errno();
		return -1;
	}
	return real_close(fd);
}

int rename(const char *from, const char *to)
{
	REAL(rename);
	if (op_is("rename") && (path_matches(from) || path_matches(to))) {
		errno = fail_errno();
		return -1;
	}
	return real_rename(from, to);
}
