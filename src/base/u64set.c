/* Sorted sets of 64-bit values (u64set.h). */
#include "u64set.h"

#include <stdlib.h>

#include "alloc.h"

#include "banned.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

void u64sort(uint64_t *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_u64);
}

void u64set_seal(u64set *s)
{
	if (s->len < 2)
		return;
	u64sort(s->items, s->len);
	size_t k = 1;
	for (size_t i = 1; i < s->len; i++)
		if (s->items[i] != s->items[k - 1])
			s->items[k++] = s->items[i];
	s->len = k;
}

size_t u64set_find(const u64set *s, uint64_t v)
{
	size_t lo = 0, hi = s->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->items[mid] < v)
			lo = mid + 1;
		else if (s->items[mid] > v)
			hi = mid;
		else
			return mid;
	}
	return (size_t)-1;
}

bool u64set_meet(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t i = 0, j = 0;
	while (i < na && j < nb) {
		if (a[i] == b[j])
			return true;
		if (a[i] < b[j])
			i++;
		else
			j++;
	}
	return false;
}

#define PROBE_WORDS 16384 /* 1M bits (128 KB): a set of 10,000 keys fills 1% */

static size_t probe_word(uint64_t v)
{
	return (size_t)(v >> 6) % PROBE_WORDS;
}

void u64probe_init(struct u64probe *p, const u64set *sealed)
{
	p->set = sealed;
	p->bits = xcalloc(PROBE_WORDS, sizeof(*p->bits));
	for (size_t i = 0; i < sealed->len; i++)
		p->bits[probe_word(sealed->items[i])] |= 1ull << (sealed->items[i] & 63);
}

void u64probe_release(struct u64probe *p)
{
	xfree(p->bits);
	p->bits = NULL;
}

bool u64probe_has(const struct u64probe *p, uint64_t v)
{
	return (p->bits[probe_word(v)] >> (v & 63) & 1) && u64set_find(p->set, v) != (size_t)-1;
}

bool u64probe_meet(const struct u64probe *p, const uint64_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (u64probe_has(p, a[i]))
			return true;
	return false;
}
