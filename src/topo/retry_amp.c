/*
 * TOPO-RETRY-AMP: the worst-case number of attempts one request can cause
 * along a path: the product of (1 + retries) over its relationships
 * (`retries: N` is N attempts after the first; a relationship without
 * `retries:` counts as 1 and the review lists it as unknown).
 *
 * The search follows simple paths from the entry points. It extends a path
 * into a component only when it arrives there with a higher product than
 * any path before it (exact when the graph has no cycle; on cycles a worse
 * path that needs a component already on the better one's way can be
 * missed), and stops after TOPO_RETRY_STEPS expansions or 64 hops; the
 * review then says the result is a lower bound. Paths over the budget are
 * warnings, at most TOPO_MAX_AMP_FINDINGS, one per set of retrying layers
 * (a path whose layers are all on a worse one is not repeated).
 */
#include "analyze.h"

#include <string.h>

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

#define MAX_DEPTH 64
#define KEEP (TOPO_MAX_AMP_FINDINGS + 1)

struct amp_path {
	double product;
	uint32_t rels[MAX_DEPTH];
	size_t len;
	uint32_t key[MAX_DEPTH]; /* its retrying relationships, ascending */
	size_t nkey;
};

struct amp_search {
	struct topo_review *rv;
	double *best;
	bool *on;
	uint32_t path[MAX_DEPTH];
	size_t len;
	unsigned steps;
	struct amp_path worst;
	struct amp_path over[KEEP];
	size_t nover;
};

static double factor(const struct topo_relationship *r)
{
	return r->retries > 0 ? 1.0 + r->retries : 1.0;
}

static void fill(struct amp_path *p, const struct amp_search *s, double product)
{
	const struct topology *t = s->rv->t;
	p->product = product;
	p->len = s->len;
	memcpy(p->rels, s->path, s->len * sizeof(*s->path));
	p->nkey = 0;
	for (size_t i = 0; i < s->len; i++)
		if (t->relationships.items[s->path[i]].retries > 0) {
			size_t k = p->nkey++;
			while (k > 0 && p->key[k - 1] > s->path[i]) {
				p->key[k] = p->key[k - 1];
				k--;
			}
			p->key[k] = s->path[i];
		}
}

static bool subset(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t j = 0;
	for (size_t i = 0; i < na; i++) {
		while (j < nb && b[j] < a[i])
			j++;
		if (j == nb || b[j] != a[i])
			return false;
	}
	return true;
}

static void record_over(struct amp_search *s, double product)
{
	struct amp_path cand;
	fill(&cand, s, product);
	/* Dominated: its layers are all on a worse path (or an as bad, at least as long one). */
	for (size_t i = 0; i < s->nover; i++)
		if (subset(cand.key, cand.nkey, s->over[i].key, s->over[i].nkey) &&
		    (s->over[i].product > product ||
		     (s->over[i].product == product && s->over[i].len >= cand.len)))
			return;
	size_t keep = 0;
	for (size_t i = 0; i < s->nover; i++)
		if (!subset(s->over[i].key, s->over[i].nkey, cand.key, cand.nkey) || s->over[i].product > product)
			s->over[keep++] = s->over[i];
	s->nover = keep;
	if (s->nover < KEEP) {
		s->over[s->nover++] = cand;
		return;
	}
	size_t low = 0;
	for (size_t i = 1; i < s->nover; i++)
		if (s->over[i].product < s->over[low].product)
			low = i;
	if (s->over[low].product < product)
		s->over[low] = cand;
}

static void dfs(struct amp_search *s, uint32_t v, double product)
{
	const struct topology *t = s->rv->t;
	const struct topo_graph *g = &s->rv->g;
	s->on[v] = true;
	for (uint32_t i = g->out_start[v]; i < g->out_start[v + 1]; i++) {
		uint32_t e = g->out_rel[i], w = (uint32_t)t->relationships.items[e].to_idx;
		if (s->on[w])
			continue;
		if (s->steps >= TOPO_RETRY_STEPS || s->len >= MAX_DEPTH) {
			s->rv->retry_bounded = true;
			break;
		}
		s->steps++;
		double p = product * factor(&t->relationships.items[e]);
		if (p <= s->best[w])
			continue;
		s->best[w] = p;
		s->path[s->len++] = e;
		if (p > s->worst.product)
			fill(&s->worst, s, p);
		if (p > s->rv->retry_budget)
			record_over(s, p);
		dfs(s, w, p);
		s->len--;
	}
	s->on[v] = false;
}

static void describe(struct topo_review *rv, struct finding *f, const struct amp_path *p)
{
	const struct topology *t = rv->t;
	for (size_t i = 0; i < p->len; i++) {
		const struct topo_relationship *r = &t->relationships.items[p->rels[i]];
		char *d = topo_rel_describe(t, p->rels[i]);
		if (r->retries > 0)
			topo_finding_evidence(f, "x%d  %s", 1 + r->retries, d);
		else
			topo_finding_evidence(f, "x1  %s%s", d, r->retries < 0 ? " - retries not stated" : "");
		xfree(d);
	}
}

static char *path_text(const struct topology *t, const struct amp_path *p)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, t->relationships.items[p->rels[0]].from);
	for (size_t i = 0; i < p->len; i++)
		strbuf_addf(&sb, " -> %s", t->relationships.items[p->rels[i]].to);
	return strbuf_detach(&sb, NULL);
}

static const char *bound_note(const struct topo_review *rv)
{
	return rv->retry_bounded ? " (search bounded: at least this many)" : "";
}

void topo_check_retry_amp(struct topo_review *rv)
{
	const struct topology *t = rv->t;
	const struct topo_graph *g = &rv->g;
	struct amp_search *s = xcalloc(1, sizeof(*s));
	s->rv = rv;
	s->best = xcalloc(g->n ? g->n : 1, sizeof(*s->best));
	s->on = xcalloc(g->n ? g->n : 1, sizeof(*s->on));
	s->worst.product = 1;
	for (uint32_t i = 0; i < g->nentries; i++)
		dfs(s, g->entries[i], 1.0);
	rv->worst_retry = s->worst.product;
	if (s->worst.len && s->worst.product > 1) {
		rv->worst_path = xmalloc(s->worst.len * sizeof(*rv->worst_path));
		memcpy(rv->worst_path, s->worst.rels, s->worst.len * sizeof(*rv->worst_path));
		rv->worst_path_len = s->worst.len;
	}
	rv->retry_paths = s->nover;
	/* Worst first. */
	for (size_t i = 1; i < s->nover; i++)
		for (size_t j = i; j > 0 && s->over[j].product > s->over[j - 1].product; j--) {
			struct amp_path tmp = s->over[j];
			s->over[j] = s->over[j - 1];
			s->over[j - 1] = tmp;
		}
	size_t shown = s->nover < TOPO_MAX_AMP_FINDINGS ? s->nover : TOPO_MAX_AMP_FINDINGS;
	for (size_t i = 0; i < shown; i++) {
		const struct amp_path *p = &s->over[i];
		const struct topo_relationship *first = NULL;
		for (size_t k = 0; k < p->len; k++) {
			rv->rel_mark[p->rels[k]] |= TOPO_MARK_AMP;
			if (!first && t->relationships.items[p->rels[k]].retries > 0)
				first = &t->relationships.items[p->rels[k]];
		}
		const char *last = t->relationships.items[p->rels[p->len - 1]].to;
		char *txt = path_text(t, p);
		struct finding *f = topo_finding_add(rv, "TOPO-RETRY-AMP", SEV_WARNING, &first->span, last,
						     "up to %.0f attempts reach %s for one request along %s: %zu retrying layers multiply, over the budget of %u%s",
						     p->product, last, txt, p->nkey, rv->retry_budget, bound_note(rv));
		describe(rv, f, p);
		topo_finding_fix(f, "retry at one layer (the outermost that can decide), let the others fail fast, and back off with jitter");
		xfree(txt);
	}
	if (s->nover > shown)
		topo_unknown_add(rv, "%zu more paths over the retry budget are not listed", s->nover - shown);
	if (!s->nover && s->worst.product > 1) {
		const struct amp_path *p = &s->worst;
		const struct topo_relationship *first = NULL;
		for (size_t k = 0; k < p->len && !first; k++)
			if (t->relationships.items[p->rels[k]].retries > 0)
				first = &t->relationships.items[p->rels[k]];
		char *txt = path_text(t, p);
		const char *last = t->relationships.items[p->rels[p->len - 1]].to;
		struct finding *f = topo_finding_add(rv, "TOPO-RETRY-AMP", SEV_NOTE, &first->span, last,
						     "worst case %.0f attempts for one request, along %s: within the budget of %u%s",
						     p->product, txt, rv->retry_budget, bound_note(rv));
		describe(rv, f, p);
		xfree(txt);
	}
	xfree(s->best);
	xfree(s->on);
	xfree(s);
}
