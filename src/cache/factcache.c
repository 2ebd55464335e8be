#include "factcache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/hash.h"
#include "../base/strmap.h"
#include "../base/vec.h"
#include "../facts/serial.h"
#include "../base/banned.h"

/*
 * The pack (native byte order; the byte-order mark rejects a foreign one):
 *   header  magic "DAFACTS\n" | u32 format | u32 BOM | u64 key | u64 records
 *           | u64 checksum of the 32 bytes before it
 *   record  u32 body length | u64 checksum of the body | body
 *   body    u32 path length | path | u64 size | i64 mtime_ns | i64 ctime_ns
 *           | u64 inode | u64 content hash | facts (serial.h)
 */
#define MAGIC "DAFACTS\n"
#define FORMAT 1u
#define BOM 0x01020304u
#define HEADER_LEN 40u
#define REC_HEAD 12u  /* body length + checksum */
#define BODY_FIXED 44u /* path length + the five u64 after the path */
#define SEED 0x64697374617263ull
/* Changed records a run may leave out of the pack before it is rewritten. */
#define REWRITE_MIN 32u

struct fc_entry {
	const unsigned char *body; /* into fc->data */
	size_t body_len;
	uint64_t checksum;
	uint64_t size, ino, content;
	int64_t mtime, ctime;
	const unsigned char *facts;
	size_t facts_len;
	size_t ordinal;
};

struct fact_cache {
	char *dir, *path;
	uint64_t key;
	size_t max_bytes;
	bool quiet;
	struct strbuf data;  /* the loaded pack */
	VEC(struct fc_entry) entries;
	struct strmap by_path; /* path -> struct fc_entry * */
	bool *kept;
	/* the next pack */
	struct strbuf out;
	size_t nout, nkept, nnew, nleft;
	bool bad, stale, saved;
	size_t nbad, nreused;
};

static uint64_t rd_u64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static uint32_t rd_u32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static void put_u64(struct strbuf *sb, uint64_t v)
{
	strbuf_add(sb, &v, 8);
}

static void put_u32(struct strbuf *sb, uint32_t v)
{
	strbuf_add(sb, &v, 4);
}

uint64_t fact_cache_hash(const void *data, size_t len)
{
	return hash64(data, len, SEED);
}

/* The header, checked; false when the pack must be ignored whole. */
static bool header_ok(const struct fact_cache *fc, uint64_t *nrec)
{
	const unsigned char *p = (const unsigned char *)fc->data.buf;
	if (fc->data.len < HEADER_LEN || memcmp(p, MAGIC, 8) || rd_u32(p + 8) != FORMAT ||
	    rd_u32(p + 12) != BOM || rd_u64(p + 32) != hash64(p, 32, SEED))
		return false;
	*nrec = rd_u64(p + 24);
	return rd_u64(p + 16) == fc->key;
}

/* Index the records; stops at the first one whose frame does not fit (a cut pack). */
static void index_records(struct fact_cache *fc, uint64_t nrec)
{
	const unsigned char *p = (const unsigned char *)fc->data.buf + HEADER_LEN;
	const unsigned char *end = (const unsigned char *)fc->data.buf + fc->data.len;
	for (uint64_t i = 0; i < nrec; i++) {
		if ((size_t)(end - p) < REC_HEAD) {
			fc->bad = true;
			break;
		}
		uint32_t blen = rd_u32(p);
		if ((size_t)(end - p) - REC_HEAD < blen || blen < BODY_FIXED) {
			fc->bad = true;
			break;
		}
		struct fc_entry e = { .body = p + REC_HEAD, .body_len = blen, .checksum = rd_u64(p + 4) };
		p += REC_HEAD + blen;
		uint32_t plen = rd_u32(e.body);
		if (plen > blen - BODY_FIXED || !plen) {
			fc->bad = true; /* the checksum would fail too: a corrupt record */
			continue;
		}
		const unsigned char *f = e.body + 4 + plen;
		e.size = rd_u64(f);
		e.mtime = (int64_t)rd_u64(f + 8);
		e.ctime = (int64_t)rd_u64(f + 16);
		e.ino = rd_u64(f + 24);
		e.content = rd_u64(f + 32);
		e.facts = f + 40;
		e.facts_len = blen - BODY_FIXED - plen;
		e.ordinal = fc->entries.len;
		VEC_APPEND(&fc->entries, e);
	}
	if (p != end)
		fc->bad = true;
	/* the map points into the vector: fill it once the vector stops moving */
	for (size_t i = 0; i < fc->entries.len; i++) {
		struct fc_entry *e = &fc->entries.items[i];
		uint32_t plen = rd_u32(e->body);
		char *path = xstrndup((const char *)e->body + 4, plen);
		if (strmap_put(&fc->by_path, path, e))
			fc->bad = true; /* a path twice: the later record wins, the pack is rewritten */
		xfree(path);
	}
	fc->kept = xcalloc(fc->entries.len + 1, sizeof(*fc->kept));
}

static struct fact_cache *cache_new(const char *root, uint64_t key, size_t max_bytes, bool quiet)
{
	struct fact_cache *fc = xcalloc(1, sizeof(*fc));
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s/.dist-architect/cache", root);
	fc->dir = strbuf_detach(&sb, NULL);
	strbuf_addf(&sb, "%s/facts.pack", fc->dir);
	fc->path = strbuf_detach(&sb, NULL);
	fc->key = key;
	fc->max_bytes = max_bytes ? max_bytes : FC_DEFAULT_MAX_BYTES;
	fc->quiet = quiet;
	fc->by_path = (struct strmap)STRMAP_INIT;
	strbuf_init(&fc->data);
	strbuf_init(&fc->out);
	strbuf_addchars(&fc->out, 0, HEADER_LEN); /* the header, filled in by save */
	return fc;
}

/* Index what fc->data holds (`present`: there was a pack at all). */
static void cache_index(struct fact_cache *fc, bool present)
{
	uint64_t nrec = 0;
	if (present && header_ok(fc, &nrec))
		index_records(fc, nrec);
	else
		fc->stale = present; /* another key or a bad header: replace it */
	if (!fc->kept)
		fc->kept = xcalloc(1, sizeof(*fc->kept));
}

struct fact_cache *fact_cache_open(const char *root, uint64_t key, size_t max_bytes, bool quiet)
{
	if (!root)
		return NULL;
	struct fact_cache *fc = cache_new(root, key, max_bytes, quiet);
	FILE *fp = fopen(fc->path, "rb");
	/* a pack over the bound (written by a run with a larger one) is ignored, not read */
	if (fp && read_stream(fp, fc->path, &fc->data, fc->max_bytes + HEADER_LEN) < 0)
		strbuf_reset(&fc->data);
	if (fp)
		fclose(fp);
	cache_index(fc, fp != NULL);
	return fc;
}

struct fact_cache *fact_cache_open_bytes(const void *pack, size_t len, uint64_t key)
{
	struct fact_cache *fc = cache_new("/nonexistent", key, 0, true);
	strbuf_add(&fc->data, pack, len);
	cache_index(fc, true);
	fc->saved = true; /* never written */
	return fc;
}

size_t fact_cache_count(const struct fact_cache *fc)
{
	return fc ? fc->entries.len : 0;
}

const struct fc_entry *fact_cache_entry(const struct fact_cache *fc, size_t i)
{
	return &fc->entries.items[i];
}

void fact_cache_header(struct strbuf *sb, uint64_t key, uint64_t nrec)
{
	size_t start = sb->len;
	strbuf_add(sb, MAGIC, 8);
	put_u32(sb, FORMAT);
	put_u32(sb, BOM);
	put_u64(sb, key);
	put_u64(sb, nrec);
	put_u64(sb, hash64(sb->buf + start, 32, SEED));
}

const struct fc_entry *fact_cache_find(const struct fact_cache *fc, const char *path)
{
	return fc ? strmap_get(&fc->by_path, path) : NULL;
}

static int64_t ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000ll + t->tv_nsec;
}

bool fact_cache_stat_matches(const struct fc_entry *e, const struct stat *st)
{
	/* ctime too: `touch -d` can put an edited file's mtime back, not its ctime */
	return e->mtime && e->mtime == ns(&st->st_mtim) && e->ctime == ns(&st->st_ctim) &&
	       e->size == (uint64_t)st->st_size && e->ino == (uint64_t)st->st_ino;
}

uint64_t fact_cache_content(const struct fc_entry *e)
{
	return e->content;
}

int fact_cache_load(const struct fc_entry *e, struct file_facts *ff)
{
	if (hash64(e->body, e->body_len, SEED) != e->checksum)
		return -1;
	return facts_deserialise(e->facts, e->facts_len, ff);
}

/* Record frame and body up to the facts; the caller appends the facts, then record_end. */
static size_t record_begin(struct strbuf *rec, const char *path, size_t plen, const struct stat *st,
			   uint64_t content, int64_t now_ns)
{
	size_t start = rec->len;
	int64_t mt = ns(&st->st_mtim), ct = ns(&st->st_ctim);
	/* racy: changed so recently that a further edit could keep these times */
	bool racy = mt + FC_RACY_NS > now_ns || ct + FC_RACY_NS > now_ns;
	put_u32(rec, 0);
	put_u64(rec, 0);
	put_u32(rec, (uint32_t)plen);
	strbuf_add(rec, path, plen);
	put_u64(rec, (uint64_t)st->st_size);
	put_u64(rec, racy ? 0 : (uint64_t)mt);
	put_u64(rec, racy ? 0 : (uint64_t)ct);
	put_u64(rec, (uint64_t)st->st_ino);
	put_u64(rec, content);
	return start;
}

static void record_end(struct strbuf *rec, size_t start)
{
	uint32_t blen = (uint32_t)(rec->len - start - REC_HEAD);
	uint64_t sum = hash64(rec->buf + start + REC_HEAD, blen, SEED);
	memcpy(rec->buf + start, &blen, 4);
	memcpy(rec->buf + start + 4, &sum, 8);
}

void fact_cache_record(struct strbuf *rec, const char *path, const struct stat *st, uint64_t content,
		       const struct file_facts *ff, int64_t now_ns)
{
	size_t start = record_begin(rec, path, strlen(path), st, content, now_ns);
	facts_serialise(ff, rec);
	record_end(rec, start);
}

void fact_cache_restat(struct strbuf *rec, const struct fc_entry *e, const struct stat *st,
		       int64_t now_ns)
{
	size_t start = record_begin(rec, (const char *)e->body + 4, rd_u32(e->body), st, e->content,
				    now_ns);
	strbuf_add(rec, e->facts, e->facts_len);
	record_end(rec, start);
}

/* Room for `len` more bytes under the bound? Once full, the rest is left out. */
static bool room(struct fact_cache *fc, size_t len)
{
	if (fc->out.len + len <= fc->max_bytes)
		return true;
	fc->nleft++;
	return false;
}

void fact_cache_keep(struct fact_cache *fc, const struct fc_entry *e)
{
	if (!fc || fc->kept[e->ordinal])
		return;
	if (!room(fc, REC_HEAD + e->body_len))
		return;
	fc->kept[e->ordinal] = true;
	fc->nkept++;
	fc->nout++;
	strbuf_add(&fc->out, e->body - REC_HEAD, REC_HEAD + e->body_len);
}

void fact_cache_add(struct fact_cache *fc, const struct strbuf *rec, bool reused)
{
	if (!fc || !rec->len || !room(fc, rec->len))
		return;
	fc->nnew++;
	fc->nreused += reused;
	fc->nout++;
	strbuf_add(&fc->out, rec->buf, rec->len);
}

void fact_cache_mark_bad(struct fact_cache *fc)
{
	if (fc) {
		fc->bad = true;
		fc->nbad++;
	}
}

/* .gitignore and CACHEDIR.TAG, so neither git nor backups take the cache. */
static void mark_folder(const char *dir)
{
	static const char tag[] = "Signature: 8a477f597d28d172789f06886806bc55\n"
				  "# This folder is a cache made by distarch; it can be deleted.\n";
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s/.gitignore", dir);
	if (access(sb.buf, F_OK) != 0)
		write_file_in(NULL, sb.buf, "*\n", 2, WRITE_NOSYNC);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/CACHEDIR.TAG", dir);
	if (access(sb.buf, F_OK) != 0)
		write_file_in(NULL, sb.buf, tag, sizeof(tag) - 1, WRITE_NOSYNC);
	strbuf_release(&sb);
}

/* .dist-architect/cache, created quietly; the reason in `why` when it cannot be. */
static int make_folder(const char *dir, struct strbuf *why)
{
	char *parent = xstrdup(dir);
	char *slash = strrchr(parent, '/');
	int rc = 0;
	if (slash)
		*slash = '\0';
	/* Not through a symlink out of the project (src/base/fileio.h): the root is above parent. */
	char *root = xstrdup(parent), *up = strrchr(root, '/');
	if (up)
		*up = '\0';
	if (path_confined(up ? root : ".", dir, why) < 0) {
		rc = -1;
	} else if ((mkdir(parent, 0777) && errno != EEXIST) || (mkdir(dir, 0777) && errno != EEXIST)) {
		strbuf_addstr(why, strerror(errno));
		rc = -1;
	} else if (access(dir, W_OK) != 0) {
		strbuf_addstr(why, strerror(errno));
		rc = -1;
	}
	xfree(root);
	xfree(parent);
	return rc;
}

static bool changed(const struct fact_cache *fc)
{
	size_t dropped = fc->entries.len - fc->nkept;
	if (fc->bad || fc->stale || (!fc->entries.len && fc->nnew))
		return true;
	/* a few changed or gone files are parsed again next time, cheaper than a rewrite now */
	return fc->nnew + dropped > REWRITE_MIN || (fc->nnew + dropped) * 64 > fc->entries.len;
}

int fact_cache_save(struct fact_cache *fc)
{
	if (!fc || fc->saved || !changed(fc))
		return 0;
	fc->saved = true;
	struct strbuf why = STRBUF_INIT;
	int rc = make_folder(fc->dir, &why);
	if (rc < 0) {
		if (!fc->quiet)
			note("the fact cache is not saved: %s: %s", fc->dir, why.buf);
		strbuf_release(&why);
		return -1;
	}
	strbuf_release(&why);
	mark_folder(fc->dir);
	if (fc->nleft && !fc->quiet)
		note("the fact cache is full (%zu MB): the facts of %zu file%s are not kept", fc->max_bytes >> 20,
		     fc->nleft, fc->nleft == 1 ? "" : "s");
	struct strbuf head = STRBUF_INIT;
	fact_cache_header(&head, fc->key, fc->nout);
	memcpy(fc->out.buf, head.buf, HEADER_LEN);
	strbuf_release(&head);
	rc = write_file_in(NULL, fc->path, fc->out.buf, fc->out.len, WRITE_NOSYNC);
	if (rc < 0 && !fc->quiet)
		note("the fact cache is not saved (the check is not affected)");
	return rc;
}

void fact_cache_close(struct fact_cache *fc)
{
	if (!fc)
		return;
	bool wrote = changed(fc) && fact_cache_save(fc) == 0;
	/* for tests and benchmarks: what the cache did */
	if (getenv("DISTARCH_CACHE_STATS"))
		fprintf(stderr, "fact cache: %zu records loaded, %zu kept, %zu restat, %zu parsed, %zu corrupt, %s\n",
			fc->entries.len, fc->nkept, fc->nreused, fc->nnew - fc->nreused, fc->nbad,
			wrote ? "written" : "not written");
	strbuf_release(&fc->data);
	strbuf_release(&fc->out);
	VEC_FREE(&fc->entries);
	strmap_release(&fc->by_path);
	xfree(fc->kept);
	xfree(fc->dir);
	xfree(fc->path);
	xfree(fc);
}
