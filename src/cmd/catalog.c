/*
 * distarch catalog list|show ID: the anti-pattern catalog, built-in entries
 * and the user's .dist-architect/catalog/ entries. `drafts` and `promote`
 * (the learning loop) are planned.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../base/strbuf.h"
#include "../catalog/catalog.h"
#include "../catalog/render.h"
#include "../base/banned.h"

static const char *const formats[] = { "text", "json", "markdown", NULL };

static const struct usage usage = {
	"distarch catalog list [--format text|json]\n"
	"   or: distarch catalog show ID [--format text|json|markdown]\n"
	"   or: distarch catalog drafts | promote ID",
	"The anti-pattern catalog: AP-1 tight retry loop, AP-2 lost data at ACK,\n"
	"AP-3 channel conflation, AP-4 boundary state leak, AP-5 compounding retry,\n"
	"AP-6 premature state transition; plus entries users add as Markdown files\n"
	"in .dist-architect/catalog/ (format: docs/catalog.md).\n"
	"list: id, name, severity, signals and a one-line summary of every entry.\n"
	"show: one entry whole: symptoms, detection, fixes, the incidents behind it\n"
	"and its explanation (markdown: the explanation alone, with a title).",
	"planned: `catalog drafts` (new shapes seen once) and `catalog promote ID`.",
};

static int print_json(json_t *j)
{
	if (!j)
		return error("cannot write the catalog as JSON");
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	fputc('\n', stdout);
	json_decref(j);
	return 0;
}

static int unknown_entry(const struct catalog *c, const char *id)
{
	struct strbuf known = STRBUF_INIT;

	for (size_t i = 0; i < catalog_count(c); i++)
		strbuf_addf(&known, "%s%s", i ? ", " : "", catalog_at(c, i)->id);
	error("unknown catalog entry '%s'; known: %s", id, known.len ? known.buf : "none");
	strbuf_release(&known);
	return EXIT_USAGE;
}

int cmd_catalog(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *format = "text";
	const struct option opts[] = {
		OPT_CHOICE('f', "format", &format, formats,
			   "output format (default text; markdown: show only)"),
		OPT_END(),
	};
	struct catalog cat;
	const struct catalog_entry *e;
	char **pos = argv + 1;
	const char *sub;
	int ret = EXIT_CLEAN;
	int n = parse_options(argc - 1, argv + 1, opts, &usage);

	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	if (n < 1) {
		error("catalog needs a subcommand: list or show (see distarch catalog --help)");
		return EXIT_USAGE;
	}
	sub = pos[0];
	if (!strcmp(sub, "drafts") || !strcmp(sub, "promote"))
		return cmd_not_yet("catalog", "drafts and promotion come with the learning loop");
	if (strcmp(sub, "list") && strcmp(sub, "show")) {
		error("unknown catalog subcommand '%s': expected list or show", sub);
		return EXIT_USAGE;
	}
	if (!strcmp(sub, "list") ? n != 1 : n != 2) {
		error(!strcmp(sub, "list") ? "catalog list takes no arguments"
					   : "catalog show takes one entry id, like AP-1");
		return EXIT_USAGE;
	}
	if (!strcmp(sub, "list") && !strcmp(format, "markdown")) {
		error("catalog list has no markdown format (expected text or json)");
		return EXIT_USAGE;
	}

	catalog_init(&cat);
	if (catalog_load_default(&cat, NULL) < 0) {
		catalog_release(&cat);
		return EXIT_USAGE;
	}
	if (!strcmp(sub, "list")) {
		if (!strcmp(format, "json")) {
			if (print_json(catalog_list_json(&cat)) < 0)
				ret = EXIT_USAGE;
		} else {
			catalog_list_text(stdout, &cat);
		}
	} else if (!(e = catalog_find(&cat, pos[1]))) {
		ret = unknown_entry(&cat, pos[1]);
	} else if (!strcmp(format, "json")) {
		if (print_json(catalog_entry_json(e)) < 0)
			ret = EXIT_USAGE;
	} else if (!strcmp(format, "markdown")) {
		catalog_show_markdown(stdout, e);
	} else {
		catalog_show_text(stdout, e);
	}
	catalog_release(&cat);
	return ret;
}
