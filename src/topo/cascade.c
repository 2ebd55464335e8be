/*
 * TOPO-CASCADE: single instances in series (a chain of 1:1 relationships:
 * the chain works only while every link does), and the blast radius of each
 * component: the components that transitively depend on it, those with a
 * path of relationships into it (their requests or messages flow through
 * it). Computed exactly with bit sets over the SCC condensation, in
 * reverse topological order, up to TOPO_BLAST_MAX_COMPONENTS components.
 */
#include "analyze.h"

#include <string.h>

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

#define SHOW 6
#define RANKED 5
#define CHAIN_STEPS 100000u
#define MAX_CHAIN 64

struct chain_search {
	const struct topo_review *rv;
	uint32_t path[MAX_CHAIN], best[MAX_CHAIN]; /* relationships */
	size_t len, best_len;
	bool *on;
	unsigned steps;
};

static bool one_to_one(const struct topology *t, uint32_t e)
{
	const struct topo_relationship *r = &t->relationships.items[e];
	return r->card == CARD_1_1 && r->from_idx != r->to_idx;
}

/* Longest simple path of 1:1 relationships from v (bounded by CHAIN_STEPS). */
static void chain_dfs(struct chain_search *cs, uint32_t v)
{
	const struct topo_graph *g = &cs->rv->g;
	const struct topology *t = cs->rv->t;
	if (cs->len > cs->best_len) {
		cs->best_len = cs->len;
		memcpy(cs->best, cs->path, cs->len * sizeof(*cs->path));
	}
	if (cs->len >= MAX_CHAIN)
		return;
	cs->on[v] = true;
	for (uint32_t i = g->out_start[v]; i < g->out_start[v + 1] && cs->steps < CHAIN_STEPS; i++) {
		uint32_t e = g->out_rel[i], w = (uint32_t)t->relationships.items[e].to_idx;
		if (!one_to_one(t, e) || cs->on[w])
			continue;
		cs->steps++;
		cs->path[cs->len++] = e;
		chain_dfs(cs, w);
		cs->len--;
	}
	cs->on[v] = false;
}

static void chains(struct topo_review *rv)
{
	const struct topology *t = rv->t;
	const struct topo_graph *g = &rv->g;
	struct chain_search cs = { .rv = rv };
	cs.on = xcalloc(g->n ? g->n : 1, sizeof(*cs.on));
	/* Start where no 1:1 relationship comes in (else anywhere: a ring of single instances). */
	for (int pass = 0; pass < 2 && cs.best_len < 2; pass++)
		for (uint32_t v = 0; v < g->n && cs.steps < CHAIN_STEPS; v++) {
			bool fed = false;
			for (uint32_t i = g->in_start[v]; i < g->in_start[v + 1] && !fed; i++)
				fed = one_to_one(t, g->in_rel[i]);
			if (pass == 0 && fed)
				continue;
			chain_dfs(&cs, v);
		}
	xfree(cs.on);
	if (cs.best_len < 2)
		return;
	size_t k = cs.best_len + 1;
	double avail = 1;
	for (size_t i = 0; i < k; i++)
		avail *= 0.999;
	struct strbuf sb = STRBUF_INIT, slow = STRBUF_INIT;
	strbuf_addstr(&sb, t->relationships.items[cs.best[0]].from);
	for (size_t i = 0; i < cs.best_len; i++)
		strbuf_addf(&sb, " -> %s", t->relationships.items[cs.best[i]].to);
	const struct topo_relationship *r0 = &t->relationships.items[cs.best[0]];
	struct finding *f = topo_finding_add(rv, "TOPO-CASCADE", SEV_NOTE, &r0->span, r0->from,
					     "%s: %zu single instances in series; the chain works only while all %zu do (at 99.9%% each, %.1f%% together), and a hang in one holds up the ones before it",
					     sb.buf, k, k, 100.0 * avail);
	size_t untimed = 0;
	for (size_t i = 0; i < cs.best_len; i++) {
		const struct topo_relationship *r = &t->relationships.items[cs.best[i]];
		char *d = topo_rel_describe(t, cs.best[i]);
		topo_finding_evidence(f, "%s%s%s", d, r->timeout ? ", timeout " : ", no timeout stated",
				      r->timeout ? r->timeout : "");
		if (!r->timeout)
			strbuf_addf(&slow, "%s%s -> %s", untimed++ ? ", " : "", r->from, r->to);
		xfree(d);
	}
	if (untimed)
		topo_finding_fix(f, "state a timeout on %s, and decide which hop absorbs a failure (a queue, a circuit breaker) so it stops there",
				 slow.buf);
	else
		topo_finding_fix(f, "decide which hop absorbs a failure (a queue, a circuit breaker, a cached answer) so it stops there");
	strbuf_release(&sb);
	strbuf_release(&slow);
}

/* Single instances first among equal radii: one of many failing takes only its share. */
static int rank_class(const struct topo_component *c)
{
	if (!topo_count_is_one(&c->count))
		return 0;
	return topo_component_managed(c) ? 1 : 2;
}

static bool rank_before(const struct topo_review *rv, uint32_t a, uint32_t b)
{
	if (rv->blast[a] != rv->blast[b])
		return rv->blast[a] > rv->blast[b];
	return rank_class(&rv->t->components.items[a]) > rank_class(&rv->t->components.items[b]);
}

static void blast_radius(struct topo_review *rv)
{
	const struct topology *t = rv->t;
	const struct topo_graph *g = &rv->g;
	if (!g->n || g->n > TOPO_BLAST_MAX_COMPONENTS)
		return;
	size_t words = (g->n + 63) / 64;
	uint64_t *up = xcalloc((size_t)g->nscc * words, sizeof(*up));
	/* Sources have the highest SCC ids: everything upstream of an SCC is done before it. */
	for (uint32_t s = g->nscc; s-- > 0;) {
		uint64_t *row = up + (size_t)s * words;
		for (uint32_t k = g->scc_start[s]; k < g->scc_start[s + 1]; k++) {
			uint32_t v = g->scc_member[k];
			row[v / 64] |= (uint64_t)1 << (v % 64);
			for (uint32_t i = g->in_start[v]; i < g->in_start[v + 1]; i++) {
				uint32_t p = g->scc[t->relationships.items[g->in_rel[i]].from_idx];
				if (p == s)
					continue;
				const uint64_t *prow = up + (size_t)p * words;
				for (size_t w = 0; w < words; w++)
					row[w] |= prow[w];
			}
		}
	}
	rv->blast = xcalloc(g->n, sizeof(*rv->blast));
	for (uint32_t v = 0; v < g->n; v++) {
		const uint64_t *row = up + (size_t)g->scc[v] * words;
		uint32_t n = 0;
		for (size_t w = 0; w < words; w++)
			n += (uint32_t)__builtin_popcountll(row[w]);
		rv->blast[v] = n - 1;
	}
	/* The ranking: the RANKED largest, ties in file order. */
	uint32_t top[RANKED];
	size_t ntop = 0;
	for (uint32_t v = 0; v < g->n; v++) {
		if (!rv->blast[v])
			continue;
		size_t pos = ntop < RANKED ? ntop : RANKED;
		while (pos > 0 && rank_before(rv, v, top[pos - 1]))
			pos--;
		if (pos >= RANKED)
			continue;
		size_t last = ntop < RANKED ? ntop : RANKED - 1;
		memmove(top + pos + 1, top + pos, (last - pos) * sizeof(*top));
		top[pos] = v;
		if (ntop < RANKED)
			ntop++;
	}
	if (!ntop) {
		xfree(up);
		return;
	}
	rv->max_blast = (int)top[0];
	const struct topo_component *c0 = &t->components.items[top[0]];
	struct finding *f = topo_finding_add(rv, "TOPO-CASCADE", SEV_NOTE, &c0->span, c0->name,
					     "blast radius: %s has the largest, %u of %u components depend on it (their requests or messages flow into it)",
					     c0->name, rv->blast[top[0]], g->n);
	for (size_t i = 0; i < ntop; i++) {
		uint32_t v = top[i], shown[SHOW];
		size_t n = 0;
		const uint64_t *row = up + (size_t)g->scc[v] * words;
		for (uint32_t u = 0; u < g->n && n < SHOW; u++)
			if (u != v && (row[u / 64] >> (u % 64) & 1))
				shown[n++] = u;
		char *names = topo_names(t, shown, n, rv->blast[v]);
		const struct topo_component *c = &t->components.items[v];
		topo_finding_evidence(f, "%zu. %s (%s%s): %u - %s", i + 1, c->name,
				      c->count.text ? c->count.text : "?",
				      topo_count_is_one(&c->count) ? "" : ", if every instance fails", rv->blast[v], names);
		xfree(names);
	}
	topo_finding_fix(f, "put the timeouts, fallbacks and alerting first where the radius is largest");
	xfree(up);
}

void topo_check_cascade(struct topo_review *rv)
{
	chains(rv);
	blast_radius(rv);
}
