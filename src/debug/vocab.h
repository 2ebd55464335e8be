#ifndef DISTARCH_DEBUG_VOCAB_H
#define DISTARCH_DEBUG_VOCAB_H
/*
 * What a log line says happened, as classes (failure, dispatch, ack, ...),
 * from the words the catalog entries give under `log_evidence:` (data, not
 * C word lists). A phrase matches when each of its words is a whole word
 * of the line's event, message or error text, case-insensitively; words
 * are split at non-alphanumerics and at camelCase humps ("JOB_FAILED",
 * "ConnectionClosed" and "connection closed" read alike).
 *
 * Ownership: a vocabulary borrows the catalog's strings.
 */
#include <stdint.h>

#include "../catalog/catalog.h"
#include "logread.h"

/* In the order of catalog_log_classes. */
enum log_class {
	LC_FAILURE, LC_DISPATCH, LC_ACK, LC_MISSING, LC_CHANNEL_ERROR, LC_COMPLETED, LC_RETRY,
	LC_READY, LC_COUNT
};
#define LC_BIT(c) (1u << (c))

#define VOCAB_MAX_WORDS 256
#define VOCAB_SLOTS 1024

struct vocab_phrase {
	enum log_class cls;
	uint64_t mask[VOCAB_MAX_WORDS / 64];
};

struct vocab {
	const char *words[VOCAB_MAX_WORDS];
	uint32_t nwords;
	int16_t slot[VOCAB_SLOTS]; /* word index, -1 empty */
	VEC(struct vocab_phrase) phrases;
	const char *dropped; /* the first word left out past VOCAB_MAX_WORDS, or NULL */
};

/* Every entry's log_evidence, merged by class. */
void vocab_build(struct vocab *v, const struct catalog *c);
void vocab_release(struct vocab *v);
/* The classes of one record (LC_BIT set). */
unsigned vocab_classify(const struct vocab *v, const struct log_record *r);
/* The classes of a text. */
unsigned vocab_classify_text(const struct vocab *v, const char *s, size_t n);

#endif
