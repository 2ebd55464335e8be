#ifndef DISTARCH_TREEKEY_H
#define DISTARCH_TREEKEY_H
/*
 * The tree key: what the working tree holds, as far as a check can tell,
 * worked out BEFORE the scan from one lstat(2) per file and the fact
 * cache's records. The report memo (reportmemo.h) is then looked up
 * without loading a single fact: an unchanged 15,000-file tree replays its
 * report in the time it takes to list and stat it.
 *
 * The key chains, for every entry of the tree's listing in order, its path
 * and, for a source file (a language with a front-end), the content hash
 * of its bytes: the pack record's when the file's stat matches it (the
 * record the scan would use), else the hash of the bytes read (at most
 * TREE_KEY_MAX_READS files, TREE_KEY_MAX_READ_BYTES in all: the files
 * the prefilter leaves out, a few edited ones); for a file over the size
 * limit, its size. Facts, skips and counts are a function of those bytes
 * and of the scan key, so two runs with the same tree key (and the same
 * other inputs) print the same report.
 *
 * No key (tree_key_compute returns -1) when the tree holds another entry
 * the scan would report as a skip (unreadable, binary, a symlink, a folder
 * that cannot be listed), or more to read than the bounds allow: such a
 * run looks its memo up after the scan, as before.
 *
 * A memo is saved under a tree key only when the scan saw the very bytes
 * the key was made of (tree_key_agrees): a file edited while the check
 * ran never pairs its old bytes with a report of its new ones.
 *
 * Ownership: a tree_key owns its paths and hashes; tree_key_release frees.
 */
#include <stdint.h>

#include "../base/strmap.h"
#include "../facts/index.h"
#include "../source/repo.h"
#include "../source/scan.h"
#include "factcache.h"

#define TREE_KEY_MAX_READS 256
#define TREE_KEY_MAX_READ_BYTES ((size_t)16 << 20)

struct tree_key {
	uint64_t key;
	struct strmap hashes; /* source path -> index + 1 into `content` */
	VEC(uint64_t) content;
	VEC(struct stat) stats; /* beside `content`: the lstat each hash was decided by */
};

void tree_key_init(struct tree_key *tk);
void tree_key_release(struct tree_key *tk);

/*
 * The key of the tree of `r` as a scan with `opts` (its limits and cache)
 * would see it: 0 with tk->key set (never 0), or -1 (no key; see above).
 */
int tree_key_compute(struct tree_key *tk, struct repo *r, const struct scan_options *opts);

/*
 * The lstat the key took of source file `path` (NULL: none). The scan that
 * follows takes its stat from here (scan_options.stat_of) rather than
 * lstat(2) every file a second time: the key and the scan then see one
 * tree, and a big tree is walked once.
 */
const struct stat *tree_key_stat(const void *tk, const char *path);

/* Did the scan that filled `ix` read the bytes `tk` was made of, file for file? */
bool tree_key_agrees(const struct tree_key *tk, const struct fact_index *ix);

#endif
