#ifndef DISTARCH_FINDING_H
#define DISTARCH_FINDING_H
/*
 * A finding: one rule (AP-1 ... AP-6, TOPO-..., DRIFT-...) at one primary
 * location, with related locations and an evidence chain. The fields match
 * the JSON contract of DESIGN.md.
 *
 * Ownership: a finding owns all its strings (heap); finding_release frees.
 */
#include <stdint.h>

#include "../base/vec.h"

enum severity { SEV_NOTE, SEV_WARNING, SEV_ERROR };
const char *severity_name(enum severity s);
/* Parse "error"|"warning"|"note"; "never" gives -1 via *never. Returns 0 or -1. */
int severity_parse(const char *s, enum severity *out, int *never);

struct related_loc {
	char *path;
	uint32_t line;
	char *message;
};

struct finding {
	char *rule;
	enum severity severity;
	char *message;
	char *path;
	uint32_t line, column;
	char *component;
	VEC(struct related_loc) related;
	VEC(char *) evidence;
	char *fix; /* the change this finding calls for, in its own terms; or NULL (the catalog has the general ones) */
};

/* A list of findings (the report's, the analysis's, the filters' in between). */
typedef VEC(struct finding) finding_vec;

void finding_release(struct finding *f);
/* qsort order of findings: path, line, column, rule. */
int finding_cmp(const void *a, const void *b);

#endif
