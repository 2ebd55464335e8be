/*
 * Timestamp parsing for log lines (see logtime.h).
 */
#include "logtime.h"

#include <stdlib.h>
#include <string.h>

#include "../base/banned.h"

int64_t logtime_days(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's days_from_civil. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Exactly `k` digits at s[*i]; advances. */
static bool digits(const char *s, size_t n, size_t *i, unsigned k, unsigned *out)
{
	unsigned v = 0;
	if (n - *i < k)
		return false;
	for (unsigned j = 0; j < k; j++) {
		char c = s[*i + j];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (unsigned)(c - '0');
	}
	*i += k;
	*out = v;
	return true;
}

/* A fraction after '.' or ',': milliseconds (extra digits dropped). */
static unsigned fraction(const char *s, size_t n, size_t *i)
{
	unsigned ms = 0, k = 0;
	if (*i >= n || (s[*i] != '.' && s[*i] != ','))
		return 0;
	if (*i + 1 >= n || s[*i + 1] < '0' || s[*i + 1] > '9')
		return 0;
	(*i)++;
	while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
		if (k < 3)
			ms = ms * 10 + (unsigned)(s[*i] - '0');
		k++;
		(*i)++;
	}
	while (k < 3) {
		ms *= 10;
		k++;
	}
	return ms;
}

static bool ends_ok(const char *s, size_t n, size_t i, bool whole)
{
	if (i == n)
		return true;
	if (whole)
		return false;
	return s[i] == ' ' || s[i] == '\t' || s[i] == ']' || s[i] == ',' || s[i] == '|';
}

static bool valid_hms(unsigned h, unsigned mi, unsigned sec)
{
	return h < 24 && mi < 60 && sec <= 60;
}

static size_t parse_iso(const char *s, size_t n, bool whole, int64_t *ms)
{
	size_t i = 0;
	unsigned y, mo, d, h, mi, sec;
	int64_t off = 0;

	if (!digits(s, n, &i, 4, &y) || i >= n || s[i++] != '-' || !digits(s, n, &i, 2, &mo) ||
	    i >= n || s[i++] != '-' || !digits(s, n, &i, 2, &d))
		return 0;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return 0;
	if (i >= n || (s[i] != 'T' && s[i] != 't' && s[i] != ' '))
		return 0;
	i++;
	if (!digits(s, n, &i, 2, &h) || i >= n || s[i++] != ':' || !digits(s, n, &i, 2, &mi) ||
	    i >= n || s[i++] != ':' || !digits(s, n, &i, 2, &sec) || !valid_hms(h, mi, sec))
		return 0;
	unsigned frac = fraction(s, n, &i);
	if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i] == '-' ? -1 : 1;
		unsigned oh, om = 0;
		size_t j = i + 1;
		if (!digits(s, n, &j, 2, &oh))
			return 0;
		if (j < n && s[j] == ':')
			j++;
		if (j < n && s[j] >= '0' && s[j] <= '9' && !digits(s, n, &j, 2, &om))
			return 0;
		if (oh > 23 || om > 59)
			return 0;
		off = sign * (int64_t)(oh * 60 + om) * 60000;
		i = j;
	}
	if (!ends_ok(s, n, i, whole))
		return 0;
	*ms = (logtime_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) * 1000 + frac - off;
	return i;
}

static size_t parse_epoch(const char *s, size_t n, bool whole, int64_t *ms)
{
	size_t i = 0;
	uint64_t u = 0; /* 19 digits fit in 64 unsigned bits */
	while (i < n && i < 19 && s[i] >= '0' && s[i] <= '9')
		u = u * 10 + (uint64_t)(s[i++] - '0');
	if (i < 9 || (i < n && s[i] >= '0' && s[i] <= '9'))
		return 0;
	unsigned ndig = (unsigned)i;
	uint64_t out;
	if (ndig <= 11) {
		unsigned frac = fraction(s, n, &i);
		out = u * 1000 + frac;
	} else if (ndig <= 14) {
		out = u; /* milliseconds already */
	} else if (ndig <= 17) {
		out = u / 1000;
	} else {
		out = u / 1000000;
	}
	if (!ends_ok(s, n, i, whole))
		return 0;
	*ms = (int64_t)out;
	return i;
}

static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";

static size_t parse_syslog(const char *s, size_t n, bool whole, int year_hint, int64_t *ms)
{
	size_t i = 3;
	unsigned mo = 0, d, h, mi, sec;
	if (n < 15)
		return 0;
	for (unsigned k = 0; k < 12 && !mo; k++) {
		bool eq = true;
		for (unsigned j = 0; j < 3; j++)
			eq &= (s[j] | 0x20) == months[k * 3 + j];
		if (eq)
			mo = k + 1;
	}
	if (!mo || s[i++] != ' ')
		return 0;
	if (s[i] == ' ')
		i++;
	if (s[i] >= '0' && s[i] <= '9' && (s[i + 1] == ' ')) {
		d = (unsigned)(s[i] - '0');
		i++;
	} else if (!digits(s, n, &i, 2, &d)) {
		return 0;
	}
	if (d < 1 || d > 31 || i >= n || s[i++] != ' ')
		return 0;
	if (!digits(s, n, &i, 2, &h) || i >= n || s[i++] != ':' || !digits(s, n, &i, 2, &mi) ||
	    i >= n || s[i++] != ':' || !digits(s, n, &i, 2, &sec) || !valid_hms(h, mi, sec))
		return 0;
	unsigned frac = fraction(s, n, &i);
	if (!ends_ok(s, n, i, whole))
		return 0;
	*ms = (logtime_days(year_hint, mo, d) * 86400 + h * 3600 + mi * 60 + sec) * 1000 + frac;
	return i;
}

size_t logtime_parse(const char *s, size_t n, bool whole, int year_hint, int64_t *ms)
{
	size_t used;
	if (!n)
		return 0;
	if (s[0] >= '0' && s[0] <= '9') {
		if ((used = parse_iso(s, n, whole, ms)))
			return used;
		return parse_epoch(s, n, whole, ms);
	}
	return parse_syslog(s, n, whole, year_hint, ms);
}

int logtime_duration(const char *s, int64_t *ms)
{
	char *end = NULL;
	double v;
	if (!s || !*s || (*s < '0' || *s > '9'))
		return -1;
	v = strtod(s, &end);
	if (end == s || v < 0 || v > 1e9)
		return -1;
	if (!strcmp(end, "ms"))
		*ms = (int64_t)v;
	else if (!*end || !strcmp(end, "s"))
		*ms = (int64_t)(v * 1000);
	else if (!strcmp(end, "m"))
		*ms = (int64_t)(v * 60000);
	else if (!strcmp(end, "h"))
		*ms = (int64_t)(v * 3600000);
	else
		return -1;
	return 0;
}
