#ifndef DISTARCH_CMD_CHECK_H
#define DISTARCH_CMD_CHECK_H
/*
 * One `distarch check` run, callable in-process: the CLI (src/cmd/check.c),
 * the MCP server's dist_check (src/mcp/tools.c) and the hooks
 * (src/cmd/hook.c) run the same code. The report is rendered once per
 * sink, so one analysis can give both JSON and Markdown.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cmd.h"
#include "../report/finding.h"

struct check_opts {
	bool all, staged, no_progress;
	const char *diff, *patch, *topology, *format, *fail_on;
	const char *config, *baseline, *write_baseline;
	/* the scan's limits; 0: the config's, else the defaults (docs/limits.md) */
	size_t max_file_size, max_line_length;
	int max_nesting;
	/* parallel scan and fact cache: -j (0: one per processor), --no-cache, --cache-max (0: 256M) */
	int jobs;
	bool no_cache;
	bool no_prefilter; /* --no-prefilter: parse every file (source/prefilter.h) */
	size_t cache_max;
	/*
	 * The command line (its words, the working folder, colour) as a hash:
	 * nonzero lets the run replay the report memo of an identical earlier
	 * run (src/cache/reportmemo.h). 0 for in-process callers (MCP, hooks).
	 */
	uint64_t memo_seed;
};

/* Where the report goes: `format` is text, json, markdown or sarif. */
struct check_sink {
	const char *format;
	FILE *out;
};

/*
 * Check `root` (a folder) for the selection in `o`, filtered by `filters`
 * (NULL-terminated paths relative to root, or NULL), and write the report
 * to each sink. Returns EXIT_CLEAN, EXIT_FINDINGS (findings at or above
 * o->fail_on) or EXIT_USAGE after an error() naming the problem.
 * `o->patch` "-" reads stdin. `o->fail_on` may be NULL (the config's, else error).
 */
int check_execute(struct check_opts *o, const char *root, const char *const *filters,
		  struct cmd_ctx *ctx, const struct check_sink *sinks, size_t nsinks);

/*
 * The same run without rendering (debug's code findings): the findings of
 * the selection in `o` after suppressions, config and baseline are moved
 * to *out (the caller releases them). Returns as check_execute.
 */
int check_collect(struct check_opts *o, const char *root, struct cmd_ctx *ctx, finding_vec *out);

#endif
