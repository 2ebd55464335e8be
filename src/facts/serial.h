#ifndef DISTARCH_SERIAL_H
#define DISTARCH_SERIAL_H
/*
 * One file's facts as bytes and back, for the fact cache (src/cache/).
 *
 * The format is versioned (FACTS_SERIAL_VERSION, bumped with any change to
 * struct file_facts or to this layout): integers as LEB128 varints (indices
 * stored +1, so -1 is 0), flags packed in a byte, strings as a tag (0 NULL;
 * 2 * (length + 1) then the bytes; 2 * n + 1 the n-th string already
 * written). The path is
 * not part of it: the caller knows it.
 *
 * Deserialising trusts nothing: every length is checked against the bytes
 * left, every enum against its range and every fact index (func, handler,
 * loop, call, parent, ...) against the vector it points into; bytes left
 * over are an error too. On failure `ff` is released and re-initialised
 * with its path and language, empty.
 */
#include <stddef.h>

#include "../base/strbuf.h"
#include "facts.h"

#define FACTS_SERIAL_VERSION 3u

/* Append the facts to `out`. */
void facts_serialise(const struct file_facts *ff, struct strbuf *out);
/* Fill `ff` (initialised, empty: file_facts_init) from `buf`. 0, or -1 (nothing printed). */
int facts_deserialise(const void *buf, size_t len, struct file_facts *ff);

#endif
