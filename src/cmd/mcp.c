/*
 * distarch mcp: the Model Context Protocol server on stdio (src/mcp/).
 * Protocol messages go to a private copy of stdout; file descriptor 1 then
 * points at stderr, so that nothing any library prints can corrupt them.
 */
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../mcp/server.h"
#include "../base/banned.h"

static const struct usage usage = {
	"distarch mcp [--root DIR]",
	"Serve the Model Context Protocol over stdio (newline-delimited JSON-RPC 2.0):\n"
	"tools dist_check, dist_design, dist_debug, catalog_get, topology_show. Every path\n"
	"argument is confined to the project root. Protocol versions 2025-06-18 and\n"
	"2025-11-25 (initialize), and 2026-07-28 (server/discover, stateless requests).\n"
	"Stops at the end of its input.",
	"configure a client with the command `distarch mcp` (the plugin's .mcp.json does).",
};

int cmd_mcp(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *root = ".";
	const struct option opts[] = {
		OPT_STRING(0, "root", &root, "DIR", "the project root every path argument is confined to (default: the current folder)"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	if (n > 0) {
		error("mcp takes no arguments (found '%s'); the project root is --root DIR", argv[1]);
		return EXIT_USAGE;
	}
	struct mcp_server s;
	if (mcp_server_init(&s, root) < 0)
		return EXIT_USAGE;
	fflush(stdout);
	int fd = dup(STDOUT_FILENO);
	FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		error("cannot set up the protocol stream");
		mcp_server_release(&s);
		return EXIT_USAGE;
	}
	diag_set_quiet(1);
	int rc = mcp_serve(&s, STDIN_FILENO, out);
	if (fclose(out) != 0)
		rc = -1;
	mcp_server_release(&s);
	return rc < 0 ? EXIT_USAGE : EXIT_CLEAN;
}
