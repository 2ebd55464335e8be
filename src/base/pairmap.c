#include "pairmap.h"

#include <string.h>

#include "alloc.h"
#include "hash.h"
#include "diag.h"
#include "banned.h"

static size_t slot_of(const void *p, uint64_t n, size_t mask)
{
	return (size_t)hash64_u64(n, (uint64_t)(uintptr_t)p) & mask;
}

static uint32_t *find_slot(const struct pairmap *m, const void *p, uint64_t n)
{
	if (!m->nslots)
		return NULL;
	size_t mask = m->nslots - 1;
	for (size_t i = slot_of(p, n, mask);; i = (i + 1) & mask) {
		uint32_t *slot = &m->slots[i];
		if (!*slot)
			return slot;
		const struct pairmap_entry *e = &m->entries[*slot - 1];
		if (e->p == p && e->n == n)
			return slot;
	}
}

static void rehash(struct pairmap *m)
{
	size_t n = m->nslots ? m->nslots * 2 : 16;
	xfree(m->slots);
	m->slots = xcalloc(n, sizeof(*m->slots));
	m->nslots = n;
	for (size_t e = 0; e < m->len; e++) {
		size_t i = slot_of(m->entries[e].p, m->entries[e].n, n - 1);
		while (m->slots[i])
			i = (i + 1) & (n - 1);
		m->slots[i] = (uint32_t)(e + 1);
	}
}

int pairmap_find(const struct pairmap *m, const void *p, uint64_t n, void **value)
{
	uint32_t *slot = find_slot(m, p, n);
	if (!slot || !*slot)
		return 0;
	if (value)
		*value = m->entries[*slot - 1].value;
	return 1;
}

void *pairmap_get(const struct pairmap *m, const void *p, uint64_t n)
{
	void *v = NULL;
	pairmap_find(m, p, n, &v);
	return v;
}

void *pairmap_put(struct pairmap *m, const void *p, uint64_t n, void *value)
{
	uint32_t *slot = find_slot(m, p, n);
	if (slot && *slot) {
		void *old = m->entries[*slot - 1].value;
		m->entries[*slot - 1].value = value;
		return old;
	}
	if (m->len >= UINT32_MAX - 1)
		BUG("pairmap: more than 2^32 entries");
	if ((m->len + 1) * 2 > m->nslots) {
		rehash(m);
		slot = find_slot(m, p, n);
	}
	m->entries = xgrow(m->entries, sizeof(*m->entries), m->len + 1, &m->cap);
	m->entries[m->len] = (struct pairmap_entry){ p, n, value };
	*slot = (uint32_t)++m->len;
	return NULL;
}

void pairmap_release(struct pairmap *m)
{
	xfree(m->entries);
	xfree(m->slots);
	memset(m, 0, sizeof(*m));
}
