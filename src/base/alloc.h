#ifndef DISTARCH_ALLOC_H
#define DISTARCH_ALLOC_H
/*
 * Allocation wrappers. They never return NULL: on out-of-memory they print
 * "distarch: error: out of memory" and exit with status 2 at once (nothing
 * useful can continue, and nothing half-done is flushed). The
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
/*
 * Read the test knob DISTARCH_FAIL_ALLOC_AFTER=N once (main() at start-up):
 * the Nth allocation through these wrappers fails as if memory ran out.
 */
void alloc_init(void);
/*
 * Make tree-sitter and jansson allocate through these wrappers too, so their
 * out-of-memory ends the same clean way (src/base/alloc_libs.c). Call before
 * either library is used. libyaml, libgit2 and PCRE2 keep malloc: they
 * return their failures as errors, which callers report.
 */
void alloc_route_libraries(void);
void xfree(void *ptr);

#endif
