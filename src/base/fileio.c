#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "diag.h"
#include "path.h"
#include "banned.h"

int read_stream(void *vfp, const char *name, struct strbuf *sb, size_t max)
{
	FILE *fp = vfp;
	size_t start = sb->len;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (max && sb->len - start + n > max) {
			strbuf_setlen(sb, start);
			return error("%s: larger than the limit of %zu bytes", name, max);
		}
		strbuf_add(sb, chunk, n);
	}
	if (ferror(fp)) {
		strbuf_setlen(sb, start);
		return error("%s: read failed: %s", name, strerror(errno));
	}
	return 0;
}

int read_file(const char *path, struct strbuf *sb, size_t max)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return error("%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(fp), &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			fclose(fp);
			return error("%s: is a directory", path);
		}
		if (max && (size_t)st.st_size > max) {
			fclose(fp);
			return error("%s: %lld bytes, larger than the limit of %zu bytes", path,
				     (long long)st.st_size, max);
		}
		strbuf_grow(sb, (size_t)st.st_size);
	}
	int rc = read_stream(fp, path, sb, max);
	fclose(fp);
	return rc;
}

int read_file_quiet(const char *path, struct strbuf *sb, size_t max)
{
	FILE *fp = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int rc = 0;
	if (!fp)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (max && sb->len + n > max) {
			rc = -1;
			break;
		}
		strbuf_add(sb, chunk, n);
	}
	if (ferror(fp))
		rc = -1;
	fclose(fp);
	return rc;
}

/* "/" + `p` normalised ("." and ".." taken lexically), in `out`. */
static void normalize_abs(struct strbuf *out, const char *p)
{
	char *copy = xstrdup(p);
	path_normalize(copy);
	strbuf_reset(out);
	strbuf_addch(out, '/');
	strbuf_addstr(out, copy);
	xfree(copy);
}

/* `p` made absolute against the current folder, not normalised. */
static void absolute(struct strbuf *out, const char *p)
{
	strbuf_reset(out);
	if (p[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		if (cwd)
			strbuf_addstr(out, cwd);
		free(cwd);
		strbuf_addch(out, '/');
	}
	strbuf_addstr(out, p);
}

int path_resolve_existing(const char *path, struct strbuf *out)
{
	struct strbuf head = STRBUF_INIT, joined = STRBUF_INIT;
	strbuf_addstr(&head, path);
	size_t cut = head.len;
	int rc = -1;
	for (;;) {
		char *real = realpath(head.buf, NULL);
		if (real) {
			/* What does not exist has no symlinks: the rest is taken lexically. */
			strbuf_addstr(&joined, real);
			strbuf_addch(&joined, '/');
			strbuf_addstr(&joined, path + cut);
			free(real);
			normalize_abs(out, joined.buf);
			rc = 0;
			break;
		}
		if (errno != ENOENT && errno != ENOTDIR)
			break;
		char *slash = strrchr(head.buf, '/');
		if (!slash)
			break;
		cut = (size_t)(slash - head.buf);
		strbuf_setlen(&head, cut);
		if (!cut) /* "/name": the root folder resolves as "/" */
			strbuf_addch(&head, '/');
	}
	strbuf_release(&head);
	strbuf_release(&joined);
	return rc;
}

int path_is_within(const char *dir, const char *path)
{
	size_t len = strlen(dir);
	if (len == 1 && dir[0] == '/')
		return path[0] == '/';
	return !strncmp(path, dir, len) && (path[len] == '/' || !path[len]);
}

int path_confined(const char *root, const char *dir, struct strbuf *why)
{
	if (!root)
		return 0;
	struct strbuf root_abs = STRBUF_INIT, root_real = STRBUF_INIT, dir_abs = STRBUF_INIT,
		      dir_lex = STRBUF_INIT, dir_real = STRBUF_INIT;
	int rc = 0;
	absolute(&root_abs, root);
	absolute(&dir_abs, dir);
	normalize_abs(&dir_lex, dir_abs.buf);
	if (path_resolve_existing(root_abs.buf, &root_real) < 0) {
		int e = errno;
		strbuf_addf(why, "cannot resolve the project root %s: %s", root, strerror(e));
		rc = -1;
		errno = e;
	} else {
		normalize_abs(&root_abs, root_abs.buf);
		/* Named inside the root (as written): it must stay inside once resolved. */
		if ((path_is_within(root_abs.buf, dir_lex.buf) ||
		     path_is_within(root_real.buf, dir_lex.buf)) &&
		    (path_resolve_existing(dir_abs.buf, &dir_real) < 0 ||
		     !path_is_within(root_real.buf, dir_real.buf))) {
			if (dir_real.len)
				strbuf_addf(why, "a symlink takes %s outside the project root %s (it resolves to %s)",
					    dir, root_real.buf, dir_real.buf);
			else
				strbuf_addf(why, "%s does not resolve inside the project root %s", dir, root_real.buf);
			rc = -1;
			errno = EPERM;
		}
	}
	strbuf_release(&root_abs);
	strbuf_release(&root_real);
	strbuf_release(&dir_abs);
	strbuf_release(&dir_lex);
	strbuf_release(&dir_real);
	return rc;
}

int write_confined(const char *root, const char *dir, const char *what)
{
	struct strbuf why = STRBUF_INIT;
	int rc = path_confined(root, dir, &why);
	if (rc < 0) {
		int e = errno;
		error("refusing to write %s: %s", what, why.buf);
		errno = e;
	}
	strbuf_release(&why);
	return rc;
}

/* The folder part of `path` ("." when it has none). */
static void parent_of(struct strbuf *out, const char *path)
{
	const char *slash = strrchr(path, '/');
	strbuf_reset(out);
	if (!slash)
		strbuf_addch(out, '.');
	else if (slash == path)
		strbuf_addch(out, '/');
	else
		strbuf_add(out, path, (size_t)(slash - path));
}

/* Print "`path`: `what`: strerror" about the saved errno, remove `tmp` if set; -1 with errno kept. */
static int write_failed(const char *path, const char *what, int e, const char *tmp)
{
	if (tmp)
		unlink(tmp);
	error("%s: cannot write it: %s: %s%s", path, what, strerror(e),
	      tmp ? " (the file is left as it was)" : "");
	errno = e;
	return -1;
}

static int write_all(int fd, const char *p, size_t left)
{
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			return -1;
		}
		p += w;
		left -= (size_t)w;
	}
	return 0;
}

/* fsync the folder so the rename itself survives a crash; best effort. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* A named temporary file next to w->path: O_EXCL, the next name if a killed run left one. */
static int open_named(struct file_writer *w, int mode)
{
	static _Atomic unsigned long serial;
	int fd = -1;
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		strbuf_reset(&w->tmp);
		strbuf_addf(&w->tmp, "%s.tmp.%ld.%lu", w->path.buf, (long)getpid(), serial++);
		fd = open(w->tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	return fd;
}

/* The writer's failure: closed, the temporary file removed, error() printed; -1 with errno kept. */
static int writer_failed(struct file_writer *w, const char *what, int e)
{
	close(w->fd);
	w->fd = -1;
	write_failed(w->path.buf, what, e, w->unnamed ? NULL : w->tmp.buf);
	return -1;
}

static void writer_release(struct file_writer *w)
{
	strbuf_release(&w->path);
	strbuf_release(&w->dir);
	strbuf_release(&w->tmp);
}

int file_writer_open(struct file_writer *w, const char *root, const char *path, unsigned flags)
{
	int mode = flags & WRITE_EXEC ? 0755 : 0644;
	*w = (struct file_writer){ .fd = -1, .flags = flags };
	strbuf_init(&w->path);
	strbuf_init(&w->dir);
	strbuf_init(&w->tmp);
	strbuf_addstr(&w->path, path);
	parent_of(&w->dir, path);
	if (write_confined(root, w->dir.buf, path) < 0)
		goto fail;
	/* Never replace a device, a pipe or a folder with a file (`--write-baseline /dev/null`). */
	struct stat st;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
		error("%s: cannot write it: not a regular file", path);
		errno = EINVAL;
		goto fail;
	}
#ifdef O_TMPFILE
	if (flags & WRITE_UNNAMED) {
		w->fd = open(w->dir.buf, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
		w->unnamed = w->fd >= 0;
	}
#endif
	if (w->fd < 0)
		w->fd = open_named(w, mode);
	if (w->fd < 0) {
		int e = errno;
		struct strbuf what = STRBUF_INIT;
		strbuf_addf(&what, "cannot create a temporary file in %s", w->dir.buf);
		write_failed(path, what.buf, e, NULL);
		strbuf_release(&what);
		goto fail;
	}
	return 0;
fail:
	writer_release(w);
	return -1;
}

int file_writer_add(struct file_writer *w, const void *data, size_t len)
{
	if (w->fd < 0)
		return -1;
	if (write_all(w->fd, data, len) < 0) {
		int e = errno;
		writer_failed(w, "write failed", e);
		writer_release(w);
		errno = e;
		return -1;
	}
	return 0;
}

int file_writer_put_at(struct file_writer *w, uint64_t offset, const void *data, size_t len)
{
	const char *p = data;
	if (w->fd < 0)
		return -1;
	while (len) {
		ssize_t n = pwrite(w->fd, p, len, (off_t)offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n == 0 ? ENOSPC : errno;
			writer_failed(w, "write failed", e);
			writer_release(w);
			errno = e;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return 0;
}

/* An unnamed file gets its temporary name now (through /proc/self/fd: linkat needs no privilege so). */
static int name_unnamed(struct file_writer *w)
{
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", w->fd);
	static _Atomic unsigned long serial;
	int rc = -1;
	for (int tries = 0; rc < 0 && tries < 100; tries++) {
		strbuf_reset(&w->tmp);
		strbuf_addf(&w->tmp, "%s.tmp.%ld.u%lu", w->path.buf, (long)getpid(), serial++);
		rc = linkat(AT_FDCWD, proc, AT_FDCWD, w->tmp.buf, AT_SYMLINK_FOLLOW);
		if (rc < 0 && errno != EEXIST)
			break;
	}
	if (rc == 0)
		w->unnamed = false;
	return rc;
}

int file_writer_commit(struct file_writer *w)
{
	int rc = -1;
	if (w->fd < 0)
		return -1;
	if (!(w->flags & WRITE_NOSYNC) && fsync(w->fd) < 0 && errno != EINVAL) {
		writer_failed(w, "fsync failed", errno);
		goto out;
	}
	if (w->unnamed && name_unnamed(w) < 0) {
		writer_failed(w, "cannot name the temporary file", errno);
		goto out;
	}
	int fd = w->fd;
	w->fd = -1;
	if (close(fd) < 0) {
		write_failed(w->path.buf, "close failed", errno, w->tmp.buf);
		goto out;
	}
	if (rename(w->tmp.buf, w->path.buf) < 0) {
		write_failed(w->path.buf, "rename failed", errno, w->tmp.buf);
		goto out;
	}
	if (!(w->flags & WRITE_NOSYNC))
		sync_dir(w->dir.buf);
	rc = 0;
out:
	writer_release(w);
	return rc;
}

void file_writer_abort(struct file_writer *w)
{
	if (w->fd < 0)
		return;
	close(w->fd);
	w->fd = -1;
	if (!w->unnamed)
		unlink(w->tmp.buf);
	writer_release(w);
}

int write_file_in(const char *root, const char *path, const void *data, size_t len, unsigned flags)
{
	struct file_writer w;
	if (file_writer_open(&w, root, path, flags) < 0 || file_writer_add(&w, data, len) < 0)
		return -1;
	return file_writer_commit(&w);
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	return write_file_in(NULL, path, data, len, 0);
}

int mkdir_p_in(const char *root, const char *dir)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = write_confined(root, dir, dir);
	strbuf_addstr(&sb, dir);
	for (size_t i = 1; i <= sb.len && !rc; i++) {
		if (i < sb.len && sb.buf[i] != '/')
			continue;
		char c = sb.buf[i];
		sb.buf[i] = 0;
		if (mkdir(sb.buf, 0777) != 0 && errno != EEXIST) {
			int e = errno;
			rc = error("%s: cannot create the folder: %s", sb.buf, strerror(e));
			errno = e;
		}
		sb.buf[i] = c;
	}
	strbuf_release(&sb);
	return rc;
}

int mkdir_p(const char *dir)
{
	return mkdir_p_in(NULL, dir);
}
