/* The dependency record between runs (depcache.h). */
#include "depcache.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/hash.h"
#include "../base/strbuf.h"

#include "../base/banned.h"

static const char MAGIC[8] = { 'D', 'A', 'D', 'E', 'P', 'S', '0', '2' };
#define DEPS_NAME "deps.pack"

void dep_cache_init(struct dep_cache *dc)
{
	*dc = (struct dep_cache){ VEC_INIT, STRMAP_INIT, VEC_INIT, VEC_INIT, NULL, NULL };
}

static void file_release(struct dep_file *f)
{
	xfree(f->path);
	VEC_FREE(&f->provides);
	VEC_FREE(&f->link);
	VEC_FREE(&f->trail);
	VEC_FREE(&f->primary);
}

void dep_cache_release(struct dep_cache *dc)
{
	for (size_t i = 0; i < dc->files.len; i++)
		file_release(&dc->files.items[i]);
	VEC_FREE(&dc->files);
	strmap_release(&dc->by_path);
	VEC_FREE(&dc->wide);
	VEC_FREE(&dc->wide_files);
	xfree(dc->at);
	xfree(dc->seen);
	dc->at = NULL;
	dc->seen = NULL;
}

struct dep_file *dep_cache_add(struct dep_cache *dc, const char *path, uint64_t content)
{
	struct dep_file *f = VEC_PUSH(&dc->files);
	f->path = xstrdup(path);
	f->content = content;
	strmap_put(&dc->by_path, path, (void *)(uintptr_t)dc->files.len);
	return f;
}

const struct dep_file *dep_cache_find(const struct dep_cache *dc, const char *path)
{
	size_t i = (size_t)(uintptr_t)strmap_get(&dc->by_path, path);
	return i ? &dc->files.items[i - 1] : NULL;
}

static void put_u64(struct strbuf *sb, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		strbuf_addch(sb, (char)(v >> (8 * i) & 0xff));
}

static void put_u32(struct strbuf *sb, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		strbuf_addch(sb, (char)(v >> (8 * i) & 0xff));
}

static void put_keys(struct strbuf *sb, const depkeys *k)
{
	put_u32(sb, (uint32_t)k->len);
	for (size_t i = 0; i < k->len; i++)
		put_u64(sb, k->items[i]);
}

void dep_cache_count_wide(struct dep_cache *dc)
{
	u64set all = VEC_INIT;
	for (size_t i = 0; i < dc->files.len; i++)
		for (size_t k = 0; k < dc->files.items[i].provides.len; k++)
			VEC_APPEND(&all, dc->files.items[i].provides.items[k]);
	u64sort(all.items, all.len); /* repeats kept: one per file (each file's keys are a set) */
	dc->wide.len = dc->wide_files.len = 0;
	for (size_t i = 0, j; i < all.len; i = j) {
		for (j = i + 1; j < all.len && all.items[j] == all.items[i]; j++)
			;
		if (j - i > DEP_WIDE) {
			VEC_APPEND(&dc->wide, all.items[i]);
			VEC_APPEND(&dc->wide_files, (uint32_t)(j - i));
		}
	}
	VEC_FREE(&all);
}

void dep_cache_serialise(const struct dep_cache *dc, uint64_t key, struct strbuf *out)
{
	strbuf_add(out, MAGIC, sizeof(MAGIC));
	put_u64(out, key);
	put_u32(out, (uint32_t)dc->files.len);
	for (size_t i = 0; i < dc->files.len; i++) {
		const struct dep_file *f = &dc->files.items[i];
		size_t n = strlen(f->path);
		put_u32(out, (uint32_t)n);
		strbuf_add(out, f->path, n);
		put_u64(out, f->content);
		strbuf_addch(out, f->any ? 1 : 0);
		put_keys(out, &f->provides);
		put_keys(out, &f->link);
		put_keys(out, &f->trail);
		put_keys(out, &f->primary);
	}
	put_u32(out, (uint32_t)dc->wide.len);
	for (size_t i = 0; i < dc->wide.len; i++) {
		put_u64(out, dc->wide.items[i]);
		put_u32(out, dc->wide_files.items[i]);
	}
	put_u64(out, hash64(out->buf, out->len, 0));
}

/* A bounded reader over the bytes. */
struct rd {
	const unsigned char *p, *end;
	bool bad;
};

static uint64_t rd_u(struct rd *r, int n)
{
	uint64_t v = 0;
	if (r->end - r->p < n) {
		r->bad = true;
		r->p = r->end;
		return 0;
	}
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | r->p[i];
	r->p += n;
	return v;
}

/* A sorted key list; unsorted or repeated keys are a corrupt record. */
static void rd_keys(struct rd *r, depkeys *k)
{
	uint64_t n = rd_u(r, 4);
	if (r->bad || n > (uint64_t)(r->end - r->p) / 8) {
		r->bad = true;
		return;
	}
	VEC_RESERVE(k, (size_t)n);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t v = rd_u(r, 8);
		if (k->len && v <= k->items[k->len - 1])
			r->bad = true;
		VEC_APPEND(k, v);
	}
}

int dep_cache_parse(struct dep_cache *dc, const void *data, size_t len, uint64_t key)
{
	const unsigned char *p = data;
	dep_cache_release(dc);
	dep_cache_init(dc);
	struct rd r = { p, p + len, false };
	if (len < sizeof(MAGIC) + 8 + 4 + 8 || memcmp(p, MAGIC, sizeof(MAGIC)))
		return 0;
	struct rd tail = { p + len - 8, p + len, false };
	if (rd_u(&tail, 8) != hash64(p, len - 8, 0))
		return 0;
	r.end = p + len - 8;
	r.p += sizeof(MAGIC);
	if (rd_u(&r, 8) != key)
		return 0;
	uint64_t n = rd_u(&r, 4);
	for (uint64_t i = 0; i < n && !r.bad; i++) {
		uint64_t pl = rd_u(&r, 4);
		if (r.bad || !pl || pl > (uint64_t)(r.end - r.p) || memchr(r.p, '\0', (size_t)pl)) {
			r.bad = true;
			break;
		}
		char *path = xstrndup((const char *)r.p, (size_t)pl);
		r.p += pl;
		if (strmap_get(&dc->by_path, path)) {
			xfree(path);
			r.bad = true;
			break;
		}
		struct dep_file *f = dep_cache_add(dc, path, 0);
		xfree(path);
		f->content = rd_u(&r, 8);
		uint64_t any = rd_u(&r, 1);
		if (any > 1)
			r.bad = true; /* written as 0 or 1 */
		f->any = any == 1;
		rd_keys(&r, &f->provides);
		rd_keys(&r, &f->link);
		rd_keys(&r, &f->trail);
		rd_keys(&r, &f->primary);
	}
	uint64_t nwide = rd_u(&r, 4);
	if (nwide > (uint64_t)(r.end - r.p) / 12)
		r.bad = true;
	for (uint64_t i = 0; i < nwide && !r.bad; i++) {
		uint64_t k = rd_u(&r, 8), files = rd_u(&r, 4);
		if ((dc->wide.len && k <= dc->wide.items[dc->wide.len - 1]) || files <= DEP_WIDE || files > n)
			r.bad = true; /* written sorted, each provided by more than DEP_WIDE of the files */
		VEC_APPEND(&dc->wide, k);
		VEC_APPEND(&dc->wide_files, (uint32_t)files);
	}
	if (r.bad || r.p != r.end) {
		dep_cache_release(dc);
		dep_cache_init(dc);
		return 0;
	}
	return 1;
}

static void deps_path(struct strbuf *sb, const char *root)
{
	strbuf_addf(sb, "%s/.dist-architect/cache/" DEPS_NAME, root);
}

int dep_cache_load(struct dep_cache *dc, const char *root, uint64_t key)
{
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
	struct stat st;
	int hit = 0;
	deps_path(&path, root);
	/* lstat: a symlink planted in the cache folder is not followed */
	if (lstat(path.buf, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= DEPCACHE_MAX_BYTES &&
	    read_file_quiet(path.buf, &data, DEPCACHE_MAX_BYTES) == 0)
		hit = dep_cache_parse(dc, data.buf, data.len, key);
	strbuf_release(&path);
	strbuf_release(&data);
	return hit;
}

int dep_cache_save(const struct dep_cache *dc, const char *root, uint64_t key, bool quiet)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, out = STRBUF_INIT;
	struct stat st;
	int rc = 0;
	strbuf_addf(&dir, "%s/.dist-architect/cache", root);
	deps_path(&path, root);
	if (lstat(dir.buf, &st) == 0 && S_ISDIR(st.st_mode)) {
		dep_cache_serialise(dc, key, &out);
		if (out.len > DEPCACHE_MAX_BYTES) {
			if (unlink(path.buf) != 0 && errno != ENOENT)
				rc = -1;
		} else {
			rc = write_file_in(root, path.buf, out.buf, out.len, WRITE_NOSYNC);
		}
	}
	if (rc < 0 && !quiet)
		note("the dependency record is not saved (the check is not affected)");
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&out);
	return rc;
}
