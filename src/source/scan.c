#include "scan.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../base/alloc.h"
#include "../base/pool.h"
#include "../cache/factcache.h"
#include "../base/diag.h"
#include "../base/embedded.h"
#include "../base/fileio.h"
#include "../base/hash.h"
#include "../base/strbuf.h"
#include "../base/utf8.h"
#include "../facts/deps.h"
#include "../facts/serial.h"
#include "../lang/ts_util.h"
#include "langreg.h"
#include "srcread.h"
#include "../base/banned.h"

const char *skip_reason_name(enum skip_reason r)
{
	switch (r) {
	case SKIP_NOT_SOURCE: return "not source";
	case SKIP_NO_FRONTEND: return "no front-end yet";
	case SKIP_TOO_LARGE: return "too large";
	case SKIP_BINARY: return "binary";
	case SKIP_UNREADABLE: return "unreadable";
	case SKIP_PARSE_FAILED: return "parse failed";
	case SKIP_GENERATED: return "minified or generated";
	case SKIP_LONG_LINE: return "line too long";
	case SKIP_SYMLINK: return "symlink";
	case SKIP_SYMLINK_OUTSIDE: return "symlink outside the repository";
	case SKIP_VANISHED: return "vanished";
	case SKIP_BAD_NAME: return "file name not UTF-8";
	case SKIP_TOO_DEEP: return "nested too deep (facts partial)";
	case SKIP__COUNT: break;
	}
	return "?";
}

void scan_stats_release(struct scan_stats *st)
{
	for (size_t i = 0; i < st->list.len; i++) {
		xfree(st->list.items[i].path);
		xfree(st->list.items[i].detail);
	}
	VEC_FREE(&st->list);
}

static void skip(struct scan_stats *st, const char *path, enum skip_reason why, const char *detail)
{
	st->skipped[why]++;
	if (why == SKIP_NOT_SOURCE)
		return;
	struct skipped_file *s = VEC_PUSH(&st->list);
	/* the list goes into reports (JSON needs UTF-8): a bad name is shown with U+FFFD */
	size_t n = strlen(path);
	s->path = xmalloc(3 * n + 1);
	utf8_sanitize(s->path, path, n);
	s->reason = why;
	s->detail = xstrdup(detail ? detail : "");
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * One file's outcome, made by a worker and merged into the index and the
 * stats by the caller's thread in path order (so -j N prints what -j 1 does).
 */
struct job {
	const char *path;
	bool done;             /* already in the index before this scan: nothing to do */
	bool skipped;          /* `why` and `detail`, no facts */
	enum skip_reason why;
	char *detail;
	struct file_facts *ff; /* the facts (extracted, or from the cache) */
	bool extract_failed;
	size_t bytes;
	const struct fc_entry *keep; /* the cache record to keep as it is */
	struct strbuf rec;           /* else a new cache record, or empty */
	bool reused;                 /* `rec` holds cached facts under a new stat */
	/* else fresh facts to record under `st`: serialised by merge() straight
	 * into the cache, so no scan holds every file's record at once */
	bool record;
	struct stat st;
	bool cache_bad;              /* the file's record was corrupt */
	bool held;                   /* no needle: parsed only if the closure reaches it (`tokens`) */
	pf_set tokens;
};

struct scratch {
	struct strbuf src, detail, full;
};

struct scan_run {
	struct repo *r;
	const struct model_set *models;
	const struct scan_options *opts;
	struct src_limits lim;
	struct job *jobs;
	size_t *pick;          /* NULL, or the jobs of this round (the closure's) */
	bool force;            /* a closure round: parse, whatever the needles say */
	bool lazy;             /* a cached file the dependency record knows gives its head only (scan_options.lazy) */
	struct scratch *scratch;
	int64_t now_ns;
	atomic_size_t finished;
	size_t total;
	double start, last_report;
};

static void job_skip(struct job *j, enum skip_reason why, const char *detail)
{
	j->skipped = true;
	j->why = why;
	j->detail = detail ? xstrdup(detail) : NULL;
}

static struct file_facts *new_facts(const char *path, enum lang lang)
{
	struct file_facts *ff = xmalloc(sizeof(*ff));
	file_facts_init(ff, path, lang);
	return ff;
}

/* Does the dependency record know the file with these facts (a lazy scan's question)? */
static bool recorded(const struct scan_run *run, const struct file_facts *ff)
{
	const struct scan_options *o = run->opts;
	return o->recorded && o->recorded(o->recorded_ctx, ff->path, deps_identity(ff));
}

/*
 * The facts of an unchanged file from the cache: 0, or -1 (not cached, stat
 * changed, or a corrupt record; j->ff is then empty). Its bytes are not even
 * read when (size, mtime, inode) match; `src` is NULL then.
 */
static int from_cache(struct scan_run *run, struct job *j, const struct fc_entry *e,
		      const struct stat *st, const struct strbuf *src)
{
	if (!e || !st)
		return -1;
	if (!src && !fact_cache_stat_matches(e, st))
		return -1;
	if (src && fact_cache_hash(src->buf, src->len) != fact_cache_content(e))
		return -1;
	j->ff->content_hash = fact_cache_content(e);
	if (run->lazy && recorded(run, j->ff)) { /* the same bytes under a new stat too: its facts wait in the pack */
		fact_cache_load_head(e, j->ff);
		j->ff->unloaded = true;
	} else if (fact_cache_load(e, j->ff) < 0) {
		j->cache_bad = true;
		return -1;
	}
	j->bytes = (size_t)st->st_size;
	if (src) {
		fact_cache_restat(&j->rec, e, st, run->now_ns);
		j->reused = true;
	} else
		j->keep = e;
	return 0;
}

/* Everything one file needs, in a worker: read, prefilter, cache, extract, resolve. */
static void scan_one(struct scan_run *run, struct job *j, struct scratch *w)
{
	const struct scan_options *opts = run->opts;
	struct fact_cache *cache = opts ? opts->cache : NULL;
	enum lang lang = lang_from_path(j->path);
	enum skip_reason why;
	struct stat st;

	if (lang == LANG_NONE) {
		/* a folder that cannot be listed, a symlink out or in a loop: said even if not source */
		if (src_check_other(run->r->root, j->path, &why, &w->detail))
			job_skip(j, why, w->detail.buf);
		else
			job_skip(j, SKIP_NOT_SOURCE, NULL);
		return;
	}
	lang_extract_fn extract = lang_extractor(lang);
	if (!extract) {
		job_skip(j, SKIP_NO_FRONTEND, lang_name(lang));
		return;
	}
	const struct fc_entry *e = fact_cache_find(cache, j->path);
	bool have_stat = false;
	const struct stat *known = e && opts->stat_of ? opts->stat_of(opts->stat_ctx, j->path) : NULL;
	if (known) { /* a regular file when it was taken */
		st = *known;
		have_stat = true;
	} else if (e) {
		strbuf_reset(&w->full);
		strbuf_addf(&w->full, "%s/%s", run->r->root, j->path);
		/* lstat: a symlink never matches a record (src_read decides about it) */
		have_stat = lstat(w->full.buf, &st) == 0 && S_ISREG(st.st_mode);
	}
	j->ff = new_facts(j->path, lang);
	if (from_cache(run, j, e, have_stat ? &st : NULL, NULL) == 0)
		return;
	/* Counted as a skip, not reported as an error: the scan goes on. */
	if (src_read(run->r->root, j->path, &run->lim, &w->src, &why, &w->detail)) {
		job_skip(j, why, w->detail.buf);
		file_facts_release(j->ff);
		xfree(j->ff);
		j->ff = NULL;
		return;
	}
	if (cache && !j->cache_bad && from_cache(run, j, e, have_stat ? &st : NULL, &w->src) == 0)
		return;
	j->bytes = w->src.len;
	j->ff->is_test = lang_is_test_path(j->path);
	j->ff->max_nesting = opts ? opts->max_nesting : 0;
	if (opts && opts->prefilter && !run->force &&
	    !prefilter_is_seed(opts->prefilter, lang, w->src.buf, w->src.len)) {
		j->held = true;
		if (cache)
			j->ff->content_hash = fact_cache_hash(w->src.buf, w->src.len);
		prefilter_tokens(w->src.buf, w->src.len, &j->tokens);
		return;
	}
	if (extract(w->src.buf, w->src.len, j->ff) < 0) {
		j->extract_failed = true; /* not cached: a timeout need not recur */
		return;
	}
	if (!j->ff->skip_reason && run->models)
		models_resolve(run->models, j->ff);
	if (cache)
		j->ff->content_hash = fact_cache_hash(w->src.buf, w->src.len);
	if (cache && !have_stat) {
		strbuf_reset(&w->full);
		strbuf_addf(&w->full, "%s/%s", run->r->root, j->path);
		have_stat = lstat(w->full.buf, &st) == 0 && S_ISREG(st.st_mode);
	}
	if (cache && have_stat) {
		j->record = true;
		j->st = st;
	}
}

static void scan_worker(void *arg, size_t i, unsigned worker)
{
	struct scan_run *run = arg;
	struct job *j = &run->jobs[run->pick ? run->pick[i] : i];
	if (!j->done)
		scan_one(run, j, &run->scratch[worker]);
	size_t n = atomic_fetch_add_explicit(&run->finished, 1, memory_order_relaxed) + 1;
	/* progress from the caller's thread only, at most once a second */
	if (worker == 0 && run->opts && run->opts->progress && now() - run->last_report > 1.0) {
		run->last_report = now();
		note("scanned %zu of %zu files (%.1fs)", n, run->total, run->last_report - run->start);
	}
}

/* Into the index and the stats, in path order: what -j 1 did file by file. */
static void merge(struct scan_run *run, struct job *j, struct fact_index *ix, struct scan_stats *st)
{
	struct fact_cache *cache = run->opts ? run->opts->cache : NULL;
	if (j->cache_bad)
		fact_cache_mark_bad(cache);
	if (j->done)
		return;
	if (j->ff && index_get(ix, j->path)) { /* the same path listed twice */
		file_facts_release(j->ff);
		xfree(j->ff);
		return;
	}
	st->files++;
	if (j->skipped) {
		skip(st, j->path, j->why, j->detail);
		return;
	}
	st->bytes += j->bytes;
	j->ff->prefiltered = j->held;
	j->ff->extract_failed = j->extract_failed;
	index_adopt(ix, j->ff);
	if (j->held) { /* not read by any analysis: indexed (paths matter to drift), not cached */
		st->prefiltered++;
		return;
	}
	if (j->extract_failed) {
		skip(st, j->path, SKIP_PARSE_FAILED, lang_name(j->ff->lang));
		return;
	}
	if (j->keep)
		fact_cache_keep(cache, j->keep);
	else if (j->record)
		fact_cache_add_facts(cache, j->path, &j->st, j->ff->content_hash, j->ff, run->now_ns);
	else
		fact_cache_add(cache, &j->rec, j->reused);
	if (j->ff->skip_reason) {
		skip(st, j->path, SKIP_GENERATED, j->ff->skip_reason);
		return;
	}
	st->parsed++;
	if (j->ff->parse_errors)
		st->parse_errors++;
	if (j->ff->nesting_cut) {
		struct strbuf detail = STRBUF_INIT;
		strbuf_addf(&detail, "over %u levels at line %u; nothing below that depth was read",
			    j->ff->max_nesting ? j->ff->max_nesting : TS_MAX_NESTING, j->ff->nesting_cut);
		skip(st, j->path, SKIP_TOO_DEEP, detail.buf);
		strbuf_release(&detail);
	}
}

/*
 * The closure (prefilter.h): parse each held file one of whose tokens is a
 * name of a file already in the index or parsed, until no more are reached.
 * What stays held is indexed empty by merge().
 */
#define WANTED_BITS 1024 /* words of the bitmap in front of `wanted`: 64K bits */

/* The tokens some held file has (sealed), a bitmap of them, and which a parsed file names. */
struct wanted {
	pf_set set;
	uint64_t *bits;
	bool *named;
};

/* Mark the tokens of `w` that `ff` names (`scratch`: a buffer). */
static void mark_names(struct wanted *w, pf_set *scratch, const struct file_facts *ff)
{
	scratch->len = 0;
	prefilter_add_names(scratch, ff);
	for (size_t i = 0; i < scratch->len; i++) {
		uint64_t v = scratch->items[i];
		if (!(w->bits[(v >> 6) % WANTED_BITS] >> (v & 63) & 1))
			continue;
		size_t k = u64set_find(&w->set, v);
		if (k != (size_t)-1)
			w->named[k] = true;
	}
}

static bool names_one_of(const struct wanted *w, const pf_set *tokens)
{
	for (size_t t = 0; t < tokens->len; t++) {
		size_t k = u64set_find(&w->set, tokens->items[t]);
		if (k != (size_t)-1 && w->named[k])
			return true;
	}
	return false;
}

static void close_over(struct scan_run *run, unsigned jobs, const struct fact_index *ix)
{
	size_t n = run->total, held = 0, added = 0, rounds = 0;
	struct wanted w = { VEC_INIT, NULL, NULL };
	pf_set scratch = VEC_INIT;
	for (size_t i = 0; i < n; i++) {
		const struct job *j = &run->jobs[i];
		if (!j->held)
			continue;
		held++;
		for (size_t t = 0; t < j->tokens.len; t++)
			VEC_APPEND(&w.set, j->tokens.items[t]);
	}
	if (held) {
		/* only a name some held file holds can reach one: the rest is not kept */
		u64set_seal(&w.set);
		w.bits = xcalloc(WANTED_BITS, sizeof(*w.bits));
		w.named = xcalloc(w.set.len + 1, sizeof(*w.named));
		for (size_t t = 0; t < w.set.len; t++)
			w.bits[(w.set.items[t] >> 6) % WANTED_BITS] |= 1ull << (w.set.items[t] & 63);
		for (size_t f = 0; f < ix->files.len; f++)
			mark_names(&w, &scratch, ix->files.items[f]);
		run->pick = xcalloc(n + 1, sizeof(*run->pick));
		run->force = true;
		bool *seen = xcalloc(n + 1, sizeof(*seen));
		for (;;) {
			/* the names of what was parsed since the last round */
			for (size_t i = 0; i < n; i++) {
				struct job *j = &run->jobs[i];
				if (!seen[i] && !j->done && !j->held && j->ff) {
					mark_names(&w, &scratch, j->ff);
					seen[i] = true;
				}
			}
			size_t npick = 0;
			for (size_t i = 0; i < n; i++) {
				struct job *j = &run->jobs[i];
				if (j->held && names_one_of(&w, &j->tokens)) {
					j->held = false;
					VEC_FREE(&j->tokens);
					file_facts_release(j->ff);
					xfree(j->ff);
					j->ff = NULL;
					run->pick[npick++] = i;
				}
			}
			if (!npick)
				break;
			added += npick;
			rounds++;
			pool_for(jobs, npick, scan_worker, run);
		}
		xfree(seen);
		xfree(run->pick);
		run->pick = NULL;
		run->force = false;
	}
	if (getenv("DISTARCH_PREFILTER_STATS")) {
		size_t bytes = 0, out = 0;
		for (size_t i = 0; i < n; i++) {
			bytes += run->jobs[i].bytes;
			out += run->jobs[i].held ? run->jobs[i].bytes : 0;
		}
		fprintf(stderr, "prefilter: %zu files (%zu bytes), %zu without a needle, %zu of them reached in %zu rounds, "
			"%zu left out (%zu bytes)\n", n, bytes, held, added, rounds, held - added, out);
	}
	VEC_FREE(&w.set);
	xfree(w.bits);
	xfree(w.named);
	VEC_FREE(&scratch);
}

/* Were the files the prefilter held back held back in the recorded run too (scan_options.lazy)? */
static bool held_as_recorded(const struct scan_run *run)
{
	for (size_t i = 0; i < run->total; i++) {
		struct job *j = &run->jobs[i];
		if (j->held) {
			j->ff->prefiltered = true; /* as merge will say: the record knows it so */
			if (!recorded(run, j->ff))
				return false;
		}
	}
	return true;
}

/* A lazy scan whose closure must read every file's names: what it left in the cache is loaded. */
static void load_for_closure(struct scan_run *run, unsigned jobs)
{
	size_t n = 0;
	run->pick = xcalloc(run->total + 1, sizeof(*run->pick));
	for (size_t i = 0; i < run->total; i++) {
		struct job *j = &run->jobs[i];
		if (j->ff && j->ff->unloaded) {
			file_facts_release(j->ff);
			xfree(j->ff);
			j->ff = NULL;
			j->keep = NULL;
			strbuf_reset(&j->rec); /* a restat record is made again */
			j->reused = false;
			run->pick[n++] = i;
		}
	}
	run->lazy = false;
	pool_for(jobs, n, scan_worker, run);
	xfree(run->pick);
	run->pick = NULL;
}

/* A run over `n` files (jobs and per-thread scratch allocated): how many threads it uses. */
static unsigned run_start(struct scan_run *run, struct repo *r, const struct model_set *models,
			  const struct scan_options *opts, size_t n)
{
	unsigned jobs = opts && opts->jobs ? opts->jobs : pool_default_jobs();
	struct timespec wall;
	clock_gettime(CLOCK_REALTIME, &wall);
	*run = (struct scan_run){
		.r = r, .models = models, .opts = opts,
		.lim = { opts && opts->max_file_size ? opts->max_file_size : SCAN_MAX_FILE_SIZE,
			 opts && opts->max_line_length ? opts->max_line_length : SCAN_MAX_LINE_LENGTH },
		.now_ns = (int64_t)wall.tv_sec * 1000000000ll + wall.tv_nsec,
		.total = n,
		.lazy = opts && opts->lazy && opts->cache,
	};
	run->start = run->last_report = now();
	if (jobs > POOL_MAX_JOBS)
		jobs = POOL_MAX_JOBS;
	run->jobs = xcalloc(n + 1, sizeof(*run->jobs));
	run->scratch = xcalloc(jobs, sizeof(*run->scratch));
	for (unsigned k = 0; k < jobs; k++)
		run->scratch[k] = (struct scratch){ STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	for (size_t i = 0; i < n; i++)
		strbuf_init(&run->jobs[i].rec);
	return jobs;
}

/* Free a run (its jobs' facts are the index's by now, or freed). */
static void run_end(struct scan_run *run, unsigned jobs)
{
	for (size_t i = 0; i < run->total; i++) {
		xfree(run->jobs[i].detail);
		strbuf_release(&run->jobs[i].rec);
		VEC_FREE(&run->jobs[i].tokens);
	}
	for (unsigned k = 0; k < jobs; k++) {
		strbuf_release(&run->scratch[k].src);
		strbuf_release(&run->scratch[k].detail);
		strbuf_release(&run->scratch[k].full);
	}
	xfree(run->scratch);
	xfree(run->jobs);
}

int scan_files(struct repo *r, const char *const *paths, size_t npaths,
	       const struct model_set *models, const struct scan_options *opts,
	       struct fact_index *ix, struct scan_stats *st)
{
	struct scan_run run;
	unsigned jobs = run_start(&run, r, models, opts, npaths);
	for (size_t i = 0; i < npaths; i++) {
		run.jobs[i].path = paths[i];
		run.jobs[i].done = index_get(ix, paths[i]) != NULL;
	}
	pool_for(jobs, npaths, scan_worker, &run);
	if (opts && opts->prefilter) {
		if (run.lazy && !held_as_recorded(&run))
			load_for_closure(&run, jobs);
		close_over(&run, jobs, ix);
	}

	for (size_t i = 0; i < npaths; i++)
		merge(&run, &run.jobs[i], ix, st);
	run_end(&run, jobs);
	return 0;
}

int scan_repository(struct repo *r, const struct model_set *models,
		    const struct scan_options *opts, struct fact_index *ix, struct scan_stats *st)
{
	pathvec all = { 0 };
	if (repo_list_entries(r, &all) < 0)
		return -1;
	scan_files(r, (const char *const *)all.items, all.len, models, opts, ix, st);
	pathvec_release(&all);
	return 0;
}

/* Move `from`'s facts into `to` (the index's entry for the same file), which keeps its path and scan flags. */
static void take_facts(struct file_facts *to, struct file_facts *from)
{
	const char *path = to->path;
	bool prefiltered = to->prefiltered, extract_failed = to->extract_failed;
	uint64_t content = from->content_hash ? from->content_hash : to->content_hash;
	file_facts_drop(to);
	xfree((char *)from->path);
	*to = *from;
	to->path = path;
	to->prefiltered = prefiltered;
	to->extract_failed = extract_failed;
	to->content_hash = content;
	to->unloaded = false;
	file_facts_trim(to);
	memset(from, 0, sizeof(*from));
}

int scan_load(struct repo *r, const struct model_set *models, const struct scan_options *opts,
	      struct fact_index *ix, const size_t *files, size_t n)
{
	struct scan_options o = *opts;
	o.prefilter = NULL; /* the file was parsed, or loaded, by the scan: so it is again */
	o.lazy = false;
	o.progress = false;
	struct scan_run run;
	unsigned jobs = run_start(&run, r, models, &o, n);
	for (size_t i = 0; i < n; i++) {
		run.jobs[i].path = ix->files.items[files[i]]->path;
		run.jobs[i].done = !ix->files.items[files[i]]->unloaded;
	}
	pool_for(jobs, n, scan_worker, &run);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct job *j = &run.jobs[i];
		struct file_facts *ff = ix->files.items[files[i]];
		if (!j->done) {
			if (j->cache_bad) { /* the record the scan kept is corrupt: the facts just parsed replace it */
				fact_cache_unkeep(o.cache, fact_cache_find(o.cache, j->path));
				fact_cache_mark_bad(o.cache);
				if (j->record)
					fact_cache_add_facts(o.cache, j->path, &j->st, j->ff->content_hash, j->ff, run.now_ns);
			}
			if (j->skipped || j->extract_failed) {
				/* counted by the scan from the record, unreadable now: said, not dropped silently */
				error("%s: its cached facts are corrupt and the file %s now", j->path,
				      j->skipped ? "cannot be read" : "does not parse");
				rc = -1;
				ff->unloaded = false;
			} else
				take_facts(ff, j->ff);
		}
		if (j->ff) {
			file_facts_release(j->ff);
			xfree(j->ff);
		}
	}
	run_end(&run, jobs);
	return rc;
}

/*
 * What shapes facts besides a file's bytes: this distarch (version, and
 * the binary itself, so a rebuilt front-end never reads an older one's
 * facts), the API models it resolves calls through, and the scan limits.
 */
uint64_t scan_cache_key(const struct scan_options *opts)
{
	uint64_t k = hash64_str(DISTARCH_VERSION, FACTS_SERIAL_VERSION);
	struct stat st;
	if (stat("/proc/self/exe", &st) == 0) {
		k = hash64_u64((uint64_t)st.st_size, k);
		k = hash64_u64((uint64_t)st.st_mtim.tv_sec * 1000000000ull + (uint64_t)st.st_mtim.tv_nsec, k);
		k = hash64_u64((uint64_t)st.st_ino, k);
	} else {
		k = hash64_str(__DATE__ " " __TIME__, k);
	}
	for (size_t i = 0; i < embedded_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (!strncmp(f->path, "data/models/", 12)) {
			k = hash64_str(f->path, k);
			k = hash64(f->data, f->len, k);
		}
	}
	k = hash64_u64(opts && opts->max_file_size ? opts->max_file_size : SCAN_MAX_FILE_SIZE, k);
	k = hash64_u64(opts && opts->max_line_length ? opts->max_line_length : SCAN_MAX_LINE_LENGTH, k);
	k = hash64_u64(opts ? opts->max_nesting : 0, k);
	return k;
}

struct fact_cache *scan_cache_open(const char *root, const struct scan_options *opts, bool no_cache,
				   size_t max_bytes, bool quiet)
{
	struct strbuf dir = STRBUF_INIT;
	struct stat st;
	/*
	 * Only a project is written to: a folder with .dist-architect/, or the
	 * top of a git work tree. Checking any other folder (a vendored tree,
	 * /usr/lib/python3) leaves it as it was.
	 */
	strbuf_addf(&dir, "%s/.dist-architect", root);
	bool project = stat(dir.buf, &st) == 0 && S_ISDIR(st.st_mode);
	strbuf_reset(&dir);
	strbuf_addf(&dir, "%s/.git", root);
	project = project || stat(dir.buf, &st) == 0;
	strbuf_release(&dir);
	if (no_cache || !project)
		return NULL;
	return fact_cache_open(root, scan_cache_key(opts), max_bytes, quiet);
}
