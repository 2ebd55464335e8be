/*
 * distarch topology check|show [FILE]: validate the topology file, or print
 * its components, relationships with their cardinality, and convergence
 * points.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../topo/topology.h"
#include "../base/banned.h"

#define DEFAULT_TOPOLOGY ".dist-architect/topology.yaml"

static const char *const formats[] = { "text", "json", NULL };

static const struct usage usage = {
	"distarch topology check [FILE]\n"
	"   or: distarch topology show [FILE] [--format text|json]",
	"check: validate the topology (default " DEFAULT_TOPOLOGY "): unknown components,\n"
	"duplicate names, unparseable counts, wrong types. Every problem is reported with\n"
	"file:line:column; exit status 2 when there is one.\n"
	"show: print components with their counts, relationships with their cardinality\n"
	"(1:1, 1:N, N:1, N:M) and convergence points.",
	"planned: `topology graph` (mermaid, dot) and `topology drift` (code vs topology).",
};

static void show_text(const struct topology *t, FILE *out)
{
	fprintf(out, "components (%zu):\n", t->components.len);
	for (size_t i = 0; i < t->components.len; i++) {
		const struct topo_component *c = &t->components.items[i];
		fprintf(out, "  %-24s %-4s %s", c->name, topo_count_is_one(&c->count) ? "1" : "N",
			c->count.text ? c->count.text : "");
		if (c->role)
			fprintf(out, "  - %s", c->role);
		fputc('\n', out);
		for (size_t p = 0; p < c->paths.len; p++)
			fprintf(out, "  %-24s      paths: %s\n", "", c->paths.items[p]);
	}
	fprintf(out, "\nrelationships (%zu):\n", t->relationships.len);
	for (size_t i = 0; i < t->relationships.len; i++) {
		const struct topo_relationship *e = &t->relationships.items[i];
		fprintf(out, "  %-4s %s -> %s", cardinality_name(e->card), e->from, e->to);
		if (e->via)
			fprintf(out, " via %s", e->via);
		if (e->pattern)
			fprintf(out, " (%s)", e->pattern);
		if (e->retries >= 0)
			fprintf(out, ", retries %d", e->retries);
		if (e->timeout)
			fprintf(out, ", timeout %s", e->timeout);
		if (e->delivery != DELIVERY_UNSPECIFIED)
			fprintf(out, ", %s", delivery_name(e->delivery));
		fputc('\n', out);
	}
	fprintf(out, "\nconvergence points (%zu):\n", t->convergence.len);
	for (size_t i = 0; i < t->convergence.len; i++) {
		const struct topo_convergence *cp = &t->convergence.items[i];
		fprintf(out, "  %s", cp->resource);
		if (cp->type)
			fprintf(out, " (%s)", cp->type);
		fputs(": ", out);
		for (size_t a = 0; a < cp->accessed_by.len; a++)
			fprintf(out, "%s%s", a ? ", " : "", cp->accessed_by.items[a]);
		if (cp->concern)
			fprintf(out, " - %s", cp->concern);
		fputc('\n', out);
	}
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int show_json(const struct topology *t, FILE *out)
{
	json_t *comps = json_array(), *rels = json_array(), *conv = json_array();
	for (size_t i = 0; i < t->components.len; i++) {
		const struct topo_component *c = &t->components.items[i];
		json_t *paths = json_array();
		for (size_t p = 0; p < c->paths.len; p++)
			json_array_append_new(paths, json_string(c->paths.items[p]));
		json_array_append_new(comps, json_pack("{s:s, s:o, s:s, s:I, s:b, s:b, s:o, s:o, s:i}",
			"name", c->name, "count", jstr(c->count.text),
			"multiplicity", topo_count_is_one(&c->count) ? "1" : "N",
			"instances", (json_int_t)c->count.n, "fixed", c->count.fixed,
			"dynamic", c->count.dynamic, "role", jstr(c->role), "paths", paths,
			"line", (json_int_t)c->span.line));
	}
	for (size_t i = 0; i < t->relationships.len; i++) {
		const struct topo_relationship *e = &t->relationships.items[i];
		json_array_append_new(rels, json_pack("{s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:s, s:i}",
			"from", e->from, "to", e->to, "via", jstr(e->via), "pattern", jstr(e->pattern),
			"cardinality", cardinality_name(e->card),
			"retries", e->retries >= 0 ? json_integer(e->retries) : json_null(),
			"timeout", jstr(e->timeout), "delivery", delivery_name(e->delivery),
			"line", (json_int_t)e->span.line));
	}
	for (size_t i = 0; i < t->convergence.len; i++) {
		const struct topo_convergence *cp = &t->convergence.items[i];
		json_t *by = json_array();
		for (size_t a = 0; a < cp->accessed_by.len; a++)
			json_array_append_new(by, json_string(cp->accessed_by.items[a]));
		json_array_append_new(conv, json_pack("{s:s, s:o, s:o, s:o}", "resource", cp->resource,
			"accessed_by", by, "type", jstr(cp->type), "concern", jstr(cp->concern)));
	}
	json_t *root = json_pack("{s:i, s:s, s:o, s:o, s:o}", "version", 1, "path", t->path,
				 "components", comps, "relationships", rels, "convergence_points", conv);
	if (!root)
		return -1;
	json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	fputc('\n', out);
	json_decref(root);
	return 0;
}

int cmd_topology(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *format = "text";
	const struct option opts[] = {
		OPT_CHOICE('f', "format", &format, formats, "output of `show` (default text)"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	char **pos = argv + 1;
	if (n < 1) {
		error("topology needs a subcommand: check or show (see distarch topology --help)");
		return EXIT_USAGE;
	}
	const char *sub = pos[0];
	if (!strcmp(sub, "graph") || !strcmp(sub, "drift"))
		return cmd_not_yet("topology", "graph and drift come with the design issue");
	if (strcmp(sub, "check") && strcmp(sub, "show")) {
		error("unknown topology subcommand '%s': expected check or show", sub);
		return EXIT_USAGE;
	}
	if (n > 2) {
		error("topology %s takes one file at most", sub);
		return EXIT_USAGE;
	}
	const char *file = n == 2 ? pos[1] : DEFAULT_TOPOLOGY;
	struct topology t;
	topology_init(&t);
	int rc = topology_load_file(&t, file);
	if (rc < 0) {
		topology_release(&t);
		return EXIT_USAGE;
	}
	if (!strcmp(sub, "check")) {
		printf("%s: ok (%zu components, %zu relationships, %zu convergence points)\n", file,
		       t.components.len, t.relationships.len, t.convergence.len);
	} else if (!strcmp(format, "json")) {
		rc = show_json(&t, stdout);
	} else {
		show_text(&t, stdout);
	}
	topology_release(&t);
	return rc < 0 ? EXIT_USAGE : EXIT_CLEAN;
}
