/*
 * The Markdown report: what a reviewer or an LLM reads. Layer 1 shows the
 * boundaries each region crosses and the cardinality at them; later layers
 * add findings, checklists and open questions under the same headings.
 */
#include "report.h"

#include <string.h>

#include "../base/banned.h"

#define MAX_EDGES 64

/* Table cells cannot hold '|' or newlines. */
static void cell(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else if (*s == '\n')
			fputc(' ', out);
		else
			fputc(*s, out);
	}
}

/* Each component once, with the cardinality at its edges. */
static void write_components(const struct report *r, FILE *out)
{
	if (!r->topo || !r->units.len)
		return;
	bool seen[r->topo->components.len + 1];
	memset(seen, 0, sizeof(seen));
	fputs("## Components involved\n\n", out);
	for (size_t i = 0; i < r->units.len; i++) {
		int c = r->units.items[i].component_index;
		if (c < 0 || seen[c])
			continue;
		seen[c] = true;
		const struct topo_component *comp = &r->topo->components.items[c];
		fprintf(out, "- **%s** (%s)\n", comp->name, comp->count.text ? comp->count.text : "?");
		const struct topo_relationship *edges[MAX_EDGES];
		size_t n = report_component_edges(r, c, edges, MAX_EDGES);
		for (size_t e = 0; e < n; e++)
			fprintf(out, "  - `%s` → `%s` via %s: **%s**\n", edges[e]->from, edges[e]->to,
				edges[e]->via ? edges[e]->via : "?", cardinality_name(edges[e]->card));
	}
	fputc('\n', out);
}

int report_write_markdown(const struct report *r, FILE *out)
{
	fputs("# distarch check\n\n", out);
	fprintf(out, "- **Checking:** %s\n", r->selection);
	if (r->topo)
		fprintf(out, "- **Topology:** `%s` (%zu components, %zu relationships)\n", r->topo_path,
			r->topo->components.len, r->topo->relationships.len);
	else
		fputs("- **Topology:** none; components inferred from top-level folders\n", out);
	fprintf(out, "- **Regions crossing a boundary:** %zu of %zu\n\n", r->units.len, r->checked_units);

	fputs("## Boundaries crossed\n\n", out);
	if (!r->units.len)
		fputs("No boundary crossing detected.\n\n", out);
	for (size_t i = 0; i < r->units.len; i++) {
		const struct report_unit *u = &r->units.items[i];
		fprintf(out, "### `%s:%u-%u` %s (component `%s`%s)\n\n", u->b.path, u->b.first,
			u->b.last, u->b.label, u->component, u->component_index < 0 ? ", inferred" : "");
		fputs("| signal | where | what |\n|---|---|---|\n", out);
		for (size_t h = 0; h < u->b.hits.len; h++) {
			const struct signal_hit *hit = &u->b.hits.items[h];
			fprintf(out, "| %s | `%s:%u` | ", signal_name(hit->sig), u->b.path, hit->at.line);
			cell(out, hit->reason);
			fputs(" |\n", out);
		}
		fputc('\n', out);
	}
	write_components(r, out);
	fputs("## Findings\n\n", out);
	if (!r->findings.len)
		fputs("None.\n", out);
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct finding *f = &r->findings.items[i];
		fprintf(out, "- **%s** (%s) `%s:%u`: %s\n", f->rule, severity_name(f->severity), f->path,
			f->line, f->message);
	}
	return 0;
}
