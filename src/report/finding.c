#include "finding.h"

#include <string.h>

#include "../base/alloc.h"
#include "../base/banned.h"

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_NOTE: return "note";
	case SEV_WARNING: return "warning";
	case SEV_ERROR: return "error";
	}
	return "?";
}

int severity_parse(const char *s, enum severity *out, int *never)
{
	*never = 0;
	if (!strcmp(s, "error"))
		*out = SEV_ERROR;
	else if (!strcmp(s, "warning"))
		*out = SEV_WARNING;
	else if (!strcmp(s, "note"))
		*out = SEV_NOTE;
	else if (!strcmp(s, "never"))
		*never = 1;
	else
		return -1;
	return 0;
}

void finding_release(struct finding *f)
{
	xfree(f->rule);
	xfree(f->message);
	xfree(f->path);
	xfree(f->component);
	xfree(f->fix);
	for (size_t i = 0; i < f->related.len; i++) {
		xfree(f->related.items[i].path);
		xfree(f->related.items[i].message);
	}
	VEC_FREE(&f->related);
	for (size_t i = 0; i < f->evidence.len; i++)
		xfree(f->evidence.items[i]);
	VEC_FREE(&f->evidence);
}

int finding_cmp(const void *a, const void *b)
{
	const struct finding *f = a, *g = b;
	int c = strcmp(f->path, g->path);
	if (c)
		return c;
	if (f->line != g->line)
		return f->line < g->line ? -1 : 1;
	if (f->column != g->column)
		return f->column < g->column ? -1 : 1;
	return strcmp(f->rule, g->rule);
}
