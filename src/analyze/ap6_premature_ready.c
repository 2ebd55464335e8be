/*
 * AP-6 premature state transition: ready (idle, available, SERVING,
 * registered, leader...) is advertised before the preconditions of the
 * same flow hold.
 *
 * An advertisement is: a state write of a ready value (`self.ready =
 * True`, `status = "SERVING"`, `{"type": "IDLE"}` in a sent message); a
 * call to a message builder of the repository whose returned message says
 * ready (`messages.idle(...)`); a status setter given a ready enum member
 * (`health.set("", HealthCheckResponse.SERVING)`); `.set()` on a ready
 * event (`self._ready.set()`); a registration call (`register_node()`).
 * Adverts inside error handlers are AP-1's.
 *
 * Two shapes, on facts only:
 *  A. the advert comes BEFORE a precondition call of the same function: a
 *     connect, a health check, a client creation (ops stream.connect,
 *     health.check, client.new), a call named like warm/load/sync/
 *     fingerprint/bootstrap/wait_ready/ping..., or (in a startup function)
 *     an HTTP request; or a function that advertises is called before such
 *     a call (reported at that call);
 *  B. a sent advert follows a (re)connect (op stream.connect) in the same
 *     function with no health check in it, while the repository does check
 *     a dependency's health elsewhere (a health.check op or a call named
 *     like is_healthy/health_check/ping/probe).
 * One finding per function.
 */
#include "detect.h"

#include <stdio.h>
#include <string.h>

#include "observers.h"
#include "factq.h"
#include "func_facts.h"
#include "../base/banned.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static bool health_named(const char *method)
{
	static const char *const w[] = { "health", "healthy", "healthcheck", "alive", "ping", "probe" };
	return ident_has_word(method, w, N(w));
}

static bool startup_function(const struct fact_function *fn)
{
	static const char *const w[] = {
		"start", "startup", "run", "main", "setup", "serve", "init", "initialize",
		"bootstrap", "connect", "reconnect", "register", "launch", "boot", "lifespan",
		"open", "begin", "aenter", "enter", "ready", "up",
	};
	return fn->is_constructor || ident_has_word(fn->name, w, N(w));
}

/* A call that establishes a precondition of readiness. Returns a short reason, or NULL. */
static const char *precondition(const struct fact_call *c, bool startup)
{
	static const char *const wiring[] = { "register", "unregister", "new" };
	static const char *const w[] = {
		"warm", "warmup", "load", "preload", "fingerprint",
		"fingerprints", "bootstrap", "restore", "replay", "migrate", "hydrate",
		"prime", "discover", "barrier", "ping", "probe", "health", "healthcheck",
		"connect", "reconnect", "initialize", "prepare", "populate", "membership",
		"handshake", "calibrate",
	};
	if (c->op) {
		if (!strcmp(c->op, "stream.connect"))
			return "connects";
		if (!strcmp(c->op, "health.check"))
			return "checks health";
		if (!strcmp(c->op, "client.new"))
			return "creates a client";
		if (startup && !strcmp(c->op, "http.request"))
			return "calls a dependency over HTTP";
		return NULL;
	}
	if (!c->method || !strncmp(c->method, "__", 2))
		return NULL;
	/* RegisterHealthServer, NewHealthChecker: wiring a service up, not checking one */
	if (ident_first_word(c->method, wiring, N(wiring)))
		return NULL;
	if (ident_has_word(c->method, w, N(w)))
		return "prepares";
	char tok[10][IDENT_TOKEN_LEN];
	size_t n = ident_tokens(c->method, tok, 10);
	/* sync / sync_state / wait_for_cache_sync / has_synced, not run_sync or to_sync */
	for (size_t i = 0; i < n; i++)
		if ((!strcmp(tok[i], "sync") || !strcmp(tok[i], "synced")) &&
		    !(i && (!strcmp(tok[i - 1], "run") || !strcmp(tok[i - 1], "to") ||
			    !strcmp(tok[i - 1], "async"))))
			return "synchronises";
	/* wait_ready, wait_until_ready, wait_for_quorum, awaitRingReady; not wait_for_termination */
	static const char *const awaited[] = {
		"ready", "up", "sync", "synced", "leader", "quorum", "membership", "healthy",
		"connected", "connection", "started", "warm", "barrier",
	};
	if (n >= 2 && (!strcmp(tok[0], "wait") || !strcmp(tok[0], "await"))) /* awaitReady (Java) */
		for (size_t k = 0; k < N(awaited); k++)
			if (!strcmp(tok[n - 1], awaited[k]))
				return "waits for readiness";
	return NULL;
}

/* --- adverts --- */

struct advert {
	struct span at;
	const char *what;    /* "self.ready = True", "messages.idle(...)" */
	const char *value;   /* the ready value */
	const char *field;   /* the written field (writes only), else NULL */
	bool sent;           /* a message to someone else */
	bool registers;      /* a registration call */
	int call;            /* the call (builder, setter, register), -1 */
	char buf[400];
};

/* Does the function `def` build and return a ready message? Returns the value. */
static const char *builder_ready(const struct file_facts *dff, size_t def)
{
	const struct fact_function *fn = &dff->functions.items[def];
	if (fn->span.end_line - fn->span.line > 12)
		return NULL;
	for (size_t i = 0; i < dff->writes.len; i++) {
		const struct fact_write *w = &dff->writes.items[i];
		if ((size_t)w->func != def || w->func < 0 || !w->value ||
		    (w->kind != WRITE_RETURN && w->kind != WRITE_MESSAGE))
			continue;
		if (state_value_ready(w->field, w->value, false))
			return w->value;
	}
	return NULL;
}

/*
 * The names of the functions builder_ready may accept (short, with a ready
 * return or message write), found once per analysis: most calls of a
 * repository name none, and need not look their definitions up.
 */
struct builders {
	bool known;
	struct strmap names;
	uint64_t first[4]; /* the first bytes of the names: most calls are told apart without a hash */
};

static void find_builders(const struct analysis *a, struct builders *bs)
{
	bs->known = true;
	for (size_t f = 0; f < a->ix->files.len; f++) {
		const struct file_facts *ff = a->ix->files.items[f];
		for (size_t i = 0; i < ff->writes.len; i++) {
			const struct fact_write *w = &ff->writes.items[i];
			if (w->func < 0 || !w->value || (w->kind != WRITE_RETURN && w->kind != WRITE_MESSAGE))
				continue;
			const struct fact_function *fn = &ff->functions.items[w->func];
			if (!fn->name || fn->span.end_line - fn->span.line > 12 ||
			    !state_value_ready(w->field, w->value, false))
				continue;
			unsigned char b = (unsigned char)fn->name[0];
			strmap_put(&bs->names, fn->name, (void *)fn);
			bs->first[b >> 6] |= 1ull << (b & 63);
		}
	}
}

static const char *call_builds_ready(const struct analysis *a, const struct builders *bs,
				     const struct fact_call *c)
{
	if (c->op || !c->method)
		return NULL;
	const fact_refs *defs = index_functions_upto(a->ix, c->method, 4);
	unsigned char b = (unsigned char)c->method[0];
	/* no definition of that name builds one: the answer without looking at them */
	if (!defs || (bs->known && (!(bs->first[b >> 6] >> (b & 63) & 1) || !strmap_contains(&bs->names, c->method))))
		return NULL;
	for (size_t d = 0; d < defs->len; d++) {
		const char *v = builder_ready(defs->items[d].ff, defs->items[d].idx);
		if (v)
			return v;
	}
	return NULL;
}

static bool setter_method(const char *m)
{
	static const char *const w[] = {
		"set", "update", "report", "mark", "announce", "advertise", "publish",
		"send", "transition", "notify", "emit", "change", "put",
	};
	return ident_first_word(m, w, N(w));
}

static bool ready_receiver(const char *callee)
{
	static const char *const w[] = { "ready", "healthy", "serving", "available", "started" };
	const char *dot = strrchr(callee, '.');
	if (!dot)
		return false;
	char recv[200];
	size_t n = (size_t)(dot - callee);
	if (n >= sizeof(recv))
		n = sizeof(recv) - 1;
	memcpy(recv, callee, n);
	recv[n] = '\0';
	const char *last = strrchr(recv, '.');
	return ident_has_word(last ? last + 1 : recv, w, N(w));
}

/* `register_node()`, `consul.agent.service.register(...)`: presence announced to others. */
static bool registration(const struct fact_call *c)
{
	static const char *const what[] = {
		"node", "service", "instance", "worker", "self", "member", "agent", "server", "host",
	};
	static const char *const where[] = {
		"consul", "discovery", "etcd", "zk", "zookeeper", "service", "agent",
		"catalog", "coordinator", "master", "scheduler", "cluster", "server",
	};
	char tok[10][IDENT_TOKEN_LEN];
	if (c->op)
		return false;
	size_t n = ident_tokens(c->method, tok, 2); /* the first two words decide */
	if (!n || (strcmp(tok[0], "register") && strcmp(tok[0], "announce") &&
			    strcmp(tok[0], "advertise")))
		return false;
	if (n >= 2) {
		for (size_t k = 0; k < N(what); k++)
			if (!strcmp(tok[1], what[k]))
				return true;
		return false;
	}
	const char *dot = strrchr(c->callee, '.');
	if (!dot)
		return false;
	char recv[200];
	size_t len = (size_t)(dot - c->callee);
	if (len >= sizeof(recv))
		len = sizeof(recv) - 1;
	memcpy(recv, c->callee, len);
	recv[len] = '\0';
	return ident_has_word(recv, where, N(where));
}

/* `Status.READY`, `HealthCheckResponse.SERVING`, `pb.SERVING`: a member of an enum, not `rpc.active`. */
static bool enum_member(const char *v)
{
	const char *dot = strrchr(v, '.');
	if (!dot || !dot[1])
		return false;
	bool caps = true;
	for (const char *p = dot + 1; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			caps = false;
	const char *seg = dot;
	while (seg > v && seg[-1] != '.')
		seg--;
	/* Go protobuf: healthpb.HealthCheckResponse_SERVING (Type_MEMBER) */
	bool go_enum = dot[1] >= 'A' && dot[1] <= 'Z' && strchr(dot, '_') != NULL;
	return caps || go_enum || (*seg >= 'A' && *seg <= 'Z');
}

/*
 * `protocol.RunnerIdle`: an exported name of a package the file imports
 * (Go's typed string constants are its enums); not `r.Idle`, a field of a
 * variable.
 */
static bool imported_const(const struct file_facts *ff, const char *v)
{
	const char *dot = strchr(v, '.');
	if (!dot || strchr(dot + 1, '.') || !(dot[1] >= 'A' && dot[1] <= 'Z'))
		return false;
	for (size_t i = 0; i < ff->imports.len; i++) {
		const char *al = ff->imports.items[i].alias;
		if (al && strlen(al) == (size_t)(dot - v) && !strncmp(al, v, (size_t)(dot - v)))
			return true;
	}
	return false;
}

static bool advert_of_call(const struct analysis *a, const struct builders *bs, const struct file_facts *ff,
			   size_t ci, struct advert *ad)
{
	const struct fact_call *c = &ff->calls.items[ci];
	const char *v;
	if (!c->method || c->handler >= 0)
		return false;
	ad->call = (int)ci;
	ad->at = c->span;
	if ((v = call_builds_ready(a, bs, c))) {
		snprintf(ad->buf, sizeof(ad->buf), "%s(...) (the %s message)", c->callee, v);
		ad->value = v;
		ad->sent = true;
		return true;
	}
	if (!strcmp(c->method, "set") && !c->nargs && ready_receiver(c->callee)) {
		snprintf(ad->buf, sizeof(ad->buf), "%s()", c->callee);
		ad->value = "ready";
		return true;
	}
	if (c->nargs && strchr(c->callee, '.') && setter_method(c->method)) {
		for (size_t k = 0; k < c->nargs; k++) {
			const char *av = c->args[k].value;
			if (av && !c->args[k].is_string && (enum_member(av) || (c->args[k].text && imported_const(ff, c->args[k].text))) &&
			    state_value_ready(NULL, av, true)) {
				snprintf(ad->buf, sizeof(ad->buf), "%s(..., %s)", c->callee, av);
				ad->value = av;
				ad->sent = true;
				return true;
			}
		}
	}
	if (registration(c)) {
		snprintf(ad->buf, sizeof(ad->buf), "%s(...)", c->callee);
		ad->value = "registered";
		ad->registers = true;
		return true;
	}
	return false;
}

/* `r.leader = leader`: the value is a parameter or local variable of the writer: data, not a state. */
static bool value_is_variable(const struct file_facts *ff, const struct fact_write *w)
{
	for (size_t i = 0; i < ff->bindings.len; i++) {
		const struct fact_binding *b = &ff->bindings.items[i];
		if (b->func == w->func && w->func >= 0 && !strcmp(b->name, w->value))
			return true;
	}
	return false;
}

/* Is `value` a boolean false literal (`paused = false` clears a hold flag)? */
static bool clears_flag(const char *value)
{
	return !strcmp(value, "False") || !strcmp(value, "false");
}

/* Does the class `cls` (file `ff` when NULL) write `field` itself? Then its reads are of its own flag. */
static bool writes_own_field(const struct file_facts *ff, const char *cls, const char *field)
{
	for (size_t i = 0; i < ff->writes.len; i++) {
		const struct fact_write *w = &ff->writes.items[i];
		const char *wc = w->func >= 0 ? ff->functions.items[w->func].cls : NULL;
		if (w->field && !strcmp(w->field, field) && (!cls || (wc && !strcmp(wc, cls))))
			return true;
	}
	return false;
}

/*
 * A cleared hold flag (`paused = false`, `busy = false`) advertises only
 * when another component selects on it or acts on it: a read of the field
 * outside the writer's own class (file, for functions without one) that
 * selects among several or dispatches, by a class that does not keep a
 * flag of that name itself. `p.paused = false` that only the object's own
 * loop reads is its private state.
 */
static bool flag_seen_elsewhere(const struct analysis *a, const struct file_facts *ff,
				const struct fact_write *w)
{
	const char *cls = w->func >= 0 ? ff->functions.items[w->func].cls : NULL;
	const struct observer_list *obs = observers_of(a->obs_memo, w->field, NULL);
	bool seen = false;

	for (size_t i = 0; i < obs->len && !seen; i++) {
		const struct observer *o = &obs->items[i];
		bool own = cls ? (o->cls && !strcmp(o->cls, cls)) : o->ff == ff;
		seen = !own && (o->selects || o->dispatches) &&
		       !writes_own_field(o->ff, o->cls, w->field);
	}
	return seen;
}

static bool advert_of_write(const struct analysis *a, const struct file_facts *ff,
			    const struct fact_write *w, struct advert *ad)
{
	if (!w->value || w->kind == WRITE_SQL || w->kind == WRITE_RETURN)
		return false;
	if (w->handler >= 0 && ff->handlers.items[w->handler].kind != HANDLER_FINALLY)
		return false;
	if (!state_value_ready(w->field, w->value, true) || value_is_variable(ff, w))
		return false;
	if (clears_flag(w->value) && !w->crosses && w->kind != WRITE_MESSAGE &&
	    !flag_seen_elsewhere(a, ff, w))
		return false;
	ad->at = w->span;
	ad->call = w->call;
	ad->field = w->field;
	/* `self.ready = True` advertises "ready", not "True" */
	ad->value = strcmp(w->value, "True") && strcmp(w->value, "False") ? w->value : w->field;
	ad->sent = w->kind == WRITE_MESSAGE || w->crosses;
	if (w->kind == WRITE_MESSAGE || w->kind == WRITE_KEY)
		snprintf(ad->buf, sizeof(ad->buf), "{\"%s\": %s}", w->field, w->value_text ? w->value_text : w->value);
	else
		snprintf(ad->buf, sizeof(ad->buf), "%s = %s", w->target, w->value);
	return true;
}

/* --- shapes --- */

/* Every health check of the repository, found once per analysis. */
struct repo_health {
	bool known;
	fact_refs calls;
};

static void find_repo_health(const struct analysis *a, struct repo_health *rh)
{
	dep_note(a->ix->rec, DEP_HEALTH, ""); /* every file's health checks: one key stands for them */
	if (rh->known)
		return;
	rh->known = true;
	for (size_t f = 0; f < a->ix->files.len; f++) {
		const struct file_facts *ff = a->ix->files.items[f];
		for (size_t i = 0; i < ff->calls.len; i++)
			if (call_checks_health(&ff->calls.items[i]))
				VEC_APPEND(&rh->calls, ((struct fact_ref){ ff, i }));
	}
}

/* The length of the common folder prefix of two paths. */
static size_t common_dir(const char *a, const char *b)
{
	size_t n = 0;
	for (size_t i = 0; a[i] && a[i] == b[i]; i++)
		if (a[i] == '/')
			n = i + 1;
	return n;
}

/* The health check nearest to `path` (the same folder first), or NULL. */
static const struct fact_ref *nearest_health(const struct repo_health *rh, const char *path)
{
	const struct fact_ref *best = NULL;
	size_t bestn = 0;
	for (size_t i = 0; i < rh->calls.len; i++) {
		size_t n = common_dir(rh->calls.items[i].ff->path, path);
		if (!best || n > bestn) {
			best = &rh->calls.items[i];
			bestn = n;
		}
	}
	return best;
}

/* The first precondition call in ff/func after `line`, or -1. */
static int precondition_after(const struct file_facts *ff, int func, uint32_t line, int skip,
			      const char **why)
{
	bool startup = func >= 0 && startup_function(&ff->functions.items[func]);
	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (c->func != func || c->span.line <= line || (int)i == skip || c->handler >= 0)
			continue;
		if ((*why = precondition(c, startup)))
			return (int)i;
	}
	return -1;
}

/*
 * Who acts on the advert: the first reader elsewhere that selects on the
 * advertised value (in any language: a Go worker's message, a TypeScript
 * dispatcher's pick), as a related location and a line of evidence.
 */
static void note_observer(const struct analysis *a, struct finding *f, const struct file_facts *ff,
			  const struct advert *ad)
{
	if (!ad->field)
		return;
	const struct observer_list *obs = observers_of(a->obs_memo, ad->field, ad->value);
	for (size_t i = 0; i < obs->len; i++) {
		const struct observer *o = &obs->items[i];
		char fn[160];
		if (o->ff == ff || o->match != OBS_MATCH_VALUE || !o->selects)
			continue;
		observers_func_name(o->ff, o->func, fn, sizeof(fn));
		finding_related(f, o->path, o->line, "%s selects %s%s", fn, ad->value,
				o->dispatches ? " and sends it work" : "");
		finding_evidence(f, "acted on: %s:%u %s selects %s%s", o->path, o->line, fn, ad->value,
				 o->dispatches ? " and sends it work at once" : "");
		break;
	}
}

static void report_a(struct analysis *a, const struct file_facts *ff, const struct advert *ad,
		     const struct file_facts *pff, int pc, const char *why, const char *via)
{
	const struct fact_call *p = &pff->calls.items[pc];
	struct finding *f = finding_add(a, "AP-6", SEV_WARNING, ff, &ad->at,
					"%s advertises %s before %s %s (%s:%u)%s", ad->what, ad->value,
					p->callee, why, pff->path, p->span.line, via ? via : "");
	finding_related(f, pff->path, p->span.line, "the precondition: %s %s", p->callee, why);
	finding_evidence(f, "advertised: %s:%u %s", ff->path, ad->at.line, ad->what);
	finding_evidence(f, "precondition established only after: %s:%u %s", pff->path, p->span.line,
			 p->callee);
	finding_evidence(f, "in between, others see %s and act on it while it does not hold", ad->value);
	note_observer(a, f, ff, ad);
	finding_fix(f, "advertise after the precondition holds");
}

static bool shape_b(struct analysis *a, const struct file_facts *ff, int func, const struct advert *ad,
		    struct repo_health *rh)
{
	if (!ad->sent || ad->registers)
		return false;
	int conn = -1;
	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (c->func != func)
			continue;
		if (c->span.line < ad->at.line && c->op && !strcmp(c->op, "stream.connect"))
			conn = (int)i;
		if (call_checks_health(c) && c->span.line <= ad->at.line)
			return false;
	}
	for (size_t i = 0; i < ff->reads.len; i++) {
		const struct fact_read *r = &ff->reads.items[i];
		if (r->func == func && r->span.line <= ad->at.line && health_named(r->field))
			return false;
	}
	if (conn < 0)
		return false;
	find_repo_health(a, rh);
	const struct fact_ref *hr = nearest_health(rh, ff->path);
	if (!hr)
		return false;
	const struct fact_call *c = &ff->calls.items[conn];
	const struct file_facts *hff = hr->ff;
	const struct fact_call *h = &hff->calls.items[hr->idx];
	char hf[160];
	observers_func_name(hff, h->func, hf, sizeof(hf));
	struct finding *f = finding_add(a, "AP-6", SEV_WARNING, ff, &ad->at,
					"%s advertises %s right after %s (re)connects, with no health check of the dependency first; %s checks it with %s (%s:%u)",
					ad->what, ad->value, c->callee, hf, h->callee, hff->path, h->span.line);
	finding_related(f, ff->path, c->span.line, "the (re)connect: %s", c->callee);
	finding_related(f, hff->path, h->span.line, "a dependency health check exists here: %s", h->callee);
	finding_evidence(f, "connect: %s:%u %s", ff->path, c->span.line, c->callee);
	finding_evidence(f, "advertised: %s:%u %s, nothing checked in between", ff->path, ad->at.line, ad->what);
	finding_evidence(f, "the health check runs elsewhere, on its own schedule: %s:%u %s", hff->path,
			 h->span.line, h->callee);
	note_observer(a, f, ff, ad);
	finding_fix(f, "check the dependency before advertising %s, or advertise not-ready and let the check offer it", ad->value);
	return true;
}

/*
 * The next advert of ff/func from the cursors (writes first, then calls);
 * the cursors count through func's own writes and calls in `fx`.
 */
static bool adverts_in(const struct analysis *a, const struct builders *bs, const struct file_facts *ff,
		       int func, const struct func_facts *fx, struct advert *ad, size_t *ci, size_t *wi)
{
	size_t nw, nc;
	const size_t *ws = func_facts_writes(fx, func, &nw);
	const size_t *cs = func_facts_calls(fx, func, &nc);
	for (; *wi < nw; (*wi)++) {
		if (advert_of_write(a, ff, &ff->writes.items[ws[*wi]], ad)) {
			(*wi)++;
			return true;
		}
	}
	for (; *ci < nc; (*ci)++) {
		if (advert_of_call(a, bs, ff, cs[*ci], ad)) {
			(*ci)++;
			return true;
		}
	}
	return false;
}

/* The function's adverts, each checked; *first gets the first (first->what NULL: none). */
static void ap6_function(struct analysis *a, const struct builders *bs, const struct file_facts *ff, int func,
			 const struct func_facts *fx, struct repo_health *rh, struct advert *first)
{
	size_t ci = 0, wi = 0;
	struct advert ad;
	memset(&ad, 0, sizeof(ad));
	ad.what = ad.buf;
	first->what = NULL;
	while (adverts_in(a, bs, ff, func, fx, &ad, &ci, &wi)) {
		if (!first->what) {
			*first = ad;
			first->what = first->buf;
		}
		const char *why = NULL;
		int pc = precondition_after(ff, func, ad.at.line, ad.call, &why);
		if (pc >= 0) {
			report_a(a, ff, &ad, ff, pc, why, NULL);
			return;
		}
		if (shape_b(a, ff, func, &ad, rh))
			return;
		memset(&ad, 0, sizeof(ad));
		ad.what = ad.buf;
	}
}

/*
 * `s.compactor.Resume()` finds methods `Resume` by name only; called
 * through a field (`s.compactor`, `self.routes`), the definition must also
 * fit the field: a word of the field's name (a plural `s` dropped) in the
 * definition's class or file path. A call on a plain variable (`w.resume()`)
 * keeps the link by name.
 */
static bool field_fits(const char *callee, const struct file_facts *dff, const struct fact_function *fn)
{
	char recv[200], tok[IDENT_MAX_TOKENS][IDENT_TOKEN_LEN];
	const char *dot = strrchr(callee, '.'), *field;
	size_t n = dot ? (size_t)(dot - callee) : 0, nt;

	if (n >= sizeof(recv))
		n = sizeof(recv) - 1;
	memcpy(recv, callee, n);
	recv[n] = '\0';
	field = strrchr(recv, '.');
	if (!field)
		return true; /* `w.resume()`: a variable, not a field */
	nt = ident_tokens(field + 1, tok, IDENT_MAX_TOKENS);
	for (size_t i = 0; i < nt; i++) {
		size_t l = strlen(tok[i]);
		if (l < 3)
			continue;
		if (l > 3 && tok[i][l - 1] == 's')
			tok[i][l - 1] = '\0';
		if ((fn->cls && strcasestr(fn->cls, tok[i])) || strcasestr(dff->path, tok[i]))
			return true;
	}
	return false;
}

/*
 * Shape A through a caller: `self._mark_ready()` called before
 * `await self.cache.sync()`. Reported at the call.
 */
static void ap6_callers(struct analysis *a, const struct file_facts *ff, int func,
			const struct advert *first)
{
	const struct fact_function *fn = &ff->functions.items[func];
	/* Only small functions whose job is to advertise (`first`: as ap6_function found it). */
	if (fn->span.end_line - fn->span.line > 15 || !first->what || first->registers)
		return;
	const struct advert ad = *first;
	const fact_refs *callers = index_callers(a->ix, fn->name);
	if (!callers || callers->len > 16)
		return;
	for (size_t i = 0; i < callers->len; i++) {
		const struct file_facts *cff = callers->items[i].ff;
		size_t k = callers->items[i].idx;
		const struct fact_call *c = &cff->calls.items[k];
		if (c->func < 0 || c->handler >= 0 || (cff == ff && c->func == func))
			continue;
		const char *cls = cff->functions.items[c->func].cls;
		bool self = (!strncmp(c->callee, "self.", 5) && !strchr(c->callee + 5, '.')) ||
			    (!strncmp(c->callee, "this.", 5) && !strchr(c->callee + 5, '.')) ||
			    (!strchr(c->callee, '.') && cff->functions.items[c->func].implicit_receiver);
		if (self ? !(cls && fn->cls && !strcmp(cls, fn->cls)) : (strchr(c->callee, '.') != NULL) == (fn->cls == NULL))
			continue;
		if (!self && !field_fits(c->callee, ff, fn))
			continue;
		const char *why = NULL;
		int pc = precondition_after(cff, c->func, c->span.line, -1, &why);
		if (pc < 0)
			continue;
		struct advert cad;
		memset(&cad, 0, sizeof(cad));
		cad.at = c->span;
		cad.value = ad.value;
		cad.field = ad.field;
		snprintf(cad.buf, sizeof(cad.buf), "%s() (%s:%u sets %.150s)", c->callee, ff->path, ad.at.line,
			 ad.buf);
		cad.what = cad.buf;
		char via[300];
		snprintf(via, sizeof(via), "; %s is what advertises", fn->name);
		report_a(a, cff, &cad, cff, pc, why, via);
		return;
	}
}

void ap6_detect(struct analysis *a)
{
	struct repo_health rh = { 0 };
	struct builders bs = { false, STRMAP_INIT, { 0 } };
	/* worth a pass over every write when the targets are a good part of the repository */
	if (a->ntargets >= 64 && a->ntargets >= a->ix->files.len / 8)
		find_builders(a, &bs);
	for (size_t t = 0; t < a->ntargets; t++) {
		const struct file_facts *ff = a->targets[t];
		analysis_at(a, t);
		struct func_facts fx;
		func_facts_init(&fx, ff);
		for (size_t fi = 0; fi < ff->functions.len; fi++) {
			size_t before = a->findings.len;
			struct advert first;
			ap6_function(a, &bs, ff, (int)fi, &fx, &rh, &first);
			if (a->findings.len == before)
				ap6_callers(a, ff, (int)fi, &first);
		}
		func_facts_release(&fx);
	}
	VEC_FREE(&rh.calls);
	strmap_release(&bs.names);
}
