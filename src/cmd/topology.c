/*
 * distarch topology check|show [FILE]: validate the topology file, or print
 * its components, relationships with their cardinality, and convergence
 * points.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../topo/analyze.h"
#include "../topo/diagram.h"
#include "../topo/show.h"
#include "../topo/topology.h"
#include "../base/banned.h"

#define DEFAULT_TOPOLOGY ".dist-architect/topology.yaml"

static const char *const formats[] = { "text", "json", NULL };

static const struct usage usage = {
	"distarch topology check [FILE]\n"
	"   or: distarch topology show [FILE] [--format text|json]\n"
	"   or: distarch topology drift [FILE] [--format text|json|markdown] (see drift --help)\n"
	"   or: distarch topology graph [FILE] [--format mermaid|dot|svg] (see graph --help)",
	"check: validate the topology (default " DEFAULT_TOPOLOGY "): unknown components,\n"
	"duplicate names, unparseable counts, wrong types. Every problem is reported with\n"
	"file:line:column; exit status 2 when there is one.\n"
	"show: print components with their counts, relationships with their cardinality\n"
	"(1:1, 1:N, N:1, N:M) and convergence points.",
	"drift: the code's boundaries against the relationships (DRIFT-MISSING,\n"
	"DRIFT-STALE, DRIFT-UNMAPPED).\n"
	"graph: a mermaid, dot or svg diagram with the design review's findings marked.",
};

static const char *const graph_formats[] = { "mermaid", "dot", "svg", NULL };

static const struct usage graph_usage = {
	"distarch topology graph [FILE] [--format mermaid|dot|svg] [--plain]",
	"A diagram of the topology (default " DEFAULT_TOPOLOGY "): components with their\n"
	"counts, relationships labelled with mechanism and cardinality, and what the design\n"
	"review finds marked: single points of failure (red), bottlenecks (dashed orange),\n"
	"feedback loops (orange edges), retry paths over the budget (red edges). svg runs\n"
	"Graphviz's `dot`, which must be on PATH.",
	NULL,
};

static int cmd_topology_graph(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *format = "mermaid";
	bool plain = false;
	int budget = TOPO_DEFAULT_RETRY_BUDGET;
	const struct option opts[] = {
		OPT_CHOICE('f', "format", &format, graph_formats, "mermaid (default), dot, or svg (through Graphviz's dot)"),
		OPT_FLAG(0, "plain", &plain, "no findings marked: the topology alone"),
		OPT_INT(0, "retry-budget", &budget, "N", "the retry budget for marking paths (default 10)"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &graph_usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	if (n > 1) {
		error("topology graph takes one file at most");
		return EXIT_USAGE;
	}
	struct topology t;
	struct topo_review rv;
	topology_init(&t);
	if (topology_load_file(&t, n == 1 ? argv[1] : DEFAULT_TOPOLOGY) < 0) {
		topology_release(&t);
		return EXIT_USAGE;
	}
	if (!plain)
		topo_review_run(&rv, &t, budget > 0 ? (unsigned)budget : 0);
	int rc;
	if (!strcmp(format, "svg"))
		rc = topo_diagram_svg(stdout, &t, plain ? NULL : &rv);
	else
		rc = topo_diagram_write(stdout, strcmp(format, "dot") ? DIAGRAM_MERMAID : DIAGRAM_DOT, &t,
					plain ? NULL : &rv);
	if (!plain)
		topo_review_release(&rv);
	topology_release(&t);
	(void)ctx;
	return rc < 0 ? EXIT_USAGE : EXIT_CLEAN;
}

int cmd_topology(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *format = "text";
	const struct option opts[] = {
		OPT_CHOICE('f', "format", &format, formats, "output of `show` (default text)"),
		OPT_END(),
	};
	/* Subcommands with their own options take over before the shared ones parse. */
	if (argc > 1 && !strcmp(argv[1], "drift"))
		return cmd_topology_drift(argc - 1, argv + 1, ctx);
	if (argc > 1 && !strcmp(argv[1], "graph"))
		return cmd_topology_graph(argc - 1, argv + 1, ctx);
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	char **pos = argv + 1;
	if (n < 1) {
		error("topology needs a subcommand: check or show (see distarch topology --help)");
		return EXIT_USAGE;
	}
	const char *sub = pos[0];
	if (strcmp(sub, "check") && strcmp(sub, "show")) {
		error("unknown topology subcommand '%s': expected check or show", sub);
		return EXIT_USAGE;
	}
	if (n > 2) {
		error("topology %s takes one file at most", sub);
		return EXIT_USAGE;
	}
	const char *file = n == 2 ? pos[1] : DEFAULT_TOPOLOGY;
	struct topology t;
	topology_init(&t);
	int rc = topology_load_file(&t, file);
	if (rc < 0) {
		topology_release(&t);
		return EXIT_USAGE;
	}
	if (!strcmp(sub, "check")) {
		printf("%s: ok (%zu components, %zu relationships, %zu convergence points)\n", file,
		       t.components.len, t.relationships.len, t.convergence.len);
	} else if (!strcmp(format, "json")) {
		rc = topology_show_json(&t, stdout);
	} else {
		topology_show_text(&t, stdout);
	}
	topology_release(&t);
	return rc < 0 ? EXIT_USAGE : EXIT_CLEAN;
}
