#ifndef DISTARCH_VEC_H
#define DISTARCH_VEC_H
/*
 * Typed growable arrays (after tree-sitter's array.h).
 *
 *   VEC(struct fact_call) calls = VEC_INIT;
 *   struct fact_call *c = VEC_PUSH(&calls);   // zeroed new slot
 *   VEC_FREE(&calls);
 *
 * `items` is NULL while `len` is 0. Pointers into `items` are invalidated by
 * VEC_PUSH; keep indices, not pointers, across pushes.
 */
#include <string.h>
#include "alloc.h"

#define VEC(T) struct { T *items; size_t len, cap; }
#define VEC_INIT { NULL, 0, 0 }

#define VEC_RESERVE(v, n) \
	((v)->items = xgrow((v)->items, sizeof(*(v)->items), (n), &(v)->cap))

#define VEC_PUSH(v) \
	(VEC_RESERVE((v), (v)->len + 1), \
	 memset(&(v)->items[(v)->len], 0, sizeof(*(v)->items)), \
	 &(v)->items[(v)->len++])

#define VEC_APPEND(v, x) (*VEC_PUSH(v) = (x))

#define VEC_FREE(v) \
	do { xfree((v)->items); (v)->items = NULL; (v)->len = (v)->cap = 0; } while (0)

/* Give back the spare capacity (a vector that is complete and held long). */
#define VEC_SHRINK(v)                                                                \
	do {                                                                          \
		if ((v)->cap > (v)->len) {                                            \
			if ((v)->len)                                                 \
				(v)->items = xrealloc((v)->items, (v)->len * sizeof(*(v)->items)); \
			else                                                          \
				VEC_FREE(v);                                          \
			(v)->cap = (v)->len;                                          \
		}                                                                     \
	} while (0)

#endif
