/*
 * Fuzz the log parsers of `debug` (src/debug/logread.c, logtime.c): the
 * input's lines go through format detection and through each of the JSON,
 * logfmt and plain parsers, and their records through the line classes and
 * the evidence detectors; the first line is also tried as a --log-format
 * regex for the other lines. Every timestamp and duration parser sees each
 * line too.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "catalog/catalog.h"
#include "debug/evidence.h"
#include "debug/logread.h"
#include "debug/logtime.h"
#include "debug/vocab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct catalog cat;
static struct vocab voc;
static int ready;

static void each_line(const char *text, size_t size, enum log_format fmt, const struct log_regex *re,
		      struct ev_state *ev)
{
	size_t i = 0;
	while (i < size) {
		const char *nl = memchr(text + i, '\n', size - i);
		size_t e = nl ? (size_t)(nl - text) : size;
		char *line = xstrndup(text + i, e - i); /* the parsers write in place */
		struct log_record r;
		if (log_parse_line(fmt, re, line, e - i, 2026, &r) == 0) {
			r.path = "fuzz.log";
			r.line = 1;
			evidence_record(ev, &r, vocab_classify(&voc, &r));
		}
		int64_t ms;
		(void)logtime_parse(text + i, e - i, false, 2026, &ms);
		(void)logtime_parse(text + i, e - i, true, 2026, &ms);
		xfree(line);
		i = e + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct ev_params p;
	struct ev_state ev;

	diag_set_quiet(1);
	if (!ready) {
		catalog_init(&cat);
		if (catalog_load_builtin(&cat) < 0)
			__builtin_trap();
		vocab_build(&voc, &cat);
		ready = 1;
	}
	(void)log_detect(text, size);
	ev_params_default(&p);
	evidence_init(&ev, &p);
	each_line(text, size, LOG_JSON, NULL, &ev);
	each_line(text, size, LOG_LOGFMT, NULL, &ev);
	each_line(text, size, LOG_PLAIN, NULL, &ev);

	const char *nl = memchr(text, '\n', size);
	size_t first = nl ? (size_t)(nl - text) : size;
	char *pattern = xstrndup(text, first);
	struct log_regex re;
	if (strlen(pattern) == first && log_regex_compile(&re, pattern) == 0) {
		each_line(text + first, size - first, LOG_REGEX, &re, &ev);
		log_regex_release(&re);
	}
	xfree(pattern);
	char *dur = xstrndup(text, size < 32 ? size : 32);
	int64_t ms;
	(void)logtime_duration(dur, &ms);
	xfree(dur);
	evidence_finish(&ev);
	evidence_release(&ev);
	return 0;
}
