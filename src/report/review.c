/* The design review and the comparison of options (see review.h). */
#include "review.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../topo/diagram.h"
#include "report.h"
#include "../base/banned.h"

/* ---- shared ---- */

void review_sort_findings(struct topo_review *rv)
{
	/* Stable, by buckets: three severities. */
	size_t n = rv->findings.len, k = 0;
	struct finding *sorted = xmalloc((n ? n : 1) * sizeof(*sorted));
	for (int sev = SEV_ERROR; sev >= SEV_NOTE; sev--)
		for (size_t i = 0; i < n; i++)
			if ((int)rv->findings.items[i].severity == sev)
				sorted[k++] = rv->findings.items[i];
	if (n)
		memcpy(rv->findings.items, sorted, n * sizeof(*sorted));
	xfree(sorted);
}

static void severity_counts(const struct topo_review *rv, size_t counts[3])
{
	counts[0] = counts[1] = counts[2] = 0;
	for (size_t i = 0; i < rv->findings.len; i++)
		counts[rv->findings.items[i].severity]++;
}

static const char *count_text(const struct topo_component *c)
{
	return c->count.text ? c->count.text : "?";
}

static void headline(const struct topo_review *rv, struct strbuf *sb)
{
	size_t c[3];
	severity_counts(rv, c);
	strbuf_addf(sb, "%zu finding%s (%zu error%s, %zu warning%s, %zu note%s): %zu single point%s of failure, "
		    "%zu bottleneck%s, %zu feedback loop%s%s, worst retry product %.0f%s, %zu contended convergence point%s",
		    rv->findings.len, rv->findings.len == 1 ? "" : "s", c[SEV_ERROR], c[SEV_ERROR] == 1 ? "" : "s",
		    c[SEV_WARNING], c[SEV_WARNING] == 1 ? "" : "s", c[SEV_NOTE], c[SEV_NOTE] == 1 ? "" : "s",
		    rv->spofs, rv->spofs == 1 ? "" : "s", rv->bottlenecks, rv->bottlenecks == 1 ? "" : "s",
		    rv->loops, rv->loops == 1 ? "" : "s", rv->loops_bounded ? " (search bounded)" : "",
		    rv->worst_retry, rv->retry_bounded ? " (search bounded)" : "", rv->contention,
		    rv->contention == 1 ? "" : "s");
}

/* ---- text ---- */

static void text_rel(const struct topo_relationship *r, FILE *out)
{
	fprintf(out, "  %-4s %s -> %s", cardinality_name(r->card), r->from, r->to);
	if (r->via)
		fprintf(out, " via %s", r->via);
	if (r->pattern)
		fprintf(out, " (%s)", r->pattern);
	if (r->retries >= 0)
		fprintf(out, ", retries %d", r->retries);
	if (r->timeout)
		fprintf(out, ", timeout %s", r->timeout);
	if (r->delivery != DELIVERY_UNSPECIFIED)
		fprintf(out, ", %s", delivery_name(r->delivery));
	fputc('\n', out);
}

static int write_text(const struct topo_review *rv, const char *diagram, bool color, FILE *out)
{
	const struct topology *t = rv->t;
	const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
	fprintf(out, "%sdesign review%s: %s (%zu components, %zu relationships, %zu convergence points, %zu entities)\n\n",
		bold, reset, t->path, t->components.len, t->relationships.len, t->convergence.len,
		t->entities.len);
	fprintf(out, "components (%zu):\n", t->components.len);
	for (size_t i = 0; i < t->components.len; i++) {
		const struct topo_component *c = &t->components.items[i];
		fprintf(out, "  %-24s %-4s %s", c->name, topo_count_is_one(&c->count) ? "1" : "N", count_text(c));
		if (c->role)
			fprintf(out, "  - %s", c->role);
		fputc('\n', out);
	}
	fprintf(out, "\nrelationships (%zu):\n", t->relationships.len);
	for (size_t i = 0; i < t->relationships.len; i++)
		text_rel(&t->relationships.items[i], out);
	fputc('\n', out);
	for (size_t i = 0; i < rv->findings.len; i++) {
		const struct finding *f = &rv->findings.items[i];
		report_finding_text(f, NULL, color, out);
	}
	if (rv->unknowns.len) {
		fputs("unknowns that would change the answers:\n", out);
		for (size_t i = 0; i < rv->unknowns.len; i++)
			fprintf(out, "  - %s\n", rv->unknowns.items[i]);
		fputc('\n', out);
	}
	if (diagram) {
		topo_diagram_write(out, strcmp(diagram, "dot") ? DIAGRAM_MERMAID : DIAGRAM_DOT, t, rv);
		fputc('\n', out);
	}
	struct strbuf sb = STRBUF_INIT;
	headline(rv, &sb);
	fprintf(out, "summary: %s\n", sb.buf);
	strbuf_release(&sb);
	return 0;
}

/* ---- JSON ---- */

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *topology_json(const struct topo_review *rv)
{
	const struct topology *t = rv->t;
	json_t *comps = json_array(), *rels = json_array();
	for (size_t i = 0; i < t->components.len; i++) {
		const struct topo_component *c = &t->components.items[i];
		json_array_append_new(comps, json_pack("{s:s, s:o, s:s, s:o, s:o, s:i}", "name", c->name,
						       "count", jstr(c->count.text), "multiplicity",
						       topo_count_is_one(&c->count) ? "1" : "N", "role", jstr(c->role),
						       "blast_radius", rv->blast ? json_integer(rv->blast[i]) : json_null(),
						       "line", (json_int_t)c->span.line));
	}
	for (size_t i = 0; i < t->relationships.len; i++) {
		const struct topo_relationship *r = &t->relationships.items[i];
		json_array_append_new(rels, json_pack("{s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:s, s:i}", "from", r->from,
						      "to", r->to, "via", jstr(r->via), "pattern", jstr(r->pattern),
						      "cardinality", cardinality_name(r->card), "retries",
						      r->retries >= 0 ? json_integer(r->retries) : json_null(), "timeout",
						      jstr(r->timeout), "delivery", delivery_name(r->delivery), "line",
						      (json_int_t)r->span.line));
	}
	return json_pack("{s:s, s:o, s:o, s:i, s:i}", "path", t->path, "components", comps, "relationships",
			 rels, "convergence_points", (json_int_t)t->convergence.len, "entities",
			 (json_int_t)t->entities.len);
}

static json_t *summary_json(const struct topo_review *rv)
{
	size_t c[3];
	severity_counts(rv, c);
	json_t *path = json_array();
	for (size_t i = 0; i < rv->worst_path_len; i++) {
		const struct topo_relationship *r = &rv->t->relationships.items[rv->worst_path[i]];
		if (!i)
			json_array_append_new(path, json_string(r->from));
		json_array_append_new(path, json_string(r->to));
	}
	return json_pack("{s:{s:i, s:i, s:i}, s:i, s:i, s:i, s:b, s:f, s:o, s:b, s:i, s:i, s:i, s:i, s:o, s:o}",
			 "findings", "error", (json_int_t)c[SEV_ERROR], "warning", (json_int_t)c[SEV_WARNING], "note",
			 (json_int_t)c[SEV_NOTE], "spofs", (json_int_t)rv->spofs, "bottlenecks",
			 (json_int_t)rv->bottlenecks, "loops", (json_int_t)rv->loops, "loops_bounded",
			 rv->loops_bounded, "worst_retry_product", rv->worst_retry, "worst_retry_path", path,
			 "retry_search_bounded", rv->retry_bounded, "retry_budget", (json_int_t)rv->retry_budget,
			 "contention_points", (json_int_t)rv->contention, "delivery_gaps", (json_int_t)rv->delivery,
			 "state_issues", (json_int_t)rv->state_issues, "largest_blast_radius",
			 rv->max_blast >= 0 ? json_pack("{s:s, s:i}", "component",
							rv->t->components.items[rv->max_blast].name, "depend",
							(json_int_t)rv->blast[rv->max_blast])
					    : json_null(),
			 "boundaries", json_integer((json_int_t)rv->t->relationships.len));
}

static json_t *review_json(const struct topo_review *rv)
{
	json_t *findings = json_array(), *unknowns = json_array();
	for (size_t i = 0; i < rv->findings.len; i++)
		json_array_append_new(findings, report_finding_json(&rv->findings.items[i], NULL));
	for (size_t i = 0; i < rv->unknowns.len; i++)
		json_array_append_new(unknowns, json_string(rv->unknowns.items[i]));
	return json_pack("{s:i, s:{s:s, s:s}, s:o, s:o, s:o, s:o}", "version", 1, "tool", "name", "distarch",
			 "version", DISTARCH_VERSION, "topology", topology_json(rv), "findings", findings,
			 "unknowns", unknowns, "summary", summary_json(rv));
}


/* ---- Markdown ---- */

static int write_markdown(const struct topo_review *rv, FILE *out)
{
	const struct topology *t = rv->t;
	struct strbuf sb = STRBUF_INIT;
	headline(rv, &sb);
	fprintf(out, "# Design review: `%s`\n\n- **Topology:** %zu components, %zu relationships, %zu convergence points, %zu entities\n"
		"- **Result:** %s\n\n", t->path, t->components.len, t->relationships.len, t->convergence.len,
		t->entities.len, sb.buf);
	strbuf_release(&sb);
	fputs("## Diagram\n\nRed: single point of failure; dashed orange border: bottleneck; orange edges: "
	      "feedback loop; red edges: retry path over the budget.\n\n```mermaid\n", out);
	topo_diagram_write(out, DIAGRAM_MERMAID, t, rv);
	fputs("```\n\n## Components\n\n| component | count | role | depend on it |\n|---|---|---|---|\n", out);
	for (size_t i = 0; i < t->components.len; i++) {
		const struct topo_component *c = &t->components.items[i];
		fputs("| ", out);
		report_markdown_inline(out, c->name);
		fputs(" | ", out);
		report_markdown_inline(out, count_text(c));
		fputs(" | ", out);
		report_markdown_inline(out, c->role);
		if (rv->blast)
			fprintf(out, " | %u |\n", rv->blast[i]);
		else
			fputs(" | ? |\n", out);
	}
	fputs("\n## Relationships\n\n| from | to | via | cardinality | retries | timeout | delivery |\n|---|---|---|---|---|---|---|\n", out);
	for (size_t i = 0; i < t->relationships.len; i++) {
		const struct topo_relationship *r = &t->relationships.items[i];
		fputs("| ", out);
		report_markdown_inline(out, r->from);
		fputs(" | ", out);
		report_markdown_inline(out, r->to);
		fputs(" | ", out);
		report_markdown_inline(out, r->via);
		fprintf(out, " | %s | ", cardinality_name(r->card));
		if (r->retries >= 0)
			fprintf(out, "%d", r->retries);
		fputs(" | ", out);
		report_markdown_inline(out, r->timeout);
		fprintf(out, " | %s |\n", r->delivery == DELIVERY_UNSPECIFIED ? "" : delivery_name(r->delivery));
	}
	fputs("\n## Findings\n\n", out);
	if (!rv->findings.len)
		fputs("No TOPO finding.\n\n", out);
	for (size_t i = 0; i < rv->findings.len; i++)
		report_finding_markdown(&rv->findings.items[i], NULL, out);
	fputs("## Unknowns that would change the answers\n\n", out);
	if (!rv->unknowns.len)
		fputs("None noticed.\n", out);
	for (size_t i = 0; i < rv->unknowns.len; i++) {
		fputs("- ", out);
		report_markdown_inline(out, rv->unknowns.items[i]);
		fputc('\n', out);
	}
	return 0;
}

int review_write(const struct topo_review *rv, enum review_format fmt, const char *diagram,
		 bool color, FILE *out)
{
	switch (fmt) {
	case REVIEW_JSON:
		return report_dump_json(review_json(rv), out);
	case REVIEW_MARKDOWN:
		return write_markdown(rv, out);
	case REVIEW_TEXT:
		break;
	}
	return write_text(rv, diagram, color, out);
}

/* ---- comparison ---- */

enum { M_SPOF, M_BOTTLENECK, M_LOOP, M_RETRY, M_CONTENTION, M_BLAST, M_DELIVERY, M_BOUNDARIES, M__COUNT };

static const char *const metric_names[M__COUNT] = {
	"single points of failure", "bottlenecks (N:1 into one)", "feedback loops", "worst retry product",
	"contended convergence points", "largest blast radius", "delivery gaps", "boundaries (relationships)",
};
static const char *const best_names[M__COUNT] = {
	"fewest single points of failure", "fewest bottlenecks", "fewest feedback loops",
	"lowest worst-case retry product", "fewest contended convergence points", "smallest blast radius",
	"fewest delivery gaps", "fewest boundaries to build and operate",
};
static const char *const metric_keys[M__COUNT] = {
	"spofs", "bottlenecks", "loops", "worst_retry_product", "contention_points", "largest_blast_radius",
	"delivery_gaps", "boundaries",
};

static double metric(const struct topo_review *rv, int m)
{
	switch (m) {
	case M_SPOF: return (double)rv->spofs;
	case M_BOTTLENECK: return (double)rv->bottlenecks;
	case M_LOOP: return (double)rv->loops;
	case M_RETRY: return rv->worst_retry;
	case M_CONTENTION: return (double)rv->contention;
	case M_BLAST: return rv->max_blast >= 0 ? (double)rv->blast[rv->max_blast] : 0;
	case M_DELIVERY: return (double)rv->delivery;
	case M_BOUNDARIES: return (double)rv->t->relationships.len;
	}
	return 0;
}

static const char label_of[] = "ABC";

/* The names marked `mark` in `a` and not in `b` (by component name). */
static void marked_only(const struct topo_review *a, const struct topo_review *b, unsigned mark, struct strbuf *sb)
{
	size_t n = 0;
	for (size_t i = 0; i < a->t->components.len; i++) {
		if (!(a->comp_mark[i] & mark))
			continue;
		int j = topology_find(b->t, a->t->components.items[i].name);
		if (j >= 0 && (b->comp_mark[j] & mark))
			continue;
		strbuf_addf(sb, "%s%s", n++ ? ", " : "", a->t->components.items[i].name);
	}
}

static void marked_names(const struct topo_review *rv, unsigned mark, struct strbuf *sb)
{
	size_t n = 0;
	for (size_t i = 0; i < rv->t->components.len; i++)
		if (rv->comp_mark[i] & mark)
			strbuf_addf(sb, "%s%s", n++ ? ", " : "", rv->t->components.items[i].name);
}

/* Loops in `a` whose message (the ring of names) is not in `b`. */
static void loops_only(const struct topo_review *a, const struct topo_review *b, struct strbuf *sb)
{
	size_t n = 0;
	for (size_t i = 0; i < a->findings.len; i++) {
		const struct finding *f = &a->findings.items[i];
		if (strcmp(f->rule, "TOPO-LOOP"))
			continue;
		bool found = false;
		for (size_t k = 0; k < b->findings.len && !found; k++)
			found = !strcmp(b->findings.items[k].rule, "TOPO-LOOP") &&
				!strcmp(b->findings.items[k].message, f->message);
		if (found)
			continue;
		const char *ring = f->message + strlen("feedback loop ");
		const char *end = strstr(ring, ": does");
		strbuf_addf(sb, "%s%.*s", n++ ? "; " : "", end ? (int)(end - ring) : (int)strlen(ring), ring);
	}
}

/* The trade-off lines: each option against the first. */
static void trades(const struct topo_review *const *rvs, size_t n, size_t k, struct strbuf *out)
{
	const struct topo_review *a = rvs[0], *b = rvs[k];
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(out, "%c against A:", label_of[k]);
	size_t len0 = out->len;
	marked_only(a, b, TOPO_MARK_SPOF, &sb);
	if (sb.len)
		strbuf_addf(out, " removes single points of failure %s;", sb.buf);
	strbuf_reset(&sb);
	marked_only(b, a, TOPO_MARK_SPOF, &sb);
	if (sb.len)
		strbuf_addf(out, " adds single points of failure %s;", sb.buf);
	strbuf_reset(&sb);
	loops_only(a, b, &sb);
	if (sb.len)
		strbuf_addf(out, " removes loops %s;", sb.buf);
	strbuf_reset(&sb);
	loops_only(b, a, &sb);
	if (sb.len)
		strbuf_addf(out, " adds loops %s;", sb.buf);
	strbuf_reset(&sb);
	for (int m = M_BOTTLENECK; m < M__COUNT; m++) {
		if (m == M_LOOP)
			continue;
		double x = metric(a, m), y = metric(b, m);
		if (x != y)
			strbuf_addf(out, " %s %.0f -> %.0f;", metric_names[m], x, y);
	}
	if (out->len == len0)
		strbuf_addstr(out, " the same figures;");
	strbuf_setlen(out, out->len - 1);
	strbuf_release(&sb);
	(void)n;
}

/* "fewest single points of failure: B (1; A 4, C 2)" when the options differ. */
static bool best_for(const struct topo_review *const *rvs, size_t n, int m, struct strbuf *out)
{
	double best = metric(rvs[0], m), worst = best;
	for (size_t i = 1; i < n; i++) {
		double v = metric(rvs[i], m);
		best = v < best ? v : best;
		worst = v > worst ? v : worst;
	}
	if (best == worst)
		return false;
	strbuf_addf(out, "%s: ", best_names[m]);
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (metric(rvs[i], m) == best)
			strbuf_addf(out, "%s%c", w++ ? " and " : "", label_of[i]);
	strbuf_addf(out, " (%.0f; ", best);
	w = 0;
	for (size_t i = 0; i < n; i++)
		if (metric(rvs[i], m) != best)
			strbuf_addf(out, "%s%c %.0f", w++ ? ", " : "", label_of[i], metric(rvs[i], m));
	strbuf_addch(out, ')');
	return true;
}

int review_compare_write(const struct topo_review *const *rvs, size_t n, enum review_format fmt, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;
	if (fmt == REVIEW_JSON) {
		json_t *opts = json_array(), *best = json_array(), *tr = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_pack("{s:s#, s:s, s:i}", "label", &label_of[i], (size_t)1, "path", rvs[i]->t->path,
					      "components", (json_int_t)rvs[i]->t->components.len);
			for (int m = 0; m < M__COUNT; m++)
				json_object_set_new(o, metric_keys[m], json_real(metric(rvs[i], m)));
			json_t *spofs = json_array();
			for (size_t c = 0; c < rvs[i]->t->components.len; c++)
				if (rvs[i]->comp_mark[c] & TOPO_MARK_SPOF)
					json_array_append_new(spofs, json_string(rvs[i]->t->components.items[c].name));
			json_object_set_new(o, "spof_components", spofs);
			json_object_set_new(o, "retry_search_bounded", json_boolean(rvs[i]->retry_bounded));
			json_array_append_new(opts, o);
		}
		for (int m = 0; m < M__COUNT; m++) {
			strbuf_reset(&sb);
			if (best_for(rvs, n, m, &sb))
				json_array_append_new(best, json_string(sb.buf));
		}
		for (size_t k = 1; k < n; k++) {
			strbuf_reset(&sb);
			trades(rvs, n, k, &sb);
			json_array_append_new(tr, json_string(sb.buf));
		}
		strbuf_release(&sb);
		return report_dump_json(json_pack("{s:i, s:o, s:o, s:o}", "version", 1, "options", opts, "best_for", best,
					   "trades", tr), out);
	}
	bool md = fmt == REVIEW_MARKDOWN;
	fputs(md ? "# Design options compared\n\n| | " : "options:\n", out);
	for (size_t i = 0; i < n; i++) {
		if (md)
			fprintf(out, "%c `%s` | ", label_of[i], rvs[i]->t->path);
		else
			fprintf(out, "  %c  %s (%zu components)\n", label_of[i], rvs[i]->t->path, rvs[i]->t->components.len);
	}
	if (md) {
		fputs("\n|---|", out);
		for (size_t i = 0; i < n; i++)
			fputs("---|", out);
		fputc('\n', out);
	} else {
		fprintf(out, "\n  %-30s", "");
		for (size_t i = 0; i < n; i++)
			fprintf(out, " %-24c", label_of[i]);
		fputc('\n', out);
	}
	for (int m = 0; m < M__COUNT; m++) {
		fprintf(out, md ? "| %s |" : "  %-30s", metric_names[m]);
		for (size_t i = 0; i < n; i++) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%.0f", metric(rvs[i], m));
			if (m == M_SPOF || m == M_BLAST) {
				struct strbuf names = STRBUF_INIT;
				if (m == M_SPOF)
					marked_names(rvs[i], TOPO_MARK_SPOF, &names);
				if (m == M_BLAST && rvs[i]->max_blast >= 0)
					strbuf_addstr(&names, rvs[i]->t->components.items[rvs[i]->max_blast].name);
				if (names.len)
					strbuf_addf(&sb, " (%s)", names.buf);
				strbuf_release(&names);
			}
			if (m == M_RETRY && rvs[i]->retry_bounded)
				strbuf_addstr(&sb, "+");
			fprintf(out, md ? " %s |" : " %-24s", sb.buf);
		}
		fputc('\n', out);
	}
	fputs(md ? "\n## Best for\n\n" : "\nbest for:\n", out);
	size_t shown = 0;
	for (int m = 0; m < M__COUNT; m++) {
		strbuf_reset(&sb);
		if (best_for(rvs, n, m, &sb)) {
			fprintf(out, "%s%s\n", md ? "- " : "  ", sb.buf);
			shown++;
		}
	}
	if (!shown)
		fprintf(out, "%sthe options have the same figures\n", md ? "- " : "  ");
	fputs(md ? "\n## Trades\n\n" : "\ntrades:\n", out);
	for (size_t k = 1; k < n; k++) {
		strbuf_reset(&sb);
		trades(rvs, n, k, &sb);
		fprintf(out, "%s%s\n", md ? "- " : "  ", sb.buf);
	}
	strbuf_release(&sb);
	return 0;
}
