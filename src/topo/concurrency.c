/*
 * TOPO-CONCURRENCY: each 1:N relationship puts its "1" side in charge of
 * many instances at once: the component whose code `check` gives the
 * concurrency pass. One finding per such component, with its 1:N edges and
 * the convergence points it touches (those the many side touches too first).
 */
#include "analyze.h"

#include <string.h>

#include "../base/alloc.h"
#include "../base/banned.h"

/* Which convergence points each component accesses: CSR over component indices. */
struct access_index {
	uint32_t *start, *cp;
};

static void access_index_build(struct access_index *ix, const struct topology *t)
{
	size_t n = t->components.len, total = 0;
	ix->start = xcalloc(n + 1, sizeof(*ix->start));
	for (size_t k = 0; k < t->convergence.len; k++)
		for (size_t a = 0; a < t->convergence.items[k].accessed_by.len; a++) {
			int c = topology_find(t, t->convergence.items[k].accessed_by.items[a]);
			if (c >= 0) {
				ix->start[c + 1]++;
				total++;
			}
		}
	for (size_t v = 0; v < n; v++)
		ix->start[v + 1] += ix->start[v];
	uint32_t *fill = xmalloc((n ? n : 1) * sizeof(*fill));
	if (n)
		memcpy(fill, ix->start, n * sizeof(*fill));
	ix->cp = xmalloc((total ? total : 1) * sizeof(*ix->cp));
	for (size_t k = 0; k < t->convergence.len; k++)
		for (size_t a = 0; a < t->convergence.items[k].accessed_by.len; a++) {
			int c = topology_find(t, t->convergence.items[k].accessed_by.items[a]);
			if (c >= 0)
				ix->cp[fill[c]++] = (uint32_t)k;
		}
	xfree(fill);
}

static bool accesses(const struct topo_convergence *cp, const char *name)
{
	for (size_t k = 0; k < cp->accessed_by.len; k++)
		if (!strcmp(cp->accessed_by.items[k], name))
			return true;
	return false;
}

void topo_check_concurrency(struct topo_review *rv)
{
	const struct topology *t = rv->t;
	const struct topo_graph *g = &rv->g;
	struct access_index ix;
	access_index_build(&ix, t);
	for (uint32_t v = 0; v < g->n; v++) {
		const struct topo_component *c = &t->components.items[v];
		uint32_t first = UINT32_MAX;
		for (uint32_t i = g->out_start[v]; i < g->out_start[v + 1] && first == UINT32_MAX; i++)
			if (t->relationships.items[g->out_rel[i]].card == CARD_1_N)
				first = g->out_rel[i];
		if (first == UINT32_MAX)
			continue;
		const struct topo_relationship *r = &t->relationships.items[first];
		const struct topo_component *many = &t->components.items[r->to_idx];
		struct finding *f = topo_finding_add(rv, "TOPO-CONCURRENCY", SEV_NOTE, &r->span, c->name,
						     "%s (%s) drives %s (%s) via %s: code on %s gets the concurrency pass; messages from different instances interleave and each choice among them can race the next",
						     c->name, c->count.text ? c->count.text : "1", many->name,
						     many->count.text ? many->count.text : "N", r->via ? r->via : "?",
						     c->name);
		for (uint32_t i = g->out_start[v]; i < g->out_start[v + 1]; i++) {
			if (t->relationships.items[g->out_rel[i]].card != CARD_1_N)
				continue;
			char *d = topo_rel_describe(t, g->out_rel[i]);
			const char *notes = t->relationships.items[g->out_rel[i]].notes;
			topo_finding_evidence(f, "%s%s%s", d, notes ? ": " : "", notes ? notes : "");
			xfree(d);
		}
		/* Convergence points: shared with a many side first, then the others. */
		for (int shared = 1; shared >= 0; shared--)
			for (uint32_t x = ix.start[v]; x < ix.start[v + 1]; x++) {
				const struct topo_convergence *cp = &t->convergence.items[ix.cp[x]];
				bool with_many = false;
				for (uint32_t i = g->out_start[v]; i < g->out_start[v + 1] && !with_many; i++) {
					const struct topo_relationship *e = &t->relationships.items[g->out_rel[i]];
					with_many = e->card == CARD_1_N && accesses(cp, e->to);
				}
				if (with_many != (shared == 1))
					continue;
				topo_finding_evidence(f, "convergence point %s%s%s%s: %s", cp->resource,
						      cp->type ? " (" : "", cp->type ? cp->type : "",
						      cp->type ? ")" : "",
						      with_many ? "the many side writes it too" : "touched by it");
			}
		topo_finding_fix(f, "decide who owns each shared field %s touches, and make its choice among instances atomic (claim with a compare-and-set, not read-then-write)",
				 c->name);
	}
	xfree(ix.start);
	xfree(ix.cp);
}
