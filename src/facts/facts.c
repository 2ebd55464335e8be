#include "facts.h"

#include <string.h>

#include "../base/utf8.h"
#include "intern.h"
#include "../base/banned.h"

const char *failure_class_name(enum failure_class c)
{
	switch (c) {
	case FAIL_INFRASTRUCTURE: return "infrastructure";
	case FAIL_LOGIC: return "logic";
	case FAIL_OBSERVATION: return "observation";
	case FAIL_UNKNOWN: break;
	}
	return "unknown";
}

void file_facts_init(struct file_facts *ff, const char *path, enum lang lang)
{
	memset(ff, 0, sizeof(*ff));
	ff->path = arena_strdup(&ff->arena, path);
	ff->lang = lang;
}

void file_facts_release(struct file_facts *ff)
{
	VEC_FREE(&ff->imports);
	VEC_FREE(&ff->functions);
	VEC_FREE(&ff->calls);
	VEC_FREE(&ff->handlers);
	VEC_FREE(&ff->writes);
	VEC_FREE(&ff->reads);
	VEC_FREE(&ff->retries);
	VEC_FREE(&ff->loops);
	VEC_FREE(&ff->bindings);
	VEC_FREE(&ff->consts);
	intern_free(&ff->intern);
	arena_release(&ff->arena);
	memset(ff, 0, sizeof(*ff));
}

/* Shrink a vector to its length (a VEC of any type). */
#define VEC_SHRINK(v)                                                                \
	do {                                                                          \
		if ((v)->cap > (v)->len) {                                            \
			if ((v)->len)                                                 \
				(v)->items = xrealloc((v)->items, (v)->len * sizeof(*(v)->items)); \
			else                                                          \
				VEC_FREE(v);                                          \
			(v)->cap = (v)->len;                                          \
		}                                                                     \
	} while (0)

void file_facts_trim(struct file_facts *ff)
{
	VEC_SHRINK(&ff->imports);
	VEC_SHRINK(&ff->functions);
	VEC_SHRINK(&ff->calls);
	VEC_SHRINK(&ff->handlers);
	VEC_SHRINK(&ff->writes);
	VEC_SHRINK(&ff->reads);
	VEC_SHRINK(&ff->retries);
	VEC_SHRINK(&ff->loops);
	VEC_SHRINK(&ff->bindings);
	VEC_SHRINK(&ff->consts);
	intern_free(&ff->intern);
}

const char *facts_str(struct file_facts *ff, const char *s, size_t n)
{
	/*
	 * Source bytes need not be UTF-8, and a cut text may end inside a
	 * character: facts hold valid UTF-8 only, so that every report format
	 * (JSON and SARIF need it) can carry every fact.
	 */
	if (utf8_valid(s, n)) {
		const char *hit = intern_find(ff->intern, s, n);
		if (hit)
			return hit;
		hit = arena_strndup(&ff->arena, s, n);
		intern_add(&ff->intern, hit, n);
		return hit;
	}
	char *d = arena_alloc(&ff->arena, 3 * n + 1);
	utf8_sanitize(d, s, n);
	return d;
}

struct strlist facts_strlist(struct file_facts *ff, const char *const *items, size_t n)
{
	struct strlist l = { NULL, n };
	if (!n)
		return l;
	l.items = arena_alloc(&ff->arena, n * sizeof(*l.items));
	for (size_t i = 0; i < n; i++)
		l.items[i] = arena_strdup(&ff->arena, items[i]);
	return l;
}

int facts_function_at(const struct file_facts *ff, uint32_t line)
{
	int best = -1;
	for (size_t i = 0; i < ff->functions.len; i++) {
		const struct span *s = &ff->functions.items[i].span;
		if (span_has_line(s, line) &&
		    (best < 0 || s->line >= ff->functions.items[best].span.line))
			best = (int)i;
	}
	return best;
}
