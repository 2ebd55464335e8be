/*
 * The backward trace through the topology from the component that hurts,
 * and the forward trace of a fix (see debug.h). Hops are breadth first,
 * each component once; what each hop could get wrong comes from the
 * relationship's declared delivery, retries, timeout, pattern and
 * cardinality, and from the resources the two ends share.
 */
#include "debug.h"

#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

static bool mentions(const char *text, const char *word)
{
	return text && strcasestr(text, word);
}

/* A long-lived channel whose loss says nothing about the work it watches. */
static bool is_channel(const struct topo_relationship *r)
{
	return mentions(r->via, "websocket") || mentions(r->via, "sse") || mentions(r->via, "grpc stream") ||
	       mentions(r->pattern, "pub-sub") || mentions(r->via, "watch");
}

static bool is_queue(const struct topo_relationship *r)
{
	return mentions(r->via, "stream") || mentions(r->via, "queue") || mentions(r->via, "kafka") ||
	       mentions(r->via, "sqs") || mentions(r->via, "amqp") || mentions(r->via, "rabbit") ||
	       mentions(r->via, "nats") || mentions(r->pattern, "stream") || mentions(r->pattern, "queue");
}

static bool accesses(const struct topo_convergence *cp, const char *name)
{
	for (size_t i = 0; i < cp->accessed_by.len; i++)
		if (!strcmp(cp->accessed_by.items[i], name))
			return true;
	return false;
}

static void add_risk(struct trace_hop *h, char *text)
{
	VEC_APPEND(&h->risks, text);
}

static void relationship_risks(const struct topology *t, const struct topo_relationship *r,
			       struct trace_hop *h)
{
	struct strbuf sb = STRBUF_INIT;
	switch (r->delivery) {
	case DELIVERY_AT_LEAST_ONCE:
		add_risk(h, xstrdup("duplicated or out of order: at-least-once delivery redelivers after a "
				    "crash or a missing ack"));
		break;
	case DELIVERY_AT_MOST_ONCE:
		add_risk(h, xstrdup("missing: at-most-once delivery drops what is lost in transit"));
		break;
	case DELIVERY_EXACTLY_ONCE:
		break;
	case DELIVERY_UNSPECIFIED:
		if (is_queue(r))
			add_risk(h, xstrdup("missing or duplicated: the delivery guarantee is not declared "
					    "(topology `delivery:`)"));
		break;
	}
	if (is_queue(r))
		add_risk(h, xstrdup("missing after the ack: the payload must live somewhere durable once the "
				    "entry is acknowledged"));
	if (r->retries > 0) {
		strbuf_addf(&sb, "repeated: retried %d time%s on this edge; each retry multiplies any retry "
			    "inside %s", r->retries, r->retries == 1 ? "" : "s", r->to);
		add_risk(h, strbuf_detach(&sb, NULL));
	}
	if (r->timeout) {
		strbuf_addf(&sb, "unexpected state: after the %s timeout %s gives up while %s may still work",
			    r->timeout, r->from, r->to);
		add_risk(h, strbuf_detach(&sb, NULL));
	}
	if (is_channel(r)) {
		strbuf_addf(&sb, "unexpected state: %s is a long-lived channel; its loss is not the outcome "
			    "of the work it reports on", r->via ? r->via : "the channel");
		add_risk(h, strbuf_detach(&sb, NULL));
	}
	if (r->card == CARD_1_N) {
		strbuf_addf(&sb, "stale: %s (1) acts on the status of many %s instances; a status set too "
			    "early or too late is acted on at once", r->from, r->to);
		add_risk(h, strbuf_detach(&sb, NULL));
	} else if (r->card == CARD_N_1) {
		strbuf_addf(&sb, "stale or out of order: many %s instances report to one %s; their messages "
			    "interleave", r->from, r->to);
		add_risk(h, strbuf_detach(&sb, NULL));
	}
	for (size_t i = 0; i < t->convergence.len; i++) {
		const struct topo_convergence *cp = &t->convergence.items[i];
		if (accesses(cp, r->from) && accesses(cp, r->to)) {
			strbuf_addf(&sb, "stale: both ends write %s (%s)%s%s", cp->resource,
				    cp->type ? cp->type : "shared", cp->concern ? ": " : "",
				    cp->concern ? cp->concern : "");
			add_risk(h, strbuf_detach(&sb, NULL));
		}
	}
	strbuf_release(&sb);
}

static void hop_findings(const struct topology *t, int comp, const finding_vec *fv, struct trace_hop *h)
{
	const char *name = t->components.items[comp].name;
	for (size_t i = 0; fv && i < fv->len; i++)
		if (fv->items[i].component && !strcmp(fv->items[i].component, name))
			VEC_APPEND(&h->findings, i);
}

void trace_backward(const struct topology *t, int start, unsigned max_depth,
		    const finding_vec *findings, trace_vec *out)
{
	if (!t || start < 0 || (size_t)start >= t->components.len)
		return;
	bool *seen = xcalloc(t->components.len, sizeof(*seen));
	struct trace_hop *h = VEC_PUSH(out);
	h->comp = start;
	h->rel = h->via_comp = -1;
	hop_findings(t, start, findings, h);
	seen[start] = true;
	for (size_t q = 0; q < out->len; q++) {
		int cur = out->items[q].comp;
		unsigned depth = out->items[q].depth;
		if (depth >= max_depth)
			continue;
		/* Upstream first: what sends to or serves `cur`, then what `cur` depends on. */
		for (int pass = 0; pass < 2; pass++) {
			for (size_t e = 0; e < t->relationships.len; e++) {
				const struct topo_relationship *r = &t->relationships.items[e];
				if (r->from_idx < 0 || r->to_idx < 0)
					continue;
				int next = pass == 0 ? (r->to_idx == cur ? r->from_idx : -1)
						     : (r->from_idx == cur ? r->to_idx : -1);
				if (next < 0 || seen[next])
					continue;
				seen[next] = true;
				h = VEC_PUSH(out);
				h->comp = next;
				h->depth = depth + 1;
				h->rel = (int)e;
				h->via_comp = cur;
				h->sends = pass == 0;
				relationship_risks(t, r, h);
				hop_findings(t, next, findings, h);
			}
		}
	}
	xfree(seen);
}

enum store { STORE_NONE, STORE_QUEUE, STORE_TABLE, STORE_OBJECTS, STORE_MEMORY };

static enum store store_kind(const char *a, const char *b, const char *c)
{
	const char *txt[] = { a, b, c };
	for (int i = 0; i < 3; i++) {
		const char *s = txt[i];
		if (mentions(s, "stream") || mentions(s, "queue") || mentions(s, "topic") || mentions(s, "kafka"))
			return STORE_QUEUE;
		if (mentions(s, "table") || mentions(s, "database") || mentions(s, "postgres") ||
		    mentions(s, "mysql") || mentions(s, "sql"))
			return STORE_TABLE;
		if (mentions(s, "bucket") || mentions(s, "object") || mentions(s, "s3") || mentions(s, "blob"))
			return STORE_OBJECTS;
		if (mentions(s, "memory") || mentions(s, "cache") || mentions(s, "registry"))
			return STORE_MEMORY;
	}
	return STORE_NONE;
}

static const char *cleanup(enum store k)
{
	switch (k) {
	case STORE_QUEUE:
		return "entries enqueued before the fix keep the old shape: drain or purge them, or replay "
		       "them through the fixed path";
	case STORE_TABLE:
		return "rows written before the fix keep the old state: a migration or backfill must repair them";
	case STORE_OBJECTS:
		return "objects written before the fix stay: purge or re-upload them";
	case STORE_MEMORY:
		return "in-memory state built before the fix survives until a restart: restart or reset it";
	case STORE_NONE:
		break;
	}
	return NULL;
}

void trace_forward(const struct topology *t, int root, unsigned max_depth, fix_vec *out)
{
	if (!t || root < 0 || (size_t)root >= t->components.len)
		return;
	size_t n = t->components.len;
	bool *seen = xcalloc(n, sizeof(*seen));
	unsigned *depth = xcalloc(n, sizeof(*depth));
	int *queue = xcalloc(n, sizeof(*queue));
	size_t qh = 0, qt = 0;
	struct strbuf sb = STRBUF_INIT;
	seen[root] = true;
	queue[qt++] = root;
	while (qh < qt) {
		int cur = queue[qh++];
		if (depth[cur] >= max_depth)
			continue;
		for (size_t e = 0; e < t->relationships.len; e++) {
			const struct topo_relationship *r = &t->relationships.items[e];
			if (r->from_idx != cur || r->to_idx < 0 || seen[r->to_idx])
				continue;
			const struct topo_component *to = &t->components.items[r->to_idx];
			enum store k = store_kind(r->via, to->name, NULL);
			struct fix_hop *h = VEC_PUSH(out);
			h->from = cur;
			h->to = r->to_idx;
			h->rel = (int)e;
			h->holds_old_data = k != STORE_NONE;
			if (k != STORE_NONE)
				strbuf_addf(&sb, "the fix repairs only new data here: %s", cleanup(k));
			else
				strbuf_addf(&sb, "nothing stored on this hop: the fix applies to the next message");
			h->note = strbuf_detach(&sb, NULL);
			seen[r->to_idx] = true;
			depth[r->to_idx] = depth[cur] + 1;
			queue[qt++] = r->to_idx;
		}
	}
	/* Shared resources the root writes hold old data too. */
	const char *name = t->components.items[root].name;
	for (size_t i = 0; i < t->convergence.len; i++) {
		const struct topo_convergence *cp = &t->convergence.items[i];
		if (!accesses(cp, name))
			continue;
		enum store k = store_kind(cp->type, cp->resource, NULL);
		struct fix_hop *h = VEC_PUSH(out);
		h->from = root;
		h->to = -1;
		h->rel = -1;
		h->resource = cp->resource;
		h->holds_old_data = true;
		strbuf_addf(&sb, "shared %s: %s", cp->type ? cp->type : "resource",
			    k != STORE_NONE ? cleanup(k) : "data written before the fix keeps the old shape; "
			    "check whether its readers need a clean-up");
		h->note = strbuf_detach(&sb, NULL);
	}
	strbuf_release(&sb);
	xfree(seen);
	xfree(depth);
	xfree(queue);
}

void trace_vec_release(trace_vec *v)
{
	for (size_t i = 0; i < v->len; i++) {
		for (size_t k = 0; k < v->items[i].risks.len; k++)
			xfree(v->items[i].risks.items[k]);
		VEC_FREE(&v->items[i].risks);
		VEC_FREE(&v->items[i].findings);
	}
	VEC_FREE(v);
}

void fix_vec_release(fix_vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		xfree(v->items[i].note);
	VEC_FREE(v);
}
