#ifndef DISTARCH_UTF8_H
#define DISTARCH_UTF8_H
/*
 * UTF-8 well-formedness, for text that comes from untrusted bytes (source
 * files, file names) and goes where only valid UTF-8 may go (JSON, SARIF):
 * jansson refuses to build a string that is not valid UTF-8, so one bad
 * byte would otherwise drop a whole value from a report.
 *
 * Well-formed means RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF.
 */
#include <stdbool.h>
#include <stddef.h>

/* The length of the well-formed sequence at s[0, n) (1 for ASCII), or 0 when it is ill-formed or cut. */
size_t utf8_char_len(const char *s, size_t n);

/* Is s[0, n) well-formed UTF-8? (NUL bytes are well-formed.) */
bool utf8_valid(const char *s, size_t n);

/*
 * Copy s[0, n) to `dst` with each byte that does not start a well-formed
 * sequence replaced by U+FFFD (3 bytes): `dst` must hold 3 * n + 1 bytes.
 * NUL-terminates and returns the length written.
 */
size_t utf8_sanitize(char *dst, const char *s, size_t n);

#endif
