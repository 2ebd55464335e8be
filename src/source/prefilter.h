#ifndef DISTARCH_PREFILTER_H
#define DISTARCH_PREFILTER_H
/*
 * The prefilter: from a file's bytes, without parsing, may it hold a fact
 * an analysis uses? Seeds and closure (docs/prefilter.md):
 *
 *  - a SEED is a file whose bytes hold a needle that can start a fact an
 *    analysis starts from: a model's import prefix (models apply only in
 *    files that import them), any name of an `always` model (builtins),
 *    the state, message-key, retry-counter and health words of the
 *    front-ends and detectors, and the syntax of handlers and async loops;
 *    needles match case-insensitively anywhere (a superset of every
 *    front-end test, which all look at names or text the bytes contain);
 *  - the CLOSURE adds every file one of whose identifier tokens equals a
 *    lookup key in the facts of a parsed file (function names and their
 *    word tails, call methods, fields, values and arguments that may name
 *    a constant, constant names), to a fixpoint: every cross-file lookup
 *    of the analyses is by such a key, and a key a file is found by is one
 *    it looks up with too, so a file no lookup can reach is never read by
 *    one. Tokens and keys compare by index_field_key's normal form
 *    (lowercase, no '_' or '-').
 *
 * Ownership: a prefilter owns its needles; pf_names and pf_tokens own
 * their arrays. Nothing keeps pointers into the bytes it scans.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/u64set.h"
#include "../base/vec.h"
#include "../facts/facts.h"
#include "../models/models.h"

struct prefilter;

/* The needles of every language from the models; NULL models: the words only. */
struct prefilter *prefilter_new(const struct model_set *models);
void prefilter_free(struct prefilter *pf);

/* Does `buf` hold a needle of its language `lang`? */
bool prefilter_is_seed(const struct prefilter *pf, enum lang lang, const char *buf, size_t n);

/* A set of normalised names (hashes), sorted and unique after u64set_seal(). */
typedef u64set pf_set;

/* The identifier tokens of `buf`, hashed, into `out` (sealed). */
void prefilter_tokens(const char *buf, size_t n, pf_set *out);
/* Every name the facts hold, hashed, appended to `names` (seal before lookups). */
void prefilter_add_names(pf_set *names, const struct file_facts *ff);

#endif
