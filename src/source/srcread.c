/* Reading one listed file for the scan (see srcread.h). */
#include "srcread.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#include "../base/fileio.h"
#include "../base/utf8.h"
#include "../base/banned.h"

#define SNIFF_BYTES 8192

static int refuse(enum skip_reason *why, enum skip_reason r)
{
	*why = r;
	return 1;
}

/* A symlink on the path: say where it leads, without opening what it names. */
static int symlink_skip(const char *root, const char *full, bool last, enum skip_reason *why,
			struct strbuf *detail)
{
	char target[PATH_MAX];
	if (last) {
		ssize_t n = readlink(full, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		strbuf_addf(detail, "symlink to %s", target);
	} else {
		strbuf_addstr(detail, "a folder on its path is a symlink");
	}
	char *real = realpath(full, NULL);
	if (!real) {
		int e = errno;
		strbuf_addf(detail, ": %s, not followed",
			    e == ELOOP ? "a symlink loop" : e == ENOENT ? "nothing there" : strerror(e));
		return refuse(why, SKIP_SYMLINK);
	}
	int inside = path_is_within(root, real);
	free(real);
	if (!inside) {
		strbuf_addstr(detail, ", outside the repository: not read");
		return refuse(why, SKIP_SYMLINK_OUTSIDE);
	}
	strbuf_addstr(detail, ": not followed (a file is scanned under its own name)");
	return refuse(why, SKIP_SYMLINK);
}

/*
 * open(2) following no symlink in any component (openat2 RESOLVE_NO_SYMLINKS,
 * Linux 5.6); where the kernel lacks it, none in the last one (O_NOFOLLOW) -
 * the listing never descends into a symlinked folder, so only a path from a
 * patch can hold one.
 */
static int open_nofollow(const char *full)
{
	int flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
#ifdef SYS_openat2
	struct open_how how;
	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)flags;
	how.resolve = RESOLVE_NO_SYMLINKS;
	long fd = syscall(SYS_openat2, AT_FDCWD, full, &how, sizeof(how));
	if (fd >= 0 || (errno != ENOSYS && errno != EPERM && errno != E2BIG))
		return (int)fd;
#endif
	return open(full, flags);
}

static const char *file_type_name(mode_t m)
{
	if (S_ISDIR(m))
		return "a folder";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a regular file";
}

/* 1-based line and byte column of offset `off`. */
static void line_col(const char *s, size_t off, size_t *line, size_t *col)
{
	size_t l = 1, start = 0;
	for (const char *p = s; (p = memchr(p, '\n', off - (size_t)(p - s))); p++) {
		l++;
		start = (size_t)(p - s) + 1;
	}
	*line = l;
	*col = off - start + 1;
}

/* Control bytes (other than whitespace and ESC) and bytes that are not UTF-8 in the first 8 KiB. */
static size_t odd_bytes(const char *s, size_t n)
{
	size_t odd = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if ((c < 0x20 && (!c || !strchr("\t\n\v\f\r\033", c))) || c == 0x7f)
				odd++;
			i++;
			continue;
		}
		size_t k = utf8_char_len(s + i, n - i);
		if (!k && n - i < 4)
			break; /* a character cut by the sample's end */
		if (!k) {
			odd++;
			k = 1;
		}
		i += k;
	}
	return odd;
}

static int check_content(const struct strbuf *src, const struct src_limits *lim,
			 enum skip_reason *why, struct strbuf *detail)
{
	size_t line, col;
	const char *nul = memchr(src->buf, '\0', src->len);
	if (nul) {
		line_col(src->buf, (size_t)(nul - src->buf), &line, &col);
		strbuf_addf(detail, "NUL byte at line %zu, column %zu", line, col);
		return refuse(why, SKIP_BINARY);
	}
	size_t sniff = src->len < SNIFF_BYTES ? src->len : SNIFF_BYTES;
	size_t odd = odd_bytes(src->buf, sniff);
	/* Latin-1 text has a few; compiled or compressed data has many. */
	if (sniff && odd * 4 > sniff) {
		strbuf_addf(detail, "%zu of the first %zu bytes are control bytes or not UTF-8",
			    odd, sniff);
		return refuse(why, SKIP_BINARY);
	}
	const char *p = src->buf, *end = src->buf + src->len;
	for (size_t l = 1; p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		if (n > lim->max_line_length) {
			strbuf_addf(detail, "line %zu is %zu bytes, over the %zu-byte limit", l, n,
				    lim->max_line_length);
			return refuse(why, SKIP_LONG_LINE);
		}
		p += n + 1;
	}
	return 0;
}

int src_check_other(const char *root, const char *path, enum skip_reason *why,
		    struct strbuf *detail)
{
	struct strbuf full = STRBUF_INIT;
	struct stat st;
	int rc = 0;

	strbuf_reset(detail);
	size_t n = strlen(path);
	if (n && path[n - 1] == '/') {
		strbuf_addstr(detail, "a folder that cannot be listed");
		*why = SKIP_UNREADABLE;
		return 1;
	}
	strbuf_addf(&full, "%s/%s", root, path);
	if (!lstat(full.buf, &st) && S_ISLNK(st.st_mode)) {
		symlink_skip(root, full.buf, true, why, detail);
		/* one to a file in the tree is as quiet as that file: neither is source */
		rc = *why == SKIP_SYMLINK_OUTSIDE || access(full.buf, F_OK) != 0;
	}
	strbuf_release(&full);
	return rc;
}

int src_read(const char *root, const char *path, const struct src_limits *lim,
	     struct strbuf *src, enum skip_reason *why, struct strbuf *detail)
{
	struct strbuf full = STRBUF_INIT;
	struct stat st;
	int rc = 1;

	strbuf_reset(src);
	strbuf_reset(detail);
	if (!utf8_valid(path, strlen(path))) {
		strbuf_addstr(detail, "the file name is not UTF-8");
		return refuse(why, SKIP_BAD_NAME);
	}
	strbuf_addf(&full, "%s/%s", root, path);
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	int fd = open_nofollow(full.buf);
	if (fd < 0) {
		int e = errno;
		if (e == ELOOP) {
			bool last = !lstat(full.buf, &st) && S_ISLNK(st.st_mode);
			rc = symlink_skip(root, full.buf, last, why, detail);
		} else if (e == ENOENT) {
			strbuf_addstr(detail, "listed, but gone when read");
			*why = SKIP_VANISHED;
		} else if (e == ENXIO && !lstat(full.buf, &st)) {
			strbuf_addf(detail, "%s, not a regular file", file_type_name(st.st_mode));
			*why = SKIP_UNREADABLE;
		} else {
			strbuf_addstr(detail, strerror(e));
			*why = SKIP_UNREADABLE;
		}
		strbuf_release(&full);
		return rc;
	}
	strbuf_release(&full);
	if (fstat(fd, &st) < 0) {
		strbuf_addstr(detail, strerror(errno));
		*why = SKIP_UNREADABLE;
	} else if (!S_ISREG(st.st_mode)) {
		strbuf_addf(detail, "%s, not a regular file", file_type_name(st.st_mode));
		*why = SKIP_UNREADABLE;
	} else if ((uint64_t)st.st_size > lim->max_file_size) {
		strbuf_addf(detail, "%lld bytes, over the %zu-byte limit", (long long)st.st_size,
			    lim->max_file_size);
		*why = SKIP_TOO_LARGE;
	} else {
		strbuf_grow(src, (size_t)st.st_size);
		rc = 0;
	}
	/* Read up to one byte past the limit: a file that grew since fstat is caught. */
	while (rc == 0) {
		strbuf_grow(src, 65536);
		size_t room = src->cap - src->len - 1;
		size_t left = lim->max_file_size - src->len; /* src->len <= the limit here */
		if (left < room)
			room = left + 1;
		ssize_t n = read(fd, src->buf + src->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			strbuf_addf(detail, "read failed: %s", strerror(errno));
			*why = SKIP_UNREADABLE;
			rc = 1;
		} else if (n == 0) {
			break;
		} else {
			strbuf_setlen(src, src->len + (size_t)n);
			if (src->len > lim->max_file_size) {
				strbuf_addf(detail, "over the %zu-byte limit (it grew while read)",
					    lim->max_file_size);
				*why = SKIP_TOO_LARGE;
				rc = 1;
			}
		}
	}
	close(fd);
	if (rc == 0)
		rc = check_content(src, lim, why, detail);
	if (rc)
		strbuf_reset(src);
	return rc;
}
