#ifndef DISTARCH_REPORTMEMO_H
#define DISTARCH_REPORTMEMO_H
/*
 * The report memo: the rendered report of the last `check` whose inputs
 * were all the same, kept in ROOT/.dist-architect/cache/report.memo beside
 * the fact cache, so that checking an unchanged tree again costs a stat of
 * every file and a copy of the old report, not a new analysis.
 *
 * "All the same" is a 64-bit key the caller builds from everything the
 * report can depend on (check.c: the command line and working folder, the
 * fact cache's key — distarch binary, models, limits —, the changeset, the
 * path and content hash of every scanned file, the skips, the topology,
 * config, baseline and catalog files). A memo may also be saved under a
 * second key, made with the tree key (treekey.h) in place of what the scan
 * found: that one can be looked up before the scan, without loading any
 * fact. A memo under other keys, or whose
 * checksum fails, is a miss and is replaced after the run; nothing here
 * makes a run fail. The memo holds one run: the bytes of each report it
 * printed (one per sink, in order) and its exit status.
 *
 * A run that printed a diagnostic after the scan is not memoised (the
 * replay would not print it again), and neither is a report over
 * REPORT_MEMO_MAX_BYTES. DISTARCH_NO_MEMO=1 in the environment turns it
 * off (benchmarks: bench/run's warm-analysis row).
 *
 * Ownership: a report_memo owns its buffer; `outs[i].data` point into it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/strbuf.h"

#define REPORT_MEMO_MAX_BYTES ((size_t)64 << 20)
#define REPORT_MEMO_MAX_OUTS 8

struct report_memo_out {
	const char *data;
	size_t len;
};

struct report_memo {
	struct strbuf buf;
	uint64_t tree; /* the tree key it was saved under, 0 for none */
	int exit_code;
	size_t nouts;
	struct report_memo_out outs[REPORT_MEMO_MAX_OUTS];
};

/* Key building: the bytes of a file (or that it is absent), and every *.md file of a folder, sorted. */
uint64_t report_memo_add_file(uint64_t key, const char *path);
uint64_t report_memo_add_dir(uint64_t key, const char *dir, const char *suffix);

/*
 * Load the memo of `root` if it was saved under `key` or under the tree key
 * `tree` (0: not that one): 1 (filled in; release it), or 0 (a miss of any
 * kind: absent, other keys, corrupt; nothing to release).
 */
int report_memo_load(const char *root, uint64_t key, uint64_t tree, struct report_memo *m);
void report_memo_release(struct report_memo *m);

/*
 * Save the run's reports under `key` and `tree` (0: none) (temp + rename), only when the cache
 * folder exists (the fact cache made it: a project that takes a cache).
 * Over REPORT_MEMO_MAX_BYTES the old memo is removed instead. 0 or -1; a
 * failure is said once on stderr unless `quiet` and never fails the run.
 */
int report_memo_save(const char *root, uint64_t key, uint64_t tree, int exit_code,
		     const struct report_memo_out *outs, size_t nouts, bool quiet);

/* For the fuzz target and tests: parse a memo from bytes (1 hit, 0 miss); `m->buf` is left empty. */
int report_memo_parse(const void *data, size_t len, uint64_t key, uint64_t tree, struct report_memo *m);

#endif
