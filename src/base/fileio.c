#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
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

int write_file_atomic(const char *path, const void *data, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	strbuf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
	if (fd < 0) {
		int rc = error("%s: cannot create: %s", tmp.buf, strerror(errno));
		strbuf_release(&tmp);
		return rc;
	}
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			int rc = error("%s: write failed: %s", tmp.buf, strerror(errno));
			close(fd);
			unlink(tmp.buf);
			strbuf_release(&tmp);
			return rc;
		}
		p += w;
		left -= (size_t)w;
	}
	if (close(fd) < 0 || rename(tmp.buf, path) < 0) {
		int rc = error("%s: cannot write: %s", path, strerror(errno));
		unlink(tmp.buf);
		strbuf_release(&tmp);
		return rc;
	}
	strbuf_release(&tmp);
	return 0;
}

int mkdir_p(const char *dir)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;
	strbuf_addstr(&sb, dir);
	for (size_t i = 1; i <= sb.len && !rc; i++) {
		if (i < sb.len && sb.buf[i] != '/')
			continue;
		char c = sb.buf[i];
		sb.buf[i] = 0;
		if (mkdir(sb.buf, 0777) != 0 && errno != EEXIST)
			rc = error("%s: cannot create folder: %s", sb.buf, strerror(errno));
		sb.buf[i] = c;
	}
	strbuf_release(&sb);
	return rc;
}
