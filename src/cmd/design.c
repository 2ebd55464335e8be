/*
 * distarch design: the design review of a topology (src/topo/analyze.h),
 * rendered by src/report/review.c; or two or three options side by side.
 * Orchestration only.
 */
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../report/review.h"
#include "../report/sarif.h"
#include "../topo/analyze.h"
#include "../topo/topology.h"
#include "../base/banned.h"

#define DEFAULT_TOPOLOGY ".dist-architect/topology.yaml"
#define MAX_OPTIONS 3

static const char *const formats[] = { "text", "json", "markdown", "sarif", NULL };
static const char *const diagrams[] = { "mermaid", "dot", NULL };
static const char *const levels[] = { "error", "warning", "note", "never", NULL };

static const struct usage usage = {
	"distarch design [--topology FILE] [options]\n"
	"   or: distarch design --compare A.yaml B.yaml [C.yaml] [--format FORMAT]",
	"Review a topology before code exists: single points of failure and bottlenecks,\n"
	"failure cascades and blast radius, feedback loops, retry amplification along each\n"
	"path, contention on convergence points, delivery guarantees, state machines\n"
	"(entities), and the unknowns that would change the answer. With --compare, put\n"
	"two or three topology options side by side: what each is best for, and the risks\n"
	"it trades.",
	"rule ids: TOPO-CONCURRENCY TOPO-BOTTLENECK TOPO-SPOF TOPO-CASCADE TOPO-LOOP\n"
	"          TOPO-RETRY-AMP TOPO-CONTENTION TOPO-DELIVERY TOPO-STATE-UNREACHABLE\n"
	"          TOPO-STATE-TRAP TOPO-STATE-ACTOR TOPO-STATE-INVARIANT\n"
	"The retry search follows simple paths from the entry points and is bounded; the\n"
	"report says when it stopped early. Markdown embeds a mermaid diagram.\n\n"
	"exit status: 0 nothing at or above --fail-on, 1 findings at or above it,\n"
	"2 bad usage or bad input.",
};

static enum review_format format_of(const char *s)
{
	if (!strcmp(s, "json"))
		return REVIEW_JSON;
	if (!strcmp(s, "markdown"))
		return REVIEW_MARKDOWN;
	return REVIEW_TEXT;
}

static int load(struct topology *t, const char *path, bool defaulted)
{
	if (defaulted && access(path, F_OK) != 0)
		return error("no topology: %s does not exist; give one with --topology FILE "
			     "(docs/topology.md describes the format)", path);
	return topology_load_file(t, path);
}

static bool fails(const struct topo_review *rv, const char *fail_on)
{
	enum severity min;
	int never;
	if (severity_parse(fail_on, &min, &never) < 0 || never)
		return false;
	for (size_t i = 0; i < rv->findings.len; i++)
		if (rv->findings.items[i].severity >= min)
			return true;
	return false;
}

int cmd_design(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *topo = NULL, *format = "text", *diagram = NULL, *fail_on = "error";
	int budget = TOPO_DEFAULT_RETRY_BUDGET;
	bool compare = false;
	const struct option opts[] = {
		OPT_STRING('t', "topology", &topo, "FILE", "the topology (default " DEFAULT_TOPOLOGY ")"),
		OPT_FLAG(0, "compare", &compare, "put two or three topology files (the arguments) side by side"),
		OPT_CHOICE('f', "format", &format, formats, "text, json, markdown or sarif (default text; sarif: not with --compare)"),
		OPT_CHOICE(0, "diagram", &diagram, diagrams, "add a mermaid or dot diagram to the text report (markdown always has mermaid)"),
		OPT_INT(0, "retry-budget", &budget, "N", "worst-case attempts along a path before TOPO-RETRY-AMP warns (default 10)"),
		OPT_CHOICE(0, "fail-on", &fail_on, levels, "exit 1 on findings at or above: error (default), warning, note or never"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	char **pos = argv + 1;
	if (budget < 1) {
		error("--retry-budget must be at least 1, found %d", budget);
		return EXIT_USAGE;
	}
	const char *files[MAX_OPTIONS];
	size_t nfiles = 0;
	if (compare) {
		if (topo || n < 2 || n > MAX_OPTIONS) {
			error("design --compare takes two or three topology files as arguments (found %d%s)", n,
			      topo ? " and --topology" : "");
			return EXIT_USAGE;
		}
		if (!strcmp(format, "sarif")) {
			error("--format sarif reports the findings of one topology; --compare takes text, json or markdown");
			return EXIT_USAGE;
		}
		if (diagram) {
			error("--diagram does not apply to --compare");
			return EXIT_USAGE;
		}
		for (int i = 0; i < n; i++)
			files[nfiles++] = pos[i];
	} else {
		if (n > 1 || (n == 1 && topo)) {
			error("design reviews one topology: give it with --topology FILE (or --compare for several)");
			return EXIT_USAGE;
		}
		files[nfiles++] = n == 1 ? pos[0] : topo ? topo : DEFAULT_TOPOLOGY;
	}

	struct topology t[MAX_OPTIONS];
	struct topo_review rv[MAX_OPTIONS];
	const struct topo_review *rvp[MAX_OPTIONS];
	size_t loaded = 0;
	int rc = EXIT_CLEAN;
	for (; loaded < nfiles; loaded++) {
		topology_init(&t[loaded]);
		if (load(&t[loaded], files[loaded], !compare && !topo && n == 0) < 0) {
			topology_release(&t[loaded]);
			rc = EXIT_USAGE;
			break;
		}
		topo_review_run(&rv[loaded], &t[loaded], (unsigned)budget);
		review_sort_findings(&rv[loaded]);
		rvp[loaded] = &rv[loaded];
	}
	if (rc == EXIT_CLEAN) {
		int w = compare ? review_compare_write(rvp, nfiles, format_of(format), stdout)
			: !strcmp(format, "sarif") ? sarif_write_in(rv[0].findings.items, rv[0].findings.len, NULL, ".", stdout)
			: review_write(&rv[0], format_of(format), diagram, ctx->color, stdout);
		if (w < 0)
			rc = EXIT_USAGE;
		for (size_t i = 0; i < nfiles && rc == EXIT_CLEAN; i++)
			if (fails(&rv[i], fail_on))
				rc = EXIT_FINDINGS;
	}
	for (size_t i = 0; i < loaded; i++) {
		topo_review_release(&rv[i]);
		topology_release(&t[i]);
	}
	return rc;
}
