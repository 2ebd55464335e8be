/*
 * AP-1 tight retry loop: after an infrastructure failure, an instance's
 * state is set back to "ready" with no recovery check, and a dispatcher
 * that selects on that value sends work to the same broken instance again.
 *
 * The rule, on facts only:
 *  1. a state write of a ready value (observers.h: IDLE, available, a
 *     `busy = False`, ...) with a literal value;
 *  2. made after a failure: in an except clause whose caught types the
 *     models class as infrastructure, or in a failure-report handler (a
 *     function named for a failure: on_job_failed, handle_error,
 *     _on_worker_lost, ...), or in a branch on a failure value
 *     (`if code == ErrorCode.UNREACHABLE:`);
 *  3. with no recovery check in that function before it: no health check
 *     (op health.check, a call named like is_healthy/ping/probe), no
 *     condition on a health field, and no write that keeps the same object
 *     out of selection (dead = True, status = DOWN);
 *  4. observed: a read elsewhere selects on the value (observers_find).
 *     Severity error when that observer's function or a caller dispatches
 *     (a remote send), warning when none is found; nothing observes it,
 *     no finding.
 * Evidence is the 3-tick trace: the write, the dispatcher's pick and send,
 * the same failure again.
 */
#include "detect.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "observers.h"
#include "factq.h"
#include "../base/banned.h"

/* A function that handles a failure report: on_job_failed, handle_error, worker_lost... */
static bool failure_function(const char *name)
{
	static const char *const fail[] = {
		"fail", "failed", "failure", "failures", "error", "errored", "errors", "err",
		"lost", "disconnect", "disconnected", "crash", "crashed", "died", "dead",
		"exit", "exited", "terminated", "unreachable", "timeout", "abort", "aborted",
	};
	static const char *const not_fail[] = {
		"success", "succeeded", "recover", "recovered", "health", "healthy",
		"ok", "complete", "completed", "retry", "count", "rate", "is", "has",
	};
	char tok[12][IDENT_TOKEN_LEN];
	size_t n = ident_tokens(name, tok, 12);
	bool hit = false;
	for (size_t i = 0; i < n; i++) {
		if (ident_word_in(tok[i], not_fail, sizeof(not_fail) / sizeof(*not_fail)))
			return false;
		hit = hit || ident_word_in(tok[i], fail, sizeof(fail) / sizeof(*fail));
	}
	return hit;
}

static bool health_field(const char *field)
{
	static const char *const words[] = { "health", "healthy", "alive", "reachable", "heartbeat" };
	return ident_has_word(field, words, sizeof(words) / sizeof(*words));
}

/* The object part of a target: "worker" of "worker.status", "self.slots[i]" of "self.slots[i].busy". */
static size_t target_base(const char *t)
{
	const char *dot = strrchr(t, '.'), *br = strrchr(t, '[');
	const char *cut = dot > br ? dot : br;
	return cut ? (size_t)(cut - t) : 0;
}

static bool same_base(const char *a, const char *b)
{
	size_t na = target_base(a), nb = target_base(b);
	return na && na == nb && !strncmp(a, b, na);
}

struct failure_ctx {
	enum { CTX_HANDLER, CTX_REPORT, CTX_BRANCH } kind;
	const struct fact_handler *h;
	const struct fact_read *branch;
	char what[160];
};

static void handler_types(const struct fact_handler *h, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < h->types.len && used + 1 < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "", h->types.items[i]);
	if (!h->types.len && h->kind == HANDLER_ERRCHECK)
		snprintf(buf, n, "error-check"); /* Go `if err != nil`: classed by the guarded call */
}

static bool failure_context(const struct file_facts *ff, const struct fact_write *w,
			    struct failure_ctx *fc)
{
	if (w->handler >= 0) {
		const struct fact_handler *h = &ff->handlers.items[w->handler];
		if (h->kind != HANDLER_FINALLY && h->cls == FAIL_INFRASTRUCTURE) {
			char types[120];
			handler_types(h, types, sizeof(types));
			fc->kind = CTX_HANDLER;
			fc->h = h;
			snprintf(fc->what, sizeof(fc->what), "the %s handler", types);
			return true;
		}
		/* Any other handler: not this rule's failure (logic, observation, unknown). */
		if (h->kind != HANDLER_FINALLY)
			return false;
	}
	if (w->func < 0)
		return false;
	const struct fact_function *fn = &ff->functions.items[w->func];
	/* A branch on a failure value holding the write. */
	for (size_t i = 0; i < ff->reads.len; i++) {
		const struct fact_read *r = &ff->reads.items[i];
		if (r->func != w->func || r->negated || r->truthiness ||
		    r->body.line > w->span.line || r->body.end_line < w->span.line ||
		    r->span.line == w->span.line)
			continue;
		for (size_t v = 0; v < r->values.len; v++) {
			char k[128];
			value_key(r->values.items[v], k, sizeof(k));
			if (state_word_failure(k)) {
				fc->kind = CTX_BRANCH;
				fc->branch = r;
				snprintf(fc->what, sizeof(fc->what), "the branch on %s == %s (line %u)",
					 r->target, r->values.items[v], r->span.line);
				return true;
			}
		}
	}
	if (failure_function(fn->name)) {
		fc->kind = CTX_REPORT;
		snprintf(fc->what, sizeof(fc->what), "the failure handler %s%s%s", fn->cls ? fn->cls : "",
			 fn->cls ? "." : "", fn->name);
		return true;
	}
	return false;
}

/* A recovery check before the write, or a write that keeps the object out of selection. */
static bool recovery_check(const struct file_facts *ff, const struct fact_write *w)
{
	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (c->func == w->func && c->span.line <= w->span.line && call_checks_health(c))
			return true;
	}
	for (size_t i = 0; i < ff->reads.len; i++) {
		const struct fact_read *r = &ff->reads.items[i];
		if (r->func == w->func && r->span.line <= w->span.line && health_field(r->field))
			return true;
	}
	for (size_t i = 0; i < ff->writes.len; i++) {
		const struct fact_write *o = &ff->writes.items[i];
		/* in the same except clause (a `busy = True` before the guarded call does not count) */
		if (o == w || o->func != w->func || !o->value || o->handler != w->handler)
			continue;
		if (state_value_hold(o->field, o->value) &&
		    (same_base(o->target, w->target) || (o->kind == w->kind && o->call >= 0 && o->call == w->call)))
			return true;
	}
	return false;
}

/* Where a failure is reported from (for tick 1's evidence). */
struct source {
	const char *path;
	uint32_t line;
	bool strong; /* a connection-level failure: it names the broken instance best */
	char what[200];
};

/* A report call made in an infrastructure handler: remember it, the strongest first. */
static void consider(const struct file_facts *sff, const struct fact_call *site, struct source *src)
{
	if (site->handler < 0 || sff->handlers.items[site->handler].cls != FAIL_INFRASTRUCTURE)
		return;
	const struct fact_handler *h = &sff->handlers.items[site->handler];
	char types[120], key[128] = "";
	const char *code = NULL;
	handler_types(h, types, sizeof(types));
	for (size_t k = 0; k < site->nargs && !code; k++) {
		const char *v = site->args[k].value;
		value_key(v, key, sizeof(key));
		if (v && !site->args[k].is_string && strchr(v, '.') && state_word_failure(key))
			code = v;
	}
	bool strong = code && (strstr(key, "unreachable") || strstr(key, "connect") ||
			       strstr(key, "refused") || strstr(key, "unavailable"));
	if (src->path && (src->strong || !strong))
		return;
	src->path = sff->path;
	src->line = h->span.line;
	src->strong = strong;
	if (code)
		snprintf(src->what, sizeof(src->what), "%s from the %s handler", code, types);
	else
		snprintf(src->what, sizeof(src->what), "a failure from the %s handler", types);
}

/*
 * For a failure-report handler (`_on_job_failed`, `onJobFailed`), where the
 * failure comes from: calls of a function named for the report kind
 * (`job_failed`, `jobFailed`) made in an infrastructure handler, or in a
 * helper called from one. A handler named for the report itself (an HTTP
 * endpoint `jobFailed` and the sender's client method `jobFailed`) is
 * matched by its own name.
 */
static bool report_source(const struct analysis *a, const char *fname, struct source *src)
{
	char camel[IDENT_TOKEN_LEN * 4];
	const char *kind = fname;
	while (*kind == '_')
		kind++;
	if (!strncmp(kind, "on_", 3))
		kind += 3;
	else if (!strncmp(kind, "handle_", 7))
		kind += 7;
	else if ((!strncmp(kind, "on", 2) && isupper((unsigned char)kind[2])) ||
		 (!strncmp(kind, "handle", 6) && isupper((unsigned char)kind[6]))) {
		/* onJobFailed, handleJobFailed -> jobFailed */
		kind += kind[1] == 'n' ? 2 : 6;
		snprintf(camel, sizeof(camel), "%s", kind);
		camel[0] = (char)tolower((unsigned char)camel[0]);
		kind = camel;
	}
	if (!*kind)
		return false;
	const fact_refs *callers = index_callers(a->ix, kind);
	for (size_t i = 0; callers && i < callers->len && i < 32; i++) {
		const struct file_facts *cff = callers->items[i].ff;
		const struct fact_call *c = &cff->calls.items[callers->items[i].idx];
		consider(cff, c, src);
		if (c->handler >= 0 || c->func < 0)
			continue;
		const fact_refs *up = index_callers(a->ix, cff->functions.items[c->func].name);
		for (size_t j = 0; up && j < up->len && j < 32; j++)
			consider(up->items[j].ff, &up->items[j].ff->calls.items[up->items[j].idx], src);
	}
	return src->path != NULL;
}

static void ap1_write(struct analysis *a, const struct file_facts *ff, const struct fact_write *w)
{
	struct failure_ctx fc = { 0 };
	if (!w->value || w->kind == WRITE_RETURN || !w->field)
		return;
	if (state_value_hold(w->field, w->value))
		return;
	/*
	 * Only ready values: "any value a dispatcher selects" also catches a
	 * job put back for its retry (distributed's `ts.state = "released"`),
	 * which is a job's lifecycle, not an instance offered again.
	 */
	bool ready = state_value_ready(w->field, w->value, false);
	if (!ready)
		return;
	if (!failure_context(ff, w, &fc) || recovery_check(ff, w))
		return;

	const struct observer_list *obs = observers_of(a->obs_memo, w->field, w->value);
	const struct observer *best = NULL;
	for (size_t i = 0; i < obs->len; i++) {
		const struct observer *o = &obs->items[i];
		if (o->match != OBS_MATCH_VALUE || !o->selects || (o->ff == ff && o->func == w->func))
			continue;
		if (!best || (o->dispatches && !best->dispatches))
			best = o;
	}
	if (!best || (!ready && !best->dispatches))
		return;
	const struct fact_read *r = &best->ff->reads.items[best->read];
	char rfunc[160], wfunc[160];
	observers_func_name(best->ff, best->func, rfunc, sizeof(rfunc));
	observers_func_name(ff, w->func, wfunc, sizeof(wfunc));
	const char *shown = r->values.len ? r->values.items[0] : w->value;

	char sel[300];
	if (r->truthiness)
		snprintf(sel, sizeof(sel), "%s%s", strcmp(shown, "False") ? "" : "not ", r->target);
	else
		snprintf(sel, sizeof(sel), "%s == %s", r->target, shown);
	struct finding *f = finding_add(a, "AP-1", best->dispatches ? SEV_ERROR : SEV_WARNING, ff,
					&w->span,
					"%s = %s in %s offers the instance again with no recovery check; %s selects %s%s",
					w->target, w->value, fc.what, rfunc, sel,
					best->dispatches ? " and sends it work" : "");

	/* tick 1: the write after the failure. */
	struct source src = { 0 };
	if (fc.kind == CTX_REPORT && w->func >= 0)
		report_source(a, ff->functions.items[w->func].name, &src);
	const char *src_path = src.path, *src_what = src.what;
	uint32_t src_line = src.line;
	if (fc.kind == CTX_HANDLER)
		finding_evidence(f, "tick 1: %s:%u writes %s in %s, after an infrastructure failure",
				 ff->path, w->span.line, w->value, fc.what);
	else if (src_path)
		finding_evidence(f, "tick 1: %s:%u writes %s in %s, after %s (%s:%u)", ff->path,
				 w->span.line, w->value, wfunc, src_what, src_path, src_line);
	else
		finding_evidence(f, "tick 1: %s:%u writes %s in %s", ff->path, w->span.line, w->value,
				 fc.what);
	if (src_path)
		finding_related(f, src_path, src_line, "the failure is reported here: %s", src_what);
	if (fc.kind == CTX_BRANCH)
		finding_related(f, ff->path, fc.branch->span.line, "the failure branch");

	/* tick 2: the observer picks it and sends. */
	finding_related(f, best->path, best->line, "%s selects %s", rfunc, r->target);
	if (best->dispatches) {
		char hops[900];
		size_t used = 0;
		hops[0] = '\0';
		for (size_t i = 0; i < best->nhops && used + 1 < sizeof(hops); i++) {
			const struct obs_step *st = &best->hops[i];
			const struct fact_call *c = &st->ff->calls.items[st->call];
			used += (size_t)snprintf(hops + used, sizeof(hops) - used, "%s%s (%s:%u%s%s)",
						 i ? " -> " : "", c->callee, st->ff->path, c->span.line,
						 st->op ? ", " : "", st->op ? st->op : "");
		}
		char head[160];
		observers_func_name(best->hops[0].ff, best->hops[0].func, head, sizeof(head));
		const struct obs_step *last = &best->hops[best->nhops - 1];
		const struct fact_call *send = &last->ff->calls.items[last->call];
		finding_related(f, last->ff->path, send->span.line, "the work is sent: %s (%s%s)",
				send->callee, last->op, last->by_receiver ? ", by the model's receiver" : "");
		finding_evidence(f, "tick 2: %s:%u %s selects %s and sends work: %s: %s", best->path,
				 best->line, rfunc, w->value, head, hops);
	} else {
		finding_evidence(f, "tick 2: %s:%u %s selects %s; no send was found from it (inferred)",
				 best->path, best->line, rfunc, w->value);
	}
	finding_evidence(f, "tick 3: the same instance gets the work, meets the same failure, and is set %s again: a loop until the retries are spent",
			 w->value);
	finding_fix(f, "keep it out of selection (a busy/down/dead state) until a health check passes");
}

void ap1_detect(struct analysis *a)
{
	for (size_t t = 0; t < a->ntargets; t++) {
		const struct file_facts *ff = a->targets[t];
		analysis_at(a, t);
		for (size_t i = 0; i < ff->writes.len; i++)
			ap1_write(a, ff, &ff->writes.items[i]);
	}
}
