#include "cmd.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../base/banned.h"

static const struct usage usage = {
	"distarch mcp [--root DIR]",
	"Serve the Model Context Protocol over stdio (newline-delimited JSON-RPC 2.0):\n"
	"tools dist_check, dist_design, dist_debug, catalog_get, topology_show.",
	NULL,
};

int cmd_mcp(int argc, char **argv, struct cmd_ctx *ctx)
{
	const struct option opts[] = {
		OPT_PLANNED("root", "DIR", "the project root every path argument is confined to"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	return cmd_not_yet("mcp", "the MCP server comes with the integrations issue");
}
