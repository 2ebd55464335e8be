#include "cmd.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../base/banned.h"

static const struct usage usage = {
	"distarch hook claude\n"
	"   or: distarch hook pre-commit\n"
	"   or: distarch hook install [--pre-commit]",
	"Hooks: `claude` reads a Claude Code PostToolUse event on stdin and answers with\n"
	"additional context when an edit crosses a boundary; `pre-commit` checks the\n"
	"staged change; `install` writes the git hook.",
	NULL,
};

int cmd_hook(int argc, char **argv, struct cmd_ctx *ctx)
{
	const struct option opts[] = {
		OPT_PLANNED("timeout", "MS", "hard time limit for the Claude Code hook"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	return cmd_not_yet("hook", "hooks come with the integrations issue");
}
