#ifndef DISTARCH_ALLOC_H
#define DISTARCH_ALLOC_H
/*
 * Allocation wrappers. They never return NULL: on out-of-memory they print
 * a message and exit with status 2 (nothing useful can continue). The
 * allocator is replaceable (alloc_set_hooks) so tests can count or fail
 * allocations.
 */
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *cap geometrically so that it holds at least `need` elements of `elsize`. */
void *xgrow(void *ptr, size_t elsize, size_t need, size_t *cap);

struct alloc_hooks {
	void *(*malloc)(size_t);
	void *(*realloc)(void *, size_t);
	void (*free)(void *);
};
void alloc_set_hooks(const struct alloc_hooks *hooks);
void xfree(void *ptr);

#endif
