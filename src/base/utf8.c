/* UTF-8 well-formedness (see utf8.h). */
#include "utf8.h"

#include <string.h>

#include "banned.h"

size_t utf8_char_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned need, cp;

	if (!n)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 1, cp = p[0] & 0x1fu;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 2, cp = p[0] & 0x0fu;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 3, cp = p[0] & 0x07u;
	else
		return 0;
	if (n - 1 < need)
		return 0;
	for (unsigned i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3fu);
	}
	if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

bool utf8_valid(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = utf8_char_len(s + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

size_t utf8_sanitize(char *dst, const char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t k = utf8_char_len(s + i, n - i);
		if (k) {
			memcpy(dst + o, s + i, k);
			o += k;
			i += k;
		} else {
			memcpy(dst + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	dst[o] = '\0';
	return o;
}
