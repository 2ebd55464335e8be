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
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/strbuf.h"
#include "facts.h"

#define FACTS_SERIAL_VERSION 3u

/*
 * The head of serialised facts: what they say of the file besides its facts
 * (language, lines, flags, skip reason, nesting). The fact cache keeps it
 * apart, so that a file's summary is known without reading its facts.
 * `skip_reason` points into the bytes parsed (skip_len of them), or is NULL.
 */
struct facts_head {
	enum lang lang;
	uint32_t nlines;
	bool parse_errors, is_test;
	const char *skip_reason;
	size_t skip_len;
	uint32_t max_nesting, nesting_cut;
};

/* Parse the head at the front of `buf`: the bytes it takes, or 0 when it does not parse. */
size_t facts_head_parse(const void *buf, size_t len, struct facts_head *h);
/* Copy a head's fields into `ff` (the skip reason into its arena). */
void facts_head_apply(const struct facts_head *h, struct file_facts *ff);

/* Append the facts to `out`. */
void facts_serialise(const struct file_facts *ff, struct strbuf *out);
/* Fill `ff` (initialised, empty: file_facts_init) from `buf`. 0, or -1 (nothing printed). */
int facts_deserialise(const void *buf, size_t len, struct file_facts *ff);

#endif
