#include "intern.h"

#include <stdint.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/banned.h"

struct slot {
	const char *s; /* NULL: empty */
	uint32_t n, h;
};

struct fact_intern {
	struct slot *slots;
	size_t cap, len; /* cap a power of two, len <= cap / 2 */
};

/* FNV-1a: the texts are short identifiers and dotted names. */
static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

const char *intern_find(const struct fact_intern *t, const char *s, size_t n)
{
	if (!t || n > INTERN_MAX_LEN)
		return NULL;
	uint32_t h = hash(s, n);
	for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		const struct slot *sl = &t->slots[i];
		if (!sl->s)
			return NULL;
		if (sl->h == h && sl->n == n && !memcmp(sl->s, s, n))
			return sl->s;
	}
}

static void place(struct fact_intern *t, const char *s, uint32_t n, uint32_t h)
{
	size_t i = h & (t->cap - 1);
	while (t->slots[i].s)
		i = (i + 1) & (t->cap - 1);
	t->slots[i] = (struct slot){ s, n, h };
}

void intern_add(struct fact_intern **tp, const char *copy, size_t n)
{
	struct fact_intern *t = *tp;
	if (n > INTERN_MAX_LEN)
		return;
	if (!t) {
		t = *tp = xcalloc(1, sizeof(*t));
		t->cap = 64;
		t->slots = xcalloc(t->cap, sizeof(*t->slots));
	}
	if (2 * (t->len + 1) > t->cap) {
		struct slot *old = t->slots;
		size_t ocap = t->cap;
		t->cap *= 2;
		t->slots = xcalloc(t->cap, sizeof(*t->slots));
		for (size_t i = 0; i < ocap; i++)
			if (old[i].s)
				place(t, old[i].s, old[i].n, old[i].h);
		xfree(old);
	}
	place(t, copy, (uint32_t)n, hash(copy, n));
	t->len++;
}

void intern_free(struct fact_intern **tp)
{
	if (!*tp)
		return;
	xfree((*tp)->slots);
	xfree(*tp);
	*tp = NULL;
}
