/*
 * Bounded per-key state (see idtab.h): open addressing, linear probing,
 * rebuilt by sweeps (no tombstones).
 */
#include "idtab.h"

#include <string.h>

#include "../base/alloc.h"
#include "../base/banned.h"

#define HEAD(t, i) ((struct idtab_head *)((t)->slots + (i) * (t)->value_size))

static uint64_t hash_key(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
	return h;
}

void idtab_init(struct idtab *t, size_t value_size, int64_t horizon)
{
	memset(t, 0, sizeof(*t));
	t->value_size = (value_size + 15) & ~(size_t)15;
	t->cap = 1024;
	t->slots = xcalloc(t->cap, t->value_size);
	t->horizon = horizon;
}

void idtab_release(struct idtab *t)
{
	xfree(t->slots);
	memset(t, 0, sizeof(*t));
}

static size_t probe(const struct idtab *t, const char *k, size_t n)
{
	size_t i = (size_t)hash_key(k, n) & (t->cap - 1);
	for (;;) {
		struct idtab_head *h = HEAD(t, i);
		if (!h->used || (h->klen == n && !memcmp(h->key, k, n)))
			return i;
		i = (i + 1) & (t->cap - 1);
	}
}

void *idtab_find(const struct idtab *t, const char *k, size_t n)
{
	if (n > IDTAB_KEY_MAX)
		n = IDTAB_KEY_MAX;
	struct idtab_head *h = HEAD(t, probe(t, k, n));
	return h->used ? h : NULL;
}

/* Re-insert every kept slot into a table of `cap` slots. */
static void rebuild(struct idtab *t, size_t cap, int64_t cutoff)
{
	unsigned char *old = t->slots;
	size_t oldcap = t->cap;
	t->slots = xcalloc(cap, t->value_size);
	t->cap = cap;
	t->len = 0;
	for (size_t i = 0; i < oldcap; i++) {
		struct idtab_head *h = (struct idtab_head *)(old + i * t->value_size);
		if (!h->used)
			continue;
		if (h->closed)
			continue;
		if (h->last < cutoff) {
			t->dropped++;
			continue;
		}
		memcpy(HEAD(t, probe(t, h->key, h->klen)), h, t->value_size);
		t->len++;
	}
	xfree(old);
}

void idtab_sweep(struct idtab *t, int64_t now)
{
	rebuild(t, t->cap, now - t->horizon);
}

void *idtab_get(struct idtab *t, const char *k, size_t n, int64_t now)
{
	if (n > IDTAB_KEY_MAX)
		n = IDTAB_KEY_MAX;
	size_t i = probe(t, k, n);
	struct idtab_head *h = HEAD(t, i);
	if (!h->used) {
		if ((t->len + 1) * 4 > t->cap * 3) {
			/* Full: first drop what is closed or idle, then grow, then shorten the horizon. */
			idtab_sweep(t, now);
			if ((t->len + 1) * 2 > t->cap) {
				if (t->cap < IDTAB_MAX_SLOTS) {
					rebuild(t, t->cap * 2, INT64_MIN);
				} else {
					int64_t hz = t->horizon;
					while ((t->len + 1) * 2 > t->cap && hz > 0) {
						hz /= 2;
						rebuild(t, t->cap, now - hz);
					}
					if ((t->len + 1) * 2 > t->cap)
						rebuild(t, t->cap, INT64_MAX); /* drop everything open */
				}
			}
			i = probe(t, k, n);
			h = HEAD(t, i);
		}
		memset(h, 0, t->value_size);
		h->used = true;
		h->klen = (uint8_t)n;
		memcpy(h->key, k, n);
		t->len++;
	}
	h->last = now;
	return h;
}
