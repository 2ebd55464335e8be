#include "reportmemo.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/hash.h"
#include "../base/vec.h"

#include "../base/banned.h"

/*
 * The file: MAGIC, key (u64), tree key (u64, 0: none), exit status (u32), number of reports (u32),
 * then per report its length (u64) and bytes, then a checksum (u64) of
 * everything before it. Little-endian.
 */
static const char MAGIC[8] = { 'D', 'A', 'M', 'E', 'M', 'O', '0', '2' };
#define MEMO_NAME "report.memo"

static uint64_t rd_u64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put_u64(struct strbuf *sb, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		strbuf_addch(sb, (char)(v >> (8 * i) & 0xff));
}

uint64_t report_memo_add_file(uint64_t key, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	bool there = path && stat(path, &st) == 0;
	key = hash64_str(path ? path : "", key);
	/* A folder, a device or an unreadable file: only that it is one (the run itself says what is wrong). */
	if (!there || !S_ISREG(st.st_mode) || read_file_quiet(path, &sb, 0) < 0) {
		key = hash64_u64(there ? (uint64_t)st.st_mode : 0, key);
		strbuf_release(&sb);
		return hash64_str("\x01(absent)", key);
	}
	key = hash64_u64(sb.len, key);
	key = hash64(sb.buf, sb.len, key);
	strbuf_release(&sb);
	return key;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

uint64_t report_memo_add_dir(uint64_t key, const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	VEC(char *) names = VEC_INIT;
	size_t sl = strlen(suffix);

	key = hash64_str(dir, key);
	if (!d)
		return hash64_u64((uint64_t)errno, key);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (de->d_name[0] != '.' && n >= sl && !strcmp(de->d_name + n - sl, suffix))
			VEC_APPEND(&names, xstrdup(de->d_name));
	}
	closedir(d);
	if (names.len)
		qsort(names.items, names.len, sizeof(*names.items), cmp_str);
	struct strbuf p = STRBUF_INIT;
	for (size_t i = 0; i < names.len; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", dir, names.items[i]);
		key = report_memo_add_file(key, p.buf);
		xfree(names.items[i]);
	}
	strbuf_release(&p);
	VEC_FREE(&names);
	return key;
}

int report_memo_parse(const void *data, size_t len, uint64_t key, uint64_t tree, struct report_memo *m)
{
	const unsigned char *p = data, *end = p + len;
	memset(m, 0, sizeof(*m));
	strbuf_init(&m->buf);
	if (len < sizeof(MAGIC) + 8 + 8 + 8 + 8 || memcmp(p, MAGIC, sizeof(MAGIC)))
		return 0;
	if (rd_u64(end - 8) != hash64(p, len - 8, 0))
		return 0;
	/* a key of 0 never matches: it says "no key" */
	if (!(key && rd_u64(p + 8) == key) && !(tree && rd_u64(p + 16) == tree))
		return 0;
	uint64_t head = rd_u64(p + 24);
	uint32_t code = (uint32_t)head, n = (uint32_t)(head >> 32);
	if ((code != EXIT_CLEAN && code != EXIT_FINDINGS) || n > REPORT_MEMO_MAX_OUTS)
		return 0;
	p += 32;
	end -= 8;
	for (uint32_t i = 0; i < n; i++) {
		if (end - p < 8)
			return 0;
		uint64_t l = rd_u64(p);
		p += 8;
		if (l > (uint64_t)(end - p))
			return 0;
		m->outs[i] = (struct report_memo_out){ (const char *)p, (size_t)l };
		p += l;
	}
	if (p != end)
		return 0;
	m->exit_code = (int)code;
	m->nouts = n;
	m->tree = rd_u64((const unsigned char *)data + 16);
	return 1;
}

static void memo_path(struct strbuf *sb, const char *root)
{
	strbuf_addf(sb, "%s/.dist-architect/cache/" MEMO_NAME, root);
}

int report_memo_load(const char *root, uint64_t key, uint64_t tree, struct report_memo *m)
{
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
	struct stat st;
	int hit = 0;
	memo_path(&path, root);
	/* lstat: a symlink planted in the cache folder is not followed */
	if (lstat(path.buf, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size <= REPORT_MEMO_MAX_BYTES + 4096 &&
	    read_file_quiet(path.buf, &data, REPORT_MEMO_MAX_BYTES + 4096) == 0)
		hit = report_memo_parse(data.buf, data.len, key, tree, m);
	strbuf_release(&path);
	if (!hit) {
		strbuf_release(&data);
		memset(m, 0, sizeof(*m));
		return 0;
	}
	m->buf = data; /* the outputs point into it */
	return 1;
}

void report_memo_release(struct report_memo *m)
{
	strbuf_release(&m->buf);
	memset(m, 0, sizeof(*m));
}

int report_memo_save(const char *root, uint64_t key, uint64_t tree, int exit_code,
		     const struct report_memo_out *outs, size_t nouts, bool quiet)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, out = STRBUF_INIT;
	struct stat st;
	size_t total = 0;
	int rc = 0;

	strbuf_addf(&dir, "%s/.dist-architect/cache", root);
	memo_path(&path, root);
	for (size_t i = 0; i < nouts; i++)
		total += outs[i].len;
	if (lstat(dir.buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
		rc = 0; /* no cache folder: this project keeps no cache */
	} else if (nouts > REPORT_MEMO_MAX_OUTS || total > REPORT_MEMO_MAX_BYTES) {
		/* too big to keep: an older memo would only be read to be found stale */
		if (unlink(path.buf) != 0 && errno != ENOENT)
			rc = -1;
	} else {
		strbuf_add(&out, MAGIC, sizeof(MAGIC));
		put_u64(&out, key);
		put_u64(&out, tree);
		put_u64(&out, (uint64_t)(uint32_t)exit_code | (uint64_t)nouts << 32);
		for (size_t i = 0; i < nouts; i++) {
			put_u64(&out, outs[i].len);
			strbuf_add(&out, outs[i].data, outs[i].len);
		}
		put_u64(&out, hash64(out.buf, out.len, 0));
		rc = write_file_in(root, path.buf, out.buf, out.len, WRITE_NOSYNC);
	}
	if (rc < 0 && !quiet)
		note("the report memo is not saved (the check is not affected)");
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&out);
	return rc;
}
