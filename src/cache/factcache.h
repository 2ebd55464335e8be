#ifndef DISTARCH_FACTCACHE_H
#define DISTARCH_FACTCACHE_H
/*
 * The fact cache: the facts of every scanned file, kept between runs in ONE
 * pack file, ROOT/.dist-architect/cache/facts.pack, so that an unchanged
 * file is neither parsed nor even read.
 *
 * Why one pack and not a file per entry: a warm `check --all` over 15,000
 * files then costs one read(2) and one lstat(2) per file, instead of 15,000
 * opens; and eviction is trivial (the pack holds the files of the last full
 * scan, so it never outgrows the tree). A record (path, size, mtime, inode,
 * content hash, facts; its head - the path, the stat and the facts' scalar
 * fields - under a checksum of its own, so that a scan can count a file
 * without loading its facts) is trusted when its checksum holds and either the
 * file's (size, mtime, ctime, inode) are the recorded ones, or its bytes hash to
 * the recorded content hash. A file changed within FC_RACY_NS of being
 * recorded is recorded without its stat (only its hash counts), so an edit
 * inside one timestamp tick is never missed (git's "racy clean" rule).
 *
 * The pack's header holds a key of everything else that shapes facts (the
 * distarch version and binary, its models, the scan limits; scan.c computes
 * it): another key, a bad magic or header checksum, and the whole pack is
 * ignored. A record whose checksum fails, or that does not deserialise, is
 * ignored and rebuilt; a truncated pack keeps the records before the cut.
 *
 * Writes go through a file_writer (temp + rename, fileio.h): concurrent runs
 * each leave a whole pack, the last one wins. Once a run is sure to rewrite
 * the pack (a cold scan: at its first record), its records are streamed to
 * the unnamed temporary file as the scan merges them, so the pack is never
 * held in memory beside the facts; kept records are written from the loaded
 * pack, not copied. The pack is rewritten only when it
 * changed by more than a few records (a one-file edit costs a parse of that
 * file next time, not a 100 MB write now) or held a bad record. Over the size
 * bound, records past it are left out (and the run says so once).
 * Nothing here makes a run fail: an unreadable cache is empty, an unwritable
 * one is said once on stderr (unless quiet) and skipped.
 *
 * DISTARCH_CACHE_STATS=1 in the environment: a line on stderr saying what the
 * cache did (records loaded; kept as they were, re-stated (same bytes, new
 * stat), parsed; corrupt; pack written or not).
 *
 * Threads: find/stat_matches/load/record are safe to call from scan workers
 * (they read the loaded pack only); keep/add/save are for one thread.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "../base/strbuf.h"
#include "../facts/facts.h"

#define FC_DEFAULT_MAX_BYTES ((size_t)256 << 20)
#define FC_RACY_NS (2ll * 1000000000ll)

struct fact_cache;
struct fc_entry;

/* Load the pack of `root` (NULL when `root` is NULL: no cache). `max_bytes` 0: the default. */
struct fact_cache *fact_cache_open(const char *root, uint64_t key, size_t max_bytes, bool quiet);
/* Save when needed (fact_cache_save) and free. NULL is fine. */
void fact_cache_close(struct fact_cache *fc);
/*
 * Free without saving: a run that scanned nothing (its report memo
 * replayed) leaves the pack as it was. No DISTARCH_CACHE_STATS line.
 */
void fact_cache_close_unused(struct fact_cache *fc);

/*
 * Was there a pack, read whole under this key (header, every frame; record
 * checksums are checked when a record is loaded)? One that is not is
 * rebuilt by the next scan, so a run should not skip its scan on its word.
 */
bool fact_cache_sound(const struct fact_cache *fc);
/* The record of `path`, or NULL. */
const struct fc_entry *fact_cache_find(const struct fact_cache *fc, const char *path);
/* Do the file's (size, mtime, ctime, inode) say it is the recorded one? */
bool fact_cache_stat_matches(const struct fc_entry *e, const struct stat *st);
uint64_t fact_cache_content(const struct fc_entry *e);
/* Fill `ff` (empty, initialised) from the record: 0, or -1 when it is corrupt (ff left empty). */
int fact_cache_load(const struct fc_entry *e, struct file_facts *ff);
/*
 * Only the scalar fields of the record's facts (lines, flags, skip reason,
 * nesting: serial.h's head), kept and checked apart when the pack was
 * opened: what a scan counts a file by, without reading its facts.
 */
void fact_cache_load_head(const struct fc_entry *e, struct file_facts *ff);

/* A new record of freshly extracted facts, appended to `rec`. `now_ns`: CLOCK_REALTIME of the run. */
void fact_cache_record(struct strbuf *rec, const char *path, const struct stat *st, uint64_t content,
		       const struct file_facts *ff, int64_t now_ns);
/* A record of `e`'s facts for a file whose stat changed but whose bytes did not. */
void fact_cache_restat(struct strbuf *rec, const struct fc_entry *e, const struct stat *st,
		       int64_t now_ns);

/* The next pack, in scan order: an old record unchanged, or a new one. */
void fact_cache_keep(struct fact_cache *fc, const struct fc_entry *e);
/* `reused`: the record carries cached facts (fact_cache_restat), not freshly parsed ones. */
void fact_cache_add(struct fact_cache *fc, const struct strbuf *rec, bool reused);
/* fact_cache_record() of freshly extracted facts, then fact_cache_add(): no record is held per file. */
void fact_cache_add_facts(struct fact_cache *fc, const char *path, const struct stat *st, uint64_t content,
			  const struct file_facts *ff, int64_t now_ns);
/*
 * A record kept (fact_cache_keep) whose facts turned out corrupt when they
 * were loaded later: it leaves the next pack (call before
 * fact_cache_mark_bad; when the next pack is being written already, it is
 * not saved this time).
 */
void fact_cache_unkeep(struct fact_cache *fc, const struct fc_entry *e);
/* A record found corrupt: the pack is rewritten to drop it. */
void fact_cache_mark_bad(struct fact_cache *fc);
/* Write the next pack if it differs enough from the loaded one. 0, or -1 when it could not be written (said once). */
int fact_cache_save(struct fact_cache *fc);

/* For the fuzzer and tests: a cache over the bytes of a pack (never written), its records, a header. */
struct fact_cache *fact_cache_open_bytes(const void *pack, size_t len, uint64_t key);
size_t fact_cache_count(const struct fact_cache *fc);
const struct fc_entry *fact_cache_entry(const struct fact_cache *fc, size_t i);
void fact_cache_header(struct strbuf *sb, uint64_t key, uint64_t nrec);

/* Content hash of a file's bytes, as records hold it. */
uint64_t fact_cache_hash(const void *data, size_t len);

#endif
