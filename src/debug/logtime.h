#ifndef DISTARCH_DEBUG_LOGTIME_H
#define DISTARCH_DEBUG_LOGTIME_H
/*
 * Timestamps in log lines, as milliseconds since the Unix epoch (UTC):
 *
 *   RFC 3339 / ISO 8601   2026-05-01T12:00:00.123Z, 2026-05-01 12:00:00,123+02:00
 *                         (no zone: read as UTC)
 *   epoch numbers         1714564800 (s), 1714564800.5, 1714564800123 (ms),
 *                         16 digits (us), 19 digits (ns)
 *   syslog-ish            May  1 12:00:00 (the year is `year_hint`)
 *
 * No allocation, no locale, no libc time functions: a pure function of its
 * bytes, so the fuzzer can drive it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parse a timestamp at the start of s[0, n). Returns how many bytes it
 * used (0: none there) and sets *ms. With `whole`, the timestamp must use
 * all of s (a JSON or logfmt value); without, it must be followed by the
 * end, a blank, ']' or ',' (the head of a plain line).
 */
size_t logtime_parse(const char *s, size_t n, bool whole, int year_hint, int64_t *ms);

/* A duration "250ms", "2s", "5m", "1h", "1.5s", or a bare number of seconds. Returns 0 or -1. */
int logtime_duration(const char *s, int64_t *ms);

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; m 1..12). */
int64_t logtime_days(int64_t y, unsigned m, unsigned d);

#endif
