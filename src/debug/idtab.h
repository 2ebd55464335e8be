#ifndef DISTARCH_DEBUG_IDTAB_H
#define DISTARCH_DEBUG_IDTAB_H
/*
 * A table of per-key state for the log evidence detectors (per operation
 * id, per instance), bounded: state exists only for keys still open. A
 * sweep drops closed keys and keys idle for longer than the horizon; the
 * table never grows past IDTAB_MAX_SLOTS (a sweep with a shorter horizon
 * makes room when it would).
 *
 * Values are fixed-size blobs that start with struct idtab_head. Keys are
 * at most IDTAB_KEY_MAX bytes (longer keys are cut: they are ids, and a
 * collision after 63 bytes is taken as the same id).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDTAB_KEY_MAX 63
#define IDTAB_MAX_SLOTS (1u << 21)

struct idtab_head {
	int64_t last;    /* time of the last record about the key */
	bool used;
	bool closed;     /* no detector needs it any more */
	uint8_t klen;
	char key[IDTAB_KEY_MAX + 1];
};

struct idtab {
	size_t value_size; /* includes the head */
	size_t cap, len;   /* slots (a power of two), used slots */
	unsigned char *slots;
	int64_t horizon;   /* ms of inactivity after which a key is dropped */
	uint64_t dropped;  /* keys dropped while open (for the report) */
};

void idtab_init(struct idtab *t, size_t value_size, int64_t horizon);
void idtab_release(struct idtab *t);
/* The state of key k[0, n) (zeroed when new), touched at `now`. Never NULL. */
void *idtab_get(struct idtab *t, const char *k, size_t n, int64_t now);
/* The state of the key, or NULL. */
void *idtab_find(const struct idtab *t, const char *k, size_t n);
/* Drop closed keys and keys not touched since now - horizon. */
void idtab_sweep(struct idtab *t, int64_t now);

#endif
