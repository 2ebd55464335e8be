/* The tree key: the working tree's contents from stat and the pack, before a scan (treekey.h). */
#include "treekey.h"

#include <sys/stat.h>

#include "../base/alloc.h"
#include "../base/pool.h"
#include "../base/hash.h"
#include "../base/strbuf.h"
#include "../source/langreg.h"
#include "../source/srcread.h"

#include "../base/banned.h"

void tree_key_init(struct tree_key *tk)
{
	*tk = (struct tree_key){ 0, STRMAP_INIT, VEC_INIT, VEC_INIT };
}

void tree_key_release(struct tree_key *tk)
{
	strmap_release(&tk->hashes);
	VEC_FREE(&tk->content);
	VEC_FREE(&tk->stats);
	tk->key = 0;
}

/* One entry of the listing, as the parallel pass found it. */
enum tk_state {
	TK_IGNORED,  /* counts by its name only (not source, or no front-end) */
	TK_SKIP,     /* the scan would report a skip: no key */
	TK_MATCHED,  /* a regular file whose stat matches its pack record: `hash` */
	TK_READ,     /* a regular file to read and hash (`st` taken) */
};

struct tk_entry {
	enum tk_state state;
	uint64_t hash;
	struct stat st;
};

struct tk_pass {
	struct repo *r;
	const struct scan_options *opts;
	const pathvec *all;
	struct tk_entry *e;
	struct strbuf *full, *detail; /* per worker */
};

/* One entry, in a worker: lstat, and the scan's own test (scan.c: from_cache) against its record. */
static void tk_stat(void *arg, size_t i, unsigned worker)
{
	struct tk_pass *p = arg;
	const char *path = p->all->items[i];
	struct tk_entry *e = &p->e[i];
	enum lang lang = lang_from_path(path);
	enum skip_reason why;

	e->state = TK_IGNORED;
	if (lang == LANG_NONE) {
		/* a plain non-source file counts by its name only; one the summary names is a skip */
		if (src_check_other(p->r->root, path, &why, &p->detail[worker]))
			e->state = TK_SKIP;
		return;
	}
	if (!lang_extractor(lang))
		return; /* skipped by its name alone */
	struct strbuf *full = &p->full[worker];
	strbuf_reset(full);
	strbuf_addf(full, "%s/%s", p->r->root, path);
	if (lstat(full->buf, &e->st) != 0 || !S_ISREG(e->st.st_mode)) {
		e->state = TK_SKIP; /* a symlink, vanished, not a file: the scan says why */
		return;
	}
	const struct fc_entry *rec = p->opts->cache ? fact_cache_find(p->opts->cache, path) : NULL;
	if (rec && fact_cache_stat_matches(rec, &e->st)) {
		e->state = TK_MATCHED;
		e->hash = fact_cache_content(rec);
	} else {
		e->state = TK_READ;
	}
}

/*
 * The hash of a file whose stat matched no record: 0 with its content
 * hash, 1 with a hash of its size when it is too large to read (a skip its
 * size alone decides), or -1 when the scan would skip it otherwise, or the
 * bounds on reading are spent.
 */
static int read_hash(struct repo *r, const struct scan_options *opts, const char *path, const struct stat *st,
		     struct strbuf *src, size_t *reads, size_t *read_bytes, uint64_t *out)
{
	const struct src_limits lim = {
		opts->max_file_size ? opts->max_file_size : SCAN_MAX_FILE_SIZE,
		opts->max_line_length ? opts->max_line_length : SCAN_MAX_LINE_LENGTH,
	};
	bool big = (uint64_t)st->st_size > lim.max_file_size;
	if (!big && (++*reads > TREE_KEY_MAX_READS ||
		     (*read_bytes += (size_t)st->st_size) > TREE_KEY_MAX_READ_BYTES))
		return -1;
	enum skip_reason why;
	struct strbuf detail = STRBUF_INIT;
	int skipped = src_read(r->root, path, &lim, src, &why, &detail); /* a file too large is opened, not read */
	strbuf_release(&detail);
	if (skipped && big && why == SKIP_TOO_LARGE) {
		*out = hash64_u64((uint64_t)st->st_size, hash64_str("too large", 0));
		return 1;
	}
	if (skipped)
		return -1;
	*out = fact_cache_hash(src->buf, src->len);
	return 0;
}

int tree_key_compute(struct tree_key *tk, struct repo *r, const struct scan_options *opts)
{
	pathvec all = { 0 };
	struct strbuf src = STRBUF_INIT;
	size_t reads = 0, read_bytes = 0;
	uint64_t k = hash64_str("tree", 0);
	int rc = 0;

	tree_key_release(tk);
	if (repo_list_entries(r, &all) < 0)
		return -1;
	/* the stats in parallel (most of the time on a big tree), then the key in listing order */
	unsigned jobs = opts->jobs ? opts->jobs : pool_default_jobs();
	if (jobs > POOL_MAX_JOBS)
		jobs = POOL_MAX_JOBS;
	struct tk_pass pass = { r, opts, &all, xcalloc(all.len + 1, sizeof(struct tk_entry)),
				xcalloc(jobs, sizeof(struct strbuf)), xcalloc(jobs, sizeof(struct strbuf)) };
	for (unsigned w = 0; w < jobs; w++) {
		strbuf_init(&pass.full[w]);
		strbuf_init(&pass.detail[w]);
	}
	pool_for(jobs, all.len, tk_stat, &pass);
	for (size_t i = 0; i < all.len && rc == 0; i++) {
		const struct tk_entry *e = &pass.e[i];
		uint64_t h = e->hash;
		int got = 0;

		k = hash64_str(all.items[i], k);
		if (e->state == TK_IGNORED)
			continue;
		if (e->state == TK_SKIP ||
		    (e->state == TK_READ &&
		     (got = read_hash(r, opts, all.items[i], &e->st, &src, &reads, &read_bytes, &h)) < 0)) {
			rc = -1;
			break;
		}
		k = hash64_u64(h, k);
		if (got == 1)
			continue; /* skipped by its size: not indexed */
		VEC_APPEND(&tk->content, h);
		VEC_APPEND(&tk->stats, e->st);
		strmap_put(&tk->hashes, all.items[i], (void *)(uintptr_t)tk->content.len);
	}
	for (unsigned w = 0; w < jobs; w++) {
		strbuf_release(&pass.full[w]);
		strbuf_release(&pass.detail[w]);
	}
	xfree(pass.full);
	xfree(pass.detail);
	xfree(pass.e);
	pathvec_release(&all);
	strbuf_release(&src);
	if (rc < 0) {
		tree_key_release(tk);
		return -1;
	}
	tk->key = k ? k : 1;
	return 0;
}

const struct stat *tree_key_stat(const void *ctx, const char *path)
{
	const struct tree_key *tk = ctx;
	size_t at = (size_t)(uintptr_t)strmap_get(&tk->hashes, path);
	return at ? &tk->stats.items[at - 1] : NULL;
}

bool tree_key_agrees(const struct tree_key *tk, const struct fact_index *ix)
{
	if (!tk->key || ix->files.len != tk->content.len)
		return false;
	for (size_t i = 0; i < ix->files.len; i++) {
		const struct file_facts *ff = ix->files.items[i];
		size_t slot = (size_t)(uintptr_t)strmap_get(&tk->hashes, ff->path);
		if (!slot || !ff->content_hash || tk->content.items[slot - 1] != ff->content_hash)
			return false;
	}
	return true;
}
