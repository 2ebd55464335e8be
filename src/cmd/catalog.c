#include "cmd.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../base/banned.h"

static const struct usage usage = {
	"distarch catalog list\n"
	"   or: distarch catalog show ID\n"
	"   or: distarch catalog drafts | promote ID",
	"The anti-pattern catalog: AP-1 tight retry loop, AP-2 lost data at ACK,\n"
	"AP-3 channel conflation, AP-4 boundary state leak, AP-5 compounding retry,\n"
	"AP-6 premature state transition; plus entries users add.",
	NULL,
};

int cmd_catalog(int argc, char **argv, struct cmd_ctx *ctx)
{
	const struct option opts[] = {
		OPT_PLANNED("format", "FORMAT", "text, json or markdown"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	return cmd_not_yet("catalog", "catalog entries come with the detectors issue");
}
