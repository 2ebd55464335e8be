#ifndef DISTARCH_FACTQ_H
#define DISTARCH_FACTQ_H
/*
 * Small queries over one file's facts and over identifiers, shared by the
 * detectors so that each states its own reasoning and not these mechanics.
 * Nothing here allocates; results point into the facts or into caller
 * buffers.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../facts/facts.h"

#define IDENT_MAX_TOKENS 10
#define IDENT_TOKEN_LEN 32

/*
 * The lowercase words of an identifier: `_onJobFailed` and `on_job_failed`
 * both give on, job, failed. Writes at most `max` tokens (each cut to 31
 * bytes) and returns how many.
 */
size_t ident_tokens(const char *name, char tok[][IDENT_TOKEN_LEN], size_t max);
/* Is the token `t` one of `words`? */
bool ident_word_in(const char *t, const char *const *words, size_t nwords);
/* Is one of `words` a word of `name`? NULL names have no words. */
bool ident_has_word(const char *name, const char *const *words, size_t nwords);
/* Is `words` holding the first word of `name`? */
bool ident_first_word(const char *name, const char *const *words, size_t nwords);

/* A call that checks a dependency's health: op health.check, or named like one (ping, probe, is_healthy...). */
bool call_checks_health(const struct fact_call *c);

/*
 * Does the receiver's last segment name the class (`self.dispatcher` for
 * Dispatcher, `self.repo` for JobRepository, `h.store` for BuildStore)?
 * Case and underscores aside, one contains the other; both at least 3 long.
 */
bool call_receiver_names_class(const struct fact_call *c, const char *cls);

/* The index of the first call at or after `line` (calls are in source order). */
size_t facts_first_call_at(const struct file_facts *ff, uint32_t line);
/* Is function `f` the function `outer` or nested in it? */
bool facts_func_within(const struct file_facts *ff, int f, int outer);

#endif
