/*
 * The Markdown report: what a reviewer or an LLM reads. In order: what
 * was checked, the anti-pattern matches with their evidence and the
 * catalog's recommendation, the boundaries crossed (pass 1) and the
 * components with the cardinality at their edges, the checklists of each
 * region with what the code answers and what stays open (pass 1, then
 * pass 2 and why it ran or not), whether the topology needs updating, and
 * the closing questions.
 */
#include "report.h"

#include <string.h>

#include "../analyze/components.h"
#include "../base/alloc.h"
#include "../base/path.h"
#include "../base/banned.h"

#define MAX_EDGES 64

/* Inline text cannot break the table or the list it sits in. */
static void inline_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else if (*s == '\n')
			fputs("<br>", out);
		else
			fputc(*s, out);
	}
}

void report_markdown_inline(FILE *out, const char *s)
{
	inline_text(out, s);
}

static bool has_finding(const struct report *r, const struct report_unit *u)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct finding *f = &r->findings.items[i];
		if (!strcmp(f->path, u->b.path) && f->line >= u->b.first && f->line <= u->b.last)
			return true;
	}
	return false;
}

/* One finding as a Markdown section; `e` is its catalog entry or NULL (for other reports: design, drift). */
void report_finding_markdown(const struct finding *f, const struct catalog_entry *e, FILE *out)
{
	fprintf(out, "### %s %s (%s) at `%s:%u`\n\n", f->rule, e ? e->name : "",
		severity_name(f->severity), f->path, f->line);
	inline_text(out, f->message);
	fprintf(out, "\n\nComponent: `%s`.\n\n", f->component ? f->component : "?");
	if (f->evidence.len) {
		fputs("Evidence:\n\n", out);
		for (size_t k = 0; k < f->evidence.len; k++) {
			fprintf(out, "%zu. ", k + 1);
			inline_text(out, f->evidence.items[k]);
			fputc('\n', out);
		}
		fputc('\n', out);
	}
	if (f->related.len) {
		fputs("Related locations:\n\n", out);
		for (size_t k = 0; k < f->related.len; k++) {
			fprintf(out, "- `%s:%u` ", f->related.items[k].path, f->related.items[k].line);
			inline_text(out, f->related.items[k].message);
			fputc('\n', out);
		}
		fputc('\n', out);
	}
	if (f->fix) {
		fputs("Fix here: ", out);
		inline_text(out, f->fix);
		fputs(".\n\n", out);
	}
	if (e && e->fix.len) {
		fputs("Recommendation:\n\n", out);
		for (size_t k = 0; k < e->fix.len; k++) {
			fputs("- ", out);
			inline_text(out, e->fix.items[k]);
			fputc('\n', out);
		}
		fprintf(out, "\n(`distarch catalog show %s` explains the pattern.)\n\n", e->id);
	}
}

static void write_findings(const struct report *r, FILE *out)
{
	fputs("## Anti-pattern matches\n\n", out);
	if (!r->findings.len) {
		fputs("None of AP-1 … AP-6 matches in what was checked.\n\n", out);
		return;
	}
	for (size_t i = 0; i < r->findings.len; i++)
		report_finding_markdown(&r->findings.items[i], report_rule(r, r->findings.items[i].rule), out);
}

static void write_boundaries(const struct report *r, FILE *out)
{
	fputs("## Boundaries crossed (pass 1)\n\n", out);
	if (!r->units.len) {
		fputs("No boundary crossing detected.\n\n", out);
		return;
	}
	fputs("| region | component | signals |\n|---|---|---|\n", out);
	for (size_t i = 0; i < r->units.len; i++) {
		const struct report_unit *u = &r->units.items[i];
		fprintf(out, "| `%s:%u-%u` %s | %s%s | ", u->b.path, u->b.first, u->b.last, u->b.label,
			u->component, u->component_index < 0 ? " (inferred)" : "");
		bool seen[SIG__COUNT] = { false };
		for (size_t h = 0; h < u->b.hits.len; h++)
			seen[u->b.hits.items[h].sig] = true;
		int n = 0;
		for (int s = 0; s < SIG__COUNT; s++)
			if (seen[s])
				fprintf(out, "%s%s", n++ ? ", " : "", signal_name(s));
		fputs(" |\n", out);
	}
	fputc('\n', out);
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

static void write_checklist(const struct checklist *c, FILE *out)
{
	fprintf(out, "**%s** (pass %d):\n\n", c->module->title, c->pass);
	for (size_t q = 0; q < c->items.len; q++) {
		const struct checklist_item *it = &c->items.items[q];
		fprintf(out, "- [%c] %s %s", it->answered ? 'x' : ' ', it->q->id, it->q->ask);
		if (it->answered) {
			fputs("<br>*From the code:* ", out);
			inline_text(out, it->answer);
		} else {
			fputs("<br>*Open:* for the reviewer.", out);
		}
		fputc('\n', out);
	}
	fputc('\n', out);
}

static void write_checklists(const struct report *r, FILE *out)
{
	if (!r->checklists.len)
		return;
	fputs("## Checklists\n\n", out);
	size_t skipped = 0;
	for (size_t i = 0; i < r->units.len; i++) {
		const struct report_unit *u = &r->units.items[i];
		/* A whole-repository check lists the checklists of the regions with findings. */
		if (r->whole_files && !has_finding(r, u)) {
			skipped += u->cl_count;
			continue;
		}
		fprintf(out, "### `%s:%u-%u` %s (`%s`)\n\n", u->b.path, u->b.first, u->b.last,
			u->b.label, u->component);
		fprintf(out, "Pass 2 (concurrency): %s.\n\n", u->p2.why ? u->p2.why : "not decided");
		for (size_t k = u->cl_first; k < u->cl_first + u->cl_count; k++)
			write_checklist(&r->checklists.items[k], out);
	}
	if (skipped)
		fprintf(out, "The checklists of %zu more regions without a finding are in `--format json`.\n\n",
			skipped);
}

/* How many components' `paths:` claim the file: more than one means shared code. */
static size_t owners(const struct topology *t, const char *path)
{
	size_t n = 0;
	for (size_t i = 0; i < t->components.len; i++)
		for (size_t g = 0; g < t->components.items[i].paths.len; g++)
			if (glob_match(t->components.items[i].paths.items[g], path)) {
				n++;
				break;
			}
	return n;
}

/*
 * Are two components connected: by an edge, through one component both
 * have an edge to (a queue, a database between them), or by a convergence
 * point both access?
 */
static bool connected(const struct topology *t, int a, int b)
{
	bool na[t->components.len + 1], nb[t->components.len + 1];
	memset(na, 0, sizeof(na));
	memset(nb, 0, sizeof(nb));
	for (size_t e = 0; e < t->relationships.len; e++) {
		const struct topo_relationship *r = &t->relationships.items[e];
		if (r->from_idx < 0 || r->to_idx < 0)
			continue;
		if ((r->from_idx == a && r->to_idx == b) || (r->from_idx == b && r->to_idx == a))
			return true;
		if (r->from_idx == a) na[r->to_idx] = true;
		if (r->to_idx == a) na[r->from_idx] = true;
		if (r->from_idx == b) nb[r->to_idx] = true;
		if (r->to_idx == b) nb[r->from_idx] = true;
	}
	for (size_t i = 0; i < t->components.len; i++)
		if (na[i] && nb[i])
			return true;
	const char *an = t->components.items[a].name, *bn = t->components.items[b].name;
	for (size_t i = 0; i < t->convergence.len; i++) {
		bool ha = false, hb = false;
		for (size_t k = 0; k < t->convergence.items[i].accessed_by.len; k++) {
			ha |= !strcmp(t->convergence.items[i].accessed_by.items[k], an);
			hb |= !strcmp(t->convergence.items[i].accessed_by.items[k], bn);
		}
		if (ha && hb)
			return true;
	}
	return false;
}

/* The code couples components the topology does not connect, or maps to none. */
static void write_topology_review(const struct report *r, FILE *out)
{
	fputs("## Does the topology need updating?\n\n", out);
	if (!r->topo) {
		fputs("- There is no topology: `.dist-architect/topology.yaml` with the components, their "
		      "counts and relationships would give the cardinality of every boundary above.\n\n", out);
		return;
	}
	size_t said = 0;
	for (size_t i = 0; i < r->units.len; i++) {
		const struct report_unit *u = &r->units.items[i];
		bool dup = false;
		for (size_t k = 0; k < i && !dup; k++)
			dup = !strcmp(r->units.items[k].b.path, u->b.path);
		if (u->component_index < 0 && !dup) {
			fprintf(out, "- `%s` maps to no component: add it to a component's `paths:`.\n", u->b.path);
			said++;
		}
	}
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct finding *f = &r->findings.items[i];
		int a = f->component ? topology_find(r->topo, f->component) : -1;
		for (size_t k = 0; a >= 0 && k < f->related.len; k++) {
			if (owners(r->topo, f->related.items[k].path) > 1)
				continue; /* shared code says nothing about who talks to whom */
			struct component_ref c = component_for_path(r->topo, f->related.items[k].path);
			bool linked = c.index < 0 || c.index == a || connected(r->topo, a, c.index);
			if (!linked) {
				fprintf(out, "- %s couples `%s` and `%s` (`%s:%u`), which the topology does not "
					"connect: add the relationship.\n", f->rule, f->component, c.name,
					f->related.items[k].path, f->related.items[k].line);
				said++;
			}
			component_ref_release(&c);
		}
	}
	for (size_t i = 0; i < r->ndrift; i++, said++) {
		const struct finding *f = &r->drift[i];
		fprintf(out, "- %s at `%s:%u`: ", f->rule, f->path, f->line);
		inline_text(out, f->message);
		if (f->fix) {
			fputs(". Fix: ", out);
			inline_text(out, f->fix);
		}
		fputs(".\n", out);
	}
	if (!said)
		fputs("- No: every region maps to a component, every component a finding couples "
		      "is connected in the topology, and the changed code shows no boundary the "
		      "topology lacks (`distarch topology drift` checks the whole repository).\n", out);
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
	size_t answered, open;
	report_checklist_counts(r, &answered, &open);
	fprintf(out, "- **Result:** %zu anti-pattern match%s; %zu of %zu regions cross a boundary; "
		"%zu checklist questions answered from the code, %zu open\n\n", r->findings.len,
		r->findings.len == 1 ? "" : "es", r->units.len, r->checked_units, answered, open);
	if (r->suppressed || r->baselined)
		fprintf(out, "Not shown: %zu finding%s suppressed inline (`distarch: ignore[...]`), %zu held "
			"by the baseline.\n\n", r->suppressed, r->suppressed == 1 ? "" : "s", r->baselined);
	write_findings(r, out);
	write_boundaries(r, out);
	write_components(r, out);
	write_checklists(r, out);
	write_topology_review(r, out);
	if (r->quick_validation.len) {
		fputs("## Quick validation (open questions)\n\n", out);
		for (size_t i = 0; i < r->quick_validation.len; i++) {
			fputs("- ", out);
			inline_text(out, r->quick_validation.items[i]);
			fputc('\n', out);
		}
		fputc('\n', out);
	}
	return 0;
}
