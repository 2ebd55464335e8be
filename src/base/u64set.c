/* Sorted sets of 64-bit values (u64set.h). */
#include "u64set.h"

#include <stdlib.h>

#include "banned.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

void u64set_seal(u64set *s)
{
	if (s->len < 2)
		return;
	qsort(s->items, s->len, sizeof(*s->items), cmp_u64);
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
