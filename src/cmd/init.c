#include "cmd.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../base/banned.h"

static const struct usage usage = {
	"distarch init [options]",
	"Write .dist-architect/topology.yaml for this repository: components inferred\n"
	"from top-level folders and compose/k8s manifests, relationships from the calls\n"
	"found in the code, to be completed by hand.",
	NULL,
};

int cmd_init(int argc, char **argv, struct cmd_ctx *ctx)
{
	const struct option opts[] = {
		OPT_PLANNED_FLAG("force", "overwrite an existing topology file"),
		OPT_PLANNED("output", "FILE", "where to write (default .dist-architect/topology.yaml)"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	return cmd_not_yet("init", "topology inference comes with the design issue");
}
