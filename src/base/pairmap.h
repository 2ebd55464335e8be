#ifndef DISTARCH_PAIRMAP_H
#define DISTARCH_PAIRMAP_H
/*
 * A hash map keyed by a pointer and an integer (open addressing), for the
 * memos of the analyses: "function `func` of file `ff`", "name list `defs`
 * seen from file `cff`". Keys compare exactly (no string is formatted or
 * copied); the map does not own the pointers it holds, neither the key's
 * nor the values. Iteration order is insertion order (entries[0..len)),
 * so whatever is built from a map is deterministic.
 */
#include <stddef.h>
#include <stdint.h>

struct pairmap_entry {
	const void *p;
	uint64_t n;
	void *value;
};

struct pairmap {
	struct pairmap_entry *entries; /* insertion order */
	size_t len, cap;
	uint32_t *slots; /* index+1 into entries, 0 = empty */
	size_t nslots;
};
#define PAIRMAP_INIT { NULL, 0, 0, NULL, 0 }

/* The value stored under (p, n), or NULL (also for a NULL value). */
void *pairmap_get(const struct pairmap *m, const void *p, uint64_t n);
/* Is anything stored under (p, n)? *value gets it when so (value may be NULL). */
int pairmap_find(const struct pairmap *m, const void *p, uint64_t n, void **value);
/* Insert or replace; returns the previous value or NULL. */
void *pairmap_put(struct pairmap *m, const void *p, uint64_t n, void *value);
void pairmap_release(struct pairmap *m);

#endif
