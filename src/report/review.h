#ifndef DISTARCH_REVIEW_H
#define DISTARCH_REVIEW_H
/*
 * The design review (`distarch design`): the topology's components and
 * relationships with their cardinality, the TOPO-... findings (rendered by
 * the same per-finding writers as check's), and the unknowns that would
 * change the answers; in text, JSON and Markdown (which embeds the mermaid
 * diagram). And `design --compare`: two or three options side by side.
 *
 * The JSON keeps DESIGN.md's contract: {"version":1,"findings":[...],
 * "summary":{...}} plus "topology" and "unknowns".
 */
#include <stdbool.h>
#include <stdio.h>

#include "../topo/analyze.h"

enum review_format { REVIEW_TEXT, REVIEW_JSON, REVIEW_MARKDOWN };

/* `diagram`: "mermaid" or "dot" to add one (markdown always has mermaid), or NULL. */
int review_write(const struct topo_review *rv, enum review_format fmt, const char *diagram,
		 bool color, FILE *out);

/* Options side by side; `labels` are "A", "B", "C". */
int review_compare_write(const struct topo_review *const *rvs, size_t n, enum review_format fmt,
			 FILE *out);

/* Findings by severity, most severe first, analysis order kept within one severity. */
void review_sort_findings(struct topo_review *rv);

#endif
