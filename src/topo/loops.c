/*
 * TOPO-LOOP: feedback loops, the elementary cycles of the topology (A -> B
 * -> A over two mechanisms counts), each with the question it raises: what
 * makes it converge? The search runs within each strongly connected
 * component and finds each cycle once, from its lowest-numbered component;
 * it is bounded (TOPO_LOOP_STEPS expansions, TOPO_MAX_LOOPS cycles, 16
 * components per cycle) and the review says when it stopped early.
 */
#include "analyze.h"

#include <string.h>

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

#define MAX_LEN 16

struct cycle_search {
	struct topo_review *rv;
	uint32_t start, path[MAX_LEN];
	size_t len;
	bool *on;
	unsigned steps;
};

static void report_cycle(struct topo_review *rv, const uint32_t *path, size_t len)
{
	const struct topology *t = rv->t;
	const struct topo_graph *g = &rv->g;
	struct strbuf ring = STRBUF_INIT, retry = STRBUF_INIT;
	uint32_t first_rel = UINT32_MAX;
	size_t retrying = 0;
	const char *via[2] = { NULL, NULL };
	for (size_t i = 0; i < len; i++)
		strbuf_addf(&ring, "%s -> ", t->components.items[path[i]].name);
	strbuf_addstr(&ring, t->components.items[path[0]].name);
	rv->loops++;
	const struct topo_component *c0 = &t->components.items[path[0]];
	/* Filled below: the finding needs the first relationship's position. */
	for (size_t i = 0; i < len && first_rel == UINT32_MAX; i++)
		for (uint32_t k = g->out_start[path[i]]; k < g->out_start[path[i] + 1]; k++)
			if ((uint32_t)t->relationships.items[g->out_rel[k]].to_idx == path[(i + 1) % len]) {
				first_rel = g->out_rel[k];
				break;
			}
	struct finding *f = topo_finding_add(rv, "TOPO-LOOP", SEV_NOTE,
					     &t->relationships.items[first_rel].span, c0->name,
					     "feedback loop %s: does it converge?", ring.buf);
	for (size_t i = 0; i < len; i++) {
		uint32_t a = path[i], b = path[(i + 1) % len];
		for (uint32_t k = g->out_start[a]; k < g->out_start[a + 1]; k++) {
			uint32_t e = g->out_rel[k];
			const struct topo_relationship *r = &t->relationships.items[e];
			if ((uint32_t)r->to_idx != b)
				continue;
			rv->rel_mark[e] |= TOPO_MARK_LOOP;
			char *d = topo_rel_describe(t, e);
			topo_finding_evidence(f, "%s%s%s", d, r->notes ? ": " : "", r->notes ? r->notes : "");
			xfree(d);
			if (i < 2 && !via[i])
				via[i] = r->via ? r->via : "?";
			if (r->retries > 0)
				strbuf_addf(&retry, "%s%d on %s -> %s", retrying++ ? ", " : "", r->retries,
					    r->from, r->to);
		}
	}
	if (len == 1)
		topo_finding_evidence(f, "open: %s feeds itself; what ends the chain of messages it sends to itself?",
				      c0->name);
	else if (len == 2 && !retrying)
		topo_finding_evidence(f, "open: %s and %s drive each other (%s one way, %s back): can a message back make %s act again at once, with no backoff (a tight loop)?",
				      c0->name, t->components.items[path[1]].name, via[0], via[1], c0->name);
	else
		topo_finding_evidence(f, "open: work that fails on the way can come back to %s; what stops it going round again?",
				      c0->name);
	if (retrying)
		topo_finding_evidence(f, "retries inside the loop (%s) repeat on every round: a persistent failure multiplies them by the number of rounds",
				      retry.buf);
	if (len == 2 && !retrying)
		topo_finding_fix(f, "make %s wait for a state that says acting again is safe (a backoff, a health signal, a failure count) before it reacts to %s's message",
				 c0->name, t->components.items[path[1]].name);
	else
		topo_finding_fix(f, "bound the rounds: carry an attempt count with the work (or a TTL, a dead-letter queue) and back off between rounds");
	strbuf_release(&ring);
	strbuf_release(&retry);
}

static void cycle_dfs(struct cycle_search *cs, uint32_t v)
{
	const struct topo_graph *g = &cs->rv->g;
	cs->path[cs->len++] = v;
	cs->on[v] = true;
	for (uint32_t i = g->succ_start[v]; i < g->succ_start[v + 1]; i++) {
		uint32_t w = g->succ[i];
		if (cs->rv->loops >= TOPO_MAX_LOOPS || cs->steps >= TOPO_LOOP_STEPS) {
			cs->rv->loops_bounded = true;
			break;
		}
		cs->steps++;
		if (g->scc[w] != g->scc[cs->start] || w < cs->start)
			continue;
		if (w == cs->start) {
			if (cs->len > 1)
				report_cycle(cs->rv, cs->path, cs->len);
		} else if (!cs->on[w]) {
			if (cs->len < MAX_LEN)
				cycle_dfs(cs, w);
			else
				cs->rv->loops_bounded = true;
		}
	}
	cs->on[v] = false;
	cs->len--;
}

void topo_check_loops(struct topo_review *rv)
{
	const struct topo_graph *g = &rv->g;
	struct cycle_search cs = { .rv = rv };
	cs.on = xcalloc(g->n ? g->n : 1, sizeof(*cs.on));
	for (uint32_t v = 0; v < g->n; v++) {
		if (g->self_loop[v] && rv->loops < TOPO_MAX_LOOPS) {
			uint32_t one = v;
			report_cycle(rv, &one, 1);
		}
		if (topo_graph_scc_size(g, g->scc[v]) < 2)
			continue;
		cs.start = v;
		cycle_dfs(&cs, v);
	}
	xfree(cs.on);
}
