#ifndef DISTARCH_CMD_DEBUG_H
#define DISTARCH_CMD_DEBUG_H
/*
 * One `distarch debug` run, callable in-process (the CLI, src/cmd/debug.c;
 * an MCP tool can call the same): symptom matching, the backward trace,
 * log evidence, ranked hypotheses, the forward trace of the fix and, with
 * `capture`, a catalog draft; the report goes to `out`.
 */
#include <stdbool.h>
#include <stdio.h>

#include "cmd.h"

struct debug_opts {
	const char *component;  /* where the symptom shows, or NULL (one the symptom names) */
	const char **logs;      /* NULL-terminated log files ("-": stdin), or NULL */
	const char *log_format; /* json, logfmt, plain, a PCRE2 regex, or NULL (detect) */
	const char *since, *until; /* times, or NULL */
	const char *window, *skew; /* durations, or NULL (defaults) */
	size_t max_log_line;    /* bytes; 0: LOG_MAX_LINE */
	const char *topology;   /* or NULL: ROOT/.dist-architect/topology.yaml when it exists */
	const char *format;     /* text, json or markdown; NULL is text */
	bool capture, no_code;
	FILE *markdown;         /* when set, the report is also written there as Markdown (the MCP tool's text) */
};

/*
 * Debug `symptom` in the project at `root` (a folder). Returns EXIT_CLEAN
 * after writing the report, or EXIT_USAGE after an error() naming the
 * problem (a bad log file, regex, time or topology).
 */
int debug_execute(const struct debug_opts *o, const char *symptom, const char *root,
		  struct cmd_ctx *ctx, FILE *out);

#endif
