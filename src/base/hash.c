#include "hash.h"

#include <string.h>

#include "banned.h"

#define P1 0x9e3779b97f4a7c15ull
#define P2 0xbf58476d1ce4e5b9ull
#define P3 0x94d049bb133111ebull

static inline uint64_t rd64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* splitmix64's finaliser: every input bit reaches every output bit. */
static inline uint64_t fmix(uint64_t h)
{
	h ^= h >> 30;
	h *= P2;
	h ^= h >> 27;
	h *= P3;
	h ^= h >> 31;
	return h;
}

static inline uint64_t step(uint64_t acc, uint64_t v)
{
	acc ^= fmix(v + P1);
	acc = (acc << 27 | acc >> 37) * P1 + P2;
	return acc;
}

uint64_t hash64(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	/* four independent lanes keep the multiplier pipeline busy on long inputs */
	uint64_t a = seed ^ P1, b = seed + P2, c = seed ^ P3, d = seed - P1;
	size_t n = len;

	while (n >= 32) {
		a = step(a, rd64(p));
		b = step(b, rd64(p + 8));
		c = step(c, rd64(p + 16));
		d = step(d, rd64(p + 24));
		p += 32;
		n -= 32;
	}
	uint64_t h = fmix(a) ^ fmix(b + P1) ^ fmix(c + P2) ^ fmix(d + P3);
	while (n >= 8) {
		h = step(h, rd64(p));
		p += 8;
		n -= 8;
	}
	if (n) {
		unsigned char tail[8] = { 0 };
		memcpy(tail, p, n);
		h = step(h, rd64(tail) ^ ((uint64_t)n << 56));
	}
	return fmix(h ^ (uint64_t)len);
}

uint64_t hash64_str(const char *s, uint64_t seed)
{
	return hash64(s ? s : "", s ? strlen(s) : 0, seed);
}

uint64_t hash64_u64(uint64_t v, uint64_t seed)
{
	return fmix(step(seed ^ P3, v));
}
