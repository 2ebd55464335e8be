#include "path.h"

#include <string.h>

#include "alloc.h"
#include "banned.h"

static int class_match(const char **pp, char c)
{
	const char *p = *pp + 1;
	int negate = 0, ok = 0;
	if (*p == '!' || *p == '^') {
		negate = 1;
		p++;
	}
	const char *start = p;
	while (*p && (*p != ']' || p == start)) {
		if (p[1] == '-' && p[2] && p[2] != ']') {
			if (c >= p[0] && c <= p[2])
				ok = 1;
			p += 3;
		} else {
			if (c == *p)
				ok = 1;
			p++;
		}
	}
	if (*p != ']')
		return -1; /* unterminated: treat '[' literally */
	*pp = p + 1;
	return ok != negate;
}

static int match(const char *p, const char *s)
{
	while (*p) {
		if (p[0] == '*' && p[1] == '*') {
			/* "**" followed by '/' or at the end: any number of segments. */
			const char *rest = p + 2;
			if (*rest == '/')
				rest++;
			else if (*rest)
				goto single_star;
			if (!*rest)
				return 1;
			for (const char *t = s;; t++) {
				if ((t == s || t[-1] == '/') && match(rest, t))
					return 1;
				if (!*t)
					return 0;
			}
		}
		if (*p == '*') {
		single_star:
			while (*p == '*')
				p++;
			for (const char *t = s;; t++) {
				if (match(p, t))
					return 1;
				if (!*t || *t == '/')
					return 0;
			}
		}
		if (!*s)
			return 0;
		if (*p == '?') {
			if (*s == '/')
				return 0;
		} else if (*p == '[') {
			const char *q = p;
			int r = class_match(&q, *s);
			if (r >= 0) {
				if (!r || *s == '/')
					return 0;
				p = q;
				s++;
				continue;
			}
			if (*s != '[')
				return 0;
		} else if (*p != *s) {
			return 0;
		}
		p++;
		s++;
	}
	return !*s;
}

int glob_match(const char *pattern, const char *path)
{
	size_t n = strlen(pattern);
	if (n && pattern[n - 1] == '/') {
		char *pat = xmalloc(n + 3);
		memcpy(pat, pattern, n);
		memcpy(pat + n, "**", 3);
		int r = glob_match(pat, path);
		xfree(pat);
		return r;
	}
	if (!strchr(pattern, '/')) {
		const char *base = strrchr(path, '/');
		return match(pattern, base ? base + 1 : path);
	}
	if (pattern[0] == '/')
		pattern++;
	else if (pattern[0] == '.' && pattern[1] == '/')
		pattern += 2;
	return match(pattern, path);
}

char *path_top_folder(const char *path)
{
	const char *slash = strchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup("");
}

char *path_normalize(char *path)
{
	char *out = path;
	const char *in = path;
	size_t len = 0;
	while (*in) {
		const char *seg = in;
		while (*in && *in != '/')
			in++;
		size_t sl = (size_t)(in - seg);
		if (*in)
			in++;
		if (sl == 0 || (sl == 1 && seg[0] == '.'))
			continue;
		if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
			/* Drop the previous segment if there is one that is not "..". */
			char *prev = len ? out + len : NULL;
			if (prev) {
				while (prev > out && prev[-1] != '/')
					prev--;
				if (!(out + len - prev == 2 && prev[0] == '.' && prev[1] == '.')) {
					len = (size_t)(prev - out);
					if (len)
						len--;
					continue;
				}
			}
		}
		if (len)
			out[len++] = '/';
		memmove(out + len, seg, sl);
		len += sl;
	}
	out[len] = '\0';
	return path;
}

const char *path_ext(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	return dot && dot != base ? dot : path + strlen(path);
}
