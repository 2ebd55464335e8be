/* The text report: for a terminal or a log, one block per region. */
#include "report.h"

#include <string.h>

#include "../base/banned.h"

#define MAX_EDGES 64

static const char *sig_color(enum signal s)
{
	switch (s) {
	case SIG_STATE_MUTATION: return "\033[33m";
	case SIG_DATA_LIFECYCLE: return "\033[36m";
	case SIG_FAILURE_MODE: return "\033[31m";
	case SIG_INTERACTION: return "\033[35m";
	case SIG__COUNT: break;
	}
	return "";
}

/* Each component once, with the cardinality at its edges: the boundaries the regions cross. */
static void write_components(const struct report *r, FILE *out)
{
	if (!r->topo || !r->units.len)
		return;
	bool seen[r->topo->components.len + 1];
	memset(seen, 0, sizeof(seen));
	fputs("components involved:\n", out);
	for (size_t i = 0; i < r->units.len; i++) {
		int c = r->units.items[i].component_index;
		if (c < 0 || seen[c])
			continue;
		seen[c] = true;
		const struct topo_component *comp = &r->topo->components.items[c];
		fprintf(out, "  %s (%s)\n", comp->name, comp->count.text ? comp->count.text : "?");
		const struct topo_relationship *edges[MAX_EDGES];
		size_t n = report_component_edges(r, c, edges, MAX_EDGES);
		for (size_t e = 0; e < n; e++)
			fprintf(out, "    %-4s %s -> %s via %s\n", cardinality_name(edges[e]->card),
				edges[e]->from, edges[e]->to, edges[e]->via ? edges[e]->via : "?");
	}
	fputc('\n', out);
}

static void write_summary(const struct report *r, FILE *out)
{
	const struct scan_stats *st = r->stats;
	fprintf(out, "summary: %zu file%s in the selection, %zu parsed", r->changed_files,
		r->changed_files == 1 ? "" : "s", st ? st->parsed : 0);
	if (st && st->parse_errors)
		fprintf(out, " (%zu with syntax errors, facts best-effort)", st->parse_errors);
	if (st && st->prefiltered)
		fprintf(out, ", %zu left out by the prefilter (no fact any analysis reads)", st->prefiltered);
	fprintf(out, "; %zu of %zu region%s cross a boundary", r->units.len, r->checked_units,
		r->checked_units == 1 ? "" : "s");
	if (r->units.len) {
		fputs(" (", out);
		for (int s = 0; s < SIG__COUNT; s++)
			fprintf(out, "%s%s %zu", s ? ", " : "", signal_name(s),
				report_signal_units(r, s));
		fputc(')', out);
	}
	fprintf(out, "; %zu finding%s\n", r->findings.len, r->findings.len == 1 ? "" : "s");
	if (r->suppressed || r->baselined)
		fprintf(out, "not shown: %zu finding%s suppressed inline, %zu held by the baseline\n",
			r->suppressed, r->suppressed == 1 ? "" : "s", r->baselined);
	if (r->checklists.len) {
		size_t answered, open;
		report_checklist_counts(r, &answered, &open);
		fprintf(out, "checklists: %zu instantiated, %zu questions answered from the code, %zu open "
			"(--format markdown or json lists them)\n", r->checklists.len, answered, open);
	}
	if (!st)
		return;
	for (int why = SKIP_NO_FRONTEND; why < SKIP__COUNT; why++) {
		if (!st->skipped[why])
			continue;
		fprintf(out, "skipped: %zu file%s, %s:", st->skipped[why],
			st->skipped[why] == 1 ? "" : "s", skip_reason_name(why));
		size_t shown = 0;
		for (size_t i = 0; i < st->list.len && shown < 3; i++)
			if ((int)st->list.items[i].reason == why) {
				fprintf(out, " %s%s%s%s", st->list.items[i].path,
					*st->list.items[i].detail ? " (" : "", st->list.items[i].detail,
					*st->list.items[i].detail ? ")" : "");
				shown++;
			}
		if (st->skipped[why] > shown)
			fprintf(out, " and %zu more", st->skipped[why] - shown);
		fputc('\n', out);
	}
}

static const char *sev_color(enum severity s)
{
	switch (s) {
	case SEV_ERROR: return "\033[1;31m";
	case SEV_WARNING: return "\033[1;33m";
	case SEV_NOTE: return "\033[1;36m";
	}
	return "";
}

/* One finding: the compiler-style line, then its evidence chain and related locations. */
void report_finding_text(const struct finding *f, const struct catalog_entry *e, bool color, FILE *out)
{
	const char *reset = color ? "\033[0m" : "";
	fprintf(out, "%s:%u:%u: %s%s%s [%s%s%s] %s\n", f->path, f->line, f->column,
		color ? sev_color(f->severity) : "", severity_name(f->severity), reset, f->rule,
		e ? " " : "", e ? e->name : "", f->message);
	for (size_t i = 0; i < f->evidence.len; i++)
		fprintf(out, "    %s %s\n", i ? "  " : "=>", f->evidence.items[i]);
	if (f->fix)
		fprintf(out, "    fix: %s\n", f->fix);
	for (size_t i = 0; i < f->related.len; i++)
		fprintf(out, "    %s:%u: %s\n", f->related.items[i].path, f->related.items[i].line,
			f->related.items[i].message);
	if (e)
		fprintf(out, "    see: distarch catalog show %s\n", e->id);
	fputc('\n', out);
}

int report_write_text(const struct report *r, FILE *out)
{
	const char *bold = r->color ? "\033[1m" : "", *reset = r->color ? "\033[0m" : "";
	if (r->topo)
		fprintf(out, "topology: %s (%zu components, %zu relationships)\n", r->topo_path,
			r->topo->components.len, r->topo->relationships.len);
	else
		fputs("topology: none; components inferred from top-level folders "
		      "(.dist-architect/topology.yaml adds cardinalities)\n", out);
	fprintf(out, "checking: %s\n\n", r->selection);

	for (size_t i = 0; i < r->findings.len; i++)
		report_finding_text(&r->findings.items[i], report_rule(r, r->findings.items[i].rule),
				    r->color, out);

	if (!r->units.len)
		fputs("No boundary crossing detected.\n\n", out);
	for (size_t i = 0; i < r->units.len; i++) {
		const struct report_unit *u = &r->units.items[i];
		fprintf(out, "%s%s:%u-%u%s %s  [%s%s]\n", bold, u->b.path, u->b.first, u->b.last,
			reset, u->b.label, u->component, u->component_index < 0 ? ", inferred" : "");
		for (size_t h = 0; h < u->b.hits.len; h++) {
			const struct signal_hit *hit = &u->b.hits.items[h];
			fprintf(out, "  %s%-14s%s %u:%u  %s\n", r->color ? sig_color(hit->sig) : "",
				signal_name(hit->sig), reset, hit->at.line, hit->at.col, hit->reason);
		}
		if (u->p2.run)
			fprintf(out, "  %-14s %s\n", "pass 2", u->p2.why);
		fputc('\n', out);
	}
	write_components(r, out);
	if (r->ndrift)
		fputs("the topology may need updating (distarch topology drift):\n", out);
	for (size_t i = 0; i < r->ndrift; i++)
		fprintf(out, "  %s:%u: %s %s\n", r->drift[i].path, r->drift[i].line, r->drift[i].rule,
			r->drift[i].message);
	if (r->ndrift)
		fputc('\n', out);
	write_summary(r, out);
	return 0;
}
