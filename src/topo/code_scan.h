#ifndef DISTARCH_CODE_SCAN_H
#define DISTARCH_CODE_SCAN_H
/*
 * The code side of `topology drift` and `init`: open the tree, load the
 * built-in models, turn every file into facts, index them and collect the
 * code links against a topology (or none). `check` runs the same phases
 * on its own index and calls code_links_collect itself.
 *
 * Ownership: a code_scan owns everything it holds; code_scan_release frees.
 */
#include <stdbool.h>

#include "../facts/index.h"
#include "../models/models.h"
#include "../source/repo.h"
#include "../source/scan.h"
#include "links.h"

struct code_scan {
	struct repo repo;
	struct model_set models;
	struct fact_index ix;
	struct scan_stats stats;
	struct code_links links;
	unsigned jobs; /* scan threads (0: one per processor); set after code_scan_init */
	bool no_cache; /* do not read or write ROOT/.dist-architect/cache */
};

void code_scan_init(struct code_scan *cs);
void code_scan_release(struct code_scan *cs);
/* Scan the tree at `root`; -1 with an error when it cannot be opened or the models do not load. */
int code_scan_run(struct code_scan *cs, const char *root, const struct topology *topo, bool progress);

#endif
