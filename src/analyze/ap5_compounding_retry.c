/*
 * AP-5 compounding retry: two or more independent retry layers on one
 * remote operation multiply its attempts (3 x 4 x 3 = 36 requests to a
 * dependency that is down).
 *
 * For every remote operation (a call a model tags http.request, rpc.call,
 * queue.publish, storage/db/kv access, or any call through a client that has
 * a retry configuration), retry_chain_for_call() lists the layers around
 * it: the client's own retries (configured or an SDK default), decorators
 * and retry loops around the call and around the call sites of its function
 * up through the callers, and the topology's `retries:` on the relationship
 * it crosses. Two layers or more make a finding.
 *
 * Primary location: the innermost retry layer written in the code as a
 * decorator or loop (the operation's own retry wrapper, e.g. the @retry on
 * the method making the request). The outer layers retry larger units (a
 * job, a batch) and are usually where the one retry policy belongs, the
 * client's transport retries are configuration shared by every call; the
 * inner wrapper is the layer specific to this operation and the one a
 * maintainer removes (NeMo-Agent-Toolkit: "only the outermost call
 * retries"). With no such layer, the first explicit client configuration,
 * else the call. One finding per primary location: several operations
 * under the same layer keep the chain with the most layers.
 *
 * Severity: note when fewer than two layers are explicit (the compounding
 * needs an SDK default); otherwise error when the explicit layers multiply
 * to 9 or more or one of them is unbounded/unknown, warning when they are
 * two small ones (2 x 2, 2 x 4).
 */
#include "detect.h"

#include <string.h>

#include "retry_chain.h"
#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../base/strmap.h"
#include "../base/banned.h"

struct cand {
	const struct file_facts *ff; /* the operation */
	size_t call;
	struct retry_chain chain;
	size_t primary;   /* index into chain.links, or (size_t)-1: the call itself */
	int explicit_n;   /* layers that are not only a default */
	long explicit_product;
	bool explicit_unknown;
	int others;       /* more operations under the same primary layer */
	size_t target;    /* its index in a->targets */
};

static const char *kind_word(const struct retry_link *l)
{
	if (l->role == RETRY_ROLE_TOPOLOGY)
		return "topology";
	switch (l->kind) {
	case RETRY_DECORATOR:
		return "decorator";
	case RETRY_LOOP:
		return "loop";
	case RETRY_CLIENT:
		return "client";
	case RETRY_REDELIVERY:
		return "redelivery";
	}
	return "layer";
}

static void add_attempts(struct strbuf *sb, int attempts)
{
	if (attempts < 0)
		strbuf_addstr(sb, "unbounded/unknown");
	else
		strbuf_addf(sb, "%d", attempts);
}

/* A path for display: the topology file relative to the scanned root when we can tell. */
static const char *show_path(const char *path)
{
	const char *p = path ? strstr(path, ".dist-architect/") : NULL;
	return p ? p : path ? path : "?";
}

/* "tenacity.retry on ComfyClient.queue_prompt (3)" */
static void describe(struct strbuf *sb, const struct retry_link *l)
{
	char fname[160];
	if (l->role == RETRY_ROLE_TOPOLOGY) {
		strbuf_addf(sb, "retries: %d on %s -> %s", l->rel->retries, l->rel->from, l->rel->to);
	} else {
		retry_chain_func_name(l->ff, l->func, fname, sizeof(fname));
		strbuf_addstr(sb, l->source);
		if (l->role == RETRY_ROLE_CLIENT && l->bound_to)
			strbuf_addf(sb, " on %s", l->bound_to);
		else if (l->kind == RETRY_DECORATOR && *fname)
			strbuf_addf(sb, " on %s", fname);
		else if (*fname)
			strbuf_addf(sb, " in %s", fname);
		if (l->is_default)
			strbuf_addstr(sb, " (SDK default)");
	}
	strbuf_addstr(sb, " (");
	add_attempts(sb, l->attempts);
	strbuf_addch(sb, ')');
}

static void evaluate(struct cand *k)
{
	const struct retry_chain *ch = &k->chain;
	k->primary = (size_t)-1;
	k->explicit_n = 0;
	k->explicit_product = 1;
	k->explicit_unknown = false;
	for (size_t i = 0; i < ch->links.len; i++) {
		const struct retry_link *l = &ch->links.items[i];
		if (l->is_default)
			continue;
		k->explicit_n++;
		if (l->attempts < 0)
			k->explicit_unknown = true;
		else if (k->explicit_product < 1000000)
			k->explicit_product *= l->attempts;
		if (l->role == RETRY_ROLE_CODE && k->primary == (size_t)-1)
			k->primary = i;
	}
	for (size_t i = 0; i < ch->links.len && k->primary == (size_t)-1; i++) {
		const struct retry_link *l = &ch->links.items[i];
		if (l->role == RETRY_ROLE_CLIENT && !l->is_default)
			k->primary = i;
	}
}

/* Is candidate `x` a stronger chain than `y`? */
static bool stronger(const struct cand *x, const struct cand *y)
{
	if (x->chain.links.len != y->chain.links.len)
		return x->chain.links.len > y->chain.links.len;
	if (x->chain.unknown != y->chain.unknown)
		return x->chain.unknown > y->chain.unknown;
	return x->chain.product > y->chain.product;
}

static void emit(struct analysis *a, const struct cand *k)
{
	const struct retry_chain *ch = &k->chain;
	const struct fact_call *op = &k->ff->calls.items[k->call];
	const struct retry_link *pl = k->primary != (size_t)-1 ? &ch->links.items[k->primary] : NULL;
	struct strbuf layers = STRBUF_INIT, prod = STRBUF_INIT, line = STRBUF_INIT;
	const struct file_facts *pff = pl && pl->ff ? pl->ff : k->ff;
	struct span at = pl && pl->ff ? pl->retry->span : op->span;
	char fname[160];
	enum severity sev;
	struct finding *f;

	if (k->explicit_n < 2)
		sev = SEV_NOTE;
	else if (k->explicit_unknown || k->explicit_product >= 9)
		sev = SEV_ERROR;
	else
		sev = SEV_WARNING;

	/* outermost first, the way the attempts nest */
	for (size_t i = ch->links.len; i-- > 0;) {
		const struct retry_link *l = &ch->links.items[i];
		if (layers.len)
			strbuf_addstr(&layers, i == 0 ? " and " : ", ");
		describe(&layers, l);
		if (prod.len)
			strbuf_addstr(&prod, " x ");
		add_attempts(&prod, l->attempts);
	}
	if (ch->unknown)
		strbuf_addstr(&prod, " = unbounded/unknown attempts");
	else
		strbuf_addf(&prod, " = up to %ld attempts", ch->product);
	retry_chain_func_name(k->ff, op->func, fname, sizeof(fname));

	if (ch->unknown)
		strbuf_addstr(&line, "unbounded/unknown attempts");
	else
		strbuf_addf(&line, "up to %ld attempts", ch->product);
	f = finding_add(a, "AP-5", sev, pff, &at, "%zu retry layers wrap %s%s%s: %s multiply to %s",
			ch->links.len, op->callee ? op->callee : "the call", *fname ? " in " : "", fname,
			layers.buf, line.buf);

	for (size_t i = ch->links.len; i-- > 0;) {
		const struct retry_link *l = &ch->links.items[i];
		strbuf_reset(&line);
		strbuf_addf(&line, "%s:%u: %s ", show_path(l->path), l->line, kind_word(l));
		describe(&line, l);
		if (l->via_line)
			strbuf_addf(&line, ", around the call at %s:%u", l->ff->path, l->via_line);
		finding_evidence(f, "%s", line.buf);
		if (l != pl) {
			strbuf_reset(&line);
			strbuf_addf(&line, "%s retry layer: ", kind_word(l));
			describe(&line, l);
			finding_related(f, show_path(l->path), l->line, "%s", line.buf);
		}
	}
	finding_evidence(f, "%s:%u: the operation %s%s%s%s", k->ff->path, op->span.line,
			 op->callee ? op->callee : "call", op->op ? " (" : "", op->op ? op->op : "",
			 op->op ? ")" : "");
	finding_evidence(f, "%s when every attempt fails", prod.buf);
	if (k->others)
		finding_evidence(f, "the same layers wrap %d other call%s", k->others,
				 k->others == 1 ? "" : "s");
	if (k->explicit_n < 2)
		finding_evidence(f, "one layer is only an SDK default: set its retries explicitly "
				    "(often to 0) where another layer already retries");
	finding_related(f, k->ff->path, op->span.line, "the operation: %s",
			op->callee ? op->callee : "call");
	strbuf_release(&layers);
	strbuf_release(&prod);
	strbuf_release(&line);
}

void ap5_detect(struct analysis *a)
{
	VEC(struct cand) cands = VEC_INIT;
	struct strmap by_primary = STRMAP_INIT; /* "path:line" -> index + 1 into cands */
	struct retry_chain ch;

	retry_chain_init(&ch);
	for (size_t t = 0; t < a->ntargets; t++) {
		const struct file_facts *ff = a->targets[t];
		analysis_at(a, t);
		struct retry_clients rc;
		retry_clients_init(&rc, ff);
		for (size_t ci = 0; ci < ff->calls.len; ci++) {
			struct cand k = { 0 };
			struct strbuf key = STRBUF_INIT;
			const struct retry_link *pl;
			size_t slot;

			if (!retry_chain_operation_in(&rc, ci))
				continue;
			if (retry_chain_for_call_in(a, &rc, ci, &ch) < 2)
				continue;
			k.ff = ff;
			k.target = t;
			k.call = ci;
			k.chain = ch;
			evaluate(&k);
			pl = k.primary != (size_t)-1 ? &k.chain.links.items[k.primary] : NULL;
			if (pl && pl->ff)
				strbuf_addf(&key, "%s:%u", pl->ff->path, pl->line);
			else
				strbuf_addf(&key, "%s:%u", ff->path, ff->calls.items[ci].span.line);
			/* merged across targets: the record says which share it (facts/deps.h) */
			dep_note_primary(a->ix->rec, key.buf);
			slot = (size_t)(uintptr_t)strmap_get(&by_primary, key.buf);
			if (!slot) {
				VEC_APPEND(&cands, k);
				strmap_put(&by_primary, key.buf, (void *)(uintptr_t)cands.len);
				retry_chain_init(&ch); /* the candidate owns the links now */
			} else {
				struct cand *old = &cands.items[slot - 1];
				int others = old->others + 1;
				if (stronger(&k, old)) {
					retry_chain_release(&old->chain);
					*old = k;
					retry_chain_init(&ch);
				}
				old->others = others;
			}
			strbuf_release(&key);
		}
		retry_clients_release(&rc);
	}
	for (size_t i = 0; i < cands.len; i++) {
		analysis_at(a, cands.items[i].target);
		emit(a, &cands.items[i]);
		retry_chain_release(&cands.items[i].chain);
	}
	retry_chain_release(&ch);
	strmap_release(&by_primary);
	VEC_FREE(&cands);
}
