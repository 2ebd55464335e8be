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
/* The index of `v` in a sealed set, or (size_t)-1. */
size_t u64set_find(const u64set *s, uint64_t v);
/* Do two sealed sets (or sorted arrays) share a value? */
bool u64set_meet(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

#endif
