#include "report.h"

#include <string.h>

#include "../base/alloc.h"
#include "../base/banned.h"

void report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
}

void report_release(struct report *r)
{
	for (size_t i = 0; i < r->units.len; i++) {
		boundary_unit_release(&r->units.items[i].b);
		xfree(r->units.items[i].component);
		xfree(r->units.items[i].p2.why);
	}
	VEC_FREE(&r->units);
	for (size_t i = 0; i < r->findings.len; i++)
		finding_release(&r->findings.items[i]);
	VEC_FREE(&r->findings);
	for (size_t i = 0; i < r->checklists.len; i++)
		checklist_release(&r->checklists.items[i]);
	VEC_FREE(&r->checklists);
	VEC_FREE(&r->quick_validation);
}

const struct catalog_entry *report_rule(const struct report *r, const char *rule)
{
	return r->catalog ? catalog_find(r->catalog, rule) : NULL;
}

void report_checklist_counts(const struct report *r, size_t *answered, size_t *open)
{
	*answered = *open = 0;
	for (size_t i = 0; i < r->checklists.len; i++)
		for (size_t q = 0; q < r->checklists.items[i].items.len; q++) {
			if (r->checklists.items[i].items.items[q].answered)
				(*answered)++;
			else
				(*open)++;
		}
}

size_t report_signal_units(const struct report *r, enum signal s)
{
	size_t n = 0;
	for (size_t i = 0; i < r->units.len; i++)
		for (size_t h = 0; h < r->units.items[i].b.hits.len; h++)
			if (r->units.items[i].b.hits.items[h].sig == s) {
				n++;
				break;
			}
	return n;
}

size_t report_component_edges(const struct report *r, int idx,
			      const struct topo_relationship **out, size_t max)
{
	size_t n = 0;
	if (!r->topo || idx < 0)
		return 0;
	for (size_t i = 0; i < r->topo->relationships.len && n < max; i++) {
		const struct topo_relationship *e = &r->topo->relationships.items[i];
		if (e->from_idx == idx || e->to_idx == idx)
			out[n++] = e;
	}
	return n;
}
