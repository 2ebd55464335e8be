#include "boundary.h"

#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

const char *signal_name(enum signal s)
{
	switch (s) {
	case SIG_STATE_MUTATION: return "state-mutation";
	case SIG_DATA_LIFECYCLE: return "data-lifecycle";
	case SIG_FAILURE_MODE: return "failure-mode";
	case SIG_INTERACTION: return "interaction";
	case SIG__COUNT: break;
	}
	return "?";
}

void boundary_unit_release(struct boundary_unit *u)
{
	for (size_t i = 0; i < u->hits.len; i++)
		xfree(u->hits.items[i].reason);
	VEC_FREE(&u->hits);
	xfree(u->label);
	u->label = NULL;
}

static int has_prefix(const char *s, const char *p)
{
	return s && !strncmp(s, p, strlen(p));
}

/*
 * The operation families, by what they mean at a boundary. Kept here, not
 * in the models, because which operations matter to which signal is
 * distributed-systems reasoning; the models only say what a call is.
 */
int op_is_remote(const char *op)
{
	static const char *const families[] = { "queue.", "stream.", "http.request", "rpc.",
						"storage.", "db.", "kv.", "health.check" };
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (has_prefix(op, families[i]))
			return 1;
	return 0;
}

static const char *lifecycle_verb(const char *op)
{
	static const struct { const char *op, *verb; } verbs[] = {
		{ "queue.consume", "consumes a message" },
		{ "queue.ack", "acknowledges a message" },
		{ "queue.nack", "negatively acknowledges a message" },
		{ "queue.reject", "rejects a message" },
		{ "queue.requeue", "requeues a message" },
		{ "queue.commit", "commits consumed offsets" },
		{ "queue.delete", "deletes a message" },
		{ "queue.redeliver", "claims or redelivers pending messages" },
		{ "queue.publish", "publishes a message" },
		{ "storage.write", "writes to storage" },
		{ "storage.delete", "deletes from storage" },
		{ "storage.read", "reads from storage" },
		{ "kv.write", "writes a shared key" },
		{ "kv.delete", "deletes a shared key" },
		{ "serialize", "serializes data for transport" },
		{ "deserialize", "deserializes data from transport" },
	};
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (op && !strcmp(op, verbs[i].op))
			return verbs[i].verb;
	return NULL;
}

static const char *interaction_verb(const char *op)
{
	static const struct { const char *op, *verb; } verbs[] = {
		{ "http.request", "calls another component over HTTP" },
		{ "rpc.call", "makes a remote procedure call" },
		{ "queue.publish", "publishes a message" },
		{ "stream.send", "sends on a stream" },
		{ "stream.connect", "opens a stream to another component" },
		{ "stream.recv", "receives from a stream" },
		{ "http.route", "exposes an HTTP endpoint" },
	};
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (op && !strcmp(op, verbs[i].op))
			return verbs[i].verb;
	return NULL;
}

static int in_unit(const struct boundary_unit *u, const struct span *s)
{
	return s->line <= u->last && (s->end_line ? s->end_line : s->line) >= u->first;
}

static void hit(struct boundary_unit *u, enum signal sig, const struct span *at, struct strbuf *why)
{
	struct signal_hit *h = VEC_PUSH(&u->hits);
	h->sig = sig;
	h->at = *at;
	h->reason = strbuf_detach(why, NULL);
}

static void describe_handler(struct strbuf *sb, const struct fact_handler *h)
{
	if (h->kind == HANDLER_FINALLY) {
		strbuf_addstr(sb, "a finally block");
		return;
	}
	if (!h->types.len) {
		strbuf_addstr(sb, "a catch-all handler");
		return;
	}
	strbuf_addstr(sb, "a handler for ");
	for (size_t i = 0; i < h->types.len && i < 3; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", h->types.items[i]);
	if (h->types.len > 3)
		strbuf_addf(sb, " and %zu more", h->types.len - 3);
	if (h->cls != FAIL_UNKNOWN)
		strbuf_addf(sb, " (%s failure)", failure_class_name(h->cls));
}

/*
 * The first remote call each handler guards, or -1: one pass over the
 * calls for all handlers (a Go file has an `if err != nil` per call).
 * The caller frees the array.
 */
static int *guarded_remote_calls(const struct file_facts *ff)
{
	int *first = xcalloc(ff->handlers.len + 1, sizeof(*first));
	for (size_t h = 0; h < ff->handlers.len; h++)
		first[h] = -1;
	for (size_t i = 0; i < ff->calls.len; i++) {
		int g = ff->calls.items[i].guard;
		if (g >= 0 && (size_t)g < ff->handlers.len && first[g] < 0 &&
		    op_is_remote(ff->calls.items[i].op))
			first[g] = (int)i;
	}
	return first;
}

static void detect_writes(const struct file_facts *ff, struct boundary_unit *u)
{
	for (size_t i = 0; i < ff->writes.len; i++) {
		const struct fact_write *w = &ff->writes.items[i];
		if (!in_unit(u, &w->span))
			continue;
		/* Initial state, set before any other actor can see the object. */
		if (w->func >= 0 && ff->functions.items[w->func].is_constructor)
			continue;
		/*
		 * A dict handed to a call is a message only when the call takes it
		 * across a boundary (send, publish, a request body, serialization
		 * for transport); a dict passed to a local helper is not.
		 */
		const struct fact_call *carrier = w->call >= 0 ? &ff->calls.items[w->call] : NULL;
		bool sent = carrier && (op_is_remote(carrier->op) || (carrier->op &&
			    !strcmp(carrier->op, "serialize")));
		if (w->kind == WRITE_MESSAGE && !sent)
			continue;
		struct strbuf sb = STRBUF_INIT;
		switch (w->kind) {
		case WRITE_MESSAGE:
			strbuf_addf(&sb, "sends %s = %s in a message", w->field,
				    w->value ? w->value : w->value_text ? w->value_text : "?");
			break;
		case WRITE_RETURN:
			strbuf_addf(&sb, "returns %s = %s%s", w->field,
				    w->value ? w->value : w->value_text ? w->value_text : "?",
				    w->crosses ? " across the API" : " to its caller");
			break;
		case WRITE_SQL:
			strbuf_addf(&sb, "sets %s%s%s in a SQL statement", w->field,
				    w->value ? " = " : "", w->value ? w->value : "");
			break;
		default:
			strbuf_addf(&sb, "writes %s = %s", w->target,
				    w->value ? w->value : w->value_text ? w->value_text : "?");
		}
		if (w->handler >= 0) {
			strbuf_addstr(&sb, " inside ");
			describe_handler(&sb, &ff->handlers.items[w->handler]);
		}
		hit(u, SIG_STATE_MUTATION, &w->span, &sb);
		if (w->kind == WRITE_MESSAGE) {
			strbuf_addf(&sb, "a message of %s %s crosses to another component", w->field,
				    w->value ? w->value : "?");
			hit(u, SIG_INTERACTION, &w->span, &sb);
		}
	}
}

static void detect_calls(const struct file_facts *ff, struct boundary_unit *u)
{
	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (!c->op || !in_unit(u, &c->span))
			continue;
		const char *lv = lifecycle_verb(c->op);
		const char *iv = interaction_verb(c->op);
		struct strbuf sb = STRBUF_INIT;
		if (lv) {
			strbuf_addf(&sb, "%s: %s (%s, %s)", lv, c->callee, c->op, c->model);
			hit(u, SIG_DATA_LIFECYCLE, &c->span, &sb);
		}
		/* A publish is both; report it once, as data-lifecycle. */
		if (iv && !lv) {
			strbuf_addf(&sb, "%s: %s (%s, %s)", iv, c->callee, c->op, c->model);
			hit(u, SIG_INTERACTION, &c->span, &sb);
		}
	}
}

static void detect_failure(const struct file_facts *ff, struct boundary_unit *u)
{
	int *guarded = ff->handlers.len ? guarded_remote_calls(ff) : NULL;
	for (size_t i = 0; i < ff->handlers.len; i++) {
		const struct fact_handler *h = &ff->handlers.items[i];
		if (!in_unit(u, &h->span))
			continue;
		int rc = guarded[i];
		if (rc < 0 && h->cls != FAIL_INFRASTRUCTURE && h->cls != FAIL_OBSERVATION)
			continue;
		struct strbuf sb = STRBUF_INIT;
		describe_handler(&sb, h);
		if (rc >= 0) {
			const struct fact_call *c = &ff->calls.items[rc];
			strbuf_addf(&sb, " around %s (%s) at line %u", c->callee, c->op, c->span.line);
		}
		/* Capitalise nothing; the reason reads after the signal name. */
		hit(u, SIG_FAILURE_MODE, &h->span, &sb);
	}
	xfree(guarded);
	for (size_t i = 0; i < ff->retries.len; i++) {
		const struct fact_retry *r = &ff->retries.items[i];
		if (!in_unit(u, &r->span))
			continue;
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "a retry layer: %s", r->source);
		if (r->attempts > 0)
			strbuf_addf(&sb, ", %d attempts", r->attempts);
		else
			strbuf_addstr(&sb, ", attempts not literal");
		if (r->is_default)
			strbuf_addstr(&sb, " (library default)");
		hit(u, SIG_FAILURE_MODE, &r->span, &sb);
	}
	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (!in_unit(u, &c->span) || !op_is_remote(c->op))
			continue;
		for (size_t a = 0; a < c->nargs; a++)
			if (c->args[a].name && strstr(c->args[a].name, "timeout")) {
				struct strbuf sb = STRBUF_INIT;
				strbuf_addf(&sb, "a timeout on %s: %s=%s", c->callee, c->args[a].name,
					    c->args[a].value ? c->args[a].value : c->args[a].text);
				hit(u, SIG_FAILURE_MODE, &c->span, &sb);
				break;
			}
	}
}

static int cmp_hit(const void *a, const void *b)
{
	const struct signal_hit *x = a, *y = b;
	if (x->at.line != y->at.line)
		return x->at.line < y->at.line ? -1 : 1;
	if (x->at.col != y->at.col)
		return x->at.col < y->at.col ? -1 : 1;
	return (int)x->sig - (int)y->sig;
}

void boundary_detect(const struct file_facts *ff, struct boundary_unit *u)
{
	detect_writes(ff, u);
	detect_calls(ff, u);
	detect_failure(ff, u);
	if (u->hits.len > 1)
		qsort(u->hits.items, u->hits.len, sizeof(*u->hits.items), cmp_hit);
}

void boundary_detect_file(const struct file_facts *ff, struct boundary_unit *all)
{
	all->first = 0;
	all->last = UINT32_MAX;
	detect_writes(ff, all);
	detect_calls(ff, all);
	detect_failure(ff, all);
}

/*
 * A hit's span is the span of the fact that made it and its reason does
 * not depend on the unit, so the hits of `all` inside u, kept in detection
 * order and then sorted, are what boundary_detect() finds for u.
 */
void boundary_select(const struct boundary_unit *all, struct boundary_unit *u)
{
	for (size_t i = 0; i < all->hits.len; i++) {
		const struct signal_hit *h = &all->hits.items[i];
		if (!in_unit(u, &h->at))
			continue;
		struct signal_hit *c = VEC_PUSH(&u->hits);
		c->sig = h->sig;
		c->at = h->at;
		c->reason = xstrdup(h->reason);
	}
	if (u->hits.len > 1)
		qsort(u->hits.items, u->hits.len, sizeof(*u->hits.items), cmp_hit);
}
