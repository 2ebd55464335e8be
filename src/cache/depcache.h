#ifndef DISTARCH_DEPCACHE_H
#define DISTARCH_DEPCACHE_H
/*
 * The dependency record kept between runs (src/facts/deps.h says what it
 * records): ROOT/.dist-architect/cache/deps.pack, beside the fact cache.
 *
 * For every file of the last recorded run, in index order: its path and
 * identity (deps_identity: the content hash, and whether it had facts), and four sorted key lists: the keys its facts provided, the
 * constants its linking resolved, its keys as an analysis target, and its
 * AP-5 primary locations; plus whether it read something no key stands for.
 * A diff check compares it with the files it scanned to find the files a
 * change can reach (check.c).
 *
 * The file: MAGIC, key (u64: what else shapes the analyses - the scan key,
 * the topology, the config), number of files (u32), the files, the wide
 * keys (u32 count, then u64 key and u32 files each), then a checksum (u64)
 * of everything before it. Little-endian. A record under
 * another key, cut, or whose checksum fails, is a miss: the check runs
 * every target and records anew. Nothing here makes a run fail. Writes go
 * through write_file_in (temp + rename).
 *
 * Ownership: a dep_cache owns its paths and key lists.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/strbuf.h"
#include "../base/strmap.h"
#include "../facts/deps.h"

#define DEPCACHE_MAX_BYTES ((size_t)512 << 20)

struct dep_file {
	char *path;
	uint64_t content;
	bool any;
	depkeys provides, link, trail, primary;
};

struct dep_cache {
	VEC(struct dep_file) files;
	struct strmap by_path; /* path -> index + 1 */
	/* The keys more than DEP_WIDE files provide (deps.h: wide names), sorted,
	 * and how many files provide each: counted when the record is written. */
	u64set wide;
	VEC(uint32_t) wide_files;
	/* Set by reach_known (analyze/reach.h), for one index: the entry of
	 * each index file (NULL: none), and which entries an index file has. */
	const struct dep_file **at;
	bool *seen;
};

void dep_cache_init(struct dep_cache *dc);
void dep_cache_release(struct dep_cache *dc);

/* Load the record of `root` saved under `key`: 1 (filled), or 0 (a miss of any kind; `dc` left empty). */
int dep_cache_load(struct dep_cache *dc, const char *root, uint64_t key);
/* Parse from bytes: 1 or 0, as dep_cache_load. For the fuzz target and tests. */
int dep_cache_parse(struct dep_cache *dc, const void *data, size_t len, uint64_t key);
/* Serialise / save under `key` (only where the cache folder exists). 0, or -1 (said unless `quiet`). */
void dep_cache_serialise(const struct dep_cache *dc, uint64_t key, struct strbuf *out);
int dep_cache_save(const struct dep_cache *dc, const char *root, uint64_t key, bool quiet);

/* Count the wide keys (`wide`, `wide_files`) from the files' provided keys: before saving a record made anew. */
void dep_cache_count_wide(struct dep_cache *dc);

/* A new file entry (path copied), appended; its lists empty. */
struct dep_file *dep_cache_add(struct dep_cache *dc, const char *path, uint64_t content);
/* The entry of `path`, or NULL. */
const struct dep_file *dep_cache_find(const struct dep_cache *dc, const char *path);

#endif
