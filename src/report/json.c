/*
 * The JSON report: one object, the contract of DESIGN.md
 * ({"version":1,"findings":[...],"checklists":[...],"summary":{...}}) plus
 * the boundary regions of layer 1. Keys are stable; new ones may be added.
 */
#include "report.h"

#include <jansson.h>

#include "../base/banned.h"

#define MAX_EDGES 64

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *edges_json(const struct report *r, const struct report_unit *u)
{
	const struct topo_relationship *edges[MAX_EDGES];
	size_t n = report_component_edges(r, u->component_index, edges, MAX_EDGES);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:s}", "from", edges[i]->from,
						   "to", edges[i]->to, "via", str_or_null(edges[i]->via),
						   "cardinality", cardinality_name(edges[i]->card)));
	return a;
}

static json_t *unit_json(const struct report *r, const struct report_unit *u)
{
	json_t *sigs = json_array();
	for (size_t h = 0; h < u->b.hits.len; h++) {
		const struct signal_hit *hit = &u->b.hits.items[h];
		json_array_append_new(sigs, json_pack("{s:s, s:i, s:i, s:s}", "signal",
						      signal_name(hit->sig), "line", (json_int_t)hit->at.line,
						      "column", (json_int_t)hit->at.col, "reason", hit->reason));
	}
	return json_pack("{s:s, s:i, s:i, s:s, s:s, s:b, s:o, s:o, s:{s:b, s:s}}", "path", u->b.path,
			 "start_line", (json_int_t)u->b.first, "end_line", (json_int_t)u->b.last,
			 "region", u->b.label, "component", u->component,
			 "component_inferred", u->component_index < 0, "signals", sigs,
			 "edges", edges_json(r, u), "pass2", "ran", u->p2.run, "why",
			 u->p2.why ? u->p2.why : "");
}

static json_t *checklist_json(const struct checklist *c)
{
	json_t *qs = json_array();
	for (size_t i = 0; i < c->items.len; i++) {
		const struct checklist_item *it = &c->items.items[i];
		json_array_append_new(qs, json_pack("{s:s, s:s, s:s, s:b, s:o}", "id", it->q->id,
						    "ask", it->q->ask, "kind",
						    module_answer_name(it->q->answer), "answered",
						    it->answered, "answer", str_or_null(it->answer)));
	}
	return json_pack("{s:s, s:s, s:i, s:s, s:i, s:i, s:o}", "module", c->module->name, "title",
			 c->module->title, "pass", (json_int_t)c->pass, "path", c->path,
			 "start_line", (json_int_t)c->first, "end_line", (json_int_t)c->last,
			 "questions", qs);
}

json_t *report_finding_json(const struct finding *f, const struct catalog_entry *e)
{
	json_t *rel = json_array(), *ev = json_array();
	for (size_t i = 0; i < f->related.len; i++)
		json_array_append_new(rel, json_pack("{s:s, s:i, s:s}", "path", f->related.items[i].path,
						     "line", (json_int_t)f->related.items[i].line,
						     "message", f->related.items[i].message));
	for (size_t i = 0; i < f->evidence.len; i++)
		json_array_append_new(ev, json_string(f->evidence.items[i]));
	return json_pack("{s:s, s:o, s:s, s:s, s:{s:s, s:i, s:i}, s:o, s:o, s:o, s:o, s:o}", "rule",
			 f->rule, "name", str_or_null(e ? e->name : NULL), "severity",
			 severity_name(f->severity), "message", f->message, "location", "path", f->path,
			 "line", (json_int_t)f->line, "column", (json_int_t)f->column, "component",
			 str_or_null(f->component), "related", rel, "evidence", ev, "fix",
			 str_or_null(f->fix), "help",
			 e ? json_sprintf("distarch catalog show %s", e->id) : json_null());
}

static json_t *summary_json(const struct report *r)
{
	const struct scan_stats *st = r->stats;
	json_t *sigs = json_object(), *sev = json_object(), *skipped = json_object();
	for (int s = 0; s < SIG__COUNT; s++)
		json_object_set_new(sigs, signal_name(s), json_integer((json_int_t)report_signal_units(r, s)));
	size_t counts[3] = { 0, 0, 0 };
	for (size_t i = 0; i < r->findings.len; i++)
		counts[r->findings.items[i].severity]++;
	for (int s = SEV_ERROR; s >= SEV_NOTE; s--)
		json_object_set_new(sev, severity_name(s), json_integer((json_int_t)counts[s]));
	for (int why = SKIP_NO_FRONTEND; st && why < SKIP__COUNT; why++)
		json_object_set_new(skipped, skip_reason_name(why), json_integer((json_int_t)st->skipped[why]));
	size_t answered, open;
	report_checklist_counts(r, &answered, &open);
	return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:o, s:I, s:I, s:o, s:{s:i, s:i, s:i}}",
			 "files", (json_int_t)r->changed_files,
			 "parsed", (json_int_t)(st ? st->parsed : 0),
			 "prefiltered", (json_int_t)(st ? st->prefiltered : 0),
			 "parse_errors", (json_int_t)(st ? st->parse_errors : 0),
			 "not_source", (json_int_t)(st ? st->skipped[SKIP_NOT_SOURCE] : 0),
			 "regions_checked", (json_int_t)r->checked_units,
			 "regions_with_signals", (json_int_t)r->units.len,
			 "signals", sigs, "findings", sev, "suppressed", (json_int_t)r->suppressed,
			 "baselined", (json_int_t)r->baselined, "skipped", skipped, "checklists",
			 "instantiated", (json_int_t)r->checklists.len, "answered",
			 (json_int_t)answered, "open", (json_int_t)open);
}

int report_write_json(const struct report *r, FILE *out)
{
	json_t *units = json_array(), *findings = json_array(), *skipped = json_array();
	for (size_t i = 0; i < r->units.len; i++)
		json_array_append_new(units, unit_json(r, &r->units.items[i]));
	for (size_t i = 0; i < r->findings.len; i++)
		json_array_append_new(findings, report_finding_json(&r->findings.items[i],
						report_rule(r, r->findings.items[i].rule)));
	json_t *checklists = json_array(), *quick = json_array();
	for (size_t i = 0; i < r->checklists.len; i++)
		json_array_append_new(checklists, checklist_json(&r->checklists.items[i]));
	for (size_t i = 0; i < r->quick_validation.len; i++)
		json_array_append_new(quick, json_string(r->quick_validation.items[i]));
	for (size_t i = 0; r->stats && i < r->stats->list.len; i++) {
		const struct skipped_file *s = &r->stats->list.items[i];
		json_array_append_new(skipped, json_pack("{s:s, s:s, s:s}", "path", s->path, "reason",
							 skip_reason_name(s->reason), "detail", s->detail));
	}
	json_t *topo = json_null();
	if (r->topo)
		topo = json_pack("{s:s, s:i, s:i}", "path", r->topo_path, "components",
				 (json_int_t)r->topo->components.len, "relationships",
				 (json_int_t)r->topo->relationships.len);
	json_t *root = json_pack("{s:i, s:{s:s, s:s}, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
				 "version", 1, "tool", "name", "distarch", "version", DISTARCH_VERSION,
				 "selection", r->selection, "topology", topo, "boundaries", units,
				 "findings", findings, "checklists", checklists, "quick_validation",
				 quick, "summary", summary_json(r), "skipped", skipped);
	if (!root)
		return -1;
	json_t *drift = json_array();
	for (size_t i = 0; i < r->ndrift; i++)
		json_array_append_new(drift, report_finding_json(&r->drift[i], NULL));
	json_object_set_new(root, "topology_drift", drift);
	return report_dump_json(root, out);
}

int report_dump_json(json_t *root, FILE *out)
{
	if (!root)
		return -1;
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	if (fputc('\n', out) == EOF)
		rc = -1;
	json_decref(root);
	return rc;
}
