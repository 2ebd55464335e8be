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
	ff->path = xstrdup(path); /* not in the arena: it outlives file_facts_drop */
	ff->lang = lang;
}

void file_facts_drop(struct file_facts *ff)
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
	ff->skip_reason = NULL; /* a cached one was in the arena */
}

void file_facts_release(struct file_facts *ff)
{
	file_facts_drop(ff);
	xfree((char *)ff->path);
	memset(ff, 0, sizeof(*ff));
}

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

/* The file's one copy of s[0..n) (intern.h): names recur in every function of a file. */
static const char *shared_copy(struct file_facts *ff, const char *s, size_t n)
{
	const char *hit = intern_find(ff->intern, s, n);
	if (hit)
		return hit;
	hit = arena_strndup(&ff->arena, s, n);
	intern_add(&ff->intern, hit, n);
	return hit;
}

const char *facts_str(struct file_facts *ff, const char *s, size_t n)
{
	/*
	 * Source bytes need not be UTF-8, and a cut text may end inside a
	 * character: facts hold valid UTF-8 only, so that every report format
	 * (JSON and SARIF need it) can carry every fact.
	 */
	if (utf8_valid(s, n))
		return shared_copy(ff, s, n);
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
	/* the dotted names of a call or binding ("ctx", "err", "req.Header") repeat the most */
	for (size_t i = 0; i < n; i++)
		l.items[i] = items[i] ? shared_copy(ff, items[i], strlen(items[i])) : NULL;
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
