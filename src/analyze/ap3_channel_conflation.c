/*
 * AP-3 channel conflation: losing a monitoring channel is read as the
 * outcome of the work it monitors.
 *
 * A channel here is a receive: a call the models tag `stream.recv`, an
 * `async for` over a stream the function opened or receives from, or a call
 * of a project function that does one of those (`watch_progress(prompt_id)`
 * wrapping a websocket). Sending to a peer is not monitoring: when a send to
 * a worker fails, the worker connection itself is what failed.
 *
 * Two shapes:
 *  - handler: an except clause around such a receive, whose caught failure is
 *    an observation (the models' class: websocket closed, disconnect), or an
 *    infrastructure failure around a direct receive, writes a terminal state
 *    (failed, aborted, ... or completed, succeeded, ...) or emits it (a
 *    message with such a type, a call named like fail/mark_failed/complete)
 *    before anything in the handler asks another channel (an HTTP request,
 *    RPC, database read, key read, through up to three calls).
 *  - end of stream: right after a loop over the stream ends (normally, or by
 *    an observation handler's `break`), the next thing the function does is
 *    such a terminal write or emit.
 *
 * Writes whose target is the peer itself (worker.status, conn.state) are not
 * the monitored work and are left alone.
 */
#include "detect.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../base/strmap.h"
#include "factq.h"
#include "../base/banned.h"

#define MAX_CANDIDATES 3 /* functions a method name may resolve to before we give up */
#define MAX_DEPTH 3      /* calls followed when looking for a verification */

enum outcome { OUT_NONE, OUT_FAIL, OUT_SUCCESS };

static const char *const fail_words[] = {
	"failed", "failure", "fail", "error", "errored", "aborted", "abort",
	"cancelled", "canceled", "crashed", "dead", "lost", NULL,
};
static const char *const success_words[] = {
	"completed", "complete", "succeeded", "success", "successful", "done",
	"finished", NULL,
};

/* Roots of write targets that name the peer connection, not the work. */
static const char *const peer_roots[] = {
	"worker", "peer", "node", "conn", "connection", "client", "ws", "websocket",
	"socket", "sock", "session", "channel", "consumer", "subscriber", "listener", NULL,
};

/* Names of the channel itself, in targets and helper names. */
static const char *const channel_words[] = {
	"conn", "socket", "stream", "channel", "transport", "link", "heartbeat", "ws_", NULL,
};

static bool word_listed(const char *w, size_t n, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && !strncasecmp(w, list[i], n))
			return true;
	return false;
}

/* The outcome a state value names: its key split at '_', '-', ' ', '.'. */
static enum outcome value_outcome(const char *value)
{
	char key[128];
	enum outcome out = OUT_NONE;

	value_key(value, key, sizeof(key));
	for (char *p = key; *p;) {
		size_t n = strcspn(p, "_- .");
		if (n && word_listed(p, n, fail_words))
			return OUT_FAIL;
		if (n && word_listed(p, n, success_words))
			out = OUT_SUCCESS;
		p += n;
		while (*p == '_' || *p == '-' || *p == ' ' || *p == '.')
			p++;
	}
	return out;
}

static bool has_ci(const char *s, const char *sub)
{
	size_t k = strlen(sub);
	for (; s && *s; s++)
		if (!strncasecmp(s, sub, k))
			return true;
	return false;
}

/* A helper whose name says it fails or completes the work. */
static enum outcome method_outcome(const struct fact_call *c)
{
	const char *m = c->method;

	if (!m || !strncmp(c->callee, "log", 3) || has_ci(c->callee, "logger") ||
	    has_ci(c->callee, "logging."))
		return OUT_NONE;
	/* observer.onCompleted(), listener.onFailure(t): passing an event on, not an outcome */
	if (m[0] == 'o' && m[1] == 'n' && isupper((unsigned char)m[2]))
		return OUT_NONE;
	/* _on_connection_failure, stream_failed: about the channel, not the work */
	for (size_t i = 0; channel_words[i]; i++)
		if (has_ci(m, channel_words[i]))
			return OUT_NONE;
	if ((has_ci(m, "fail") && !has_ci(m, "failover") && !has_ci(m, "failsafe")) ||
	    !strncasecmp(m, "abort", 5) || has_ci(m, "mark_dead") || has_ci(m, "mark_lost") ||
	    has_ci(m, "mark_error") || has_ci(m, "set_error") || has_ci(m, "report_error"))
		return OUT_FAIL;
	if (has_ci(m, "complete") || has_ci(m, "succeed") || has_ci(m, "success"))
		return OUT_SUCCESS;
	return OUT_NONE;
}

/* An argument that is a terminal state value: JobStatus.FAILED, or "failed"
 * passed to something that sets a status. */
static enum outcome arg_outcome(const struct fact_call *c, const char **which)
{
	bool setter = has_ci(c->method, "status") || has_ci(c->method, "state") ||
		      has_ci(c->method, "mark") || has_ci(c->method, "transition");

	for (size_t i = 0; i < c->nargs; i++) {
		const struct fact_arg *ar = &c->args[i];
		const char *dot;
		enum outcome o;

		if (!ar->value)
			continue;
		dot = strrchr(ar->value, '.');
		if (ar->is_string ? !setter :
		    !(dot && (has_ci(ar->value, "status") || has_ci(ar->value, "state"))))
			continue;
		o = value_outcome(ar->value);
		if (o != OUT_NONE) {
			*which = ar->value;
			return o;
		}
	}
	return OUT_NONE;
}

static bool peer_target(const char *target)
{
	size_t n;

	if (!target)
		return false;
	for (size_t i = 0; channel_words[i]; i++)
		if (has_ci(target, channel_words[i]))
			return true;
	if (!strncmp(target, "self.", 5))
		target += 5;
	n = strcspn(target, ".[");
	for (size_t i = 0; peer_roots[i]; i++) {
		size_t k = strlen(peer_roots[i]);
		/* worker, self.worker, worker_conn, self._ws */
		const char *t = target;
		size_t m = n;
		while (m && *t == '_') {
			t++;
			m--;
		}
		if (m >= k && !strncasecmp(t, peer_roots[i], k) &&
		    (m == k || t[k] == '_'))
			return true;
	}
	return false;
}

/* self.state in a class that is the connection (WsClient, PeerConnection) is the channel's. */
static bool self_is_channel(const struct file_facts *ff, int f, const char *target)
{
	static const char *const cls_words[] = { "client", "conn", "socket", "stream", "channel",
						 "subscriber", "listener", "transport", "protocol",
						 NULL };
	const char *cls = f >= 0 ? ff->functions.items[f].cls : NULL;

	if (!cls || !target || strncmp(target, "self.", 5))
		return false;
	for (size_t i = 0; cls_words[i]; i++)
		if (has_ci(cls, cls_words[i]))
			return true;
	return false;
}

/* --- calls by position (calls are in source order: a pre-order walk) --- */

static bool in_span(const struct span *outer, const struct span *s)
{
	if (s->line < outer->line || s->line > outer->end_line)
		return false;
	if (s->line == outer->line && s->col < outer->col)
		return false;
	if (s->line == outer->end_line && s->col >= outer->end_col && outer->end_col)
		return false;
	return true;
}

/* --- the per-file cache: receivers bound to a client (self._http = httpx.AsyncClient()) --- */

struct file_info {
	VEC(const char *) clients;
};

struct ctx3 {
	struct analysis *a;
	struct strmap info; /* path -> struct file_info * */
};

static struct file_info *file_info(struct ctx3 *x, const struct file_facts *ff)
{
	struct file_info *fi = strmap_get(&x->info, ff->path);
	if (fi)
		return fi;
	fi = xcalloc(1, sizeof(*fi));
	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (c->op && !strcmp(c->op, "client.new") && c->assigned_to)
			VEC_APPEND(&fi->clients, c->assigned_to);
	}
	strmap_put(&x->info, ff->path, fi);
	return fi;
}

static bool receiver_is_client(struct ctx3 *x, const struct file_facts *ff,
			       const struct fact_call *c)
{
	struct file_info *fi = file_info(x, ff);
	size_t cl = strlen(c->callee), ml = c->method ? strlen(c->method) : 0;

	if (!fi->clients.len || cl <= ml + 1 || c->callee[cl - ml - 1] != '.')
		return false;
	if (has_ci(c->method, "close"))
		return false;
	for (size_t i = 0; i < fi->clients.len; i++)
		if (strlen(fi->clients.items[i]) == cl - ml - 1 &&
		    !strncmp(fi->clients.items[i], c->callee, cl - ml - 1))
			return true;
	return false;
}

/* Does the call ask another channel for the authoritative state? */
static bool call_verifies(struct ctx3 *x, const struct file_facts *ff, const struct fact_call *c)
{
	const char *op = c->op;

	if (!op)
		return receiver_is_client(x, ff, c);
	if (!strcmp(op, "http.request") || !strcmp(op, "rpc.call") || !strcmp(op, "kv.read") ||
	    !strcmp(op, "storage.read") || !strcmp(op, "health.check"))
		return true;
	if (!strcmp(op, "db.execute")) {
		/* a read: SELECT ..., fetch*, get*; an UPDATE is the write itself */
		if (!strncasecmp(c->method, "fetch", 5) || !strncasecmp(c->method, "get", 3) ||
		    !strncasecmp(c->method, "find", 4) || !strncasecmp(c->method, "query", 5))
			return true;
		for (size_t i = 0; i < c->nargs; i++) {
			const char *v = c->args[i].value ? c->args[i].value : c->args[i].text;
			while (v && (isspace((unsigned char)*v) || *v == '"' || *v == '\''))
				v++;
			if (v && !strncasecmp(v, "select", 6))
				return true;
		}
	}
	return false;
}

static const fact_refs *resolve(struct ctx3 *x, const struct fact_call *c)
{
	const fact_refs *r;

	if (!c->method || c->op)
		return NULL;
	r = index_functions_upto(x->a->ix, c->method, MAX_CANDIDATES);
	return r;
}

static bool func_verifies(struct ctx3 *x, const struct file_facts *ff, int f, int depth);

/* A call that verifies, directly or through project functions. */
static bool call_reaches_verification(struct ctx3 *x, const struct file_facts *ff,
				      const struct fact_call *c, int depth)
{
	const fact_refs *r;

	if (call_verifies(x, ff, c))
		return true;
	if (depth <= 0 || method_outcome(c) != OUT_NONE || !(r = resolve(x, c)))
		return false;
	for (size_t i = 0; i < r->len; i++)
		if (func_verifies(x, r->items[i].ff, (int)r->items[i].idx, depth - 1))
			return true;
	return false;
}

static bool func_verifies(struct ctx3 *x, const struct file_facts *ff, int f, int depth)
{
	const struct fact_function *fn = &ff->functions.items[f];

	for (size_t i = facts_first_call_at(ff, fn->span.line);
	     i < ff->calls.len && ff->calls.items[i].span.line <= fn->span.end_line; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (c->func == f && call_reaches_verification(x, ff, c, depth))
			return true;
	}
	return false;
}

/* --- channels --- */

static bool op_is(const struct fact_call *c, const char *op)
{
	return c->op && !strcmp(c->op, op);
}

static const struct fact_call *call_at(const struct file_facts *ff, const struct span *s)
{
	for (size_t i = facts_first_call_at(ff, s->line);
	     i < ff->calls.len && ff->calls.items[i].span.line == s->line; i++)
		if (ff->calls.items[i].span.col == s->col)
			return &ff->calls.items[i];
	return NULL;
}

/* Does function f open or receive from a stream itself? */
static bool func_has_stream(const struct file_facts *ff, int f)
{
	const struct fact_function *fn = &ff->functions.items[f];
	for (size_t i = facts_first_call_at(ff, fn->span.line);
	     i < ff->calls.len && ff->calls.items[i].span.line <= fn->span.end_line; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (c->func == f && (op_is(c, "stream.recv") || op_is(c, "stream.connect")))
			return true;
	}
	return false;
}

/* An `async for` over something not a call, in a function with a stream. */
static bool loop_over_stream_name(const struct file_facts *ff, const struct fact_loop *l)
{
	return l->is_async && l->iter.line && l->func >= 0 && !call_at(ff, &l->iter) &&
	       func_has_stream(ff, l->func);
}

/* Does function f receive (stream.recv, or async for over its stream)? */
static bool func_receives(const struct file_facts *ff, int f)
{
	const struct fact_function *fn = &ff->functions.items[f];
	for (size_t i = facts_first_call_at(ff, fn->span.line);
	     i < ff->calls.len && ff->calls.items[i].span.line <= fn->span.end_line; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (c->func == f && op_is(c, "stream.recv"))
			return true;
	}
	for (size_t i = 0; i < ff->loops.len; i++)
		if (ff->loops.items[i].func == f && loop_over_stream_name(ff, &ff->loops.items[i]))
			return true;
	return false;
}

struct channel {
	const struct file_facts *ff; /* where the receive is */
	uint32_t line;
	const char *what;            /* "ws.recv()", "self.comfy.watch_progress()", "async for over ws" */
	bool direct;                 /* the receive is in the handler's own function */
};

/* Is the call a receive, directly or through a project function? */
static bool call_receives(struct ctx3 *x, const struct file_facts *ff, const struct fact_call *c,
			  struct channel *ch)
{
	const fact_refs *r;

	if (op_is(c, "stream.recv")) {
		*ch = (struct channel){ ff, c->span.line, c->callee, true };
		return true;
	}
	if (!(r = resolve(x, c)))
		return false;
	for (size_t i = 0; i < r->len; i++) {
		const struct file_facts *rf = r->items[i].ff;
		int f = (int)r->items[i].idx;
		if (func_receives(rf, f)) {
			*ch = (struct channel){ rf, rf->functions.items[f].name_span.line, c->callee,
						false };
			return true;
		}
	}
	return false;
}

/* The receive in a handler's guarded region, if any. */
static bool guarded_channel(struct ctx3 *x, const struct file_facts *ff,
			    const struct fact_handler *h, struct channel *ch)
{
	for (size_t i = facts_first_call_at(ff, h->guarded.line);
	     i < ff->calls.len && ff->calls.items[i].span.line <= h->guarded.end_line; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (!in_span(&h->guarded, &c->span) || !facts_func_within(ff, c->func, h->func))
			continue;
		if (c->func != h->func && !op_is(c, "stream.recv"))
			continue;
		if (call_receives(x, ff, c, ch))
			return true;
	}
	for (size_t i = 0; i < ff->loops.len; i++) {
		const struct fact_loop *l = &ff->loops.items[i];
		if (l->func == h->func && in_span(&h->guarded, &l->span) &&
		    loop_over_stream_name(ff, l)) {
			*ch = (struct channel){ ff, l->span.line, "async for over the stream", true };
			return true;
		}
	}
	return false;
}

/* --- terminal writes and emits --- */

struct terminal {
	uint32_t line;
	enum outcome out;
	bool direct;       /* a write or a sent message, not a helper's name */
	const char *what;  /* "job.status = 'failed'", "self._fail(...)" */
	const char *value;
	const char *target; /* the written target, or NULL */
	const struct fact_call *call; /* the helper, or NULL */
};

static const char *write_kind_word(enum write_kind k)
{
	switch (k) {
	case WRITE_MESSAGE: return "sends";
	case WRITE_RETURN: return "returns";
	case WRITE_SQL: return "writes (SQL)";
	default: return "writes";
	}
}

/*
 * The first terminal write or emit in lines [from, to] of function f
 * (with `col_max`: only statements at most that indented; 0 = any).
 * With `stop_on_call`: the first non-logging call that is not terminal ends
 * the search (the code did something else first).
 */
/* Is `line` in an except/finally body of f that begins after `after`? */
static bool in_later_handler(const struct file_facts *ff, int f, uint32_t line, uint32_t after)
{
	for (size_t i = 0; i < ff->handlers.len; i++) {
		const struct fact_handler *h = &ff->handlers.items[i];
		if (h->func == f && h->span.line > after && span_has_line(&h->span, line))
			return true;
	}
	return false;
}

static bool find_terminal(struct ctx3 *x, const struct file_facts *ff, int f, uint32_t from,
			  uint32_t to, uint32_t col_max, bool stop_on_call, struct terminal *t)
{
	const struct fact_write *bw = NULL;
	const struct fact_call *bc = NULL;
	enum outcome bco = OUT_NONE;
	const char *barg = NULL;
	uint32_t stop = to + 1;

	for (size_t i = 0; i < ff->writes.len; i++) {
		const struct fact_write *w = &ff->writes.items[i];
		if (w->span.line < from || w->span.line > to || !facts_func_within(ff, w->func, f) ||
		    !w->value || (col_max && w->span.col > col_max && w->kind != WRITE_MESSAGE &&
				  w->kind != WRITE_KWARG))
			continue;
		if (w->kind == WRITE_RETURN && !w->crosses)
			continue;
		if (stop_on_call && in_later_handler(ff, f, w->span.line, from - 1))
			continue;
		if (peer_target(w->target) || value_outcome(w->value) == OUT_NONE ||
		    self_is_channel(ff, w->func, w->target))
			continue;
		if (!bw || w->span.line < bw->span.line)
			bw = w;
	}
	for (size_t i = facts_first_call_at(ff, from);
	     i < ff->calls.len && ff->calls.items[i].span.line <= to; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		enum outcome o;
		const char *arg = NULL;
		if (!facts_func_within(ff, c->func, f))
			continue;
		if (stop_on_call && in_later_handler(ff, f, c->span.line, from - 1))
			continue;
		o = method_outcome(c);
		if (o == OUT_NONE)
			o = arg_outcome(c, &arg);
		if (o != OUT_NONE && !(col_max && c->span.col > col_max && c->carrier < 0)) {
			bc = c;
			bco = o;
			barg = arg;
			break;
		}
		if (stop_on_call && strncmp(c->callee, "log", 3) && strcmp(c->callee, "print") &&
		    !has_ci(c->callee, "logger") && !has_ci(c->callee, "logging.") &&
		    !has_ci(c->callee, "warn")) {
			stop = c->span.line;
			break;
		}
	}
	if (bw && bw->span.line >= stop)
		bw = NULL;
	if (bw && (!bc || bw->span.line <= bc->span.line)) {
		*t = (struct terminal){ bw->span.line, value_outcome(bw->value), true, bw->target,
					bw->value, bw->target, NULL };
		if (bw->kind == WRITE_MESSAGE || bw->kind == WRITE_KWARG) {
			const struct fact_call *carrier = bw->call >= 0 ? &ff->calls.items[bw->call] : NULL;
			if (carrier)
				t->call = carrier;
		}
		t->what = write_kind_word(bw->kind);
		return true;
	}
	if (bc) {
		/* send(build_failed(...)): the message goes out here; only its builder is named */
		const struct fact_call *outer = bc->carrier >= 0 ? &ff->calls.items[bc->carrier] : NULL;
		bool sent = outer && outer != bc && method_outcome(outer) == OUT_NONE;
		*t = (struct terminal){ bc->span.line, bco, sent || barg != NULL, "calls", barg, NULL,
					bc };
		return true;
	}
	return false;
}

/* Something in lines [from, before) of f (or called from there) asks another channel. */
static bool verified(struct ctx3 *x, const struct file_facts *ff, int f, uint32_t from,
		     uint32_t before, const struct fact_call *skip, const struct fact_call **how)
{
	for (size_t i = facts_first_call_at(ff, from);
	     i < ff->calls.len && ff->calls.items[i].span.line <= before; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (c == skip || !facts_func_within(ff, c->func, f))
			continue;
		if (c->span.line == before && skip && c->span.col >= skip->span.col)
			continue;
		if (call_reaches_verification(x, ff, c, MAX_DEPTH)) {
			*how = c;
			return true;
		}
	}
	return false;
}

static const char *func_label(const struct file_facts *ff, int f, char *buf, size_t n)
{
	const struct fact_function *fn;
	if (f < 0)
		return "module level";
	fn = &ff->functions.items[f];
	if (fn->cls)
		snprintf(buf, n, "%s.%s", fn->cls, fn->name);
	else
		snprintf(buf, n, "%s", fn->name);
	return buf;
}

static void report(struct ctx3 *x, const struct file_facts *ff, const struct span *at, int f,
		   const struct channel *ch, const struct terminal *t, const char *how_ended,
		   bool channel_inferred)
{
	char fl[160], td[300];
	const char *word = t->out == OUT_FAIL ? "failed" : "finished";
	enum severity sev = (t->direct && !channel_inferred) ? SEV_ERROR : SEV_WARNING;
	struct finding *fd;

	func_label(ff, f, fl, sizeof(fl));
	if (t->call && !t->value)
		snprintf(td, sizeof(td), "%s(...)", t->call->callee);
	else if (t->call && strcmp(t->what, "calls"))
		snprintf(td, sizeof(td), "%s `%s` = %s through %s(...)", t->what, t->target,
			 t->value, t->call->callee);
	else if (t->call)
		snprintf(td, sizeof(td), "%s(..., %s)", t->call->callee, t->value);
	else
		snprintf(td, sizeof(td), "%s = %s", t->target, t->value);
	fd = finding_add(x->a, "AP-3", sev, ff, at,
			 "%s in %s: %s (%s:%u) only observes the work, yet `%s` reports it %s "
			 "without asking its status over another channel",
			 how_ended, fl, ch->what, ch->ff->path, ch->line, td, word);
	finding_related(fd, ch->ff->path, ch->line, "the channel: %s receives here", ch->what);
	finding_related(fd, ff->path, t->line, "reports the work %s", word);
	finding_evidence(fd, "channel: %s:%u %s only observes the work (a receive)", ch->ff->path,
			 ch->line, ch->what);
	finding_evidence(fd, "trigger: %s:%u %s", ff->path, at->line, how_ended);
	finding_evidence(fd, "outcome: %s:%u %s%s", ff->path, t->line, td,
			 t->direct ? "" : " (a helper named for it)");
	finding_evidence(fd, "no verification: nothing between them makes an HTTP, RPC, database "
			 "or key read of the work's status");
}

static void check_handlers(struct ctx3 *x, const struct file_facts *ff)
{
	for (size_t hi = 0; hi < ff->handlers.len; hi++) {
		const struct fact_handler *h = &ff->handlers.items[hi];
		struct channel ch;
		struct terminal t;
		const struct fact_call *how = NULL;
		char label[200];

		if ((h->kind != HANDLER_EXCEPT && h->kind != HANDLER_ERRCHECK) || h->func < 0)
			continue; /* ERRCHECK: Go's `if err != nil`, classed by the guarded call */
		if (h->cls != FAIL_OBSERVATION && h->cls != FAIL_INFRASTRUCTURE)
			continue;
		if (!guarded_channel(x, ff, h, &ch))
			continue;
		if (h->cls == FAIL_INFRASTRUCTURE && !ch.direct)
			continue;
		if (!find_terminal(x, ff, h->func, h->span.line, h->span.end_line, 0, false, &t))
			continue;
		if (verified(x, ff, h->func, h->span.line, t.line, t.call, &how))
			continue;
		if (h->kind == HANDLER_ERRCHECK && !h->types.len)
			snprintf(label, sizeof(label), "the error check");
		else
			snprintf(label, sizeof(label), "except %s",
				 h->types.len ? h->types.items[0] : "");
		report(x, ff, &h->span, h->func, &ch, &t, label, h->cls != FAIL_OBSERVATION);
	}
}

/* The end of a loop over a stream, then at once a terminal outcome. */
static void check_loops(struct ctx3 *x, const struct file_facts *ff)
{
	for (size_t li = 0; li < ff->loops.len; li++) {
		const struct fact_loop *l = &ff->loops.items[li];
		const struct fact_function *fn;
		struct channel ch;
		struct terminal t;
		const struct fact_call *ic;
		bool found = false;

		if (l->func < 0)
			continue;
		if (l->iter.line) {
			ic = call_at(ff, &l->iter);
			if (ic && (ic->in_return || !call_receives(x, ff, ic, &ch)))
				ic = NULL;
			if (ic)
				found = true;
			else if (loop_over_stream_name(ff, l)) {
				ch = (struct channel){ ff, l->span.line, "async for over the stream", true };
				found = true;
			}
		}
		if (!found) {
			/* while True: recv() ... except ConnectionClosed: break */
			for (size_t hi = 0; hi < ff->handlers.len && !found; hi++) {
				const struct fact_handler *h = &ff->handlers.items[hi];
				if (h->loop == (int)li && h->breaks && h->cls == FAIL_OBSERVATION &&
				    guarded_channel(x, ff, h, &ch))
					found = true;
			}
		}
		if (!found)
			continue;
		fn = &ff->functions.items[l->func];
		if (l->span.end_line >= fn->span.end_line)
			continue;
		if (!find_terminal(x, ff, l->func, l->span.end_line + 1, fn->span.end_line,
				   l->span.col, true, &t))
			continue;
		/* only what runs when the loop ends, not a handler's or a nested block's */
		{
			bool in_handler = false;
			for (size_t hi = 0; hi < ff->handlers.len; hi++) {
				const struct fact_handler *h = &ff->handlers.items[hi];
				if (h->func == l->func && span_has_line(&h->span, t.line) &&
				    h->span.line > l->span.end_line)
					in_handler = true;
			}
			if (in_handler)
				continue;
		}
		{
			struct span at = { t.line, 1, t.line, 1 };
			if (t.call)
				at = t.call->span;
			for (size_t i = 0; i < ff->writes.len; i++)
				if (ff->writes.items[i].span.line == t.line && !t.call)
					at = ff->writes.items[i].span;
			report(x, ff, &at, l->func, &ch, &t, "the loop over the stream ends",
			       !ch.direct);
		}
	}
}

/*
 * The stream an event handler listens on: a call the models tag
 * stream.connect or stream.recv whose value is bound to the handler's
 * subject (`const ws = new WebSocket(url)` for `ws.on('close', ...)`), in
 * the handler's function or one enclosing it; a member (`this.ws`) may be
 * bound anywhere in the file. A socket handed to us (a server's
 * `connection` callback) is the peer, not a channel we watch through.
 */
static const struct fact_call *subject_stream(const struct file_facts *ff,
					      const struct fact_handler *h)
{
	bool member = strchr(h->subject, '.') != NULL;

	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (!c->assigned_to || strcmp(c->assigned_to, h->subject) ||
		    !(op_is(c, "stream.connect") || op_is(c, "stream.recv")))
			continue;
		if (member || facts_func_within(ff, h->func, c->func))
			return c;
	}
	return NULL;
}

/*
 * Event callbacks: `ws.on('close', () => markFailed(job))`, `ws.onclose =`,
 * a listener method (`onFailure` of a WebSocketListener, `onCompleted` of a
 * StreamObserver) whose event the models class as the channel's ending.
 */
static void check_callbacks(struct ctx3 *x, const struct file_facts *ff)
{
	for (size_t hi = 0; hi < ff->handlers.len; hi++) {
		const struct fact_handler *h = &ff->handlers.items[hi];
		const struct fact_call *opened = NULL, *how = NULL;
		struct channel ch;
		struct terminal t;
		char label[200];

		if (h->kind != HANDLER_CALLBACK || !h->types.len || h->func < 0)
			continue;
		if (h->subject) {
			/* the event is the stream's own: whatever it is, it ends the channel */
			if (!(opened = subject_stream(ff, h)))
				continue;
			ch = (struct channel){ ff, opened->span.line, h->subject, true };
		} else {
			if (h->cls != FAIL_OBSERVATION && h->cls != FAIL_INFRASTRUCTURE)
				continue;
			ch = (struct channel){ ff, ff->functions.items[h->func].name_span.line,
					       h->types.items[0], true };
		}
		if (!find_terminal(x, ff, h->func, h->span.line, h->span.end_line, 0, false, &t))
			continue;
		if (verified(x, ff, h->func, h->span.line, t.line, t.call, &how))
			continue;
		snprintf(label, sizeof(label), "the '%s' event", h->types.items[0]);
		report(x, ff, &h->span, h->func, &ch, &t, label, h->cls != FAIL_OBSERVATION);
	}
}

void ap3_detect(struct analysis *a)
{
	struct ctx3 x = { a, STRMAP_INIT };

	for (size_t i = 0; i < a->ntargets; i++) {
		const struct file_facts *ff = a->targets[i];
		analysis_at(a, i);
		check_handlers(&x, ff);
		check_loops(&x, ff);
		check_callbacks(&x, ff);
	}
	for (size_t i = 0; i < x.info.len; i++) {
		struct file_info *fi = x.info.entries[i].value;
		VEC_FREE(&fi->clients);
		xfree(fi);
	}
	strmap_release(&x.info);
}
