#ifndef DISTARCH_HASH_H
#define DISTARCH_HASH_H
/*
 * A fast, non-cryptographic 64-bit hash of bytes, for the fact cache:
 * content keys and checksums that catch corruption and truncation, not
 * attacks. Eight bytes a step, multiply-xorshift mixing (after the
 * structure of wyhash/xxh64, written here to add no dependency). The value
 * is the same on every machine of one byte order for the same input and seed.
 */
#include <stddef.h>
#include <stdint.h>

uint64_t hash64(const void *data, size_t len, uint64_t seed);
/* hash64 of a NUL-terminated string (NULL hashes like ""), chained through `seed`. */
uint64_t hash64_str(const char *s, uint64_t seed);
/* Mix one more 64-bit value into `seed`. */
uint64_t hash64_u64(uint64_t v, uint64_t seed);

#endif
