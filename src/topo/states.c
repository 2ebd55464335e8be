/*
 * State machines (`entities:`): TOPO-STATE-UNREACHABLE (no chain of
 * transitions from the initial state reaches it), TOPO-STATE-TRAP (not
 * terminal, and no terminal state can be reached from it; without
 * `terminal:` the states nothing leaves are listed once as a note),
 * TOPO-STATE-ACTOR (a transition's actor has no relationship with the
 * owner, in either direction, and shares no convergence point with it),
 * TOPO-STATE-INVARIANT (an invariant names a state the entity lacks).
 * An entity without transitions is left to the unknowns.
 */
#include "analyze.h"

#include <string.h>

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

/* Mark the states reachable from `seeds` over transitions (forward or backward). */
static void reach(const struct topo_entity *e, bool *mark, bool backward)
{
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t k = 0; k < e->transitions.len; k++) {
			const struct topo_transition *tr = &e->transitions.items[k];
			int to = topo_entity_state(e, tr->to);
			for (size_t f = 0; f < tr->from.len; f++) {
				int from = topo_entity_state(e, tr->from.items[f]);
				int src = backward ? to : from, dst = backward ? from : to;
				if (src >= 0 && dst >= 0 && mark[src] && !mark[dst]) {
					mark[dst] = true;
					changed = true;
				}
			}
		}
	}
}

static bool leaves(const struct topo_entity *e, const char *state)
{
	for (size_t k = 0; k < e->transitions.len; k++)
		for (size_t f = 0; f < e->transitions.items[k].from.len; f++)
			if (!strcmp(e->transitions.items[k].from.items[f], state))
				return true;
	return false;
}

static void reachability(struct topo_review *rv, const struct topo_entity *e)
{
	size_t n = e->states.len;
	bool *fwd = xcalloc(n, sizeof(*fwd)), *back = xcalloc(n, sizeof(*back));
	fwd[e->initial] = true;
	reach(e, fwd, false);
	for (size_t s = 0; s < n; s++)
		if (!fwd[s]) {
			rv->state_issues++;
			struct finding *f = topo_finding_add(rv, "TOPO-STATE-UNREACHABLE", SEV_WARNING, &e->state_spans[s],
							     e->owner, "state '%s' of %s is unreachable: no chain of transitions from '%s' leads to it",
							     e->states.items[s], e->name, e->states.items[e->initial]);
			topo_finding_fix(f, "add the transition into '%s' with its actor, or remove the state", e->states.items[s]);
		}
	if (!e->terminal.len) {
		struct strbuf dead = STRBUF_INIT;
		for (size_t s = 0; s < n; s++)
			if (fwd[s] && !leaves(e, e->states.items[s]))
				strbuf_addf(&dead, "%s'%s'", dead.len ? ", " : "", e->states.items[s]);
		if (dead.len) {
			topo_finding_add(rv, "TOPO-STATE-TRAP", SEV_NOTE, &e->span, e->owner,
					 "no transition leaves %s of %s: are they terminal? Declare `terminal:` so a dead end can be told from an end",
					 dead.buf, e->name);
		}
		strbuf_release(&dead);
		xfree(fwd);
		xfree(back);
		return;
	}
	for (size_t k = 0; k < e->terminal.len; k++) {
		int s = topo_entity_state(e, e->terminal.items[k]);
		if (s >= 0)
			back[s] = true;
	}
	reach(e, back, true);
	for (size_t s = 0; s < n; s++) {
		if (!fwd[s] || back[s])
			continue;
		rv->state_issues++;
		bool out = leaves(e, e->states.items[s]);
		struct finding *f = topo_finding_add(rv, "TOPO-STATE-TRAP", SEV_WARNING, &e->state_spans[s], e->owner,
						     out ? "state '%s' of %s is a trap: transitions leave it, but none leads on to a terminal state"
							 : "state '%s' of %s has no way out: it is not terminal and no transition leaves it",
						     e->states.items[s], e->name);
		topo_finding_evidence(f, "terminal states: %s%s", e->terminal.items[0], e->terminal.len > 1 ? ", ..." : "");
		topo_finding_fix(f, "add a way out of '%s' (a timeout, a cancel, a failure path) and the actor that takes it, or declare it terminal",
				 e->states.items[s]);
	}
	xfree(fwd);
	xfree(back);
}

static bool shares_point(const struct topology *t, const char *a, const char *b)
{
	for (size_t k = 0; k < t->convergence.len; k++) {
		bool ha = false, hb = false;
		for (size_t i = 0; i < t->convergence.items[k].accessed_by.len; i++) {
			ha |= !strcmp(t->convergence.items[k].accessed_by.items[i], a);
			hb |= !strcmp(t->convergence.items[k].accessed_by.items[i], b);
		}
		if (ha && hb)
			return true;
	}
	return false;
}

static bool linked(const struct topo_review *rv, int a, int b)
{
	const struct topo_graph *g = &rv->g;
	for (uint32_t i = g->out_start[a]; i < g->out_start[a + 1]; i++)
		if (rv->t->relationships.items[g->out_rel[i]].to_idx == b)
			return true;
	for (uint32_t i = g->in_start[a]; i < g->in_start[a + 1]; i++)
		if (rv->t->relationships.items[g->in_rel[i]].from_idx == b)
			return true;
	return shares_point(rv->t, rv->t->components.items[a].name, rv->t->components.items[b].name);
}

static void actors(struct topo_review *rv, const struct topo_entity *e)
{
	if (e->owner_idx < 0)
		return;
	for (size_t k = 0; k < e->transitions.len; k++) {
		const struct topo_transition *tr = &e->transitions.items[k];
		bool seen = false;
		for (size_t j = 0; j < k && !seen; j++)
			seen = e->transitions.items[j].actor_idx == tr->actor_idx;
		if (seen || tr->actor_idx == e->owner_idx || linked(rv, tr->actor_idx, e->owner_idx))
			continue;
		rv->state_issues++;
		struct finding *f = topo_finding_add(rv, "TOPO-STATE-ACTOR", SEV_WARNING, &tr->span, tr->actor,
						     "%s triggers %s -> %s of %s, but has no relationship with its owner %s: how does the change reach the state?",
						     tr->actor, tr->from.items[0], tr->to, e->name, e->owner);
		for (size_t j = k; j < e->transitions.len; j++)
			if (e->transitions.items[j].actor_idx == tr->actor_idx)
				topo_finding_evidence(f, "transition %s%s -> %s by %s (line %u)",
						      e->transitions.items[j].from.items[0],
						      e->transitions.items[j].from.len > 1 ? ", ..." : "",
						      e->transitions.items[j].to, tr->actor, e->transitions.items[j].span.line);
		topo_finding_fix(f, "add the relationship %s -> %s the change travels over (with its delivery), or name the actor that really makes it",
				 tr->actor, e->owner);
	}
}

static void invariants(struct topo_review *rv, const struct topo_entity *e)
{
	for (size_t k = 0; k < e->invariants.len; k++) {
		const struct topo_invariant *inv = &e->invariants.items[k];
		for (size_t s = 0; s < inv->states.len; s++) {
			if (topo_entity_state(e, inv->states.items[s]) >= 0)
				continue;
			rv->state_issues++;
			struct finding *f = topo_finding_add(rv, "TOPO-STATE-INVARIANT", SEV_WARNING, &inv->state_spans[s], e->owner,
							     "invariant of %s names '%s', which is not one of its states: \"%s\"",
							     e->name, inv->states.items[s], inv->text);
			topo_finding_fix(f, "use one of the declared states, or add '%s' to `states:`", inv->states.items[s]);
		}
	}
}

void topo_check_states(struct topo_review *rv)
{
	const struct topology *t = rv->t;
	for (size_t i = 0; i < t->entities.len; i++) {
		const struct topo_entity *e = &t->entities.items[i];
		if (!e->states.len || e->initial < 0)
			continue;
		invariants(rv, e);
		if (!e->transitions.len) {
			topo_unknown_add(rv, "entity %s lists states but no transitions: which component moves it from one state to the next?",
					 e->name);
			continue;
		}
		reachability(rv, e);
		actors(rv, e);
	}
}
