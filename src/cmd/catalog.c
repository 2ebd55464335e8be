/*
 * distarch catalog list|show ID: the anti-pattern catalog, built-in entries
 * and the user's .dist-architect/catalog/ entries; `drafts` and `promote`,
 * the learning loop's end (drafts are written by `debug --capture`,
 * src/debug/capture.c).
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
#include "../debug/debug.h"
#include "../base/banned.h"

static const char *const formats[] = { "text", "json", "markdown", NULL };

static const struct usage usage = {
	"distarch catalog list [--format text|json]\n"
	"   or: distarch catalog show ID [--format text|json|markdown]\n"
	"   or: distarch catalog drafts [--format text|json]\n"
	"   or: distarch catalog promote ID",
	"The anti-pattern catalog: AP-1 tight retry loop, AP-2 lost data at ACK,\n"
	"AP-3 channel conflation, AP-4 boundary state leak, AP-5 compounding retry,\n"
	"AP-6 premature state transition; plus entries users add as Markdown files\n"
	"in .dist-architect/catalog/ (format: docs/catalog.md).\n"
	"list: id, name, severity, signals and a one-line summary of every entry.\n"
	"show: one entry whole: symptoms, detection, fixes, the incidents behind it\n"
	"and its explanation (markdown: the explanation alone, with a title).\n"
	"drafts: the shapes `distarch debug --capture` recorded in\n"
	".dist-architect/catalog/_drafts/, with how often each was seen.\n"
	"promote: move a draft into .dist-architect/catalog/, where check, debug and\n"
	"catalog list load it.",
	NULL,
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

static json_t *drafts_json(const struct catalog *d)
{
	json_t *a = json_array();
	for (size_t i = 0; i < catalog_count(d); i++) {
		const struct catalog_entry *e = catalog_at(d, i);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:i, s:o, s:b, s:s}", "id", e->id, "name",
						   e->name, "summary", e->summary, "seen", (json_int_t)(e->seen ? e->seen : 1),
						   "signature", e->signature ? json_string(e->signature) : json_null(),
						   "promotable", e->seen >= 2, "path", e->path));
	}
	return json_pack("{s:i, s:o}", "version", 1, "drafts", a);
}

/* `catalog drafts` and `catalog promote ID`, in the current folder's project. */
static int learning_loop(const char *sub, int n, char **pos, const char *format)
{
	if (!strcmp(sub, "promote")) {
		struct strbuf dest = STRBUF_INIT;
		if (n != 2) {
			error("catalog promote takes one draft id, like LOCAL-1 (see distarch catalog drafts)");
			return EXIT_USAGE;
		}
		int rc = capture_promote(NULL, pos[1], &dest);
		if (rc == 0)
			printf("promoted %s to %s\n", pos[1], dest.buf);
		strbuf_release(&dest);
		return rc < 0 ? EXIT_USAGE : EXIT_CLEAN;
	}
	if (n != 1) {
		error("catalog drafts takes no arguments");
		return EXIT_USAGE;
	}
	if (!strcmp(format, "markdown")) {
		error("catalog drafts has no markdown format (expected text or json)");
		return EXIT_USAGE;
	}
	struct catalog d;
	catalog_init(&d);
	int rc = capture_load_drafts(&d, NULL);
	if (rc == 0 && !strcmp(format, "json")) {
		rc = print_json(drafts_json(&d));
	} else if (rc == 0) {
		if (!catalog_count(&d))
			printf("no drafts (distarch debug --capture records them)\n");
		for (size_t i = 0; i < catalog_count(&d); i++) {
			const struct catalog_entry *e = catalog_at(&d, i);
			long seen = e->seen ? e->seen : 1;
			printf("%-8s seen %ld time%s  %s\n         %s\n", e->id, seen, seen == 1 ? "" : "s", e->name,
			       e->summary);
			if (seen >= 2)
				printf("         seen again: distarch catalog promote %s\n", e->id);
		}
	}
	catalog_release(&d);
	return rc < 0 ? EXIT_USAGE : EXIT_CLEAN;
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
		error("catalog needs a subcommand: list, show, drafts or promote (see distarch catalog --help)");
		return EXIT_USAGE;
	}
	sub = pos[0];
	if (!strcmp(sub, "drafts") || !strcmp(sub, "promote"))
		return learning_loop(sub, n, pos, format);
	if (strcmp(sub, "list") && strcmp(sub, "show")) {
		error("unknown catalog subcommand '%s': expected list, show, drafts or promote", sub);
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
