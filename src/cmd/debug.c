#include "cmd.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../base/banned.h"

static const struct usage usage = {
	"distarch debug \"SYMPTOM\" [--component C] [--logs FILE...] [options]",
	"Trace an incident backward: match the symptom against the catalog, walk the\n"
	"topology upstream from the component that hurts, weigh log evidence, and hand\n"
	"over ranked hypotheses with how to verify each and whether the fix repairs old data.",
	NULL,
};

int cmd_debug(int argc, char **argv, struct cmd_ctx *ctx)
{
	const struct option opts[] = {
		OPT_PLANNED("component", "C", "the component where the symptom shows"),
		OPT_PLANNED("logs", "FILE", "log files (JSON lines, logfmt or plain); repeatable"),
		OPT_PLANNED("log-format", "REGEX", "a regex with named groups for plain logs"),
		OPT_PLANNED("since", "TIME", "only log lines at or after TIME"),
		OPT_PLANNED("until", "TIME", "only log lines before TIME"),
		OPT_PLANNED("topology", "FILE", "the topology (default .dist-architect/topology.yaml)"),
		OPT_PLANNED("format", "FORMAT", "text, json or markdown"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	return cmd_not_yet("debug", "symptom matching and log evidence come with the debug issue");
}
