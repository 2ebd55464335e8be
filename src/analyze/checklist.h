#ifndef DISTARCH_CHECKLIST_H
#define DISTARCH_CHECKLIST_H
/*
 * Layer 2: the reasoning modules instantiated for one changed region.
 *
 * Pass 1 instantiates, for each boundary signal the region touches, the
 * module that signal triggers (data/modules/NAME.yaml through
 * src/catalog/module.h). Pass 2 instantiates the concurrency module when
 * the topology puts the region's component on the "1" side of a 1:N
 * relationship, and says why it ran or why it was skipped.
 *
 * Each question whose module says the engine can answer it (observers, the
 * 3-tick trace, the failure class, the payload lifecycle, the retry
 * product, the edge cardinality, the component) gets an answer built from
 * facts, the index and the findings; the others stay open, marked for a
 * person or an LLM.
 *
 * Ownership: a checklist owns its answers (heap strings) and its `why`;
 * it borrows the module, the questions and the region's path.
 */
#include <stdbool.h>
#include <stdint.h>

#include "../base/pairmap.h"
#include "../base/strmap.h"
#include "../catalog/module.h"
#include "boundary.h"
#include "detect.h"

struct checklist_item {
	const struct module_question *q;
	bool answered;
	char *answer; /* NULL when open */
};

struct checklist {
	const struct module *module;
	const char *path;     /* borrowed from the region */
	uint32_t first, last;
	int pass;             /* 1 or 2 */
	VEC(struct checklist_item) items;
};

typedef VEC(struct checklist) checklist_vec;

/* Why pass 2 ran or not, for one region. */
struct pass2_decision {
	bool run;
	char *why; /* owned */
};

/* Answers shared across regions (the observers of a field and value). */
struct checklist_cache {
	struct strmap observers; /* "field\x1fvalue" -> struct observer_list * */
	struct strmap clients;   /* path -> struct retry_clients * */
	struct pairmap writers;  /* index_writers' list -> its writes grouped by state (checklist.c) */
};
void checklist_cache_init(struct checklist_cache *cc);
void checklist_cache_release(struct checklist_cache *cc);

/*
 * Instantiate the modules for region `u` of `ff` (component index `comp`,
 * -1 when inferred) and append them to `out`. `findings` are the analysis
 * results (AP-1 evidence answers the tick trace, AP-2 the payload
 * lifecycle). Fills *p2 with the pass-2 decision.
 */
void checklists_for_region(const struct analysis *a, const struct module_set *ms,
			   struct checklist_cache *cache,
			   const struct file_facts *ff, const struct boundary_unit *u, int comp,
			   const struct finding *findings, size_t nfindings,
			   checklist_vec *out, struct pass2_decision *p2);
void checklist_release(struct checklist *c);

#endif
