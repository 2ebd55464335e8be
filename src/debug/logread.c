/*
 * Log files as records (see logread.h): format detection, a small JSON
 * object scanner, logfmt pairs, plain lines with a timestamp head, and
 * --log-format patterns. Streaming: one fixed buffer per file.
 */
#include "logread.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <fcntl.h>
#include <pcre2.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "logtime.h"
#include "../base/banned.h"

static const char *const field_names[LF_COUNT] = {
	"time", "level", "msg", "service", "instance", "id", "event", "error", "attempt",
};

const char *log_field_name(enum log_field f)
{
	return f < LF_COUNT ? field_names[f] : "?";
}

const char *log_format_name(enum log_format f)
{
	static const char *const names[] = { "auto", "json", "logfmt", "plain", "regex" };
	return f <= LOG_REGEX ? names[f] : "?";
}

/* Field aliases in order of preference within a field (the rank). */
static const struct alias {
	const char *name;
	enum log_field field;
} aliases[] = {
	{ "time", LF_TIME }, { "ts", LF_TIME }, { "timestamp", LF_TIME }, { "@timestamp", LF_TIME },
	{ "datetime", LF_TIME }, { "date", LF_TIME }, { "asctime", LF_TIME }, { "t", LF_TIME },
	{ "level", LF_LEVEL }, { "lvl", LF_LEVEL }, { "severity", LF_LEVEL },
	{ "loglevel", LF_LEVEL }, { "levelname", LF_LEVEL },
	{ "msg", LF_MSG }, { "message", LF_MSG }, { "text", LF_MSG }, { "log", LF_MSG },
	{ "service", LF_SERVICE }, { "component", LF_SERVICE }, { "app", LF_SERVICE },
	{ "logger", LF_SERVICE }, { "svc", LF_SERVICE },
	{ "worker", LF_INSTANCE }, { "worker_id", LF_INSTANCE }, { "instance", LF_INSTANCE },
	{ "instance_id", LF_INSTANCE }, { "pod", LF_INSTANCE }, { "node", LF_INSTANCE },
	{ "host", LF_INSTANCE }, { "hostname", LF_INSTANCE }, { "replica", LF_INSTANCE },
	{ "consumer", LF_INSTANCE },
	{ "job", LF_ID }, { "job_id", LF_ID }, { "task", LF_ID }, { "task_id", LF_ID },
	{ "request", LF_ID }, { "request_id", LF_ID }, { "req_id", LF_ID }, { "op", LF_ID },
	{ "op_id", LF_ID }, { "operation_id", LF_ID }, { "message_id", LF_ID }, { "msg_id", LF_ID },
	{ "correlation_id", LF_ID }, { "order_id", LF_ID }, { "trace_id", LF_ID }, { "id", LF_ID },
	{ "event", LF_EVENT }, { "status", LF_EVENT }, { "state", LF_EVENT }, { "type", LF_EVENT },
	{ "action", LF_EVENT },
	{ "error", LF_ERROR }, { "err", LF_ERROR }, { "error_code", LF_ERROR }, { "code", LF_ERROR },
	{ "exception", LF_ERROR }, { "reason", LF_ERROR },
	{ "attempt", LF_ATTEMPT }, { "attempts", LF_ATTEMPT }, { "retry", LF_ATTEMPT },
	{ "retries", LF_ATTEMPT }, { "try", LF_ATTEMPT },
};
#define NALIASES (sizeof(aliases) / sizeof(aliases[0]))
#define ALIAS_SLOTS 256

/* Alias lookup: an open-addressing table over lowercase FNV-1a, built once. */
static int16_t alias_slot[ALIAS_SLOTS];
static bool alias_ready;

static uint32_t fnv_lower(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		h = (h ^ c) * 16777619u;
	}
	return h;
}

static void alias_init(void)
{
	for (size_t i = 0; i < ALIAS_SLOTS; i++)
		alias_slot[i] = -1;
	for (size_t i = 0; i < NALIASES; i++) {
		uint32_t h = fnv_lower(aliases[i].name, strlen(aliases[i].name)) % ALIAS_SLOTS;
		while (alias_slot[h] >= 0)
			h = (h + 1) % ALIAS_SLOTS;
		alias_slot[h] = (int16_t)i;
	}
	alias_ready = true;
}

static bool eq_lower(const char *a, size_t n, const char *lower)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)a[i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (!lower[i] || c != (unsigned char)lower[i])
			return false;
	}
	return !lower[n];
}

/* The alias index of key k[0, n), or -1. */
static int alias_find(const char *k, size_t n)
{
	if (!alias_ready)
		alias_init();
	if (!n || n > 20)
		return -1;
	uint32_t h = fnv_lower(k, n) % ALIAS_SLOTS;
	while (alias_slot[h] >= 0) {
		if (eq_lower(k, n, aliases[alias_slot[h]].name))
			return alias_slot[h];
		h = (h + 1) % ALIAS_SLOTS;
	}
	return -1;
}

bool log_text_eq(struct log_text t, const char *s)
{
	return t.p && eq_lower(t.p, t.n, s);
}

/* Set a field unless a better-ranked alias already set it. */
static void set_field(struct log_record *r, const char *k, size_t kn, const char *v, size_t vn)
{
	int a = alias_find(k, kn);
	if (a < 0 || vn > UINT32_MAX)
		return;
	enum log_field f = aliases[a].field;
	uint8_t rank = (uint8_t)(a + 1);
	if (r->f[f].p && r->rank[f] <= rank)
		return;
	r->f[f].p = v;
	r->f[f].n = (uint32_t)vn;
	r->rank[f] = rank;
}

/* --- JSON --- */

static size_t skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static bool hex4(const char *s, size_t n, size_t i, uint32_t *out)
{
	uint32_t v = 0;
	if (n - i < 4)
		return false;
	for (int k = 0; k < 4; k++) {
		int h = hexval(s[i + (size_t)k]);
		if (h < 0)
			return false;
		v = v * 16 + (uint32_t)h;
	}
	*out = v;
	return true;
}

/*
 * A JSON string at s[i] (the opening quote). Unescapes in place: the value
 * is s[*vs, *vs + *vn). Returns the index after the closing quote, or 0 when
 * the string is broken.
 */
static size_t json_string(char *s, size_t n, size_t i, size_t *vs, size_t *vn)
{
	size_t o = ++i;
	*vs = i;
	while (i < n) {
		char c = s[i];
		if (c == '"') {
			*vn = o - *vs;
			return i + 1;
		}
		if ((unsigned char)c < 0x20)
			return 0;
		if (c != '\\') {
			s[o++] = s[i++];
			continue;
		}
		if (++i >= n)
			return 0;
		switch (s[i]) {
		case '"': case '\\': case '/': s[o++] = s[i]; break;
		case 'b': s[o++] = '\b'; break;
		case 'f': s[o++] = '\f'; break;
		case 'n': s[o++] = '\n'; break;
		case 'r': s[o++] = '\r'; break;
		case 't': s[o++] = '\t'; break;
		case 'u': {
			uint32_t cp, lo;
			if (!hex4(s, n, i + 1, &cp))
				return 0;
			i += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && i + 6 < n && s[i + 1] == '\\' &&
			    s[i + 2] == 'u' && hex4(s, n, i + 3, &lo) && lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd;
			}
			/* 6 or 12 escape bytes always hold the (at most 4) UTF-8 bytes. */
			o += put_utf8(s + o, cp);
			break;
		}
		default:
			return 0;
		}
		i++;
	}
	return 0;
}

/* Skip a nested value (object or array) at s[i]; returns the index after it, or 0. */
static size_t json_skip_nested(const char *s, size_t n, size_t i)
{
	unsigned depth = 0;
	while (i < n) {
		char c = s[i];
		if (c == '"') {
			i++;
			while (i < n && s[i] != '"') {
				if (s[i] == '\\')
					i++;
				i++;
			}
			if (i >= n)
				return 0;
		} else if (c == '{' || c == '[') {
			if (++depth > 512)
				return 0;
		} else if (c == '}' || c == ']') {
			if (!depth)
				return 0;
			if (--depth == 0)
				return i + 1;
		}
		i++;
	}
	return 0;
}

static bool scalar_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '-' || c == '+' || c == '.';
}

/* true, false, null, or a number (loosely: a sign, digits, a fraction, an exponent). */
static bool json_literal(const char *s, size_t n)
{
	if ((n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "null", 4))) || (n == 5 && !memcmp(s, "false", 5)))
		return true;
	size_t i = 0, digits = 0;
	if (i < n && s[i] == '-')
		i++;
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (!strchr(".eE+-", s[i]))
			return false;
	}
	return digits > 0;
}

static int parse_json(char *s, size_t n, struct log_record *r)
{
	size_t i = skip_ws(s, n, 0);
	if (i >= n || s[i] != '{')
		return -1;
	i = skip_ws(s, n, i + 1);
	if (i < n && s[i] == '}')
		return skip_ws(s, n, i + 1) == n ? 0 : -1;
	for (;;) {
		size_t ks, kn, vs, vn;
		if (i >= n || s[i] != '"' || !(i = json_string(s, n, i, &ks, &kn)))
			return -1;
		i = skip_ws(s, n, i);
		if (i >= n || s[i] != ':')
			return -1;
		i = skip_ws(s, n, i + 1);
		if (i >= n)
			return -1;
		if (s[i] == '"') {
			if (!(i = json_string(s, n, i, &vs, &vn)))
				return -1;
			set_field(r, s + ks, kn, s + vs, vn);
		} else if (s[i] == '{' || s[i] == '[') {
			if (!(i = json_skip_nested(s, n, i)))
				return -1;
		} else {
			vs = i;
			while (i < n && scalar_char(s[i]))
				i++;
			if (!json_literal(s + vs, i - vs))
				return -1;
			set_field(r, s + ks, kn, s + vs, i - vs);
		}
		i = skip_ws(s, n, i);
		if (i < n && s[i] == ',') {
			i = skip_ws(s, n, i + 1);
			continue;
		}
		if (i < n && s[i] == '}')
			return skip_ws(s, n, i + 1) == n ? 0 : -1;
		return -1;
	}
}

/* --- logfmt pairs --- */

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-' || c == '@';
}

/*
 * Scan s[0, n) for key=value pairs (value bare, or "quoted" with \" and
 * \\ escapes, unescaped in place). Returns the number of pairs; *bare gets
 * the bytes of text that are not pairs.
 */
static unsigned scan_pairs(char *s, size_t n, struct log_record *r, size_t *bare)
{
	size_t i = 0;
	unsigned pairs = 0;
	*bare = 0;
	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		size_t ks = i;
		while (i < n && key_char(s[i]))
			i++;
		if (i > ks && i < n && s[i] == '=') {
			size_t kn = i - ks, vs, vn;
			i++;
			if (i < n && s[i] == '"') {
				size_t o = ++i;
				vs = i;
				while (i < n && s[i] != '"') {
					if (s[i] == '\\' && i + 1 < n)
						i++;
					s[o++] = s[i++];
				}
				vn = o - vs;
				if (i < n)
					i++;
			} else {
				vs = i;
				while (i < n && s[i] != ' ' && s[i] != '\t')
					i++;
				vn = i - vs;
			}
			set_field(r, s + ks, kn, s + vs, vn);
			pairs++;
			continue;
		}
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		*bare += i - ks;
	}
	return pairs;
}

/* --- plain lines --- */

static const char *const levels[] = {
	"trace", "debug", "info", "notice", "warn", "warning", "error", "err", "crit",
	"critical", "fatal", "panic", "alert", "emerg", "severe", NULL
};

/* A level word at s[i] (maybe in brackets, maybe with a colon); sets the field, returns the new i. */
static size_t plain_level(char *s, size_t n, size_t i, struct log_record *r)
{
	size_t j = i + (i < n && s[i] == '[');
	size_t ws = j;
	while (j < n && ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z'))
		j++;
	size_t wn = j - ws;
	if (!wn || wn > 8)
		return i;
	for (size_t k = 0; levels[k]; k++)
		if (eq_lower(s + ws, wn, levels[k])) {
			if (j < n && s[j] == ']')
				j++;
			if (j < n && s[j] == ':')
				j++;
			r->f[LF_LEVEL].p = s + ws;
			r->f[LF_LEVEL].n = (uint32_t)wn;
			return j;
		}
	return i;
}

static int parse_plain(char *s, size_t n, int year, struct log_record *r)
{
	size_t i = 0, used, bare;
	int64_t ms;
	bool bracket = n && s[0] == '[';
	if ((used = logtime_parse(s + bracket, n - bracket, false, year, &ms))) {
		r->ts = ms;
		r->has_ts = true;
		r->f[LF_TIME].p = s + bracket;
		r->f[LF_TIME].n = (uint32_t)used;
		i = bracket + used;
		if (bracket && i < n && s[i] == ']')
			i++;
	}
	i = skip_ws(s, n, i);
	i = skip_ws(s, n, plain_level(s, n, i, r));
	if (i >= n)
		return 0;
	/* The text is the message; pairs in it give fields (they are not copied). */
	struct log_text msg = { s + i, (uint32_t)(n - i) };
	scan_pairs(s + i, n - i, r, &bare);
	if (!r->f[LF_MSG].p)
		r->f[LF_MSG] = msg;
	return 0;
}

/* --- regex --- */

int log_regex_compile(struct log_regex *re, const char *pattern)
{
	int err;
	PCRE2_SIZE off;
	uint32_t count, size;
	PCRE2_SPTR table;
	pcre2_code *code;

	memset(re, 0, sizeof(*re));
	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
			     &err, &off, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof(msg));
		return error("--log-format:1:%zu: %s (expected a PCRE2 pattern with named groups "
			     "like (?<time>\\S+))", (size_t)off + 1, (const char *)msg);
	}
	pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table);
	unsigned mapped = 0;
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *e = table + (size_t)i * size;
		int group = (e[0] << 8) | e[1];
		const char *name = (const char *)e + 2;
		int f = -1;
		for (int k = 0; k < LF_COUNT && f < 0; k++)
			if (!strcmp(name, field_names[k]))
				f = k;
		if (f < 0) {
			int a = alias_find(name, strlen(name));
			if (a >= 0)
				f = (int)aliases[a].field;
		}
		if (f < 0) {
			/* `name` lives in the compiled pattern: report before freeing it. */
			int rc = error("--log-format: unknown group name '%s' (expected a field: time, "
				       "level, msg, service, instance, id, event, error, attempt, or "
				       "an alias such as ts, worker, job_id)", name);
			pcre2_code_free(code);
			return rc;
		}
		if (!re->group_field[f])
			re->group_field[f] = group;
		mapped++;
	}
	if (!mapped) {
		pcre2_code_free(code);
		return error("--log-format: the pattern has no named groups (expected groups "
			     "like (?<time>\\S+) (?<msg>.*))");
	}
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* best effort: without JIT it still matches */
	re->code = code;
	re->match_data = pcre2_match_data_create_from_pattern(code, NULL);
	return 0;
}

void log_regex_release(struct log_regex *re)
{
	if (re->match_data)
		pcre2_match_data_free(re->match_data);
	if (re->code)
		pcre2_code_free(re->code);
	memset(re, 0, sizeof(*re));
}

static int parse_regex(const struct log_regex *re, char *s, size_t n, int year, struct log_record *r)
{
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, 0, re->match_data, NULL);
	if (rc < 0)
		return -1;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->match_data);
	for (int f = 0; f < LF_COUNT; f++) {
		int g = re->group_field[f];
		if (!g || g >= rc || ov[2 * g] == PCRE2_UNSET)
			continue;
		r->f[f].p = s + ov[2 * g];
		r->f[f].n = (uint32_t)(ov[2 * g + 1] - ov[2 * g]);
	}
	(void)year;
	return 0;
}

/* --- one line --- */

int log_parse_line(enum log_format fmt, const struct log_regex *re, char *line, size_t n,
		   int year, struct log_record *rec)
{
	size_t bare;
	int rc = 0;

	memset(rec, 0, sizeof(*rec));
	rec->raw = line;
	rec->rawlen = (uint32_t)n;
	switch (fmt) {
	case LOG_JSON:
		rc = parse_json(line, n, rec);
		break;
	case LOG_LOGFMT:
		if (!scan_pairs(line, n, rec, &bare))
			rc = parse_plain(line, n, year, rec);
		break;
	case LOG_REGEX:
		rc = re && re->code ? parse_regex(re, line, n, year, rec) : -1;
		break;
	case LOG_PLAIN:
	case LOG_AUTO:
		rc = parse_plain(line, n, year, rec);
		break;
	}
	if (rc < 0)
		return -1;
	if (!rec->has_ts && rec->f[LF_TIME].p) {
		int64_t ms;
		if (logtime_parse(rec->f[LF_TIME].p, rec->f[LF_TIME].n, true, year, &ms)) {
			rec->ts = ms;
			rec->has_ts = true;
		}
	}
	return 0;
}

/* --- detection --- */

static enum log_format line_format(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && s[i] == '{')
		return LOG_JSON;
	size_t ks = i;
	while (i < n && key_char(s[i]))
		i++;
	if (i > ks && i < n && s[i] == '=') {
		unsigned eq = 0;
		for (size_t k = i; k < n; k++)
			if (s[k] == '=' && k > 0 && key_char(s[k - 1]))
				eq++;
		if (eq >= 2)
			return LOG_LOGFMT;
	}
	return LOG_PLAIN;
}

enum log_format log_detect(const char *buf, size_t n)
{
	unsigned votes[LOG_REGEX + 1] = { 0 }, seen = 0;
	size_t i = 0;
	while (i < n && seen < 50) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - buf) : n;
		if (e > i && !(e - i == 1 && buf[i] == '\r')) {
			votes[line_format(buf + i, e - i)]++;
			seen++;
		}
		i = e + 1;
	}
	if (votes[LOG_JSON] > votes[LOG_LOGFMT] && votes[LOG_JSON] >= votes[LOG_PLAIN])
		return LOG_JSON;
	if (votes[LOG_LOGFMT] > votes[LOG_PLAIN])
		return LOG_LOGFMT;
	return LOG_PLAIN;
}

/* --- the reader --- */

static int fill(struct log_reader *r)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	while (!r->eof && r->end < r->cap) {
		ssize_t got = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return error("%s: cannot read: %s", r->path, strerror(errno));
		}
		if (got == 0)
			r->eof = true;
		r->end += (size_t)got;
		r->st.bytes += (uint64_t)got;
		if (got > 0)
			break;
	}
	return 0;
}

int log_reader_open(struct log_reader *r, const char *path, enum log_format fmt,
		    const struct log_regex *re)
{
	return log_reader_open_max(r, path, fmt, re, 0);
}

int log_reader_open_max(struct log_reader *r, const char *path, enum log_format fmt,
			const struct log_regex *re, size_t max_line)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->max_line = max_line ? max_line : LOG_MAX_LINE;
	/* room for a whole line at the limit wherever it starts in the buffer */
	r->cap = r->max_line <= LOG_BUF_SIZE / 2 ? LOG_BUF_SIZE : 2 * r->max_line;
	r->fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (r->fd < 0)
		return error("%s: cannot open log file: %s", path, strerror(errno));
	r->buf = xmalloc(r->cap);
	r->re = re;
	time_t now = time(NULL);
	struct tm tm;
	r->year = gmtime_r(&now, &tm) ? tm.tm_year + 1900 : 1970;
	if (fill(r) < 0) {
		log_reader_release(r);
		return -1;
	}
	r->fmt = fmt != LOG_AUTO ? fmt : log_detect(r->buf, r->end);
	return 0;
}

void log_reader_release(struct log_reader *r)
{
	if (r->fd > 0)
		close(r->fd);
	r->fd = -1;
	xfree(r->buf);
	r->buf = NULL;
}

int log_reader_next(struct log_reader *r, struct log_record *rec)
{
	for (;;) {
		char *nl = r->end > r->start ? memchr(r->buf + r->start, '\n', r->end - r->start) : NULL;
		if (!nl) {
			if (!r->eof && (r->start > 0 || r->end < r->cap)) {
				if (fill(r) < 0)
					return -1;
				continue;
			}
			if (!r->eof) {
				/* A full buffer without a newline: skip to the next one. */
				if (!r->skipping) {
					r->st.too_long++;
					r->lineno++;
				}
				r->skipping = true;
				r->start = r->end = 0;
				if (fill(r) < 0)
					return -1;
				continue;
			}
			if (r->start >= r->end)
				return 0;
			nl = r->buf + r->end; /* the last line has no newline */
		}
		size_t s = r->start, e = (size_t)(nl - r->buf);
		r->start = e < r->end ? e + 1 : e;
		if (r->skipping) {
			r->skipping = false;
			continue;
		}
		r->lineno++;
		if (e > s && r->buf[e - 1] == '\r')
			e--;
		if (e == s)
			continue;
		if (e - s > r->max_line) {
			r->st.too_long++;
			continue;
		}
		r->st.lines++;
		if (log_parse_line(r->fmt, r->re, r->buf + s, e - s, r->year, rec) < 0) {
			r->st.broken++;
			continue;
		}
		rec->path = r->path;
		rec->line = r->lineno;
		if (rec->has_ts) {
			r->last_ts = rec->ts;
			r->have_ts = true;
		} else {
			r->st.no_time++;
			rec->ts = r->last_ts;
		}
		return 1;
	}
}
