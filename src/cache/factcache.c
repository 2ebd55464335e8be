#include "factcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
 *   record  u32 body length | u64 checksum of the body | u32 head length
 *           | u64 checksum of the head | body
 *   body    u32 path length | path | u64 size | i64 mtime_ns | i64 ctime_ns
 *           | u64 inode | u64 content hash | facts (serial.h)
 *   head    the body's first bytes, up to the end of the facts' head
 *           (serial.h: lines, flags, skip reason): a file's summary is
 *           known, and checked, from the pack's index, without its facts
 */
#define MAGIC "DAFACTS\n"
#define FORMAT 2u
#define BOM 0x01020304u
#define HEADER_LEN 40u
#define REC_HEAD 24u  /* body length + checksum, head length + checksum */
#define BODY_FIXED 44u /* path length + the five u64 after the path */
#define SEED 0x64697374617263ull
/* Changed records a run may leave out of the pack before it is rewritten. */
#define REWRITE_MIN 32u

/*
 * A record of the loaded pack. Its bytes stay in the file (read with
 * pread(2) when the facts are loaded or the record is kept): a warm run
 * holds the facts, not the pack beside them.
 */
struct fc_entry {
	int fd;          /* the loaded pack, open until fact_cache_close */
	uint64_t off;    /* of the body in it */
	size_t body_len;
	uint64_t checksum;
	uint64_t size, ino, content;
	int64_t mtime, ctime;
	char *path;      /* the body's path bytes (plen of them), owned */
	uint32_t plen;
	size_t facts_off, facts_len; /* within the body */
	size_t ordinal;
	struct facts_head head; /* its skip reason owned (NUL-terminated) */
};

/* A record of the next pack not written yet: kept (`len` bytes at `off` of the loaded pack) or new (at `off` in fc->fresh). */
struct pending {
	bool kept;
	uint64_t off;
	size_t len;
};

struct fact_cache {
	char *dir, *path;
	uint64_t key;
	size_t max_bytes;
	bool quiet;
	int fd;              /* the loaded pack, or -1 */
	uint64_t size;       /* its size when opened */
	VEC(struct fc_entry) entries;
	struct strmap by_path; /* path -> struct fc_entry * */
	bool *kept;
	/*
	 * The next pack, in scan order. Until it is sure to be rewritten, its
	 * records are `pending` (kept ones stay in the loaded pack, new ones are
	 * copied to `fresh`); from then on they go straight to the temporary
	 * file (`streaming`), so a cold scan never holds the pack in memory
	 * besides the facts. `out_len` counts its bytes, header included.
	 */
	VEC(struct pending) pending;
	struct strbuf fresh, rec, copy;
	struct file_writer out;
	bool streaming;
	size_t out_len;
	size_t nout, nkept, nnew, nleft;
	bool bad, stale, saved, failed;
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

/* `n` bytes at `off` of the pack: 0, or -1 (past its end or unreadable: a cut pack). Thread-safe. */
static int read_at(int fd, void *buf, size_t n, uint64_t off)
{
	unsigned char *p = buf;
	while (n) {
		ssize_t r = pread(fd, p, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

/* The header, checked; false when the pack must be ignored whole. */
static bool header_ok(const struct fact_cache *fc, uint64_t *nrec)
{
	unsigned char p[HEADER_LEN];
	if (fc->size < HEADER_LEN || read_at(fc->fd, p, HEADER_LEN, 0) < 0 || memcmp(p, MAGIC, 8) ||
	    rd_u32(p + 8) != FORMAT || rd_u32(p + 12) != BOM || rd_u64(p + 32) != hash64(p, 32, SEED))
		return false;
	*nrec = rd_u64(p + 24);
	return rd_u64(p + 16) == fc->key;
}

/*
 * Index the records (their frames, paths and stat, not their facts); stops
 * at the first one whose frame does not fit (a cut pack). One pread(2) per
 * record reads its frame, path and stat when the path is short (most are):
 * 15,000 records are then 15,000 reads, not 45,000.
 */
#define REC_GUESS (REC_HEAD + 4 + 256 + 40 + 32)
static void index_records(struct fact_cache *fc, uint64_t nrec)
{
	uint64_t p = HEADER_LEN, end = fc->size;
	unsigned char head[REC_GUESS];
	struct strbuf fixed = STRBUF_INIT;
	for (uint64_t i = 0; i < nrec; i++) {
		size_t got = end - p < REC_GUESS ? (size_t)(end - p) : REC_GUESS;
		if (got < REC_HEAD + 4 || read_at(fc->fd, head, got, p) < 0) {
			fc->bad = true;
			break;
		}
		uint32_t blen = rd_u32(head);
		if (end - p - REC_HEAD < blen || blen < BODY_FIXED) {
			fc->bad = true;
			break;
		}
		struct fc_entry e = { .fd = fc->fd, .off = p + REC_HEAD, .body_len = blen,
				      .checksum = rd_u64(head + 4) };
		p += REC_HEAD + blen;
		uint32_t hlen = rd_u32(head + 12), plen = rd_u32(head + REC_HEAD);
		if (plen > blen - BODY_FIXED || !plen || hlen > blen || hlen <= BODY_FIXED + plen) {
			fc->bad = true; /* the checksums would fail too: a corrupt record */
			continue;
		}
		const unsigned char *body = head + REC_HEAD;
		if (hlen > got - REC_HEAD) {
			/* a long path: its own read */
			strbuf_reset(&fixed);
			strbuf_addchars(&fixed, 0, hlen);
			if (read_at(fc->fd, fixed.buf, hlen, e.off) < 0) {
				fc->bad = true;
				break;
			}
			body = (const unsigned char *)fixed.buf;
		}
		e.facts_off = 4 + (size_t)plen + 40;
		if (hash64(body, hlen, SEED) != rd_u64(head + 16) ||
		    facts_head_parse(body + e.facts_off, hlen - e.facts_off, &e.head) != hlen - e.facts_off) {
			fc->bad = true;
			continue;
		}
		const unsigned char *path = body + 4;
		const unsigned char *f = path + plen;
		e.path = xmalloc((size_t)plen + 1);
		memcpy(e.path, path, plen);
		e.path[plen] = '\0';
		e.plen = plen;
		e.size = rd_u64(f);
		e.mtime = (int64_t)rd_u64(f + 8);
		e.ctime = (int64_t)rd_u64(f + 16);
		e.ino = rd_u64(f + 24);
		e.content = rd_u64(f + 32);
		if (e.head.skip_reason) /* it points into `body`: a copy of its own */
			e.head.skip_reason = xstrndup(e.head.skip_reason, e.head.skip_len);
		e.facts_len = blen - BODY_FIXED - plen;
		e.ordinal = fc->entries.len;
		VEC_APPEND(&fc->entries, e);
	}
	strbuf_release(&fixed);
	if (p != end)
		fc->bad = true;
	/* the map points into the vector: fill it once the vector stops moving */
	for (size_t i = 0; i < fc->entries.len; i++) {
		struct fc_entry *e = &fc->entries.items[i];
		if (strmap_put(&fc->by_path, e->path, e))
			fc->bad = true; /* a path twice: the later record wins, the pack is rewritten */
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
	fc->fd = -1;
	strbuf_init(&fc->fresh);
	strbuf_init(&fc->rec);
	strbuf_init(&fc->copy);
	fc->out.fd = -1;
	fc->out_len = HEADER_LEN; /* the header, filled in by save */
	return fc;
}

/* Index the pack open on fc->fd (`present`: there was a pack at all). */
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
	struct stat st;
	fc->fd = open(fc->path, O_RDONLY | O_CLOEXEC);
	if (fc->fd >= 0 && fstat(fc->fd, &st) == 0 && S_ISREG(st.st_mode))
		fc->size = (uint64_t)st.st_size;
	/* a pack over the bound (written by a run with a larger one) is ignored, not read */
	if (fc->size > fc->max_bytes + HEADER_LEN) {
		error("%s: larger than the limit of %zu bytes", fc->path, fc->max_bytes + HEADER_LEN);
		fc->size = 0;
	}
	cache_index(fc, fc->fd >= 0);
	return fc;
}

struct fact_cache *fact_cache_open_bytes(const void *pack, size_t len, uint64_t key)
{
	struct fact_cache *fc = cache_new("/nonexistent", key, 0, true);
	/* the bytes in a memory file, so that they are read as a pack file is */
	fc->fd = memfd_create("facts.pack", MFD_CLOEXEC);
	if (fc->fd >= 0 && len && (pwrite(fc->fd, pack, len, 0) != (ssize_t)len)) {
		close(fc->fd);
		fc->fd = -1;
	}
	fc->size = fc->fd >= 0 ? len : 0;
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
	unsigned char *body = xmalloc(e->body_len);
	int rc = -1;
	if (read_at(e->fd, body, e->body_len, e->off) == 0 && hash64(body, e->body_len, SEED) == e->checksum)
		rc = facts_deserialise(body + e->facts_off, e->facts_len, ff);
	xfree(body);
	return rc;
}

void fact_cache_load_head(const struct fc_entry *e, struct file_facts *ff)
{
	facts_head_apply(&e->head, ff);
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

/* Fill the frame of the record at `start` (its facts at `facts_off` of the body). */
static void record_end(struct strbuf *rec, size_t start, size_t facts_off)
{
	const char *body = rec->buf + start + REC_HEAD;
	uint32_t blen = (uint32_t)(rec->len - start - REC_HEAD);
	struct facts_head h;
	/* facts that were serialised have a head: 0 cannot happen, and would fail the check on loading */
	uint32_t hlen = (uint32_t)(facts_off + facts_head_parse(body + facts_off, blen - facts_off, &h));
	uint64_t sum = hash64(body, blen, SEED), hsum = hash64(body, hlen, SEED);
	memcpy(rec->buf + start, &blen, 4);
	memcpy(rec->buf + start + 4, &sum, 8);
	memcpy(rec->buf + start + 12, &hlen, 4);
	memcpy(rec->buf + start + 16, &hsum, 8);
}

void fact_cache_record(struct strbuf *rec, const char *path, const struct stat *st, uint64_t content,
		       const struct file_facts *ff, int64_t now_ns)
{
	size_t plen = strlen(path);
	size_t start = record_begin(rec, path, plen, st, content, now_ns);
	facts_serialise(ff, rec);
	record_end(rec, start, 4 + plen + 40);
}

void fact_cache_restat(struct strbuf *rec, const struct fc_entry *e, const struct stat *st,
		       int64_t now_ns)
{
	size_t start = record_begin(rec, e->path, e->plen, st, e->content, now_ns);
	size_t at = rec->len;
	strbuf_addchars(rec, 0, e->facts_len);
	if (read_at(e->fd, rec->buf + at, e->facts_len, e->off + e->facts_off) < 0) {
		strbuf_setlen(rec, start); /* unreadable now: no record, the file is parsed next time */
		return;
	}
	record_end(rec, start, e->facts_off);
}

static void maybe_stream(struct fact_cache *fc);

/* Room for `len` more bytes under the bound? Once full, the rest is left out. */
static bool room(struct fact_cache *fc, size_t len)
{
	if (fc->out_len + len <= fc->max_bytes)
		return true;
	fc->nleft++;
	return false;
}

/* `len` bytes at `off` of the loaded pack to the next one, through a bounded buffer. */
static void copy_kept(struct fact_cache *fc, uint64_t off, size_t len)
{
	while (len) {
		size_t n = len < ((size_t)1 << 20) ? len : (size_t)1 << 20;
		strbuf_reset(&fc->copy);
		strbuf_addchars(&fc->copy, 0, n);
		if (read_at(fc->fd, fc->copy.buf, n, off) < 0) {
			/* the loaded pack became unreadable: the next one would lack a record */
			file_writer_abort(&fc->out);
			return;
		}
		if (file_writer_add(&fc->out, fc->copy.buf, n) < 0)
			return;
		off += n;
		len -= n;
	}
}

/* One record of the next pack: to the file when streaming, else pending (a kept one is not copied). */
static void emit(struct fact_cache *fc, bool kept, uint64_t kept_off, const void *rec, size_t len)
{
	fc->nout++;
	fc->out_len += len;
	if (fc->failed)
		return; /* the pack cannot be written: nothing to hold for it */
	if (fc->streaming) {
		if (kept)
			copy_kept(fc, kept_off, len);
		else
			file_writer_add(&fc->out, rec, len);
		return;
	}
	struct pending *p = VEC_PUSH(&fc->pending);
	p->kept = kept;
	p->len = len;
	p->off = kept ? kept_off : fc->fresh.len;
	if (!kept)
		strbuf_add(&fc->fresh, rec, len);
	maybe_stream(fc);
}

void fact_cache_keep(struct fact_cache *fc, const struct fc_entry *e)
{
	if (!fc || fc->kept[e->ordinal])
		return;
	if (!room(fc, REC_HEAD + e->body_len))
		return;
	fc->kept[e->ordinal] = true;
	fc->nkept++;
	emit(fc, true, e->off - REC_HEAD, NULL, REC_HEAD + e->body_len);
}

void fact_cache_add(struct fact_cache *fc, const struct strbuf *rec, bool reused)
{
	if (!fc || !rec->len || !room(fc, rec->len))
		return;
	fc->nnew++;
	fc->nreused += reused;
	emit(fc, false, 0, rec->buf, rec->len);
}

void fact_cache_add_facts(struct fact_cache *fc, const char *path, const struct stat *st, uint64_t content,
			  const struct file_facts *ff, int64_t now_ns)
{
	if (!fc)
		return;
	strbuf_reset(&fc->rec);
	fact_cache_record(&fc->rec, path, st, content, ff, now_ns);
	fact_cache_add(fc, &fc->rec, false);
}

void fact_cache_unkeep(struct fact_cache *fc, const struct fc_entry *e)
{
	if (!fc || !fc->kept[e->ordinal])
		return;
	fc->kept[e->ordinal] = false;
	fc->nkept--;
	if (fc->streaming || fc->saved) { /* on its way to the next pack already: that pack is not saved */
		file_writer_abort(&fc->out);
		fc->saved = fc->failed = true;
		return;
	}
	for (size_t i = 0; i < fc->pending.len; i++) {
		struct pending *p = &fc->pending.items[i];
		if (p->kept && p->off == e->off - REC_HEAD) {
			fc->nout--;
			fc->out_len -= p->len;
			memmove(p, p + 1, (fc->pending.len - i - 1) * sizeof(*p));
			fc->pending.len--;
			break;
		}
	}
}

void fact_cache_mark_bad(struct fact_cache *fc)
{
	if (fc) {
		fc->bad = true;
		fc->nbad++;
		maybe_stream(fc);
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

/* Rewritten whatever the rest of the scan brings (every term of changed() only grows, but `dropped`)? */
static bool sure_to_change(const struct fact_cache *fc)
{
	if (fc->bad || fc->stale || (!fc->entries.len && fc->nnew))
		return true;
	return fc->nnew > REWRITE_MIN || fc->nnew * 64 > fc->entries.len;
}

static bool changed(const struct fact_cache *fc)
{
	size_t dropped = fc->entries.len - fc->nkept;
	if (sure_to_change(fc))
		return true;
	/* a few changed or gone files are parsed again next time, cheaper than a rewrite now */
	return fc->nnew + dropped > REWRITE_MIN || (fc->nnew + dropped) * 64 > fc->entries.len;
}

/*
 * Open the next pack's temporary file and write what is pending: from here
 * on records go straight to it. 0, or -1 when it cannot be written (said
 * once; the cache is then not saved, fc->saved set).
 */
static int start_stream(struct fact_cache *fc)
{
	struct strbuf why = STRBUF_INIT;
	fc->saved = fc->failed = true; /* whatever happens next, one attempt */
	if (make_folder(fc->dir, &why) < 0) {
		if (!fc->quiet)
			note("the fact cache is not saved: %s: %s", fc->dir, why.buf);
		strbuf_release(&why);
		goto drop;
	}
	strbuf_release(&why);
	mark_folder(fc->dir);
	if (file_writer_open(&fc->out, NULL, fc->path, WRITE_NOSYNC | WRITE_UNNAMED) < 0) {
		if (!fc->quiet)
			note("the fact cache is not saved (the check is not affected)");
		goto drop;
	}
	static const unsigned char zero[HEADER_LEN];
	file_writer_add(&fc->out, zero, HEADER_LEN);
	for (size_t i = 0; i < fc->pending.len; i++) {
		const struct pending *p = &fc->pending.items[i];
		if (p->kept)
			copy_kept(fc, p->off, p->len);
		else
			file_writer_add(&fc->out, fc->fresh.buf + p->off, p->len);
	}
	VEC_FREE(&fc->pending);
	strbuf_release(&fc->fresh);
	fc->saved = fc->failed = false;
	fc->streaming = true;
	return 0;
drop: /* never written: nothing is held for it */
	VEC_FREE(&fc->pending);
	strbuf_release(&fc->fresh);
	return -1;
}

static void maybe_stream(struct fact_cache *fc)
{
	if (!fc->streaming && !fc->saved && sure_to_change(fc))
		start_stream(fc);
}

int fact_cache_save(struct fact_cache *fc)
{
	if (!fc || fc->saved || !changed(fc))
		return fc && fc->failed ? -1 : 0;
	if (!fc->streaming && start_stream(fc) < 0)
		return -1;
	fc->saved = true;
	if (fc->nleft && !fc->quiet)
		note("the fact cache is full (%zu MB): the facts of %zu file%s are not kept", fc->max_bytes >> 20,
		     fc->nleft, fc->nleft == 1 ? "" : "s");
	struct strbuf head = STRBUF_INIT;
	fact_cache_header(&head, fc->key, fc->nout);
	int rc = file_writer_put_at(&fc->out, 0, head.buf, HEADER_LEN);
	strbuf_release(&head);
	if (rc == 0)
		rc = file_writer_commit(&fc->out);
	fc->failed = rc < 0;
	if (rc < 0 && !fc->quiet)
		note("the fact cache is not saved (the check is not affected)");
	return rc;
}

static void close_cache(struct fact_cache *fc, bool save)
{
	if (!fc)
		return;
	bool wrote = save && changed(fc) && fact_cache_save(fc) == 0;
	/* for tests and benchmarks: what the cache did (when it was used) */
	if (save && getenv("DISTARCH_CACHE_STATS"))
		fprintf(stderr, "fact cache: %zu records loaded, %zu kept, %zu restat, %zu parsed, %zu corrupt, %s\n",
			fc->entries.len, fc->nkept, fc->nreused, fc->nnew - fc->nreused, fc->nbad,
			wrote ? "written" : "not written");
	file_writer_abort(&fc->out); /* not saved: the temporary file goes */
	if (fc->fd >= 0)
		close(fc->fd);
	strbuf_release(&fc->fresh);
	strbuf_release(&fc->rec);
	strbuf_release(&fc->copy);
	VEC_FREE(&fc->pending);
	for (size_t i = 0; i < fc->entries.len; i++) {
		xfree(fc->entries.items[i].path);
		xfree((char *)fc->entries.items[i].head.skip_reason);
	}
	VEC_FREE(&fc->entries);
	strmap_release(&fc->by_path);
	xfree(fc->kept);
	xfree(fc->dir);
	xfree(fc->path);
	xfree(fc);
}

void fact_cache_close(struct fact_cache *fc)
{
	close_cache(fc, true);
}

bool fact_cache_sound(const struct fact_cache *fc)
{
	return fc && fc->fd >= 0 && !fc->bad && !fc->stale;
}

void fact_cache_close_unused(struct fact_cache *fc)
{
	close_cache(fc, false);
}
