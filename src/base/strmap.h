#ifndef DISTARCH_STRMAP_H
#define DISTARCH_STRMAP_H
/*
 * A hash map from NUL-terminated strings to pointers (open addressing,
 * FNV-1a). The map copies its keys and owns the copies; it does not own the
 * values. Iteration order is insertion order, so output built from a map is
 * deterministic.
 */
#include <stddef.h>
#include <stdint.h>

struct strmap_entry {
	char *key;
	void *value;
	uint64_t hash; /* of key: probes compare it before the bytes, rehashing reuses it */
};

struct strmap {
	struct strmap_entry *entries; /* insertion order */
	size_t len, cap;
	size_t *slots; /* index+1 into entries, 0 = empty */
	size_t nslots;
};
#define STRMAP_INIT { NULL, 0, 0, NULL, 0 }

void *strmap_get(const struct strmap *m, const char *key);
int strmap_contains(const struct strmap *m, const char *key);
/* Insert or replace; returns the previous value or NULL. */
void *strmap_put(struct strmap *m, const char *key, void *value);
/*
 * The value of `key`, for reading and writing; a new key is added with a
 * NULL value. One hash and probe where a get, then a put of a new key,
 * take two. Valid until the map's next insertion.
 */
void **strmap_slot(struct strmap *m, const char *key);
void strmap_release(struct strmap *m);

#endif
