/* The tree key: the working tree's contents from stat and the pack, before a scan (treekey.h). */
#include "treekey.h"

#include <sys/stat.h>

#include "../base/alloc.h"
#include "../base/hash.h"
#include "../base/strbuf.h"
#include "../source/langreg.h"
#include "../source/srcread.h"

#include "../base/banned.h"

void tree_key_init(struct tree_key *tk)
{
	*tk = (struct tree_key){ 0, STRMAP_INIT, VEC_INIT };
}

void tree_key_release(struct tree_key *tk)
{
	strmap_release(&tk->hashes);
	VEC_FREE(&tk->content);
	tk->key = 0;
}

/*
 * What the scan would have of one source file: 0 with its content hash,
 * 1 with a hash of its size when it is too large to read (a skip its size
 * alone decides), or -1 when the scan would skip it otherwise, or the
 * bounds on reading are spent.
 */
static int content_of(struct repo *r, const struct scan_options *opts, const char *path,
		      struct strbuf *full, struct strbuf *src, size_t *reads, size_t *read_bytes,
		      uint64_t *out)
{
	const struct fc_entry *e = opts->cache ? fact_cache_find(opts->cache, path) : NULL;
	const struct src_limits lim = {
		opts->max_file_size ? opts->max_file_size : SCAN_MAX_FILE_SIZE,
		opts->max_line_length ? opts->max_line_length : SCAN_MAX_LINE_LENGTH,
	};
	struct stat st;
	strbuf_reset(full);
	strbuf_addf(full, "%s/%s", r->root, path);
	/* the scan's own test (scan.c: from_cache): lstat, and a record whose stat matches */
	if (lstat(full->buf, &st) != 0 || !S_ISREG(st.st_mode))
		return -1; /* a skip (symlink, vanished, not a file): the scan says why */
	if (e && fact_cache_stat_matches(e, &st)) {
		*out = fact_cache_content(e);
		return 0;
	}
	bool big = (uint64_t)st.st_size > lim.max_file_size;
	if (!big && (++*reads > TREE_KEY_MAX_READS ||
		     (*read_bytes += (size_t)st.st_size) > TREE_KEY_MAX_READ_BYTES))
		return -1;
	enum skip_reason why;
	struct strbuf detail = STRBUF_INIT;
	int skipped = src_read(r->root, path, &lim, src, &why, &detail); /* a file too large is opened, not read */
	strbuf_release(&detail);
	if (skipped && big && why == SKIP_TOO_LARGE) {
		*out = hash64_u64((uint64_t)st.st_size, hash64_str("too large", 0));
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
	struct strbuf full = STRBUF_INIT, src = STRBUF_INIT, detail = STRBUF_INIT;
	size_t reads = 0, read_bytes = 0;
	uint64_t k = hash64_str("tree", 0);
	int rc = 0;

	tree_key_release(tk);
	if (repo_list_entries(r, &all) < 0)
		return -1;
	for (size_t i = 0; i < all.len && rc == 0; i++) {
		const char *path = all.items[i];
		enum lang lang = lang_from_path(path);
		enum skip_reason why;
		uint64_t h;

		k = hash64_str(path, k);
		if (lang == LANG_NONE) {
			/* a plain non-source file counts by its name only; one the summary names is a skip */
			if (src_check_other(r->root, path, &why, &detail))
				rc = -1;
			continue;
		}
		if (!lang_extractor(lang))
			continue; /* skipped by its name alone */
		int got = content_of(r, opts, path, &full, &src, &reads, &read_bytes, &h);
		if (got < 0) {
			rc = -1;
			break;
		}
		k = hash64_u64(h, k);
		if (got == 1)
			continue; /* skipped by its size: not indexed */
		VEC_APPEND(&tk->content, h);
		strmap_put(&tk->hashes, path, (void *)(uintptr_t)tk->content.len);
	}
	pathvec_release(&all);
	strbuf_release(&full);
	strbuf_release(&src);
	strbuf_release(&detail);
	if (rc < 0) {
		tree_key_release(tk);
		return -1;
	}
	tk->key = k ? k : 1;
	return 0;
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
