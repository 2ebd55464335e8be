/*
 * Log reading for `debug`: timestamps, the JSON scanner, logfmt pairs,
 * plain lines, --log-format regexes, format detection, the streaming
 * reader's limits (long lines, CRLF, a last line without a newline,
 * inherited timestamps), the catalog-driven line classes and the bounded
 * per-id table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/strbuf.h"
#include "catalog/catalog.h"
#include "debug/idtab.h"
#include "debug/logread.h"
#include "debug/logtime.h"
#include "debug/vocab.h"

static int64_t ts(const char *s, bool whole)
{
	int64_t ms = -1;
	size_t used = logtime_parse(s, strlen(s), whole, 2026, &ms);
	return used ? ms : -1;
}

static void test_timestamps(void **state)
{
	(void)state;
	const int64_t base = 1772618400000; /* 2026-03-04T10:00:00Z */
	assert_int_equal(ts("2026-03-04T10:00:00Z", true), base);
	assert_int_equal(ts("2026-03-04T10:00:00.123Z", true), base + 123);
	assert_int_equal(ts("2026-03-04 10:00:00,5", true), base + 500);
	assert_int_equal(ts("2026-03-04T11:00:00.000+01:00", true), base);
	assert_int_equal(ts("2026-03-04T05:30:00-0430", true), base);
	assert_int_equal(ts("2026-03-04T10:00:00.123456789Z", true), base + 123);
	assert_int_equal(ts("1772618400", true), base);
	assert_int_equal(ts("1772618400.25", true), base + 250);
	assert_int_equal(ts("1772618400123", true), base + 123);
	assert_int_equal(ts("1772618400123456", true), base + 123);
	assert_int_equal(ts("1772618400123456789", true), base + 123);
	assert_int_equal(ts("Mar  4 10:00:00", true), base);
	assert_int_equal(ts("mar 04 10:00:00.5", true), base + 500);
	/* Head of a plain line: followed by a blank, ']' or the end. */
	assert_int_equal(ts("2026-03-04 10:00:00 INFO x", false), base);
	assert_int_equal(ts("2026-03-04T10:00:00Z] x", false), base);
	/* Not timestamps. */
	assert_int_equal(ts("2026-13-04T10:00:00Z", true), -1);
	assert_int_equal(ts("2026-03-04T25:00:00Z", true), -1);
	assert_int_equal(ts("2026-03-04", true), -1);
	assert_int_equal(ts("12345", true), -1);
	assert_int_equal(ts("2026-03-04T10:00:00Zjunk", true), -1);
	assert_int_equal(ts("Foo  4 10:00:00", true), -1);
	assert_int_equal(ts("", true), -1);

	int64_t d;
	assert_int_equal(logtime_duration("250ms", &d), 0);
	assert_int_equal(d, 250);
	assert_int_equal(logtime_duration("1.5s", &d), 0);
	assert_int_equal(d, 1500);
	assert_int_equal(logtime_duration("5m", &d), 0);
	assert_int_equal(d, 300000);
	assert_int_equal(logtime_duration("2", &d), 0);
	assert_int_equal(d, 2000);
	assert_int_equal(logtime_duration("fast", &d), -1);
	assert_int_equal(logtime_duration("5d", &d), -1);
	assert_int_equal(logtime_duration("-1s", &d), -1);
}

static bool field_is(const struct log_record *r, enum log_field f, const char *want)
{
	return r->f[f].p && r->f[f].n == strlen(want) && !memcmp(r->f[f].p, want, r->f[f].n);
}

static int parse(enum log_format fmt, const char *line, struct log_record *r, char *buf, size_t cap)
{
	size_t n = strlen(line);
	assert_true(n < cap);
	memcpy(buf, line, n + 1);
	return log_parse_line(fmt, NULL, buf, n, 2026, r);
}

static void test_json(void **state)
{
	(void)state;
	char buf[512];
	struct log_record r;

	assert_int_equal(parse(LOG_JSON, "{\"ts\":\"2026-03-04T10:00:00Z\",\"level\":\"warn\",\"msg\":\"job \\\"x\\\" failed\\n\","
			       "\"host\":\"h1\",\"worker\":\"gpu-2\",\"job_id\":\"j-1\",\"attempt\":3,\"ctx\":{\"a\":[1,{\"b\":\"}\"}]},"
			       "\"ok\":true,\"n\":null}", &r, buf, sizeof(buf)), 0);
	assert_true(r.has_ts);
	assert_int_equal(r.ts, 1772618400000);
	assert_true(field_is(&r, LF_LEVEL, "warn"));
	assert_true(field_is(&r, LF_MSG, "job \"x\" failed\n"));
	assert_true(field_is(&r, LF_INSTANCE, "gpu-2")); /* worker ranks before host */
	assert_true(field_is(&r, LF_ID, "j-1"));
	assert_true(field_is(&r, LF_ATTEMPT, "3"));

	assert_int_equal(parse(LOG_JSON, "{\"message\":\"caf\\u00e9 \\ud83d\\ude00\",\"time\":1772618400123}", &r, buf, sizeof(buf)), 0);
	assert_true(field_is(&r, LF_MSG, "caf\xc3\xa9 \xf0\x9f\x98\x80"));
	assert_int_equal(r.ts, 1772618400123);
	assert_int_equal(parse(LOG_JSON, "  { }  ", &r, buf, sizeof(buf)), 0);

	static const char *const broken[] = {
		"{\"msg\": \"unterminated", "{\"msg\" \"x\"}", "{\"msg\": \"x\"} trailing", "[1,2]",
		"{\"a\": {\"b\": 1}", "{\"msg\": \"bad \\q escape\"}", "{\"a\": \"\\u12\"}", "{\"a\": }",
		"{\"a\": 1,}", "{a: 1}", "", "{\"a\": \"tab\there\"}",
	};
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++)
		assert_int_equal(parse(LOG_JSON, broken[i], &r, buf, sizeof(buf)), -1);
}

static void test_logfmt_and_plain(void **state)
{
	(void)state;
	char buf[512];
	struct log_record r;

	assert_int_equal(parse(LOG_LOGFMT, "ts=2026-03-04T10:00:00Z level=info msg=\"worker \\\"gpu-1\\\" ready\" "
			       "pod=p-7 request_id=r-9 status=IDLE bare words", &r, buf, sizeof(buf)), 0);
	assert_int_equal(r.ts, 1772618400000);
	assert_true(field_is(&r, LF_MSG, "worker \"gpu-1\" ready"));
	assert_true(field_is(&r, LF_INSTANCE, "p-7"));
	assert_true(field_is(&r, LF_ID, "r-9"));
	assert_true(field_is(&r, LF_EVENT, "IDLE"));

	assert_int_equal(parse(LOG_PLAIN, "[2026-03-04 10:00:00,250] ERROR: job failed worker=gpu-3 job=j-4", &r, buf, sizeof(buf)), 0);
	assert_int_equal(r.ts, 1772618400250);
	assert_true(field_is(&r, LF_LEVEL, "ERROR"));
	assert_true(field_is(&r, LF_MSG, "job failed worker=gpu-3 job=j-4"));
	assert_true(field_is(&r, LF_INSTANCE, "gpu-3"));
	assert_true(field_is(&r, LF_ID, "j-4"));

	assert_int_equal(parse(LOG_PLAIN, "    at frame (x.py:3)", &r, buf, sizeof(buf)), 0);
	assert_false(r.has_ts);
	assert_true(field_is(&r, LF_MSG, "at frame (x.py:3)"));
}

static void test_detect(void **state)
{
	(void)state;
	const char *json = "{\"a\":1}\n{\"b\":2}\nnot json\n";
	const char *logfmt = "ts=1 level=info msg=x\nts=2 level=warn msg=y\n";
	const char *plain = "2026-03-04 10:00:00 INFO started\nsomething a=b\n";
	assert_int_equal(log_detect(json, strlen(json)), LOG_JSON);
	assert_int_equal(log_detect(logfmt, strlen(logfmt)), LOG_LOGFMT);
	assert_int_equal(log_detect(plain, strlen(plain)), LOG_PLAIN);
	assert_int_equal(log_detect("", 0), LOG_PLAIN);
}

static void test_regex(void **state)
{
	(void)state;
	struct log_regex re;
	struct log_record r;
	char line[] = "12:00 [gpu-2] j-9 boom";

	assert_int_equal(log_regex_compile(&re, "^\\S+ \\[(?<worker>[^]]+)\\] (?<job_id>\\S+) (?<msg>.*)$"), 0);
	assert_int_equal(log_parse_line(LOG_REGEX, &re, line, strlen(line), 2026, &r), 0);
	assert_true(field_is(&r, LF_INSTANCE, "gpu-2"));
	assert_true(field_is(&r, LF_ID, "j-9"));
	assert_true(field_is(&r, LF_MSG, "boom"));
	char other[] = "no match";
	assert_int_equal(log_parse_line(LOG_REGEX, &re, other, strlen(other), 2026, &r), -1);
	log_regex_release(&re);

	diag_set_quiet(1);
	unsigned before = diag_error_count();
	assert_int_equal(log_regex_compile(&re, "(?<nope>x)"), -1);
	assert_int_equal(log_regex_compile(&re, "(unclosed"), -1);
	assert_int_equal(log_regex_compile(&re, "plain"), -1);
	assert_int_equal(diag_error_count(), before + 3);
	diag_set_quiet(0);
}

/* The reader over a file: long lines skipped and counted, CRLF, no final newline, inherited times. */
static void test_reader(void **state)
{
	(void)state;
	char path[] = "/tmp/distarch-logread-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	fprintf(fp, "{\"ts\":\"2026-03-04T10:00:00Z\",\"msg\":\"one\"}\r\n");
	fprintf(fp, "{\"msg\":\"no time\"}\n\n");
	fputc('{', fp);
	for (size_t i = 0; i < LOG_BUF_SIZE + 100; i++)
		fputc('x', fp); /* longer than the buffer: skipped whole */
	fputc('\n', fp);
	fprintf(fp, "{\"msg\": broken}\n");
	fputc('"', fp);
	for (size_t i = 0; i < LOG_MAX_LINE + 10; i++)
		fputc('y', fp); /* longer than a line may be, shorter than the buffer */
	fputc('\n', fp);
	fprintf(fp, "{\"ts\":\"2026-03-04T10:00:01Z\",\"msg\":\"last\"}");
	fclose(fp);

	struct log_reader rd;
	struct log_record r;
	assert_int_equal(log_reader_open(&rd, path, LOG_AUTO, NULL), 0);
	assert_int_equal(rd.fmt, LOG_JSON);
	assert_int_equal(log_reader_next(&rd, &r), 1);
	assert_true(field_is(&r, LF_MSG, "one"));
	assert_int_equal(r.line, 1);
	assert_int_equal(log_reader_next(&rd, &r), 1);
	assert_true(field_is(&r, LF_MSG, "no time"));
	assert_false(r.has_ts);
	assert_int_equal(r.ts, 1772618400000);
	assert_int_equal(log_reader_next(&rd, &r), 1);
	assert_true(field_is(&r, LF_MSG, "last"));
	assert_int_equal(r.line, 7);
	assert_int_equal(log_reader_next(&rd, &r), 0);
	assert_int_equal(rd.st.broken, 1);
	assert_int_equal(rd.st.too_long, 2); /* the one past the buffer, the one past the line limit */
	assert_int_equal(rd.st.no_time, 1);
	log_reader_release(&rd);
	unlink(path);
}

static void test_vocab(void **state)
{
	(void)state;
	struct catalog c;
	struct vocab v;
	catalog_init(&c);
	assert_int_equal(catalog_load_builtin(&c), 0);
	vocab_build(&v, &c);
	assert_null(v.dropped);
	const char *t1 = "JOB_FAILED: ComfyUIUnreachable";
	assert_true(vocab_classify_text(&v, t1, strlen(t1)) & LC_BIT(LC_FAILURE));
	const char *t2 = "progress WebSocket was closed by peer";
	assert_true(vocab_classify_text(&v, t2, strlen(t2)) & LC_BIT(LC_CHANNEL_ERROR));
	const char *t3 = "websocket connected";
	assert_false(vocab_classify_text(&v, t3, strlen(t3)) & LC_BIT(LC_CHANNEL_ERROR));
	const char *t4 = "XACK sent for entry";
	assert_true(vocab_classify_text(&v, t4, strlen(t4)) & LC_BIT(LC_ACK));
	const char *t5 = "payload for job not found";
	assert_true(vocab_classify_text(&v, t5, strlen(t5)) & LC_BIT(LC_MISSING));
	const char *t6 = "notfoundish";
	assert_int_equal(vocab_classify_text(&v, t6, strlen(t6)), 0);
	vocab_release(&v);
	catalog_release(&c);
}

/* log_evidence, signature and seen in a catalog entry: loaded and checked. */
static void test_entry_log_fields(void **state)
{
	(void)state;
	static const char good[] =
		"---\nid: T-1\nname: n\nsummary: s\nsignals: [interaction]\nsymptoms: [x]\n"
		"detection: d\nfix: [f]\nlog_evidence:\n  ack: [acked, \"offset committed\"]\n"
		"signature: T-1-abc\nseen: 3\n---\nbody\n";
	static const char bad[] =
		"---\nid: T-2\nname: n\nsummary: s\nsignals: [interaction]\nsymptoms: [x]\n"
		"detection: d\nfix: [f]\nlog_evidence:\n  telepathy: [x]\n  ack: [Acked]\nseen: 0\n---\nbody\n";
	struct catalog c;
	catalog_init(&c);
	assert_int_equal(catalog_load_buffer(&c, "good.md", good, sizeof(good) - 1), 0);
	const struct catalog_entry *e = catalog_find(&c, "T-1");
	assert_non_null(e);
	assert_int_equal(e->nlog_evidence, 1);
	assert_string_equal(e->log_evidence[0].name, "ack");
	assert_int_equal(e->log_evidence[0].words.len, 2);
	assert_string_equal(e->signature, "T-1-abc");
	assert_int_equal(e->seen, 3);
	unsigned before = diag_error_count();
	assert_int_equal(catalog_load_buffer(&c, "bad.md", bad, sizeof(bad) - 1), -1);
	assert_int_equal(diag_error_count(), before + 3); /* the class, the capital, the count */
	catalog_release(&c);
}

/* The per-id table stays bounded: closed and idle keys go at a sweep. */
static void test_idtab(void **state)
{
	(void)state;
	struct idtab t;
	char key[32];
	idtab_init(&t, sizeof(struct idtab_head) + 16, 1000);
	for (int i = 0; i < 200000; i++) {
		int n = snprintf(key, sizeof(key), "job-%d", i);
		struct idtab_head *h = idtab_get(&t, key, (size_t)n, i);
		if (i % 2)
			h->closed = true;
	}
	assert_true(t.cap <= 8192); /* 200,000 keys, at most ~1,000 open at a time */
	assert_non_null(idtab_find(&t, "job-199998", 10));
	assert_null(idtab_find(&t, "job-5", 5));
	assert_true(t.dropped > 0);
	idtab_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_logfmt_and_plain),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_vocab),
		cmocka_unit_test(test_entry_log_fields),
		cmocka_unit_test(test_idtab),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
