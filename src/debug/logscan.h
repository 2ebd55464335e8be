#ifndef DISTARCH_DEBUG_LOGSCAN_H
#define DISTARCH_DEBUG_LOGSCAN_H
/*
 * Several log files as one stream in time order: each file is read
 * streaming (logread.h) and the files are merged by timestamp, so that the
 * evidence detectors see an engine's ack before a dispatcher's "missing"
 * whatever file each is in. Within a file, lines keep their order (a
 * process's own clock is monotonic enough; between instances the detectors
 * allow ev_params.skew). --since/--until drop records outside the range.
 */
#include <stdbool.h>
#include <stdint.h>

#include "../base/vec.h"
#include "evidence.h"
#include "logread.h"
#include "vocab.h"

struct log_scan_opts {
	enum log_format fmt;       /* LOG_AUTO: per file */
	const struct log_regex *re; /* for LOG_REGEX */
	bool has_since, has_until;
	int64_t since, until;      /* ms since the epoch; until is exclusive */
	size_t max_line;           /* bytes; 0: LOG_MAX_LINE */
};

struct log_file_info {
	const char *path;
	enum log_format fmt;
	struct log_stats st;
};

struct log_scan {
	VEC(struct log_file_info) files;
	uint64_t out_of_range; /* records outside --since/--until */
	uint64_t bytes, lines, broken, too_long, no_time;
	size_t max_line;       /* the line limit that applied */
};

void log_scan_release(struct log_scan *s);
/* Read every file into the detectors. Returns 0, or -1 when a file cannot be opened or read. */
int log_scan_files(struct log_scan *s, const char *const *paths, size_t n,
		   const struct log_scan_opts *o, const struct vocab *v, struct ev_state *ev);

#endif
