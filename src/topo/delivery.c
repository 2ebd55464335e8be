/*
 * TOPO-DELIVERY: where the delivery guarantees do not add up.
 *  - at-least-once into a component with no idempotency noted: a
 *    relationship with `delivery: at-least-once` or `retries:` > 0 means the
 *    receiver can get the same work twice. A receiver that passes the work on
 *    at-least-once (a broker, a stream) is not the one to dedupe: the
 *    finding goes to the relationship out of it, naming where duplicates
 *    come from. Idempotency counts as noted when the receiver's role or
 *    notes, or the relationship's notes, say so (idempotent, dedup,
 *    overwrite, upsert, exactly-once).
 *  - an at-most-once relationship feeding a component that retries onward:
 *    the retries protect their own hop only.
 */
#include "analyze.h"

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

static const char *const idempotent_words[] = {
	"idempot", "dedup", "de-dup", "duplicate", "overwrite", "upsert", "exactly-once", "exactly once",
	NULL
};

static bool repeats(const struct topo_relationship *r)
{
	return r->delivery == DELIVERY_AT_LEAST_ONCE || (r->retries > 0 && r->delivery != DELIVERY_AT_MOST_ONCE);
}

static bool forwards(const struct topo_review *rv, uint32_t v)
{
	const struct topo_graph *g = &rv->g;
	for (uint32_t i = g->out_start[v]; i < g->out_start[v + 1]; i++)
		if (rv->t->relationships.items[g->out_rel[i]].delivery == DELIVERY_AT_LEAST_ONCE)
			return true;
	return false;
}

static void duplicates(struct topo_review *rv, uint32_t e)
{
	const struct topology *t = rv->t;
	const struct topo_graph *g = &rv->g;
	const struct topo_relationship *r = &t->relationships.items[e];
	uint32_t to = (uint32_t)r->to_idx;
	const struct topo_component *c = &t->components.items[to];
	if (!repeats(r) || topo_text_mentions(r->notes, idempotent_words) ||
	    topo_text_mentions(c->notes, idempotent_words) || topo_text_mentions(c->role, idempotent_words))
		return;
	if (forwards(rv, to) && !c->paths.len)
		return; /* a broker: the consumer downstream dedupes */
	rv->delivery++;
	char *d = topo_rel_describe(t, e);
	struct finding *f = topo_finding_add(rv, "TOPO-DELIVERY", SEV_WARNING, &r->span, c->name,
					     "%s can receive the same work twice (%s) and no idempotency is noted for it: a redelivered message is handled again",
					     c->name,
					     r->delivery == DELIVERY_AT_LEAST_ONCE ? "at-least-once delivery" : "the sender retries");
	topo_finding_evidence(f, "%s", d);
	xfree(d);
	/* Where the duplicates come from, when the sender is a broker. */
	uint32_t from = (uint32_t)r->from_idx;
	if (forwards(rv, from))
		for (uint32_t i = g->in_start[from]; i < g->in_start[from + 1]; i++) {
			const struct topo_relationship *in = &t->relationships.items[g->in_rel[i]];
			if (!repeats(in))
				continue;
			char *di = topo_rel_describe(t, g->in_rel[i]);
			topo_finding_evidence(f, "duplicates also enter upstream: %s", di);
			xfree(di);
		}
	topo_finding_fix(f, "make %s's handler idempotent (a dedup key such as the message or job id, or a state change guarded by the expected state) and say so in its notes",
			 c->name);
}

static void lost_then_retried(struct topo_review *rv, uint32_t e)
{
	const struct topology *t = rv->t;
	const struct topo_graph *g = &rv->g;
	const struct topo_relationship *r = &t->relationships.items[e];
	if (r->delivery != DELIVERY_AT_MOST_ONCE)
		return;
	uint32_t mid = (uint32_t)r->to_idx;
	for (uint32_t i = g->out_start[mid]; i < g->out_start[mid + 1]; i++) {
		const struct topo_relationship *next = &t->relationships.items[g->out_rel[i]];
		if (!repeats(next))
			continue;
		rv->delivery++;
		char *a = topo_rel_describe(t, e), *b = topo_rel_describe(t, g->out_rel[i]);
		struct finding *f = topo_finding_add(rv, "TOPO-DELIVERY", SEV_WARNING, &r->span, r->to,
						     "%s -> %s is at-most-once but %s -> %s retries: work lost on the first hop is never retried, so the end-to-end guarantee is at-most-once",
						     r->from, r->to, next->from, next->to);
		topo_finding_evidence(f, "%s", a);
		topo_finding_evidence(f, "%s", b);
		topo_finding_fix(f, "make %s -> %s at-least-once (ack after handling) if the work must not be lost, or drop the retries that cannot help",
				 r->from, r->to);
		xfree(a);
		xfree(b);
	}
}

void topo_check_delivery(struct topo_review *rv)
{
	const struct topology *t = rv->t;
	for (uint32_t e = 0; e < t->relationships.len; e++) {
		const struct topo_relationship *r = &t->relationships.items[e];
		if (r->from_idx < 0 || r->to_idx < 0)
			continue;
		duplicates(rv, e);
		lost_then_retried(rv, e);
	}
}
