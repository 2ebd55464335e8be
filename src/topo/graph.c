/* The topology as a graph: adjacency, SCCs, entry points, dominators (see graph.h). */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/banned.h"

#define UNSET UINT32_MAX

/* Compressed adjacency: start[n + 1] offsets, items grouped by `key`. */
static void csr(uint32_t n, size_t m, const uint32_t *key, uint32_t **start, uint32_t **items)
{
	uint32_t *st = xcalloc((size_t)n + 1, sizeof(*st)), *fill = xcalloc((size_t)n + 1, sizeof(*fill));
	uint32_t *it = xmalloc((m ? m : 1) * sizeof(*it));
	for (size_t e = 0; e < m; e++)
		if (key[e] != UNSET)
			st[key[e] + 1]++;
	for (uint32_t v = 0; v < n; v++)
		st[v + 1] += st[v];
	memcpy(fill, st, ((size_t)n + 1) * sizeof(*fill));
	for (size_t e = 0; e < m; e++)
		if (key[e] != UNSET)
			it[fill[key[e]]++] = (uint32_t)e;
	xfree(fill);
	*start = st;
	*items = it;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void build_adjacency(struct topo_graph *g)
{
	const struct topology *t = g->t;
	size_t m = t->relationships.len;
	uint32_t *from = xmalloc((m ? m : 1) * sizeof(*from)), *to = xmalloc((m ? m : 1) * sizeof(*to));
	g->self_loop = xcalloc(g->n ? g->n : 1, sizeof(*g->self_loop));
	for (size_t e = 0; e < m; e++) {
		const struct topo_relationship *r = &t->relationships.items[e];
		bool ok = r->from_idx >= 0 && r->to_idx >= 0;
		from[e] = ok ? (uint32_t)r->from_idx : UNSET;
		to[e] = ok ? (uint32_t)r->to_idx : UNSET;
		if (ok && r->from_idx == r->to_idx)
			g->self_loop[r->from_idx] = true;
	}
	csr(g->n, m, from, &g->out_start, &g->out_rel);
	csr(g->n, m, to, &g->in_start, &g->in_rel);
	/* Successors: the targets of each node's relationships, sorted, duplicates dropped. */
	g->succ_start = xcalloc((size_t)g->n + 1, sizeof(*g->succ_start));
	g->succ = xmalloc((g->out_start[g->n] ? g->out_start[g->n] : 1) * sizeof(*g->succ));
	uint32_t k = 0;
	for (uint32_t v = 0; v < g->n; v++) {
		uint32_t first = k;
		for (uint32_t i = g->out_start[v]; i < g->out_start[v + 1]; i++)
			g->succ[k++] = to[g->out_rel[i]];
		qsort(g->succ + first, k - first, sizeof(*g->succ), cmp_u32);
		uint32_t w = first;
		for (uint32_t i = first; i < k; i++)
			if (i == first || g->succ[i] != g->succ[w - 1])
				g->succ[w++] = g->succ[i];
		k = w;
		g->succ_start[v + 1] = k;
	}
	xfree(from);
	xfree(to);
}

/* Tarjan's algorithm with an explicit call stack. */
static void build_scc(struct topo_graph *g)
{
	uint32_t n = g->n, idx = 0, sp = 0, cp = 0;
	uint32_t *index = xmalloc((n ? n : 1) * sizeof(*index)), *low = xmalloc((n ? n : 1) * sizeof(*low));
	uint32_t *stack = xmalloc((n ? n : 1) * sizeof(*stack));
	uint32_t *cs_v = xmalloc((n ? n : 1) * sizeof(*cs_v)), *cs_pos = xmalloc((n ? n : 1) * sizeof(*cs_pos));
	bool *on = xcalloc(n ? n : 1, sizeof(*on));
	g->scc = xmalloc((n ? n : 1) * sizeof(*g->scc));
	g->nscc = 0;
	for (uint32_t v = 0; v < n; v++)
		index[v] = UNSET;
	for (uint32_t r = 0; r < n; r++) {
		if (index[r] != UNSET)
			continue;
		index[r] = low[r] = idx++;
		stack[sp++] = r;
		on[r] = true;
		cs_v[cp] = r;
		cs_pos[cp++] = g->succ_start[r];
		while (cp) {
			uint32_t v = cs_v[cp - 1];
			if (cs_pos[cp - 1] < g->succ_start[v + 1]) {
				uint32_t w = g->succ[cs_pos[cp - 1]++];
				if (index[w] == UNSET) {
					index[w] = low[w] = idx++;
					stack[sp++] = w;
					on[w] = true;
					cs_v[cp] = w;
					cs_pos[cp++] = g->succ_start[w];
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			cp--;
			if (cp && low[v] < low[cs_v[cp - 1]])
				low[cs_v[cp - 1]] = low[v];
			if (low[v] == index[v]) {
				uint32_t w;
				do {
					w = stack[--sp];
					on[w] = false;
					g->scc[w] = g->nscc;
				} while (w != v);
				g->nscc++;
			}
		}
	}
	/* Members of each SCC, ascending. */
	g->scc_start = xcalloc((size_t)g->nscc + 1, sizeof(*g->scc_start));
	g->scc_member = xmalloc((n ? n : 1) * sizeof(*g->scc_member));
	for (uint32_t v = 0; v < n; v++)
		g->scc_start[g->scc[v] + 1]++;
	for (uint32_t s = 0; s < g->nscc; s++)
		g->scc_start[s + 1] += g->scc_start[s];
	memcpy(low, g->scc_start, (size_t)g->nscc * sizeof(*low)); /* reused as fill pointers */
	for (uint32_t v = 0; v < n; v++)
		g->scc_member[low[g->scc[v]]++] = v;
	xfree(index);
	xfree(low);
	xfree(stack);
	xfree(cs_v);
	xfree(cs_pos);
	xfree(on);
}

static void build_entries(struct topo_graph *g)
{
	bool *fed = xcalloc(g->nscc ? g->nscc : 1, sizeof(*fed));
	for (uint32_t v = 0; v < g->n; v++)
		for (uint32_t i = g->succ_start[v]; i < g->succ_start[v + 1]; i++)
			if (g->scc[g->succ[i]] != g->scc[v])
				fed[g->scc[g->succ[i]]] = true;
	g->entries = xmalloc((g->n ? g->n : 1) * sizeof(*g->entries));
	g->nentries = 0;
	for (uint32_t v = 0; v < g->n; v++)
		if (!fed[g->scc[v]])
			g->entries[g->nentries++] = v;
	xfree(fed);
}

/* Walk up the dominator tree to the common dominator; `root` is the virtual root. */
static uint32_t intersect(const uint32_t *idom, const uint32_t *po, uint32_t a, uint32_t b)
{
	while (a != b) {
		while (po[a] < po[b])
			a = idom[a];
		while (po[b] < po[a])
			b = idom[b];
	}
	return a;
}

static void build_dominators(struct topo_graph *g)
{
	uint32_t n = g->n, root = n, count = 0;
	uint32_t *po = xmalloc(((size_t)n + 1) * sizeof(*po));      /* postorder number */
	uint32_t *order = xmalloc(((size_t)n + 1) * sizeof(*order)); /* nodes by postorder */
	uint32_t *idom = xmalloc(((size_t)n + 1) * sizeof(*idom));
	uint32_t *cs_v = xmalloc(((size_t)n + 1) * sizeof(*cs_v)), *cs_pos = xmalloc(((size_t)n + 1) * sizeof(*cs_pos));
	bool *seen = xcalloc((size_t)n + 1, sizeof(*seen));
	bool *entry = xcalloc((size_t)n + 1, sizeof(*entry));
	for (uint32_t i = 0; i < g->nentries; i++)
		entry[g->entries[i]] = true;
	/* Postorder from the virtual root, whose successors are the entry points. */
	uint32_t cp = 0;
	cs_v[cp] = root;
	cs_pos[cp++] = 0;
	seen[root] = true;
	while (cp) {
		uint32_t v = cs_v[cp - 1], w = UNSET;
		if (v == root) {
			if (cs_pos[cp - 1] < g->nentries)
				w = g->entries[cs_pos[cp - 1]++];
		} else if (cs_pos[cp - 1] < g->succ_start[v + 1] - g->succ_start[v]) {
			w = g->succ[g->succ_start[v] + cs_pos[cp - 1]++];
		}
		if (w == UNSET) {
			po[v] = count;
			order[count++] = v;
			cp--;
		} else if (!seen[w]) {
			seen[w] = true;
			cs_v[cp] = w;
			cs_pos[cp++] = 0;
		}
	}
	for (uint32_t v = 0; v <= n; v++)
		idom[v] = UNSET;
	idom[root] = root;
	for (bool changed = true; changed;) {
		changed = false;
		for (uint32_t k = count - 1; k-- > 0;) { /* reverse postorder, the root (last) skipped */
			uint32_t v = order[k], nd = entry[v] ? root : UNSET;
			for (uint32_t i = g->in_start[v]; i < g->in_start[v + 1]; i++) {
				uint32_t p = (uint32_t)g->t->relationships.items[g->in_rel[i]].from_idx;
				if (idom[p] == UNSET || !seen[p])
					continue;
				nd = nd == UNSET ? p : intersect(idom, po, p, nd);
			}
			if (nd != UNSET && idom[v] != nd) {
				idom[v] = nd;
				changed = true;
			}
		}
	}
	g->idom = xmalloc((n ? n : 1) * sizeof(*g->idom));
	g->dom_size = xcalloc(n ? n : 1, sizeof(*g->dom_size));
	g->dom_start = xcalloc((size_t)n + 2, sizeof(*g->dom_start));
	g->dom_child = xmalloc((n ? n : 1) * sizeof(*g->dom_child));
	for (uint32_t v = 0; v < n; v++)
		g->idom[v] = idom[v] == root || idom[v] == UNSET ? TOPO_NO_NODE : idom[v];
	/* Children before their dominator in postorder: sizes add up in one pass. */
	for (uint32_t k = 0; k < count; k++) {
		uint32_t v = order[k];
		if (v != root && g->idom[v] != TOPO_NO_NODE)
			g->dom_size[g->idom[v]] += g->dom_size[v] + 1;
	}
	for (uint32_t v = 0; v < n; v++)
		if (g->idom[v] != TOPO_NO_NODE)
			g->dom_start[g->idom[v] + 1]++;
	for (uint32_t v = 0; v < n; v++)
		g->dom_start[v + 1] += g->dom_start[v];
	memcpy(cs_pos, g->dom_start, (size_t)n * sizeof(*cs_pos));
	for (uint32_t v = 0; v < n; v++)
		if (g->idom[v] != TOPO_NO_NODE)
			g->dom_child[cs_pos[g->idom[v]]++] = v;
	xfree(po);
	xfree(order);
	xfree(idom);
	xfree(cs_v);
	xfree(cs_pos);
	xfree(seen);
	xfree(entry);
}

void topo_graph_build(struct topo_graph *g, const struct topology *t)
{
	memset(g, 0, sizeof(*g));
	g->t = t;
	g->n = (uint32_t)t->components.len;
	build_adjacency(g);
	build_scc(g);
	build_entries(g);
	build_dominators(g);
}

void topo_graph_release(struct topo_graph *g)
{
	xfree(g->out_start);
	xfree(g->out_rel);
	xfree(g->in_start);
	xfree(g->in_rel);
	xfree(g->succ_start);
	xfree(g->succ);
	xfree(g->scc);
	xfree(g->scc_start);
	xfree(g->scc_member);
	xfree(g->self_loop);
	xfree(g->entries);
	xfree(g->idom);
	xfree(g->dom_size);
	xfree(g->dom_start);
	xfree(g->dom_child);
	memset(g, 0, sizeof(*g));
}

size_t topo_graph_dominated(const struct topo_graph *g, uint32_t v, uint32_t *out, size_t max)
{
	/* Breadth-first over the dominator tree, written straight into `out`. */
	size_t n = 0;
	for (uint32_t i = g->dom_start[v]; i < g->dom_start[v + 1] && n < max; i++)
		out[n++] = g->dom_child[i];
	for (size_t k = 0; k < n && n < max; k++)
		for (uint32_t i = g->dom_start[out[k]]; i < g->dom_start[out[k] + 1] && n < max; i++)
			out[n++] = g->dom_child[i];
	return n;
}
