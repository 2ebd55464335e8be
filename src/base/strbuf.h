#ifndef DISTARCH_STRBUF_H
#define DISTARCH_STRBUF_H
/*
 * Growable NUL-terminated byte strings (after git's strbuf).
 *
 * Invariants: `buf` is never NULL (it points at a shared empty string until
 * the first write) and buf[len] == '\0'. The strbuf owns `buf`;
 * strbuf_detach hands ownership to the caller and resets the strbuf.
 * strbuf_release frees and leaves the strbuf ready for reuse.
 */
#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* A new string (the caller frees it with xfree) formatted from `fmt` and `ap`. */
char *xvstrfmt(const char *fmt, va_list ap);
/* Append `n` copies of `c`. */
void strbuf_addchars(struct strbuf *sb, int c, size_t n);
void strbuf_setlen(struct strbuf *sb, size_t len);
void strbuf_rtrim(struct strbuf *sb);

#endif
