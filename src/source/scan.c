#include "scan.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/strbuf.h"
#include "langreg.h"
#include "../base/banned.h"

#define DEFAULT_MAX_FILE (4u << 20)

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
	s->path = xstrdup(path);
	s->reason = why;
	s->detail = xstrdup(detail ? detail : "");
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int scan_files(struct repo *r, const char *const *paths, size_t npaths,
	       const struct model_set *models, const struct scan_options *opts,
	       struct fact_index *ix, struct scan_stats *st)
{
	size_t max = opts && opts->max_file_size ? opts->max_file_size : DEFAULT_MAX_FILE;
	struct strbuf full = STRBUF_INIT, src = STRBUF_INIT;
	double start = now(), last_report = start;

	for (size_t i = 0; i < npaths; i++) {
		const char *path = paths[i];
		if (index_get(ix, path))
			continue;
		st->files++;
		enum lang lang = lang_from_path(path);
		if (lang == LANG_NONE) {
			skip(st, path, SKIP_NOT_SOURCE, NULL);
			continue;
		}
		lang_extract_fn extract = lang_extractor(lang);
		if (!extract) {
			skip(st, path, SKIP_NO_FRONTEND, lang_name(lang));
			continue;
		}
		strbuf_reset(&full);
		strbuf_addf(&full, "%s/%s", r->root, path);
		strbuf_reset(&src);
		FILE *fp = fopen(full.buf, "rb");
		if (!fp) {
			skip(st, path, SKIP_UNREADABLE, strerror(errno));
			continue;
		}
		struct stat sb;
		if (fstat(fileno(fp), &sb) == 0 && (size_t)sb.st_size > max) {
			char detail[64];
			snprintf(detail, sizeof(detail), "%lld bytes, over the %zu-byte limit",
				 (long long)sb.st_size, max);
			fclose(fp);
			skip(st, path, SKIP_TOO_LARGE, detail);
			continue;
		}
		/* Counted as a skip, not reported as an error: the scan goes on. */
		int rc = read_stream(fp, path, &src, 0);
		fclose(fp);
		if (rc < 0) {
			skip(st, path, SKIP_UNREADABLE, "read failed");
			continue;
		}
		if (memchr(src.buf, '\0', src.len < 8192 ? src.len : 8192)) {
			skip(st, path, SKIP_BINARY, "NUL bytes in the first 8 KiB");
			continue;
		}
		st->bytes += src.len;
		struct file_facts *ff = index_add(ix, path, lang);
		ff->is_test = lang_is_test_path(path);
		if (extract(src.buf, src.len, ff) < 0) {
			skip(st, path, SKIP_PARSE_FAILED, lang_name(lang));
			continue;
		}
		if (ff->skip_reason) {
			skip(st, path, SKIP_GENERATED, ff->skip_reason);
			continue;
		}
		if (models)
			models_resolve(models, ff);
		st->parsed++;
		if (ff->parse_errors)
			st->parse_errors++;
		if (opts && opts->progress && now() - last_report > 1.0) {
			last_report = now();
			note("scanned %zu of %zu files (%.1fs)", i + 1, npaths, last_report - start);
		}
	}
	strbuf_release(&full);
	strbuf_release(&src);
	return 0;
}

int scan_repository(struct repo *r, const struct model_set *models,
		    const struct scan_options *opts, struct fact_index *ix, struct scan_stats *st)
{
	pathvec all = { 0 };
	if (repo_list_files(r, &all) < 0)
		return -1;
	scan_files(r, (const char *const *)all.items, all.len, models, opts, ix, st);
	pathvec_release(&all);
	return 0;
}
