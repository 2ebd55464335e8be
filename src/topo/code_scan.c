#include "code_scan.h"

#include <string.h>

#include "../base/diag.h"
#include "../base/banned.h"

void code_scan_init(struct code_scan *cs)
{
	memset(cs, 0, sizeof(*cs));
	model_set_init(&cs->models);
	index_init(&cs->ix);
	code_links_init(&cs->links);
}

void code_scan_release(struct code_scan *cs)
{
	code_links_release(&cs->links);
	scan_stats_release(&cs->stats);
	index_release(&cs->ix);
	model_set_release(&cs->models);
	repo_release(&cs->repo);
}

int code_scan_run(struct code_scan *cs, const char *root, const struct topology *topo, bool progress)
{
	if (repo_open(&cs->repo, root) < 0)
		return -1;
	if (models_load_builtin(&cs->models) < 0)
		return error("the built-in models do not load; this build is broken");
	struct scan_options so = { .progress = progress, .jobs = cs->jobs };
	so.cache = scan_cache_open(cs->repo.root, &so, cs->no_cache, 0, !progress);
	int rc = scan_repository(&cs->repo, &cs->models, &so, &cs->ix, &cs->stats);
	fact_cache_close(so.cache);
	if (rc < 0)
		return error("%s: cannot list the files of the tree", root);
	index_build(&cs->ix);
	code_links_collect(&cs->links, &cs->ix, topo, &cs->models);
	return 0;
}
