#include "strmap.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "banned.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t *find_slot(const struct strmap *m, const char *key, uint64_t h)
{
	if (!m->nslots)
		return NULL;
	size_t mask = m->nslots - 1;
	size_t i = h & mask;
	for (;;) {
		size_t *slot = &m->slots[i];
		if (!*slot)
			return slot;
		const struct strmap_entry *e = &m->entries[*slot - 1];
		if (e->hash == h && !strcmp(e->key, key))
			return slot;
		i = (i + 1) & mask;
	}
}

static void rehash(struct strmap *m)
{
	size_t n = m->nslots ? m->nslots * 2 : 16;
	xfree(m->slots);
	m->slots = xcalloc(n, sizeof(*m->slots));
	m->nslots = n;
	for (size_t e = 0; e < m->len; e++) {
		size_t i = m->entries[e].hash & (n - 1);
		while (m->slots[i])
			i = (i + 1) & (n - 1);
		m->slots[i] = e + 1;
	}
}

void *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->len)
		return NULL;
	size_t *slot = find_slot(m, key, hash(key));
	return slot && *slot ? m->entries[*slot - 1].value : NULL;
}

int strmap_contains(const struct strmap *m, const char *key)
{
	if (!m->len)
		return 0;
	size_t *slot = find_slot(m, key, hash(key));
	return slot && *slot;
}

/* The entry of `key` (hash `h`), added with a NULL value when new; *added says which. */
static struct strmap_entry *entry_of(struct strmap *m, const char *key, uint64_t h, bool *added)
{
	size_t *slot = find_slot(m, key, h);
	*added = !slot || !*slot;
	if (!*added)
		return &m->entries[*slot - 1];
	if ((m->len + 1) * 2 > m->nslots) {
		rehash(m);
		slot = find_slot(m, key, h);
	}
	m->entries = xgrow(m->entries, sizeof(*m->entries), m->len + 1, &m->cap);
	m->entries[m->len].key = xstrdup(key);
	m->entries[m->len].value = NULL;
	m->entries[m->len].hash = h;
	*slot = ++m->len;
	return &m->entries[m->len - 1];
}

void *strmap_put(struct strmap *m, const char *key, void *value)
{
	bool added;
	struct strmap_entry *e = entry_of(m, key, hash(key), &added);
	void *old = added ? NULL : e->value;
	e->value = value;
	return old;
}

void **strmap_slot(struct strmap *m, const char *key)
{
	bool added;
	return &entry_of(m, key, hash(key), &added)->value;
}

void strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->len; i++)
		xfree(m->entries[i].key);
	xfree(m->entries);
	xfree(m->slots);
	memset(m, 0, sizeof(*m));
}
