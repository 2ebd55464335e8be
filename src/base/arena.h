#ifndef DISTARCH_ARENA_H
#define DISTARCH_ARENA_H
/*
 * A bump allocator for what lives exactly as long as one owner (one file's
 * facts, one topology). Nothing is freed individually; arena_release frees
 * every block at once. Allocations are 16-byte aligned and zeroed.
 */
#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
};
#define ARENA_INIT { NULL }

void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void arena_release(struct arena *a);

#endif
