#ifndef DISTARCH_DEBUG_LOGREAD_H
#define DISTARCH_DEBUG_LOGREAD_H
/*
 * Reading log files as a stream of records, in bounded memory.
 *
 * Formats, detected per file from its first lines (or forced):
 *   json     one JSON object per line; top-level keys only, nested values skipped
 *   logfmt   key=value key="quoted value" ...
 *   plain    [TIMESTAMP] [LEVEL] text, with any key=value pairs in the text
 *   regex    --log-format: a PCRE2 pattern whose named groups are field names
 *
 * Fields are found by common names (case-insensitive), the first name of a
 * field's list winning when a line has several:
 *   time      time ts timestamp @timestamp datetime date asctime t
 *   level     level lvl severity loglevel levelname
 *   msg       msg message text log
 *   service   service component app logger svc
 *   instance  worker worker_id instance instance_id pod node host hostname replica consumer
 *   id        job job_id task task_id request request_id req_id op op_id operation_id
 *             message_id msg_id correlation_id order_id trace_id id
 *   event     event status state type action
 *   error     error err error_code code exception reason
 *   attempt   attempt attempts retry retries try
 *
 * A line that cannot be read (broken JSON, a regex that does not match) or
 * is longer than the line limit (LOG_MAX_LINE unless the reader is opened
 * with another) is skipped and counted, never fatal. A line without a
 * timestamp takes the previous line's (counted). Memory: one buffer per open
 * file of LOG_BUF_SIZE (or twice the line limit, if more), whatever the
 * file's size.
 *
 * Ownership: a record's texts point into the reader's buffer and are valid
 * until the next log_reader_next(). Values are unescaped in place.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/strbuf.h"

#define LOG_BUF_SIZE (1u << 20)
#define LOG_MAX_LINE (LOG_BUF_SIZE / 2)

enum log_format { LOG_AUTO, LOG_JSON, LOG_LOGFMT, LOG_PLAIN, LOG_REGEX };
const char *log_format_name(enum log_format f);

enum log_field {
	LF_TIME, LF_LEVEL, LF_MSG, LF_SERVICE, LF_INSTANCE, LF_ID, LF_EVENT, LF_ERROR,
	LF_ATTEMPT, LF_COUNT
};
/* "time", "level", ... (the names --log-format groups may use, besides the aliases above). */
const char *log_field_name(enum log_field f);

struct log_text {
	const char *p; /* NULL when absent */
	uint32_t n;
};

struct log_record {
	const char *path;   /* the file, as given */
	uint64_t line;      /* 1-based */
	int64_t ts;         /* ms since the epoch (UTC) */
	bool has_ts;        /* the line's own timestamp */
	struct log_text f[LF_COUNT];
	uint8_t rank[LF_COUNT]; /* private: which alias set the field */
	const char *raw;    /* the whole line (after in-place unescaping) */
	uint32_t rawlen;
};

/* --log-format: a compiled pattern and which group gives which field. */
struct log_regex {
	void *code;       /* pcre2_code_8 */
	void *match_data; /* pcre2_match_data_8 */
	int group_field[LF_COUNT]; /* capture group number per field, 0 when absent */
};

/* Compile `pattern`; errors name the column. Returns 0 or -1 (error() printed). */
int log_regex_compile(struct log_regex *re, const char *pattern);
void log_regex_release(struct log_regex *re);

/* Which format the first lines of `buf` are in (never LOG_AUTO or LOG_REGEX). */
enum log_format log_detect(const char *buf, size_t n);

/*
 * Parse one line (no newline) of format `fmt` into `rec` (zeroed first;
 * path and line are left to the caller). `line` is modified in place.
 * Returns 0, or -1 when the line is broken. `year` is for syslog stamps.
 */
int log_parse_line(enum log_format fmt, const struct log_regex *re, char *line, size_t n,
		   int year, struct log_record *rec);

struct log_stats {
	uint64_t lines;    /* non-empty lines read */
	uint64_t broken;   /* skipped: unreadable */
	uint64_t too_long; /* skipped: longer than the line limit */
	uint64_t no_time;  /* without a timestamp of their own */
	uint64_t bytes;
};

struct log_reader {
	const char *path;
	int fd;
	char *buf;
	size_t cap;        /* of buf */
	size_t max_line;   /* longer lines are skipped */
	size_t start, end; /* unread bytes are buf[start, end) */
	bool eof, skipping;
	enum log_format fmt;
	const struct log_regex *re;
	uint64_t lineno;
	int64_t last_ts;
	bool have_ts;
	int year;
	struct log_stats st;
};

/*
 * Open `path` ("-" is stdin) for reading in format `fmt` (LOG_AUTO: detect;
 * LOG_REGEX needs `re`, which must outlive the reader). Returns 0 or -1.
 */
int log_reader_open(struct log_reader *r, const char *path, enum log_format fmt,
		    const struct log_regex *re);
/* The same with a line limit in bytes (0: LOG_MAX_LINE). */
int log_reader_open_max(struct log_reader *r, const char *path, enum log_format fmt,
			const struct log_regex *re, size_t max_line);
/* The next record: 1, 0 at the end, -1 on a read error (reported). */
int log_reader_next(struct log_reader *r, struct log_record *rec);
void log_reader_release(struct log_reader *r);

/* Does text `t` equal `s`, ignoring case? */
bool log_text_eq(struct log_text t, const char *s);

#endif
