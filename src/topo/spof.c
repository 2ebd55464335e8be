/*
 * TOPO-BOTTLENECK: N:1 relationships into a single instance.
 * TOPO-SPOF: single instances the entry points cannot do without: those on
 * every path from the entry points to other components (they dominate
 * them: the directed form of an articulation point), and single instances
 * others call with nothing standing in for them. A managed service
 * ("1 (managed)") is the provider's to keep up; an entry point that is a
 * client (a web app, a CLI) is where requests start, not a server to
 * duplicate.
 */
#include "analyze.h"

#include "../base/alloc.h"
#include "../base/banned.h"

#define SHOW 6

static bool is_client(const struct topo_review *rv, uint32_t v)
{
	static const char *const words[] = { "frontend", "front-end", "web app", "webapp", "browser",
					     "client", "mobile app", "single-page", NULL };
	const struct topo_component *c = &rv->t->components.items[v];
	if (topo_graph_indeg(&rv->g, v))
		return false;
	return topo_text_mentions(c->name, words) || topo_text_mentions(c->role, words);
}

static void bottleneck(struct topo_review *rv, uint32_t v)
{
	const struct topology *t = rv->t;
	const struct topo_graph *g = &rv->g;
	const struct topo_component *c = &t->components.items[v];
	uint32_t first = UINT32_MAX, nsrc = 0;
	for (uint32_t i = g->in_start[v]; i < g->in_start[v + 1]; i++)
		if (t->relationships.items[g->in_rel[i]].card == CARD_N_1) {
			if (first == UINT32_MAX)
				first = g->in_rel[i];
			nsrc++;
		}
	if (first == UINT32_MAX)
		return;
	rv->bottlenecks++;
	rv->comp_mark[v] |= TOPO_MARK_BOTTLENECK;
	const struct topo_relationship *r = &t->relationships.items[first];
	struct finding *f = topo_finding_add(rv, "TOPO-BOTTLENECK", c->count.fixed ? SEV_WARNING : SEV_NOTE,
					     &r->span, c->name,
					     "%s is one instance (%s) and receives from %s%s: every instance's traffic meets one process%s",
					     c->name, c->count.text ? c->count.text : "1",
					     nsrc > 1 ? "several scaled components" : r->from,
					     nsrc > 1 ? "" : " (many instances)",
					     c->count.fixed ? ", and it is fixed: it cannot scale out" : "");
	for (uint32_t i = g->in_start[v]; i < g->in_start[v + 1]; i++) {
		uint32_t e = g->in_rel[i];
		if (t->relationships.items[e].card != CARD_N_1)
			continue;
		char *d = topo_rel_describe(t, e);
		const struct topo_component *src = &t->components.items[t->relationships.items[e].from_idx];
		topo_finding_evidence(f, "%s: %s instances (%s) into one", d, src->name,
				      src->count.text ? src->count.text : "N");
		xfree(d);
	}
	topo_finding_evidence(f, "open: instances at peak x messages per second each, against what one %s handles",
			      c->name);
	topo_finding_fix(f, "state %s's capacity and the peak load; if it must grow, shard it by key, "
			 "put a queue in front of it, or move its state out so it can run more than once",
			 c->name);
}

static void spof(struct topo_review *rv, uint32_t v)
{
	const struct topology *t = rv->t;
	const struct topo_graph *g = &rv->g;
	const struct topo_component *c = &t->components.items[v];
	uint32_t shown[SHOW];
	if (!topo_count_is_one(&c->count) || !c->count.text || topo_component_managed(c) || is_client(rv, v))
		return;
	const char *count = c->count.text;
	if (g->dom_size[v]) {
		size_t n = topo_graph_dominated(g, v, shown, SHOW);
		char *names = topo_names(t, shown, n, g->dom_size[v]);
		uint32_t en = g->nentries < SHOW ? g->nentries : SHOW;
		char *entries = topo_names(t, g->entries, en, g->nentries);
		rv->spofs++;
		rv->comp_mark[v] |= TOPO_MARK_SPOF;
		struct finding *f = topo_finding_add(rv, "TOPO-SPOF", SEV_WARNING, &c->span, c->name,
						     "%s is a single instance (%s) on every path from the entry points to %u component%s: when it fails, %s %s cut off",
						     c->name, count, g->dom_size[v], g->dom_size[v] == 1 ? "" : "s",
						     names, g->dom_size[v] == 1 ? "is" : "are");
		topo_finding_evidence(f, "entry points: %s", entries);
		topo_finding_evidence(f, "no other path reaches %s", names);
		if (c->notes)
			topo_finding_evidence(f, "notes: %s", c->notes);
		topo_finding_fix(f, "run a second %s (active-passive with a lease, or active-active if its state allows), "
				 "or state the restart time and what is lost while it is down", c->name);
		xfree(names);
		xfree(entries);
		return;
	}
	/* A single instance with callers and nothing behind it: what they need is itself. */
	size_t ncallers = 0;
	for (uint32_t i = g->in_start[v]; i < g->in_start[v + 1]; i++) {
		uint32_t from = (uint32_t)t->relationships.items[g->in_rel[i]].from_idx;
		bool dup = false;
		for (size_t k = 0; k < ncallers && !dup; k++)
			dup = shown[k] == from;
		if (!dup && from != v && ncallers < SHOW)
			shown[ncallers++] = from;
	}
	if (!ncallers)
		return;
	rv->spofs++;
	rv->comp_mark[v] |= TOPO_MARK_SPOF;
	char *names = topo_names(t, shown, ncallers, ncallers);
	struct finding *f = topo_finding_add(rv, "TOPO-SPOF", SEV_WARNING, &c->span, c->name,
					     "%s is a single instance (%s) that %s need%s, with nothing to stand in for it",
					     c->name, count, names, ncallers == 1 ? "s" : "");
	if (c->role)
		topo_finding_evidence(f, "role: %s", c->role);
	if (c->notes)
		topo_finding_evidence(f, "notes: %s", c->notes);
	topo_finding_fix(f, "give %s a replica and failover (and say how long failover takes), or state what %s do while it is down",
			 c->name, names);
	xfree(names);
}

void topo_check_spof(struct topo_review *rv)
{
	for (uint32_t v = 0; v < rv->g.n; v++) {
		const struct topo_component *c = &rv->t->components.items[v];
		if (topo_count_is_one(&c->count) && c->count.text && !topo_component_managed(c))
			bottleneck(rv, v);
		spof(rv, v);
	}
}
