#include "cmd.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../base/banned.h"

static const struct usage usage = {
	"distarch design [--topology FILE] [options]\n"
	"   or: distarch design --compare A.yaml B.yaml [C.yaml]",
	"Review a topology before code exists: single points of failure and bottlenecks,\n"
	"failure cascades, feedback loops, retry amplification along each path,\n"
	"contention on convergence points, delivery guarantees, and the unknowns that\n"
	"would change the answer.",
	"rule ids: TOPO-CONCURRENCY TOPO-BOTTLENECK TOPO-SPOF TOPO-CASCADE TOPO-LOOP\n"
	"          TOPO-RETRY-AMP TOPO-CONTENTION TOPO-DELIVERY",
};

int cmd_design(int argc, char **argv, struct cmd_ctx *ctx)
{
	const struct option opts[] = {
		OPT_PLANNED("topology", "FILE", "the topology (default .dist-architect/topology.yaml)"),
		OPT_PLANNED("compare", "FILE", "put two or three topology options side by side"),
		OPT_PLANNED("format", "FORMAT", "text, json, sarif or markdown"),
		OPT_PLANNED("diagram", "KIND", "mermaid or dot diagram of the topology"),
		OPT_PLANNED("retry-budget", "N", "worst-case attempts along a path before TOPO-RETRY-AMP warns (10)"),
		OPT_PLANNED("fail-on", "LEVEL", "error, warning, note or never"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	return cmd_not_yet("design", "topology analyses come with the design issue");
}
