/*
 * The unknowns: what the topology does not state that would change the
 * answers (load, scale, failure and recovery, timeouts, retries, delivery),
 * each as one line naming the components or relationships concerned.
 */
#include "analyze.h"

#include "../base/strbuf.h"
#include "../base/banned.h"

#define SHOW 6

/* Appends a name to a list of at most SHOW, counting the rest. */
static void add_name(struct strbuf *sb, size_t *n, const char *fmt_a, const char *a, const char *b)
{
	if ((*n)++ < SHOW) {
		if (*n > 1)
			strbuf_addstr(sb, ", ");
		strbuf_addf(sb, fmt_a, a, b);
	}
}

static void flush(struct topo_review *rv, struct strbuf *sb, size_t n, const char *what)
{
	if (n)
		topo_unknown_add(rv, "%s: %s%s", what, sb->buf, n > SHOW ? ", ..." : "");
	strbuf_reset(sb);
}

void topo_collect_unknowns(struct topo_review *rv)
{
	static const char *const sync_words[] = { "request", "http", "grpc", "rpc", "pool", "sql", "rest", NULL };
	static const char *const queue_words[] = { "stream", "queue", "pub-sub", "pubsub", "kafka", "sqs",
						   "amqp", "rabbit", "nats", "topic", NULL };
	const struct topology *t = rv->t;
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	if (rv->g.nentries) {
		for (uint32_t i = 0; i < rv->g.nentries; i++)
			add_name(&sb, &n, "%s%s", t->components.items[rv->g.entries[i]].name, "");
		flush(rv, &sb, n, "load: requests or jobs per second (average and peak) entering at");
	}
	n = 0;
	for (size_t i = 0; i < t->components.len; i++) {
		const struct topo_component *c = &t->components.items[i];
		if (!topo_count_is_one(&c->count) && c->count.text && c->count.n < 0)
			add_name(&sb, &n, "%s (%s)", c->name, c->count.text);
	}
	flush(rv, &sb, n, "scale: the largest number of instances of");
	n = 0;
	for (size_t i = 0; i < t->components.len; i++) {
		const struct topo_component *c = &t->components.items[i];
		if (topo_count_is_one(&c->count) && c->count.text && !topo_component_managed(c) &&
		    (topo_graph_indeg(&rv->g, (uint32_t)i) || topo_graph_outdeg(&rv->g, (uint32_t)i) > 1))
			add_name(&sb, &n, "%s%s", c->name, "");
	}
	flush(rv, &sb, n, "failure: how often and for how long each single instance is down (restarts, failover, deploys)");
	n = 0;
	for (size_t i = 0; i < t->components.len; i++)
		if (topo_component_managed(&t->components.items[i]))
			add_name(&sb, &n, "%s%s", t->components.items[i].name, "");
	flush(rv, &sb, n, "limits of managed services (request rates, quotas, the provider's availability)");
	n = 0;
	for (size_t e = 0; e < t->relationships.len; e++) {
		const struct topo_relationship *r = &t->relationships.items[e];
		if (!r->timeout && (topo_text_mentions(r->pattern, sync_words) || topo_text_mentions(r->via, sync_words)))
			add_name(&sb, &n, "%s -> %s", r->from, r->to);
	}
	flush(rv, &sb, n, "no timeout stated on calls that wait for an answer");
	n = 0;
	size_t total = 0;
	for (size_t e = 0; e < t->relationships.len; e++) {
		const struct topo_relationship *r = &t->relationships.items[e];
		total++;
		if (r->retries < 0)
			add_name(&sb, &n, "%s -> %s", r->from, r->to);
	}
	if (n)
		topo_unknown_add(rv, "retries not stated on %zu of %zu relationships (counted as none in the retry products; client libraries and SDKs often retry by default): %s%s",
				 n, total, sb.buf, n > SHOW ? ", ..." : "");
	strbuf_reset(&sb);
	n = 0;
	for (size_t e = 0; e < t->relationships.len; e++) {
		const struct topo_relationship *r = &t->relationships.items[e];
		if (r->delivery == DELIVERY_UNSPECIFIED &&
		    (topo_text_mentions(r->via, queue_words) || topo_text_mentions(r->pattern, queue_words)))
			add_name(&sb, &n, "%s -> %s", r->from, r->to);
	}
	flush(rv, &sb, n, "delivery guarantee not stated on messaging relationships");
	if (rv->loops_bounded)
		topo_unknown_add(rv, "the loop search stopped early (%d cycles or %u steps): more feedback loops may exist",
				 TOPO_MAX_LOOPS, TOPO_LOOP_STEPS);
	if (rv->retry_bounded)
		topo_unknown_add(rv, "the retry-path search stopped early (%u steps or 64 hops): the worst product is a lower bound",
				 TOPO_RETRY_STEPS);
	if (!rv->blast && t->components.len > TOPO_BLAST_MAX_COMPONENTS)
		topo_unknown_add(rv, "blast radius not computed: more than %d components", TOPO_BLAST_MAX_COMPONENTS);
	strbuf_release(&sb);
}
