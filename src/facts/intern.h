#ifndef DISTARCH_INTERN_H
#define DISTARCH_INTERN_H
/*
 * One file's string table while its facts are made: facts_str() hands out
 * one arena copy per distinct short text ("err", "ctx", "fmt.Errorf" recur
 * in every function), so a repository's facts hold each name once per file.
 *
 * The table only points into the facts' arena; it is the file_facts'
 * (ff->intern) and is freed by intern_free(), which file_facts_trim() and
 * file_facts_release() call. Strings handed out stay valid until the arena
 * goes. Not thread-safe per table; one file's facts are made by one thread.
 */
#include <stddef.h>

struct fact_intern;

/* Texts longer than this are copied each time (they seldom repeat). */
#define INTERN_MAX_LEN 128

/* The copy of s[0..n) made earlier, or NULL. `t` may be NULL (empty table). */
const char *intern_find(const struct fact_intern *t, const char *s, size_t n);
/* Remember `copy` (NUL-terminated, `n` bytes, equal to the text looked up). */
void intern_add(struct fact_intern **t, const char *copy, size_t n);
void intern_free(struct fact_intern **t);

#endif
