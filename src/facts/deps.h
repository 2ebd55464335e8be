#ifndef DISTARCH_DEPS_H
#define DISTARCH_DEPS_H
/*
 * What each analysis target looked up: the dependency record that lets a
 * diff check run the detectors over the few files a change can reach
 * instead of the whole repository.
 *
 * A detector reads its target file's facts and, for everything across
 * files, asks the index (index.h: readers, writers, functions, callers of
 * a name) or the repository's health checks. While a recorder is attached
 * to the index (fact_index.rec), every such lookup made for target t adds
 * a key - the kind of lookup and the name - to t's trail. Constant linking
 * adds, per file, the names it resolved (its link keys). Memos shared
 * across targets keep the keys their computation added (dep_keep) and
 * give them to every target that reads them (dep_replay), so a target's
 * trail is the same whether its memo entries were made for it or for
 * another.
 *
 * A file "provides" a key when its facts are what that lookup returns
 * (deps_provides). Target t's findings can change, or come to touch a
 * file F, only if t is F, or one of t's keys is provided by F before or
 * after F changed (the lookups return exactly those facts, memos are
 * functions of them). That is the rule check.c applies (src/cache/depcache.h
 * keeps the record between runs).
 *
 * Keys are 64-bit hashes of the kind and the name; a collision only makes
 * a target look affected when it is not.
 *
 * Ownership: a dep_rec owns its trails and pool; dep_rec_release frees.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/u64set.h"
#include "../base/vec.h"
#include "facts.h"

enum dep_kind {
	DEP_READERS = 'r',   /* index_readers(field), by index_field_key */
	DEP_WRITERS = 'w',   /* index_writers(field), by index_field_key */
	DEP_FUNCTIONS = 'f', /* index_functions(name) */
	DEP_CALLERS = 'c',   /* index_callers(method) */
	DEP_CONST = 'k',     /* a constant's name (const_link.c) */
	DEP_HEALTH = 'h',    /* every health check of the repository (AP-6) */
	DEP_PRIMARY = 'p',   /* AP-5: a finding's primary location, merged across targets */
	/* index_functions_upto refused the name: more definitions than its
	 * bound, none read. Its key is DEP_FUNCTIONS's with bit 0 set (every
	 * other key has bit 0 clear): the same files provide both. */
	DEP_FUNCTIONS_MANY = 'F',
};

/*
 * A function name is "wide" when more than DEP_WIDE files define it (the
 * record counts them: depcache.h). No bound of index_functions_upto is
 * above it, so a lookup refused as too many is refused whatever the wide
 * name's files hold: a lazy check need not load them for it.
 */
#define DEP_WIDE 64
#define DEP_MANY_BIT 1ull

typedef u64set depkeys; /* sealed (u64set_seal) once complete */

/* Keys a memo entry took: an offset and length into the recorder's pool. len DEP_ANY: unknown. */
struct dep_slice {
	uint32_t off, len;
};
#define DEP_ANY UINT32_MAX

struct dep_rec {
	size_t nfiles;
	size_t cur;        /* the target being analysed (index into the index's files), or DEP_NONE */
	depkeys *trail;    /* per file: its keys as a target, unsorted, with repeats */
	bool *any;         /* per file: read something no key stands for (always affected) */
	depkeys *link;     /* per file: the constants its linking resolved */
	depkeys *primary;  /* per file: AP-5 primary locations its candidates had */
	depkeys pool;      /* the memo slices */
	size_t linking;    /* the file being linked, or DEP_NONE */
	/* Not owned, may be NULL: per file, whether its link keys are known
	 * already (an earlier record of the same bytes): not noted again. */
	const bool *link_known;
};
#define DEP_NONE ((size_t)-1)

void dep_rec_init(struct dep_rec *r, size_t nfiles);
void dep_rec_release(struct dep_rec *r);

uint64_t dep_key(enum dep_kind kind, const char *name);

/* A lookup made now (for the current target, or the file being linked). NULL r: not recording. */
void dep_note(struct dep_rec *r, enum dep_kind kind, const char *name);
/* AP-5: the current target had a candidate at `primary` ("path:line"). */
void dep_note_primary(struct dep_rec *r, const char *primary);

/* Memos: where the current target's trail stands; what was added since `mark`; give it to the current target. */
size_t dep_mark(const struct dep_rec *r);
struct dep_slice dep_keep(struct dep_rec *r, size_t mark);
void dep_replay(struct dep_rec *r, struct dep_slice s);

/*
 * What a record knows a file's facts by: its content hash, told apart when
 * the scan left the file out or could not extract it (the same bytes may
 * give facts in another run). 0 when the bytes are not known.
 */
uint64_t deps_identity(const struct file_facts *ff);

/* Sort and dedupe every trail (after the analysis). */
void dep_rec_finish(struct dep_rec *r);

/*
 * The keys `ff`'s facts provide, appended to `out` (then sorted, unique).
 * `is_health`: which calls are health checks (the analyses know; AP-6).
 */
void deps_provides(const struct file_facts *ff, bool (*is_health)(const struct fact_call *), depkeys *out);

#endif
