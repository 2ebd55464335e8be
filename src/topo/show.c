/*
 * `topology show`: the topology's components with their counts, its
 * relationships with their cardinality and its convergence points, as
 * text or as JSON. The command and the MCP tool topology_show print
 * through these.
 */
#include <jansson.h>
#include <stdio.h>

#include "show.h"
#include "../report/report.h"
#include "../base/banned.h"

void topology_show_text(const struct topology *t, FILE *out)
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

json_t *topology_show_value(const struct topology *t)
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
	return root;
}

int topology_show_json(const struct topology *t, FILE *out)
{
	return report_dump_json(topology_show_value(t), out);
}
