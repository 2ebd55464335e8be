/*
 * distarch: global options, then dispatch to a subcommand (one table, after
 * git's git.c). Every subcommand has the same signature (src/cmd/cmd.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "cmd/cmd.h"
#include "base/banned.h"

static const struct command {
	const char *name;
	cmd_fn fn;
	const char *summary;
} commands[] = {
	{ "check", cmd_check, "does a change cross a boundary, and is it right from every observer's side? (coding time)" },
	{ "design", cmd_design, "what a topology risks: SPOFs, feedback loops, retry amplification (design time)" },
	{ "debug", cmd_debug, "from a symptom and logs back to the boundary that caused it (incident time)" },
	{ "topology", cmd_topology, "validate and show the topology file (.dist-architect/topology.yaml)" },
	{ "catalog", cmd_catalog, "the anti-pattern catalog (AP-1 ... AP-6) and its drafts" },
	{ "init", cmd_init, "write a topology file, inferred from the code where possible" },
	{ "mcp", cmd_mcp, "run the Model Context Protocol server on stdio" },
	{ "hook", cmd_hook, "git and Claude Code hooks" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *out)
{
	fputs("usage: distarch [-C DIR] [--version] [--help] <command> [<args>]\n\n"
	      "distarch reads the code of a distributed system (Python, Go, JavaScript,\n"
	      "TypeScript, Java) and its topology file, finds where a change crosses\n"
	      "a boundary between components, and reports the anti-patterns AP-1 ... AP-6.\n\n"
	      "commands:\n", out);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nglobal options:\n"
	      "  -C DIR       run as if started in DIR\n"
	      "  -q, --quiet  no progress messages on stderr\n"
	      "  --version    print the version and exit\n"
	      "  -h, --help   this help; `distarch <command> --help` for a command's options\n\n"
	      "exit status: 0 nothing at or above --fail-on, 1 findings at or above it,\n"
	      "2 bad usage or bad input (the message on stderr names the file and position).\n"
	      "The report goes to stdout, progress and diagnostics to stderr. Colour only on a\n"
	      "terminal, never with NO_COLOR set.\n", out);
}

static int finish(int rc)
{
	/*
	 * A report cut short by a full disk or a closed pipe must not exit 0;
	 * fclose reports what a last flush or close(2) hits.
	 */
	int bad = ferror(stdout), e = errno;
	errno = 0;
	if (fclose(stdout) != 0) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		if (e != EPIPE)
			fprintf(stderr, "distarch: error: write error on stdout, the report is incomplete%s%s\n",
				e ? ": " : "", e ? strerror(e) : "");
		return EXIT_USAGE;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = { 0 };
	int i = 1;
	alloc_init();
	alloc_route_libraries();
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--version")) {
			printf("distarch %s\n", DISTARCH_VERSION);
			return finish(EXIT_CLEAN);
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			print_help(stdout);
			return finish(EXIT_CLEAN);
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			ctx.quiet = true;
		} else if (!strcmp(a, "-C")) {
			if (i + 1 >= argc) {
				error("-C needs a folder");
				return EXIT_USAGE;
			}
			const char *dir = argv[++i];
			if (chdir(dir) != 0) {
				error("-C %s: cannot change to it: %s", dir, strerror(errno));
				return EXIT_USAGE;
			}
		} else {
			error("unknown option '%s' (see distarch --help)", a);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[i];
	if (!strcmp(name, "help")) {
		print_help(stdout);
		return finish(EXIT_CLEAN);
	}
	const char *no_color = getenv("NO_COLOR");
	ctx.color = isatty(STDOUT_FILENO) && !(no_color && *no_color) &&
		    !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"));
	diag_set_quiet(ctx.quiet);
	for (size_t c = 0; c < NCOMMANDS; c++)
		if (!strcmp(commands[c].name, name))
			return finish(commands[c].fn(argc - i, argv + i, &ctx));
	error("'%s' is not a distarch command (see distarch --help)", name);
	return EXIT_USAGE;
}
