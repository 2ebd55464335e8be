/*
 * `distarch debug` as text, JSON and Markdown (see debug_report.h): one
 * walk over the result per format; text and Markdown share the sections'
 * wording through small helpers.
 */
#include "debug_report.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "report.h"
#include "../base/banned.h"

static const char *comp_name(const struct debug_result *r, int i)
{
	return r->topo && i >= 0 && (size_t)i < r->topo->components.len ? r->topo->components.items[i].name : "?";
}

static const struct catalog_entry *rule_entry(const struct debug_result *r, const char *id)
{
	return r->catalog ? catalog_find(r->catalog, id) : NULL;
}

/* "engine-dispatcher <- gpu-worker via WebSocket" for a hop. */
static void hop_edge(const struct debug_result *r, const struct trace_hop *h, FILE *out)
{
	const struct topo_relationship *e = &r->topo->relationships.items[h->rel];
	fprintf(out, "%s %s %s", comp_name(r, h->comp), h->sends ? "sends to" : "is used by",
		comp_name(r, h->via_comp));
	if (e->via)
		fprintf(out, " via %s", e->via);
}

static void logs_line(const struct debug_result *r, FILE *out)
{
	const struct log_scan *s = r->logs;
	fprintf(out, "%zu file%s, %" PRIu64 " lines (", s->files.len, s->files.len == 1 ? "" : "s", s->lines);
	for (size_t i = 0; i < s->files.len; i++)
		fprintf(out, "%s%s: %s", i ? ", " : "", s->files.items[i].path,
			log_format_name(s->files.items[i].fmt));
	fprintf(out, "); %" PRIu64 " broken line%s skipped, %" PRIu64 " without a timestamp",
		s->broken, s->broken == 1 ? "" : "s", s->no_time);
	if (s->too_long)
		fprintf(out, ", %" PRIu64 " line%s over the %zu-byte limit skipped (--max-log-line)",
			s->too_long, s->too_long == 1 ? "" : "s", s->max_line);
	if (s->out_of_range)
		fprintf(out, ", %" PRIu64 " outside --since/--until", s->out_of_range);
	fputc('\n', out);
}

static void capture_line(const struct debug_result *r, FILE *out, const char *lead)
{
	if (!r->draft_id)
		return;
	if (r->draft_known) {
		fprintf(out, "%sthe catalog knows this shape already: %s (%s); no draft written\n", lead, r->draft_id,
			r->draft_path);
		return;
	}
	fprintf(out, "%scaptured as draft %s (%s), seen %ld time%s", lead, r->draft_id, r->draft_path,
		r->draft_seen, r->draft_seen == 1 ? "" : "s");
	if (r->propose_promotion)
		fprintf(out, "; seen again: promote it with `distarch catalog promote %s`", r->draft_id);
	fputc('\n', out);
}

/* A heading, then one line per item after `prefix`. */
static void put_strings(FILE *out, const char *heading, char *const *items, size_t n, const char *prefix)
{
	fputs(heading, out);
	for (size_t k = 0; k < n; k++)
		fprintf(out, "%s%s\n", prefix, items[k]);
}

/* The backward trace, as text (md false) or Markdown. */
static void write_trace(const struct debug_result *r, FILE *out, bool md)
{
	if (!r->trace.len)
		return;
	fprintf(out, md ? "\n## Backward trace from %s\n\n" : "\nbackward trace from %s:\n", r->component);
	for (size_t i = 0; i < r->trace.len; i++) {
		const struct trace_hop *h = &r->trace.items[i];
		fprintf(out, md ? "- hop %u: " : "  %u  ", h->depth);
		if (h->rel >= 0)
			hop_edge(r, h, out);
		else
			fprintf(out, "%s", comp_name(r, h->comp));
		fputc('\n', out);
		const char *indent = md ? "  - " : "       ";
		for (size_t k = 0; k < h->risks.len; k++)
			fprintf(out, "%s%s%s\n", indent, md ? "" : "- ", h->risks.items[k]);
		for (size_t k = 0; k < h->findings.len; k++) {
			const struct finding *f = &r->findings.items[h->findings.items[k]];
			fprintf(out, "%scode: %s%s%s %s:%u: %s\n", indent, md ? "`" : "", f->rule, md ? "`" : "",
				f->path, f->line, f->message);
		}
	}
}

/* The log evidence per detector with its example lines, as text or Markdown. */
static void write_evidence(const struct debug_result *r, FILE *out, bool md)
{
	if (!r->ev)
		return;
	fprintf(out, md ? "\n## Log evidence\n\n" : "\nlog evidence:\n");
	for (int i = 0; i < EV_COUNT; i++) {
		const struct evidence *e = &r->ev->ev[i];
		const char *verdict = e->count ? "found" : e->preconditions ? "absent" : "no bearing";
		if (md)
			fprintf(out, "- **%s** %s: %s\n", ev_rule_id(e->rule), verdict, e->summary);
		else
			fprintf(out, "  %-5s %s: %s\n", ev_rule_id(e->rule), verdict, e->summary);
		for (size_t k = 0; k < e->examples.len; k++) {
			const struct ev_example *x = &e->examples.items[k];
			fprintf(out, md ? "  - `%s:%" PRIu64 "`" : "        %s:%" PRIu64, x->path, x->line);
			if (x->note)
				fprintf(out, " (%s)", x->note);
			fputc('\n', out);
			if (x->text && !md)
				fprintf(out, "          %s\n", x->text);
		}
	}
}

/* --- text --- */

int debug_write_text(const struct debug_result *r, FILE *out)
{
	fprintf(out, "distarch debug: \"%s\"\n", r->symptom);
	if (r->component)
		fprintf(out, "component: %s (%s)\n", r->component, r->component_why);
	else
		fprintf(out, "component: unknown (give --component, or name it in the symptom)\n");
	if (!r->topo)
		fprintf(out, "topology: none (no trace; `distarch init` writes one)\n");
	if (r->logs) {
		fprintf(out, "logs: ");
		logs_line(r, out);
	}

	fprintf(out, "\nsymptom matches:\n");
	if (!r->matches.len)
		fprintf(out, "  none: no catalog entry's symptoms share a word with it\n");
	for (size_t i = 0; i < r->matches.len && i < 6; i++) {
		const struct symptom_match *m = &r->matches.items[i];
		fprintf(out, "  %-5s %-30s %.2f  \"%s\" (%s)\n", m->e->id, m->e->name, m->score, m->shape, m->words);
	}

	write_trace(r, out, false);
	write_evidence(r, out, false);

	fprintf(out, "\nhypotheses:\n");
	if (!r->hypos.len)
		fprintf(out, "  none: the symptom matches no catalog entry and the logs show no known shape\n");
	for (size_t i = 0; i < r->hypos.len; i++) {
		const struct hypothesis *h = &r->hypos.items[i];
		fprintf(out, "%zu. %s %s: confidence %.2f (%s)\n", i + 1, h->e->id, h->e->name, h->confidence, h->level);
		fprintf(out, "   root cause: %s\n", h->root_cause);
		if (h->boundary)
			fprintf(out, "   boundary: %s\n", h->boundary);
		fprintf(out, "   mechanism: %s\n", h->mechanism);
		put_strings(out, "   why:\n", h->why.items, h->why.len, "     ");
		put_strings(out, "   verify:\n", h->verify.items, h->verify.len, "     - ");
		if (h->forward.len) {
			fprintf(out, "   the fix, forward from %s:\n", comp_name(r, h->root_comp));
			for (size_t k = 0; k < h->forward.len; k++) {
				const struct fix_hop *fh = &h->forward.items[k];
				fprintf(out, "     %s %s -> %s: %s\n", fh->holds_old_data ? "!" : " ",
					comp_name(r, fh->from), fh->resource ? fh->resource : comp_name(r, fh->to), fh->note);
			}
		}
	}
	capture_line(r, out, "\n");
	return ferror(out) ? -1 : 0;
}

/* --- JSON --- */

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *strings(char *const *items, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(items[i]));
	return a;
}

int debug_write_json(const struct debug_result *r, FILE *out)
{
	json_t *root = json_object();
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "symptom", json_string(r->symptom));
	json_object_set_new(root, "component", str_or_null(r->component));
	json_object_set_new(root, "component_source", str_or_null(r->component ? r->component_why : NULL));

	json_t *ms = json_array();
	for (size_t i = 0; i < r->matches.len; i++) {
		const struct symptom_match *m = &r->matches.items[i];
		json_array_append_new(ms, json_pack("{s:s, s:s, s:f, s:s, s:s}", "rule", m->e->id, "name", m->e->name,
						    "score", m->score, "shape", m->shape, "words", m->words));
	}
	json_object_set_new(root, "matches", ms);

	json_t *tr = json_array();
	for (size_t i = 0; i < r->trace.len; i++) {
		const struct trace_hop *h = &r->trace.items[i];
		json_t *fs = json_array();
		for (size_t k = 0; k < h->findings.len; k++) {
			const struct finding *f = &r->findings.items[h->findings.items[k]];
			json_array_append_new(fs, report_finding_json(f, rule_entry(r, f->rule)));
		}
		const struct topo_relationship *e = h->rel >= 0 ? &r->topo->relationships.items[h->rel] : NULL;
		json_array_append_new(tr, json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:o}", "component",
						    comp_name(r, h->comp), "depth", (json_int_t)h->depth,
						    "from", h->via_comp >= 0 ? json_string(comp_name(r, h->via_comp)) : json_null(),
						    "direction", e ? json_string(h->sends ? "sends-to" : "used-by") : json_null(),
						    "via", str_or_null(e ? e->via : NULL),
						    "risks", strings(h->risks.items, h->risks.len), "findings", fs));
	}
	json_object_set_new(root, "trace", tr);

	if (r->logs) {
		json_t *files = json_array();
		for (size_t i = 0; i < r->logs->files.len; i++) {
			const struct log_file_info *fi = &r->logs->files.items[i];
			json_array_append_new(files, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "path", fi->path,
							       "format", log_format_name(fi->fmt), "bytes", (json_int_t)fi->st.bytes,
							       "lines", (json_int_t)fi->st.lines, "broken", (json_int_t)fi->st.broken,
							       "too_long", (json_int_t)fi->st.too_long,
							       "no_time", (json_int_t)fi->st.no_time));
		}
		json_object_set_new(root, "logs", json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:I}", "files", files,
							    "lines", (json_int_t)r->logs->lines, "broken",
							    (json_int_t)r->logs->broken, "too_long", (json_int_t)r->logs->too_long,
							    "max_line", (json_int_t)r->logs->max_line,
							    "no_time", (json_int_t)r->logs->no_time,
							    "out_of_range", (json_int_t)r->logs->out_of_range));
	}
	if (r->ev) {
		json_t *evs = json_array();
		for (int i = 0; i < EV_COUNT; i++) {
			const struct evidence *e = &r->ev->ev[i];
			json_t *xs = json_array();
			for (size_t k = 0; k < e->examples.len; k++) {
				const struct ev_example *x = &e->examples.items[k];
				json_array_append_new(xs, json_pack("{s:s, s:I, s:o, s:o}", "path", x->path, "line",
								    (json_int_t)x->line, "text", str_or_null(x->text),
								    "note", str_or_null(x->note)));
			}
			json_array_append_new(evs, json_pack("{s:s, s:b, s:I, s:I, s:I, s:b, s:s, s:o}", "rule",
							     ev_rule_id(e->rule), "found", e->count > 0, "count",
							     (json_int_t)e->count, "subjects", (json_int_t)e->subjects,
							     "max", (json_int_t)e->max, "preconditions", e->preconditions,
							     "summary", e->summary, "examples", xs));
		}
		json_object_set_new(root, "evidence", evs);
	}

	json_t *hs = json_array();
	for (size_t i = 0; i < r->hypos.len; i++) {
		const struct hypothesis *h = &r->hypos.items[i];
		json_t *fw = json_array();
		for (size_t k = 0; k < h->forward.len; k++) {
			const struct fix_hop *fh = &h->forward.items[k];
			json_array_append_new(fw, json_pack("{s:s, s:o, s:o, s:b, s:s}", "from", comp_name(r, fh->from),
							    "to", fh->to >= 0 ? json_string(comp_name(r, fh->to)) : json_null(),
							    "resource", str_or_null(fh->resource), "holds_old_data",
							    fh->holds_old_data, "note", fh->note));
		}
		json_t *loc = h->finding ? json_pack("{s:s, s:i}", "path", h->finding->path, "line",
						     (json_int_t)h->finding->line) : json_null();
		json_array_append_new(hs, json_pack("{s:i, s:s, s:s, s:f, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o}",
						    "rank", (json_int_t)(i + 1), "rule", h->e->id, "name", h->e->name,
						    "confidence", h->confidence, "level", h->level, "root_cause",
						    h->root_cause, "boundary", str_or_null(h->boundary), "mechanism",
						    h->mechanism, "location", loc, "why", strings(h->why.items, h->why.len),
						    "verify", strings(h->verify.items, h->verify.len), "forward", fw));
	}
	json_object_set_new(root, "hypotheses", hs);
	json_object_set_new(root, "code_scanned", json_boolean(r->code_scanned));
	json_object_set_new(root, "findings", json_integer((json_int_t)r->findings.len));
	if (r->draft_id)
		json_object_set_new(root, "capture", json_pack("{s:s, s:s, s:i, s:b, s:b}", "id", r->draft_id, "path",
							       r->draft_path, "seen", (json_int_t)r->draft_seen,
							       "propose_promotion", r->propose_promotion, "known",
							       r->draft_known));
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	fputc('\n', out);
	json_decref(root);
	return rc < 0 || ferror(out) ? -1 : 0;
}

/* --- Markdown --- */

int debug_write_markdown(const struct debug_result *r, FILE *out)
{
	fprintf(out, "# distarch debug\n\n> %s\n\n", r->symptom);
	if (r->component)
		fprintf(out, "Component: **%s** (%s).", r->component, r->component_why);
	else
		fprintf(out, "Component: unknown.");
	if (r->logs) {
		fprintf(out, " Logs: ");
		logs_line(r, out);
	} else {
		fputc('\n', out);
	}

	fprintf(out, "\n## Hypotheses\n\n");
	if (!r->hypos.len)
		fprintf(out, "None: the symptom matches no catalog entry and the logs show no known shape.\n");
	for (size_t i = 0; i < r->hypos.len; i++) {
		const struct hypothesis *h = &r->hypos.items[i];
		fprintf(out, "### %zu. %s %s (confidence %.2f, %s)\n\n", i + 1, h->e->id, h->e->name, h->confidence,
			h->level);
		fprintf(out, "- **Root cause:** %s\n", h->root_cause);
		if (h->boundary)
			fprintf(out, "- **Boundary:** %s\n", h->boundary);
		fprintf(out, "- **Mechanism:** %s\n", h->mechanism);
		put_strings(out, "\nWhy:\n\n", h->why.items, h->why.len, "- ");
		put_strings(out, "\nVerify:\n\n", h->verify.items, h->verify.len, "- ");
		if (h->forward.len) {
			fprintf(out, "\nThe fix, forward from %s:\n\n| hop | old data | what the fix does |\n|---|---|---|\n",
				comp_name(r, h->root_comp));
			for (size_t k = 0; k < h->forward.len; k++) {
				const struct fix_hop *fh = &h->forward.items[k];
				fprintf(out, "| %s -> %s | %s | %s |\n", comp_name(r, fh->from),
					fh->resource ? fh->resource : comp_name(r, fh->to),
					fh->holds_old_data ? "needs clean-up" : "none", fh->note);
			}
		}
		fputc('\n', out);
	}

	fprintf(out, "## Symptom matches\n\n");
	if (!r->matches.len)
		fprintf(out, "None.\n");
	else
		fprintf(out, "| rule | name | score | closest symptom | words |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < r->matches.len && i < 6; i++) {
		const struct symptom_match *m = &r->matches.items[i];
		fprintf(out, "| %s | %s | %.2f | %s | %s |\n", m->e->id, m->e->name, m->score, m->shape, m->words);
	}
	write_trace(r, out, true);
	write_evidence(r, out, true);
	capture_line(r, out, "\n");
	return ferror(out) ? -1 : 0;
}
