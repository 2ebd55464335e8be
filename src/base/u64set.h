#ifndef DISTARCH_U64SET_H
#define DISTARCH_U64SET_H
/*
 * Sets of 64-bit values (hashes of names, keys) as sorted vectors: built by
 * appending, then sealed (sorted, repeats dropped) once, then searched and
 * intersected without allocating. The prefilter's token sets and the
 * dependency record's key lists are these.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vec.h"

typedef VEC(uint64_t) u64set;

/* Sort and drop repeats. */
void u64set_seal(u64set *s);
/* Sort, keeping repeats. */
void u64sort(uint64_t *v, size_t n);
/* The index of `v` in a sealed set, or (size_t)-1. */
size_t u64set_find(const u64set *s, uint64_t v);
/* Do two sealed sets (or sorted arrays) share a value? */
bool u64set_meet(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

/*
 * A sealed set with a 1M-bit filter in front, for asking many small sets
 * whether they meet one large set: most values are told out by one load,
 * the rest by a binary search. The probe borrows the set (it must not
 * change while probed) and owns its filter.
 */
struct u64probe {
	const u64set *set;
	uint64_t *bits;
};
void u64probe_init(struct u64probe *p, const u64set *sealed);
void u64probe_release(struct u64probe *p);
bool u64probe_has(const struct u64probe *p, uint64_t v);
/* Does any of a[0..n) belong to the probed set? */
bool u64probe_meet(const struct u64probe *p, const uint64_t *a, size_t n);

#endif
