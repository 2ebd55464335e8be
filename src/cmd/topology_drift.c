/*
 * distarch topology drift [FILE]: the code's boundaries against the
 * topology's relationships (src/topo/drift.h).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../report/sarif.h"
#include "../topo/code_scan.h"
#include "../topo/drift.h"
#include "../base/banned.h"

#define DEFAULT_TOPOLOGY ".dist-architect/topology.yaml"

static const char *const formats[] = { "text", "json", "markdown", "sarif", NULL };
static const char *const levels[] = { "error", "warning", "note", "never", NULL };

static const struct usage usage = {
	"distarch topology drift [FILE] [--format text|json|markdown|sarif] [--fail-on LEVEL]",
	"Compare the boundaries the code crosses (publish to a queue, consume from one,\n"
	"HTTP requests and routes, websockets, queries, storage: what the API models\n"
	"tag) with the topology's relationships:\n"
	"  DRIFT-MISSING   the code crosses a boundary no relationship accounts for\n"
	"  DRIFT-STALE     a relationship none of its components' code shows\n"
	"  DRIFT-UNMAPPED  a folder whose code crosses boundaries belongs to no component\n"
	"FILE defaults to " DEFAULT_TOPOLOGY "; the code scanned is the folder that\n"
	"holds FILE's .dist-architect/ (else the current folder; see -C).",
	"exit status: 0 nothing at or above --fail-on (default error; drift findings are\n"
	"warnings and notes, so use --fail-on warning in CI), 1 findings at or above it,\n"
	"2 bad usage or a topology that does not load.",
};

/* "x/.dist-architect/topology.yaml" scans "x"; any other file scans ".". */
static char *root_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	if (!slash)
		return xstrdup(".");
	char *dir = xstrndup(file, (size_t)(slash - file));
	const char *base = strrchr(dir, '/');
	if (strcmp(base ? base + 1 : dir, ".dist-architect")) {
		xfree(dir);
		return xstrdup(".");
	}
	char *root = base ? xstrndup(dir, (size_t)(base - dir)) : xstrdup(".");
	xfree(dir);
	return root;
}

/* How findings name the topology file: relative to the scanned root. */
static const char *relative_to(const char *file, const char *root)
{
	size_t n = strlen(root);
	if (strcmp(root, ".") && !strncmp(file, root, n) && file[n] == '/')
		return file + n + 1;
	return file;
}

int cmd_topology_drift(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *format = "text", *fail_on = "error";
	int jobs = 0;
	bool no_cache = false;
	const struct option opts[] = {
		OPT_CHOICE('f', "format", &format, formats, "report format (default text)"),
		OPT_CHOICE(0, "fail-on", &fail_on, levels, "exit 1 when a finding is at or above this (default error)"),
		OPT_INT('j', "jobs", &jobs, "N", "files parsed at once (default: one per processor; 1: no threads)"),
		OPT_FLAG(0, "no-cache", &no_cache, "neither read nor write the fact cache (ROOT/.dist-architect/cache)"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	if (n > 1) {
		error("topology drift takes one topology file at most");
		return EXIT_USAGE;
	}
	const char *file = n == 1 ? argv[1] : DEFAULT_TOPOLOGY;
	enum severity threshold = SEV_ERROR;
	int never = 0;
	severity_parse(fail_on, &threshold, &never);

	int rc = EXIT_USAGE;
	char *root = root_of(file);
	struct topology t;
	struct code_scan cs;
	struct drift d;
	topology_init(&t);
	code_scan_init(&cs);
	drift_init(&d);
	if (topology_load_file(&t, file) < 0)
		goto out;
	cs.jobs = (unsigned)jobs;
	cs.no_cache = no_cache;
	if (code_scan_run(&cs, root, &t, !ctx->quiet) < 0)
		goto out;
	const char *shown = relative_to(file, root);
	drift_compare(&d, &t, shown, &cs.links);
	if (!strcmp(format, "sarif") ? sarif_write_in(d.findings.items, d.findings.len, NULL, root, stdout) < 0
				     : drift_write(&d, &cs.links, shown, format, ctx->color, stdout) < 0) {
		error("cannot write the drift report");
		goto out;
	}
	rc = EXIT_CLEAN;
	for (size_t i = 0; !never && i < d.findings.len; i++)
		if (d.findings.items[i].severity >= threshold)
			rc = EXIT_FINDINGS;
out:
	drift_release(&d);
	code_scan_release(&cs);
	topology_release(&t);
	xfree(root);
	return rc;
}
