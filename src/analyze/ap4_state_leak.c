/*
 * AP-4 boundary state leak: internal or dependency state exposed through a
 * status interface.
 *
 * (a) A status value that crosses a boundary (an argument of a message
 *     builder or of a send, a status key in a sent message, a status
 *     returned from a route) names a dependency of the sender or another
 *     component: a topology component other than the sender's, a library or
 *     project client the sender imports (redis, asyncpg, comfy_client), a
 *     well-known infrastructure name (postgres, kafka, s3, ...), or has the
 *     X_DOWN / X_UNAVAILABLE / X_UNREACHABLE shape for an X that is not the
 *     sender. The receivers' reads of that field (index_readers) say how
 *     much it means to them: when none of them distinguishes the value, it
 *     adds a state without adding meaning (error).
 * (b) A liveness or health route (path or name: live, healthz, health; not
 *     ready/readyz, startup or a deliberately deep check) whose result
 *     depends on a call to another component (database, key-value store,
 *     HTTP, RPC, queue, storage, a ping), directly or through a project
 *     function: a dependency outage then restarts healthy processes.
 */
#include "detect.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../base/strmap.h"
#include "components.h"
#include "factq.h"
#include "../base/banned.h"

#define MAX_CANDIDATES 3
#define MAX_TOKENS 12

/* Names of infrastructure a service depends on. */
static const char *const infra_words[] = {
	"redis", "postgres", "postgresql", "pg", "db", "database", "mysql", "mariadb",
	"mongo", "mongodb", "kafka", "rabbit", "rabbitmq", "amqp", "s3", "sqs", "sns",
	"elastic", "elasticsearch", "etcd", "zookeeper", "zk", "memcached", "memcache",
	"nats", "dynamo", "dynamodb", "minio", "gcs", "sqlite", "cassandra", "consul",
	"vault", "broker", "celery", "smtp", "ldap", NULL,
};

/* Words that end a "this thing is not working" value. */
static const char *const down_words[] = {
	"down", "unavailable", "unreachable", "unhealthy", "disconnected", "outage", NULL,
};

/* Prefixes of a down-shaped value that name the sender itself. */
static const char *const self_words[] = {
	"self", "node", "service", "server", "app", "instance", "host", "local", "me",
	"process", "system", "all", "partially", "partial", NULL,
};

static bool listed(const char *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(w, list[i]))
			return true;
	return false;
}

struct tokens {
	char buf[128];
	const char *t[MAX_TOKENS];
	size_t n;
};

/* The value's key ("COMFYUI_DOWN" -> "comfyui", "down"). */
static void tokenize(const char *value, struct tokens *tk)
{
	char *p;

	value_key(value, tk->buf, sizeof(tk->buf));
	tk->n = 0;
	for (p = tk->buf; *p && tk->n < MAX_TOKENS;) {
		size_t n = strcspn(p, "_- .:/");
		if (n)
			tk->t[tk->n++] = p;
		p += n;
		if (*p)
			*p++ = '\0';
		while (*p == '_' || *p == '-' || *p == ' ' || *p == '.')
			p++;
	}
}

/* Lowercase `s` without separators into out ("gpu-worker" -> "gpuworker"). */
static void squash(const char *s, size_t n, char *out, size_t outsz)
{
	size_t k = 0;
	for (size_t i = 0; i < n && s[i] && k + 1 < outsz; i++)
		if (isalnum((unsigned char)s[i]))
			out[k++] = (char)tolower((unsigned char)s[i]);
	out[k] = '\0';
}

/* token t names dependency d: equal, or t extends d ("comfyui" / "comfy"). */
static bool token_names(const char *t, const char *d)
{
	size_t n = strlen(d);
	if (!n)
		return false;
	if (!strcmp(t, d))
		return true;
	return n >= 4 && !strncmp(t, d, n);
}

struct deps {
	VEC(char *) words; /* owned */
	char self[64];     /* the sender's component, squashed */
	struct strmap seen; /* the words, for a constant-time check: a topology may name 10,000 components */
};

static void deps_add(struct deps *d, const char *s, size_t n)
{
	char buf[64];
	squash(s, n, buf, sizeof(buf));
	if (strlen(buf) < 2 || !strcmp(buf, d->self) || strmap_contains(&d->seen, buf))
		return;
	strmap_put(&d->seen, buf, NULL);
	VEC_APPEND(&d->words, xstrdup(buf));
}

/* What the sender file depends on: topology components, imported clients. */
static void deps_collect(const struct analysis *a, const struct file_facts *ff, struct deps *d)
{
	struct component_ref me = component_for_path(a->topo, ff->path);

	squash(me.name, strlen(me.name), d->self, sizeof(d->self));
	component_ref_release(&me);
	if (a->topo)
		for (size_t i = 0; i < a->topo->components.len; i++) {
			const char *n = a->topo->components.items[i].name;
			deps_add(d, n, strlen(n));
		}
	for (size_t i = 0; i < ff->imports.len; i++) {
		const struct fact_import *im = &ff->imports.items[i];
		const char *mods[2] = { im->module, im->name };
		for (int k = 0; k < 2; k++) {
			const char *m = mods[k], *last, *cl;
			if (!m)
				continue;
			last = strrchr(m, '.');
			last = last ? last + 1 : m;
			/* comfy_client, redis_client, ComfyClient: the part before "client" */
			if ((cl = strstr(last, "_client")) || (cl = strstr(last, "Client")))
				deps_add(d, last, (size_t)(cl - last));
			/* an imported library that has a model: redis, asyncpg, kafka */
			if (k == 0 && im->module == m) {
				size_t top = strcspn(m, ".");
				for (size_t j = 0; a->models && j < a->models->models.len; j++) {
					const struct api_model *md = &a->models->models.items[j];
					if (md->always)
						continue;
					for (size_t q = 0; q < md->imports.len; q++)
						if (strlen(md->imports.items[q]) == top &&
						    !strncmp(md->imports.items[q], m, top))
							deps_add(d, m, top);
				}
			}
		}
	}
}

static void deps_release(struct deps *d)
{
	for (size_t i = 0; i < d->words.len; i++)
		xfree(d->words.items[i]);
	VEC_FREE(&d->words);
	strmap_release(&d->seen);
}

/* A string literal or an enum member (NodeState.KAFKA_DOWN), not an expression. */
static bool literal_state(const char *v)
{
	const char *dot = strrchr(v, '.'), *cls;

	if (!dot)
		return true;
	for (const char *m = dot + 1; *m; m++)
		if (islower((unsigned char)*m))
			return false;
	cls = dot;
	while (cls > v && cls[-1] != '.')
		cls--;
	return isupper((unsigned char)*cls);
}

/* Does the value name a dependency? `why` gets the word. */
static bool names_dependency(const struct deps *d, const char *value, char *why, size_t whysz)
{
	struct tokens tk;

	if (!literal_state(value))
		return false;

	tokenize(value, &tk);
	if (tk.n < 1)
		return false;
	for (size_t i = 0; i < tk.n; i++) {
		if (d->self[0] && token_names(tk.t[i], d->self))
			return false;
		for (size_t j = 0; j < d->words.len; j++)
			if (token_names(tk.t[i], d->words.items[j])) {
				snprintf(why, whysz, "names %s, which this component depends on",
					 d->words.items[j]);
				return true;
			}
		if (listed(tk.t[i], infra_words) && tk.n > 1) {
			snprintf(why, whysz, "names %s, an infrastructure dependency", tk.t[i]);
			return true;
		}
	}
	/* X_DOWN for an X that is not the sender */
	if (tk.n >= 2 && listed(tk.t[tk.n - 1], down_words) && !listed(tk.t[0], self_words) &&
	    !listed(tk.t[0], down_words)) {
		snprintf(why, whysz, "says %s is %s: the state of something other than the sender",
			 tk.t[0], tk.t[tk.n - 1]);
		return true;
	}
	return false;
}

/* --- the receivers of a field --- */

struct receivers {
	const struct fact_read *other;   /* a read that compares with other values */
	const struct file_facts *other_ff;
	const struct fact_read *names;   /* a read that lists the value itself */
	const struct file_facts *names_ff;
	const struct fact_write *stores; /* a write that stores a received value */
	const struct file_facts *stores_ff;
	size_t nreads;
};

/* The class of an enum member ("WorkerStatus" of "common.WorkerStatus.IDLE"), or NULL. */
static bool enum_class(const char *v, const char **start, size_t *n)
{
	const char *dot = v ? strrchr(v, '.') : NULL, *s;
	if (!dot || dot == v)
		return false;
	s = dot;
	while (s > v && s[-1] != '.')
		s--;
	*start = s;
	*n = (size_t)(dot - s);
	return *n > 0;
}

/* Does the read compare with values of the same vocabulary (enum class) as `value`? */
static bool same_vocabulary(const struct fact_read *rd, const char *value)
{
	const char *vc, *rc;
	size_t vn, rn;

	if (!enum_class(value, &vc, &vn))
		return true;
	for (size_t i = 0; i < rd->values.len; i++)
		if (enum_class(rd->values.items[i], &rc, &rn) && rn == vn && !strncmp(rc, vc, vn))
			return true;
	return false;
}

static void receivers_of(const struct analysis *a, const char *field, const char *value,
			 const struct file_facts *sender, struct receivers *r)
{
	const fact_refs *reads = index_readers(a->ix, field), *writes = index_writers(a->ix, field);
	char pat1[80], pat2[80];

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; reads && i < reads->len; i++) {
		const struct fact_read *rd = &reads->items[i].ff->reads.items[reads->items[i].idx];
		bool mine = false;
		for (size_t v = 0; v < rd->values.len; v++)
			if (values_match(rd->values.items[v], value))
				mine = true;
		if (reads->items[i].ff == sender || !same_vocabulary(rd, value))
			continue;
		r->nreads++;
		if (mine && !r->names) {
			r->names = rd;
			r->names_ff = reads->items[i].ff;
		} else if (!mine && rd->values.len && !r->other) {
			r->other = rd;
			r->other_ff = reads->items[i].ff;
		}
	}
	snprintf(pat1, sizeof(pat1), "[\"%s\"]", field);
	snprintf(pat2, sizeof(pat2), "get(\"%s\"", field);
	for (size_t i = 0; writes && i < writes->len && !r->stores; i++) {
		const struct fact_write *w = &writes->items[i].ff->writes.items[writes->items[i].idx];
		if (writes->items[i].ff == sender || !w->value_text)
			continue;
		if (strstr(w->value_text, pat1) || strstr(w->value_text, pat2)) {
			r->stores = w;
			r->stores_ff = writes->items[i].ff;
		}
	}
}

/* "WorkerStatus.COMFYUI_DOWN" -> "status"; NULL when the class is no status type. */
static const char *enum_field(const char *value)
{
	static const char *const suffixes[] = { "status", "state", "health", "phase",
						"condition", NULL };
	const char *dot = strrchr(value, '.');
	size_t n;
	char cls[96];

	if (!dot || dot == value)
		return NULL;
	n = (size_t)(dot - value);
	{
		const char *start = value + n;
		while (start > value && start[-1] != '.')
			start--;
		n = (size_t)(value + (dot - value) - start);
		if (n >= sizeof(cls))
			return NULL;
		for (size_t i = 0; i < n; i++)
			cls[i] = (char)tolower((unsigned char)start[i]);
		cls[n] = '\0';
		/* upper-case member names only: an enum, not an attribute chain */
		for (const char *m = dot + 1; *m; m++)
			if (islower((unsigned char)*m))
				return NULL;
		if (!isupper((unsigned char)start[0]))
			return NULL;
	}
	for (size_t i = 0; suffixes[i]; i++) {
		size_t k = strlen(suffixes[i]);
		if (n >= k && !strcmp(cls + n - k, suffixes[i])) {
			return suffixes[i];
		}
	}
	return NULL;
}

static bool sendish(const struct fact_call *c)
{
	static const char *const names[] = { "send", "send_json", "send_text", "send_str",
					     "publish", "emit", "broadcast", "report", "notify",
					     "put_status", "set_status", "update_status", NULL };
	if (c->op && (!strcmp(c->op, "stream.send") || !strcmp(c->op, "queue.publish") ||
		      !strcmp(c->op, "http.request") || !strcmp(c->op, "rpc.call") ||
		      !strcmp(c->op, "kv.write")))
		return true;
	return c->method && listed(c->method, names);
}

/* A project function (message builder) that puts a status-like key in what it returns. */
static bool builder_sets(const struct analysis *a, const struct fact_call *c, const char *field,
			 const struct file_facts **bff, const struct fact_write **bw)
{
	const fact_refs *r;

	if (!c->method || c->op || !(r = index_functions_upto(a->ix, c->method, MAX_CANDIDATES)))
		return false;
	for (size_t i = 0; i < r->len; i++) {
		const struct file_facts *f = r->items[i].ff;
		for (size_t j = 0; j < f->writes.len; j++) {
			const struct fact_write *w = &f->writes.items[j];
			if (w->func == (int)r->items[i].idx &&
			    (w->kind == WRITE_RETURN || w->kind == WRITE_MESSAGE) &&
			    !strcmp(w->field, field)) {
				*bff = f;
				*bw = w;
				return true;
			}
		}
	}
	return false;
}

static void add_receiver_evidence(struct finding *fd, const struct receivers *rc,
				  const char *field, const char *value, enum severity *sev)
{
	if (rc->stores) {
		finding_related(fd, rc->stores_ff->path, rc->stores->span.line,
				"the receiver stores it as %s", rc->stores->target);
		finding_evidence(fd, "receiver: %s:%u stores the received value in %s",
				 rc->stores_ff->path, rc->stores->span.line, rc->stores->target);
	}
	if (rc->names) {
		finding_related(fd, rc->names_ff->path, rc->names->span.line,
				"a receiver distinguishes %s", value);
		finding_evidence(fd, "a reader distinguishes it: %s:%u", rc->names_ff->path,
				 rc->names->span.line);
		*sev = SEV_WARNING;
	} else if (rc->other) {
		char vals[200] = "";
		size_t k = 0;
		for (size_t v = 0; v < rc->other->values.len && k + 40 < sizeof(vals); v++)
			k += (size_t)snprintf(vals + k, sizeof(vals) - k, "%s%s", v ? ", " : "",
					      rc->other->values.items[v]);
		finding_related(fd, rc->other_ff->path, rc->other->span.line,
				"the receiver only distinguishes %s", vals);
		finding_evidence(fd, "readers of `%s` never name %s: %s:%u compares with %s, so it "
				 "acts like any other value that is not %s", field, value,
				 rc->other_ff->path, rc->other->span.line, vals, vals);
	} else {
		finding_evidence(fd, "no reader of `%s` in this repository distinguishes it", field);
		*sev = SEV_WARNING;
	}
}

/* report = {"status": X} ... send(json.dumps(report)): the send that carries the dict. */
static const struct fact_call *sent_later(const struct file_facts *ff, const struct fact_write *w)
{
	const char *br = strstr(w->target, "[\"");
	size_t n;

	if (!br || w->func < 0)
		return NULL;
	n = (size_t)(br - w->target);
	for (size_t i = 0; n && i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (c->func != w->func || c->span.line < w->span.line)
			continue;
		for (size_t k = 0; k < c->nargs; k++) {
			const char *t = c->args[k].text;
			const struct fact_call *o = c->carrier >= 0 ? &ff->calls.items[c->carrier] : c;
			if (t && strlen(t) == n && !strncmp(t, w->target, n) && (sendish(c) || sendish(o)))
				return sendish(o) ? o : c;
		}
	}
	return NULL;
}

static void check_values(struct analysis *a, const struct file_facts *ff, struct deps *d)
{
	char why[160];

	/* enum members passed on: send(worker_status(id, WorkerStatus.REDIS_DOWN)) */
	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		const struct fact_call *outer = c->carrier >= 0 ? &ff->calls.items[c->carrier] : NULL;
		const struct file_facts *bff = NULL;
		const struct fact_write *bw = NULL;
		struct receivers rc;
		enum severity sev = SEV_ERROR;
		struct finding *fd;
		const struct span *at;

		for (size_t k = 0; k < c->nargs; k++) {
			const char *v = c->args[k].value, *field;
			if (!v || c->args[k].is_string || !(field = enum_field(v)))
				continue;
			if (!sendish(c) && !(outer && sendish(outer)) &&
			    !builder_sets(a, c, field, &bff, &bw))
				continue;
			if (!bw)
				builder_sets(a, c, field, &bff, &bw);
			if (!names_dependency(d, v, why, sizeof(why)))
				continue;
			receivers_of(a, field, v, ff, &rc);
			at = outer ? &outer->span : &c->span;
			fd = finding_add(a, "AP-4", SEV_ERROR, ff, at,
					 "%s(...) sends %s across the boundary as a `%s`: it %s; "
					 "report what the receiver should do (e.g. not ready for work), "
					 "not the dependency's state",
					 outer ? outer->callee : c->callee, v, field, why);
			finding_evidence(fd, "sender: %s:%u passes %s to %s", ff->path, c->span.line, v,
					 c->callee);
			if (bw) {
				finding_related(fd, bff->path, bw->span.line, "%s puts it in the message's `%s`",
						c->method, field);
				finding_evidence(fd, "message: %s:%u %s() puts it in `%s`", bff->path,
						 bw->span.line, c->method, field);
			}
			finding_evidence(fd, "leak: %s %s", v, why);
			add_receiver_evidence(fd, &rc, field, v, &sev);
			fd->severity = sev;
			break;
		}
	}
	/* {"status": "REDIS_DOWN"} sent, published or returned from a route */
	for (size_t i = 0; i < ff->writes.len; i++) {
		const struct fact_write *w = &ff->writes.items[i];
		struct receivers rc;
		enum severity sev = SEV_ERROR;
		struct finding *fd;

		const struct fact_call *via = NULL;

		if (w->value && w->kind == WRITE_KEY && !w->crosses &&
		    names_dependency(d, w->value, why, sizeof(why)))
			via = sent_later(ff, w);
		if (!w->value || (!via && (!w->crosses ||
					   (w->kind != WRITE_MESSAGE && w->kind != WRITE_RETURN))))
			continue;
		if (!strcmp(w->field, "type") || !strcmp(w->field, "event") ||
		    !strncmp(w->field, "is_", 3))
			continue;
		if (w->kind == WRITE_MESSAGE && (w->call < 0 || !sendish(&ff->calls.items[w->call])))
			continue;
		if (w->kind == WRITE_MESSAGE)
			via = &ff->calls.items[w->call];
		if (w->kind == WRITE_RETURN) {
			bool route = false;
			const struct fact_function *fn = w->func >= 0 ? &ff->functions.items[w->func] : NULL;
			for (size_t k = 0; fn && k < fn->ndecorators; k++) {
				int dc = fn->decorators[k].call;
				if (dc >= 0 && ff->calls.items[dc].op &&
				    !strcmp(ff->calls.items[dc].op, "http.route"))
					route = true;
			}
			if (!route)
				continue;
		}
		if (!names_dependency(d, w->value, why, sizeof(why)))
			continue;
		receivers_of(a, w->field, w->value, ff, &rc);
		fd = finding_add(a, "AP-4", SEV_ERROR, ff, &w->span,
				 "`%s` = %s %s across the boundary: it %s; report what the receiver "
				 "should do, not the dependency's state",
				 w->field, w->value, w->kind == WRITE_RETURN ? "is returned" : "is sent", why);
		finding_evidence(fd, "sender: %s:%u %s `%s` = %s", ff->path, w->span.line,
				 w->kind == WRITE_RETURN ? "returns" : "sends", w->field, w->value);
		if (via && via->span.line != w->span.line) {
			finding_related(fd, ff->path, via->span.line, "sent by %s", via->callee);
			finding_evidence(fd, "boundary: %s:%u %s sends it", ff->path, via->span.line,
					 via->callee);
		}
		finding_evidence(fd, "leak: %s %s", w->value, why);
		if (w->kind == WRITE_RETURN && !rc.nreads)
			finding_evidence(fd, "callers of the route are outside this repository");
		add_receiver_evidence(fd, &rc, w->field, w->value, &sev);
		fd->severity = sev;
	}
}

/* --- (b) liveness routes that depend on other components --- */

static bool dep_op(const char *op)
{
	static const char *const ops[] = { "db.execute", "db.transaction", "kv.read", "kv.write",
					   "kv.delete", "http.request", "rpc.call", "health.check",
					   "queue.publish", "queue.consume", "storage.read",
					   "storage.write", NULL };
	return op && listed(op, ops);
}

static bool has_word(const char *s, const char *w)
{
	size_t k = strlen(w);
	for (; s && *s; s++)
		if (!strncasecmp(s, w, k))
			return true;
	return false;
}

static bool liveness_name(const char *s)
{
	if (!s)
		return false;
	if (has_word(s, "ready") || has_word(s, "startup") || has_word(s, "deep") ||
	    has_word(s, "detail") || has_word(s, "depend") || has_word(s, "full"))
		return false;
	return has_word(s, "live") || has_word(s, "health");
}

/* /health/db, /healthz/redis: a deliberately dependency-specific check. */
static bool names_infra_segment(const char *path)
{
	char seg[64];
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/-_.");
		if (n && n < sizeof(seg)) {
			for (size_t i = 0; i < n; i++)
				seg[i] = (char)tolower((unsigned char)p[i]);
			seg[n] = '\0';
			if (listed(seg, infra_words))
				return true;
		}
		p += n;
		while (*p == '/' || *p == '-' || *p == '_' || *p == '.')
			p++;
	}
	return false;
}

/* The first dependency call of function f (depth: project functions followed). */
static const struct fact_call *dep_call(const struct analysis *a, const struct file_facts *ff,
					int f, int depth, const struct file_facts **dff,
					const struct fact_call **inner)
{
	const struct fact_function *fn = &ff->functions.items[f];

	for (size_t i = facts_first_call_at(ff, fn->span.line);
	     i < ff->calls.len && ff->calls.items[i].span.line <= fn->span.end_line; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		const fact_refs *r;
		if (!facts_func_within(ff, c->func, f))
			continue;
		if (dep_op(c->op)) {
			*dff = ff;
			*inner = c;
			return c;
		}
		if (depth <= 0 || c->op || !c->method || !(r = index_functions_upto(a->ix, c->method, MAX_CANDIDATES)))
			continue;
		/* `h.store.Ping()` runs BuildStore.Ping, not Docker.Ping: when the
		 * receiver names one candidate's class, follow only those. */
		bool named = false;
		for (size_t j = 0; j < r->len && !named; j++) {
			const char *cls = r->items[j].ff->functions.items[r->items[j].idx].cls;
			named = cls && call_receiver_names_class(c, cls);
		}
		for (size_t j = 0; j < r->len; j++) {
			int g = (int)r->items[j].idx;
			const char *cls = r->items[j].ff->functions.items[g].cls;
			if (r->items[j].ff == ff && g == f)
				continue;
			if (named && !(cls && call_receiver_names_class(c, cls)))
				continue;
			if (dep_call(a, r->items[j].ff, g, depth - 1, dff, inner))
				return c;
		}
	}
	return NULL;
}

static void check_liveness(struct analysis *a, const struct file_facts *ff)
{
	for (size_t fi = 0; fi < ff->functions.len; fi++) {
		const struct fact_function *fn = &ff->functions.items[fi];
		const struct fact_call *route = NULL, *c;
		const struct file_facts *dff = NULL;
		const struct fact_call *in = NULL;
		const char *path = NULL;
		struct finding *fd;
		bool direct, explicit_live;

		for (size_t k = 0; k < fn->ndecorators; k++) {
			int dc = fn->decorators[k].call;
			if (dc >= 0 && ff->calls.items[dc].op &&
			    !strcmp(ff->calls.items[dc].op, "http.route")) {
				route = &ff->calls.items[dc];
				for (size_t q = 0; q < route->nargs; q++)
					if (route->args[q].is_string && route->args[q].value &&
					    (!route->args[q].name || !strcmp(route->args[q].name, "path"))) {
						path = route->args[q].value;
						break;
					}
			}
		}
		if (!route)
			continue;
		if (path ? !liveness_name(path) || (has_word(fn->name, "ready")) :
			   !liveness_name(fn->name))
			continue;
		if (path && (has_word(path, "ready") || has_word(path, "depend") ||
			     names_infra_segment(path)))
			continue;
		explicit_live = has_word(path ? path : fn->name, "live") ||
				has_word(path ? path : fn->name, "healthz");
		c = dep_call(a, ff, (int)fi, 2, &dff, &in);
		if (!c)
			continue;
		direct = dff == ff && dep_op(c->op);
		{
			const struct fact_call *dc = c;
			fd = finding_add(a, "AP-4", direct && explicit_live ? SEV_ERROR : SEV_WARNING,
					 ff, &c->span,
					 "liveness route %s (%s) calls %s%s: when that dependency is "
					 "down the probe fails and healthy processes are restarted; keep "
					 "dependency checks in readiness or a dashboard endpoint",
					 path ? path : fn->name, fn->name, dc->callee,
					 direct ? "" : ", which reaches another component");
			finding_related(fd, ff->path, route->span.line, "the route %s", path ? path : fn->name);
			finding_evidence(fd, "route: %s:%u %s is a %s endpoint", ff->path,
					 route->span.line, path ? path : fn->name,
					 explicit_live ? "liveness" : "health (probes often use it as liveness)");
			finding_evidence(fd, "dependency: %s:%u %s (%s)", dff->path, in->span.line,
					 in->callee, in->op);
			if (!direct) {
				finding_evidence(fd, "through: %s:%u %s", ff->path, c->span.line, c->callee);
				finding_related(fd, dff->path, in->span.line, "%s (%s)", in->callee, in->op);
			}
			finding_evidence(fd, "restart cannot fix the dependency: the probe's result should "
					 "depend on this process only");
		}
	}
}

void ap4_detect(struct analysis *a)
{
	for (size_t i = 0; i < a->ntargets; i++) {
		const struct file_facts *ff = a->targets[i];
		analysis_at(a, i);
		struct deps d = { VEC_INIT, "", STRMAP_INIT };
		deps_collect(a, ff, &d);
		check_values(a, ff, &d);
		deps_release(&d);
		check_liveness(a, ff);
	}
}
