/*
 * Writing a drift (drift.h): text, json and markdown over the same
 * findings; single findings go through the report's own writers.
 */
#include "drift.h"

#include <jansson.h>
#include <string.h>

#include "../report/report.h"
#include "../report/rules.h"
#include "../base/banned.h"

static void tally(const struct drift *d, size_t counts[3])
{
	counts[0] = counts[1] = counts[2] = 0;
	for (size_t i = 0; i < d->findings.len; i++)
		counts[d->findings.items[i].severity]++;
}

static void write_text(const struct drift *d, const char *topo_path, bool color, FILE *out)
{
	fprintf(out, "topology: %s\n\n", topo_path);
	for (size_t i = 0; i < d->findings.len; i++)
		report_finding_text(&d->findings.items[i], NULL, color, out);
	fprintf(out, "%zu relationship%s: %zu with code on a side, %zu shown by the code; "
		"%zu code link%s; %zu drift finding%s\n", d->relationships,
		d->relationships == 1 ? "" : "s", d->judged, d->confirmed, d->links,
		d->links == 1 ? "" : "s", d->findings.len, d->findings.len == 1 ? "" : "s");
}

static json_t *nstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *links_json(const struct code_links *cl)
{
	static const char *const dirs[] = { "out", "in", "both" };
	json_t *a = json_array();
	for (size_t i = 0; cl && i < cl->items.len; i++) {
		const struct code_link *l = &cl->items.items[i];
		const struct link_site *s = &l->sites.items[0];
		json_array_append_new(a, json_pack("{s:s, s:b, s:s, s:s, s:o, s:o, s:o, s:o, s:i, s:{s:s, s:i, s:i}}",
			"component", l->component, "inferred", l->comp_idx < 0, "kind",
			link_kind_name(l->kind), "direction", dirs[l->dir], "library", nstr(l->library),
			"system", nstr(l->system), "target", nstr(l->target), "peer", nstr(l->peer),
			"sites", (json_int_t)l->sites.len, "first", "path", s->path, "line",
			(json_int_t)s->at.line, "column", (json_int_t)s->at.col));
	}
	return a;
}

static int write_json(const struct drift *d, const struct code_links *cl, const char *topo_path,
		      FILE *out)
{
	json_t *findings = json_array();
	for (size_t i = 0; i < d->findings.len; i++)
		json_array_append_new(findings, report_finding_json(&d->findings.items[i], NULL));
	size_t c[3];
	tally(d, c);
	json_t *root = json_pack("{s:i, s:s, s:o, s:o, s:{s:i, s:i, s:i, s:i, s:{s:i, s:i, s:i}}}",
		"version", 1, "topology", topo_path, "findings", findings, "links", links_json(cl),
		"summary", "relationships", (json_int_t)d->relationships, "judged",
		(json_int_t)d->judged, "confirmed", (json_int_t)d->confirmed, "links",
		(json_int_t)d->links, "findings", "error", (json_int_t)c[SEV_ERROR], "warning",
		(json_int_t)c[SEV_WARNING], "note", (json_int_t)c[SEV_NOTE]);
	return report_dump_json(root, out);
}

/* Backticks and pipes in messages would break the list; they are kept as written elsewhere. */
static void md_line(FILE *out, const char *s)
{
	for (; s && *s; s++)
		if (*s == '\n')
			fputs("<br>", out);
		else
			fputc(*s, out);
}

static void write_markdown(const struct drift *d, const char *topo_path, FILE *out)
{
	static const char *const rules[] = { DRIFT_MISSING, DRIFT_STALE, DRIFT_UNMAPPED };
	fputs("# distarch topology drift\n\n", out);
	fprintf(out, "- **Topology:** `%s` (%zu relationships; %zu with code on a side, %zu shown by "
		"the code)\n- **Code links:** %zu\n- **Drift:** %zu finding%s\n\n", topo_path,
		d->relationships, d->judged, d->confirmed, d->links, d->findings.len,
		d->findings.len == 1 ? "" : "s");
	for (size_t r = 0; r < sizeof(rules) / sizeof(*rules); r++) {
		const struct tool_rule *tr = tool_rule_find(rules[r]);
		size_t n = 0;
		for (size_t i = 0; i < d->findings.len; i++)
			n += !strcmp(d->findings.items[i].rule, rules[r]);
		fprintf(out, "## %s%s%s (%zu)\n\n", rules[r], tr ? ": " : "", tr ? tr->name : "", n);
		if (!n)
			fputs("None.\n\n", out);
		for (size_t i = 0; i < d->findings.len; i++) {
			const struct finding *f = &d->findings.items[i];
			if (strcmp(f->rule, rules[r]))
				continue;
			fprintf(out, "- `%s:%u` ", f->path, f->line);
			md_line(out, f->message);
			fputc('\n', out);
			for (size_t k = 0; k < f->evidence.len; k++) {
				fputs("  - ", out);
				md_line(out, f->evidence.items[k]);
				fputc('\n', out);
			}
			for (size_t k = 0; k < f->related.len; k++) {
				fprintf(out, "  - `%s:%u` ", f->related.items[k].path, f->related.items[k].line);
				md_line(out, f->related.items[k].message);
				fputc('\n', out);
			}
			if (f->fix) {
				fputs("  - *Fix:* ", out);
				md_line(out, f->fix);
				fputc('\n', out);
			}
		}
		if (n)
			fputc('\n', out);
	}
}

int drift_write(const struct drift *d, const struct code_links *cl, const char *topo_path,
		const char *format, bool color, FILE *out)
{
	if (!strcmp(format, "json"))
		return write_json(d, cl, topo_path, out);
	if (!strcmp(format, "markdown"))
		write_markdown(d, topo_path, out);
	else
		write_text(d, topo_path, color, out);
	return 0;
}
