#ifndef DISTARCH_TOPO_GRAPH_H
#define DISTARCH_TOPO_GRAPH_H
/*
 * The topology as a directed graph: components are nodes, relationships
 * (from -> to: the caller or producer to the callee or consumer) are edges.
 * Built once, in linear time, for the design analyses (src/topo/analyze.h)
 * and the diagrams:
 *
 *   - adjacency in both directions (relationship indices, file order) and
 *     the de-duplicated successor lists (parallel edges merged);
 *   - strongly connected components (iterative Tarjan: no recursion, so
 *     10,000 components in one chain cannot overflow the stack); SCC ids
 *     are in reverse topological order (an edge between two SCCs goes from
 *     a higher id to a lower one);
 *   - entry points: the members of source SCCs (no edge comes in from
 *     outside them);
 *   - immediate dominators from the entry points (Cooper, Harvey and
 *     Kennedy, "A Simple, Fast Dominance Algorithm"): X dominates Y when
 *     every path from the entry points to Y passes through X, which is what
 *     an articulation point is for a directed graph.
 *
 * Relationships with an unresolved end (a topology that failed to load)
 * are left out. Ownership: the graph owns its arrays; it borrows the
 * topology, which must outlive it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topology.h"

#define TOPO_NO_NODE UINT32_MAX

struct topo_graph {
	const struct topology *t;
	uint32_t n;                    /* components */
	uint32_t *out_start, *out_rel; /* out_rel[out_start[v] .. out_start[v+1]): relationships from v */
	uint32_t *in_start, *in_rel;   /* the same for relationships into v */
	uint32_t *succ_start, *succ;   /* successor components, sorted, without duplicates */
	uint32_t *scc;                 /* component -> SCC id */
	uint32_t nscc;
	uint32_t *scc_start, *scc_member; /* members of each SCC, ascending */
	bool *self_loop;               /* a relationship from v to v */
	uint32_t *entries;             /* entry points, ascending */
	uint32_t nentries;
	uint32_t *idom;                /* immediate dominator; TOPO_NO_NODE for entries (the virtual root) */
	uint32_t *dom_size;            /* components v dominates, v excluded */
	uint32_t *dom_start, *dom_child; /* the dominator tree: children of v */
};

void topo_graph_build(struct topo_graph *g, const struct topology *t);
void topo_graph_release(struct topo_graph *g);

static inline uint32_t topo_graph_outdeg(const struct topo_graph *g, uint32_t v)
{
	return g->out_start[v + 1] - g->out_start[v];
}
static inline uint32_t topo_graph_indeg(const struct topo_graph *g, uint32_t v)
{
	return g->in_start[v + 1] - g->in_start[v];
}
static inline uint32_t topo_graph_scc_size(const struct topo_graph *g, uint32_t s)
{
	return g->scc_start[s + 1] - g->scc_start[s];
}

/* Up to `max` components that `v` dominates (dominator-tree order); returns how many were written. */
size_t topo_graph_dominated(const struct topo_graph *g, uint32_t v, uint32_t *out, size_t max);

#endif
