#ifndef DISTARCH_PTRCACHE_H
#define DISTARCH_PTRCACHE_H
/*
 * A small direct-mapped cache from an address (and an owner) to what was
 * worked out for it: a lookup by string, memoised by the string's address.
 * A file's facts hold one copy of each repeated name (intern.h, serial.c's
 * string table), so the same `Errorf`, `ctx` or `status` recurs at one
 * address, and a hit skips hashing and probing a large map.
 *
 * A slot remembers one (key, owner) pair; a colliding pair replaces it, so
 * a miss only costs the work the cache would have saved. The caller makes
 * sure that what it stores is a function of the pair for as long as it
 * uses the cache (the strings at the keys unchanged, the owner alive);
 * `owner` separates the callers' contexts (a map, a file).
 *
 *   struct ptrcache_slot *s = ptrcache_slot(pc, key, owner);
 *   if (!ptrcache_hit(s, key, owner)) { s->value = work(key); ptrcache_set(s, key, owner); }
 *
 * Ownership: the cache owns nothing it points at; ptrcache_new allocates
 * (zeroed: every slot empty), xfree releases.
 */
#include <stdbool.h>
#include <stdint.h>

#include "alloc.h"

#define PTRCACHE_BITS 10

struct ptrcache_slot {
	const void *key;   /* NULL: empty */
	const void *owner;
	void *value;
	int aux;           /* a second small result, the caller's */
};

struct ptrcache {
	struct ptrcache_slot slots[1u << PTRCACHE_BITS];
};

static inline struct ptrcache *ptrcache_new(void)
{
	return xcalloc(1, sizeof(struct ptrcache));
}

static inline struct ptrcache_slot *ptrcache_slot(struct ptrcache *pc, const void *key, const void *owner)
{
	uint64_t h = ((uint64_t)(uintptr_t)key ^ (uint64_t)(uintptr_t)owner >> 4) * 0x9e3779b97f4a7c15ull;
	return &pc->slots[h >> (64 - PTRCACHE_BITS)];
}

static inline bool ptrcache_hit(const struct ptrcache_slot *s, const void *key, const void *owner)
{
	return key && s->key == key && s->owner == owner;
}

static inline void ptrcache_set(struct ptrcache_slot *s, const void *key, const void *owner)
{
	s->key = key;
	s->owner = owner;
}

#endif
