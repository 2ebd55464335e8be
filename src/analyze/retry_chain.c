/*
 * retry_chain_for_call(): the retry layers that wrap one call (see
 * retry_chain.h for what counts as a layer and how callers are resolved).
 */
#include "retry_chain.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "boundary.h"
#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../base/pairmap.h"
#include "../base/banned.h"

#define MAX_NAMES 8        /* names a client configuration reaches */
#define MAX_HOPS 3         /* configuration objects passed by name */
#define WALK_BUDGET 256    /* call sites examined per chain */
#define SITES_PER_FUNC 32  /* call sites followed per function */
#define PRODUCT_CAP 1000000000L
#define MAX_SITES_SCANNED 4096 /* call sites of one name examined */
#define MAX_DEFS 64        /* more definitions of a name: ambiguous, not followed across files */

typedef retry_linkvec linkvec;

static bool retries_at_all(const struct fact_retry *r);

void retry_chain_init(struct retry_chain *c)
{
	memset(c, 0, sizeof(*c));
	c->product = 1;
}

void retry_chain_release(struct retry_chain *c)
{
	VEC_FREE(&c->links);
	for (size_t i = 0; i < c->strings.len; i++)
		xfree(c->strings.items[i]);
	VEC_FREE(&c->strings);
	c->product = 1;
	c->unknown = c->defaults = 0;
}

/* ---- small helpers ---- */

static bool has_prefix(const char *s, const char *p)
{
	return s && !strncmp(s, p, strlen(p));
}

/* The receiver of a written callee: "self._http" of "self._http.post", or a length of 0. */
static size_t receiver_len(const char *callee)
{
	const char *dot = callee ? strrchr(callee, '.') : NULL;
	return dot ? (size_t)(dot - callee) : 0;
}

/* `s` is `name` or starts with "name." (a call through the object `name`). */
static bool through(const char *s, size_t n, const char *name)
{
	size_t k = strlen(name);
	if (!k || n < k || strncmp(s, name, k))
		return false;
	if (n == k)
		return true;
	if (s[k] != '.')
		return false;
	/* self._http.get(...).json(): a call on a result, not through the client */
	return !memchr(s + k, '(', n - k);
}

static const char *func_cls(const struct file_facts *ff, int f)
{
	for (int i = 0; i < 16 && f >= 0 && (size_t)f < ff->functions.len; i++) {
		if (ff->functions.items[f].cls)
			return ff->functions.items[f].cls;
		f = ff->functions.items[f].parent;
	}
	return NULL;
}

const char *retry_chain_func_name(const struct file_facts *ff, int func, char *buf, size_t bufsz)
{
	const struct fact_function *fn;

	if (!bufsz)
		return buf;
	buf[0] = '\0';
	if (func < 0 || (size_t)func >= ff->functions.len)
		return buf;
	fn = &ff->functions.items[func];
	if (fn->cls)
		snprintf(buf, bufsz, "%s.%s", fn->cls, fn->name ? fn->name : "?");
	else
		snprintf(buf, bufsz, "%s", fn->name ? fn->name : "?");
	return buf;
}

static const char *arg_text(const struct fact_arg *a)
{
	return a->value ? a->value : a->text ? a->text : "";
}

/* ---- operations ---- */

static bool op_compounds(const char *op)
{
	static const char *const ops[] = {
		"http.request", "rpc.call", "queue.publish", "storage.write", "storage.read",
		"storage.delete", "db.execute", "kv.write", "kv.read", "kv.delete",
		"stream.connect", "stream.send",
	};
	if (!op || !op_is_remote(op))
		return false;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(op, ops[i]))
			return true;
	return false;
}

/* ---- client configuration: which receivers a RETRY_CLIENT fact reaches ---- */

struct binding {
	char *names[MAX_NAMES]; /* owned */
	bool config[MAX_NAMES]; /* the configuration object itself (Retry(), Config()), not a client */
	size_t n;
};

/* The client name to show: the last name reached that is not the configuration object. */
static const char *binding_shown(const struct binding *b)
{
	for (size_t i = b->n; i-- > 0;)
		if (!b->config[i])
			return b->names[i];
	return NULL;
}

static void binding_release(struct binding *b)
{
	for (size_t i = 0; i < b->n; i++)
		xfree(b->names[i]);
	b->n = 0;
}

static bool bind_add(struct binding *b, const char *name, size_t len)
{
	if (!name || !len || b->n >= MAX_NAMES)
		return false;
	for (size_t i = 0; i < b->n; i++)
		if (strlen(b->names[i]) == len && !strncmp(b->names[i], name, len))
			return false;
	b->names[b->n++] = xstrndup(name, len);
	return true;
}

static void bind_from_call(const struct file_facts *ff, size_t ci, struct binding *b, int hops);

static void bind_name(const struct file_facts *ff, const char *name, size_t len,
		      struct binding *b, int hops)
{
	if (!bind_add(b, name, len) || hops >= MAX_HOPS)
		return;
	/* a configuration object passed by name: Client(config=cfg), HTTPAdapter(max_retries=r) */
	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		for (size_t j = 0; j < c->nargs; j++) {
			const char *t = arg_text(&c->args[j]);
			if (strlen(t) == len && !strncmp(t, name, len)) {
				bind_from_call(ff, i, b, hops + 1);
				break;
			}
		}
	}
}

/*
 * Where the value of call `ci` ends up: its own assignment, or that of an
 * enclosing call (`AsyncClient(transport=AsyncHTTPTransport(retries=3))`);
 * `session.mount(prefix, adapter)` hands it to `session`.
 */
static void bind_from_call(const struct file_facts *ff, size_t ci, struct binding *b, int hops)
{
	size_t k = ci;
	for (int i = 0; i < 8; i++) {
		const struct fact_call *c = &ff->calls.items[k];
		size_t rl = receiver_len(c->callee);
		if (c->assigned_to) {
			size_t at = b->n;
			bind_name(ff, c->assigned_to, strlen(c->assigned_to), b, hops);
			if (k == ci && hops == 0 && at < b->n)
				b->config[at] = !c->op || strcmp(c->op, "client.new");
			return;
		}
		if (c->method && !strcmp(c->method, "mount") && rl) {
			bind_name(ff, c->callee, rl, b, hops);
			return;
		}
		if (c->carrier < 0 || (size_t)c->carrier >= k)
			return;
		k = (size_t)c->carrier;
	}
}

/* `client`, `this.http`: identifiers joined by dots, nothing else. */
static bool dotted_name(const char *t)
{
	if (!isalpha((unsigned char)*t) && *t != '_' && *t != '$')
		return false;
	for (; *t; t++)
		if (!isalnum((unsigned char)*t) && *t != '_' && *t != '$' && *t != '.')
			return false;
	return true;
}

/* `session.mount(p, Adapter(...))` directly: the mount call is the carrier, not an ancestor. */
static void bind_client(const struct file_facts *ff, const struct fact_retry *r, struct binding *b)
{
	size_t ci = (size_t)r->call;
	const struct fact_call *c = &ff->calls.items[ci];
	memset(b, 0, sizeof(*b));
	bind_from_call(ff, ci, b, 0);
	if (!b->n && c->carrier >= 0 && (size_t)c->carrier < ci) {
		const struct fact_call *m = &ff->calls.items[c->carrier];
		size_t rl = receiver_len(m->callee);
		if (m->method && !strcmp(m->method, "mount") && rl)
			bind_name(ff, m->callee, rl, b, 0);
	}
	/*
	 * A configuration applied in place to the client it is given, its value
	 * dropped: `axiosRetry(client, { retries: 3 })`, `axiosRetry(axios, ...)`
	 * configures `client` (the default instance `axios`). A member
	 * `axiosRetry(this.http, ...)` reads as a dotted literal (an enum
	 * member's shape): its value is its text.
	 */
	if (!b->n && !c->assigned_to && c->carrier < 0 && !c->in_return && c->nargs >= 2 &&
	    !c->args[0].name && c->args[0].text && !c->args[0].is_string &&
	    (!c->args[0].value || !strcmp(c->args[0].value, c->args[0].text)) &&
	    dotted_name(c->args[0].text))
		bind_name(ff, c->args[0].text, strlen(c->args[0].text), b, 0);
}

/*
 * A client whose value we cannot follow (`with httpx.Client(transport=...)
 * as client:`, a client built inline): it covers the calls of the same
 * library after it in the same function (not a constructor, whose client
 * outlives it).
 */
static bool unbound_covers(const struct file_facts *ff, const struct fact_retry *r,
			   const struct fact_call *c)
{
	size_t n, m;
	if (r->func < 0 || c->func != r->func || !c->op || !c->model || !r->source)
		return false;
	if (ff->functions.items[r->func].is_constructor || c->span.line < r->span.line)
		return false;
	n = strcspn(r->source, ".");
	m = strcspn(c->model, "-");
	return n == m && !strncmp(r->source, c->model, n);
}

/* Does call `ci` go through one of the bound names (receiver, or a bound method passed on)? */
static bool goes_through(const struct file_facts *ff, size_t ci, const struct binding *b,
			 const struct fact_retry *r)
{
	const struct fact_call *c = &ff->calls.items[ci];
	const char *rcls = func_cls(ff, r->func);
	size_t rl = receiver_len(c->callee);

	if (!b->n)
		return unbound_covers(ff, r, c);
	for (size_t i = 0; i < b->n; i++) {
		const char *name = b->names[i];
		bool hit;
		if (b->config[i])
			continue; /* self.retry.update_supported_errors(): the Retry object, not a request */
		hit = rl && through(c->callee, rl, name);
		if (!hit && rl && c->func >= 0) {
			/* "Store.rdb" (a struct literal's field) read as `s.rdb` in a method of Store */
			const char *own = ff->functions.items[c->func].receiver, *ccls = func_cls(ff, c->func);
			size_t cl = ccls ? strlen(ccls) : 0;
			char buf[160];
			if (own && cl && !strncmp(name, ccls, cl) && name[cl] == '.' &&
			    (size_t)snprintf(buf, sizeof(buf), "%s.%s", own, name + cl + 1) < sizeof(buf))
				hit = through(c->callee, rl, buf);
		}
		for (size_t j = 0; !hit && j < c->nargs; j++) {
			/* asyncio.to_thread(self._s3.put_object, ...) */
			const char *t = arg_text(&c->args[j]);
			size_t tl = strlen(t);
			hit = tl > strlen(name) && through(t, tl, name) && !strchr(t, '(');
		}
		if (!hit)
			continue;
		if (has_prefix(name, "self.") || has_prefix(name, "cls.") || has_prefix(name, "this.")) {
			const char *ccls = func_cls(ff, c->func);
			if (!rcls || !ccls || strcmp(rcls, ccls))
				continue;
		} else if (!strchr(name, '.') && r->func >= 0 && c->func != r->func) {
			continue; /* a local variable of another function */
		}
		return true;
	}
	return false;
}

/* ---- operations ---- */

void retry_clients_init(struct retry_clients *rc, const struct file_facts *ff)
{
	rc->ff = ff;
	rc->n = 0;
	rc->items = xcalloc(ff->retries.len ? ff->retries.len : 1, sizeof(*rc->items));
	for (size_t i = 0; i < ff->retries.len; i++) {
		const struct fact_retry *r = &ff->retries.items[i];
		struct retry_client *c;
		if (r->kind != RETRY_CLIENT && r->kind != RETRY_REDELIVERY)
			continue;
		if (r->call < 0 || (size_t)r->call >= ff->calls.len || !retries_at_all(r))
			continue;
		c = &rc->items[rc->n++];
		c->retry = r;
		c->b = xcalloc(1, sizeof(*c->b));
		bind_client(ff, r, c->b);
	}
}

void retry_clients_release(struct retry_clients *rc)
{
	for (size_t i = 0; i < rc->n; i++) {
		binding_release(rc->items[i].b);
		xfree(rc->items[i].b);
	}
	xfree(rc->items);
	memset(rc, 0, sizeof(*rc));
}

bool retry_chain_operation_in(const struct retry_clients *rc, size_t call)
{
	const struct file_facts *ff = rc->ff;
	const struct fact_call *c = &ff->calls.items[call];
	if (c->op)
		return op_compounds(c->op);
	/* no model matched: an operation only through a client with a retry layer */
	for (size_t i = 0; i < rc->n; i++)
		if ((size_t)rc->items[i].retry->call != call &&
		    goes_through(ff, call, rc->items[i].b, rc->items[i].retry))
			return true;
	return false;
}

bool retry_chain_is_operation(const struct analysis *a, const struct file_facts *ff, size_t call)
{
	struct retry_clients rc;
	bool yes;
	(void)a;
	if (call >= ff->calls.len)
		return false;
	if (ff->calls.items[call].op)
		return op_compounds(ff->calls.items[call].op);
	retry_clients_init(&rc, ff);
	yes = retry_chain_operation_in(&rc, call);
	retry_clients_release(&rc);
	return yes;
}

/* ---- code layers around one call site ---- */

static int loop_of(const struct file_facts *ff, const struct span *s)
{
	for (size_t i = 0; i < ff->loops.len; i++) {
		const struct span *l = &ff->loops.items[i].span;
		if (l->line == s->line && l->col == s->col && l->end_line == s->end_line)
			return (int)i;
	}
	return -1;
}

/*
 * Optimistic-concurrency conflicts (redis WATCH, HTTP 409, ORM stale data)
 * are retried by design and immediately; a loop that goes around only on
 * them is a transaction loop, not a failure retry: a dependency that is down
 * raises something else and leaves the loop. Naming convention, not a
 * library: these words in the caught type's name.
 * (This belongs in the model files, as a `conflict` failure class.)
 */
static bool conflict_type(const char *t)
{
	static const char *const words[] = { "watcherror", "conflict", "optimistic", "staledata",
					     "concurrentmodification" };
	char low[128];
	size_t n = 0;
	for (; t && t[n] && n + 1 < sizeof(low); n++)
		low[n] = (char)tolower((unsigned char)t[n]);
	low[n] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(low, words[i]))
			return true;
	return false;
}

/* Does loop `li` go around on a failure (not only on conflicts)? */
static bool loop_retries_failures(const struct file_facts *ff, int li)
{
	for (size_t h = 0; h < ff->handlers.len; h++) {
		const struct fact_handler *hd = &ff->handlers.items[h];
		bool all_conflict = hd->types.len > 0;
		if ((hd->kind != HANDLER_EXCEPT && hd->kind != HANDLER_ERRCHECK) || hd->loop != li || (hd->reraises && !hd->continues))
			continue;
		for (size_t i = 0; i < hd->types.len && all_conflict; i++)
			all_conflict = conflict_type(hd->types.items[i]);
		if (!all_conflict)
			return true;
	}
	return false;
}

/*
 * Does retry loop `r` go around call `ci`? The call must sit directly in the
 * loop (no inner loop: per-item work in a poll or consumer loop is not the
 * retried operation), in the body of a try whose except clause belongs to
 * this loop, and not in an except clause of it.
 */
/*
 * The inline closure of function `outer` that holds function `f` (itself
 * or an ancestor), or -1: `pRetry(() => http.post(...))` in JavaScript, a
 * function written inside `outer` whose body runs where it is passed.
 */
static int closure_in(const struct file_facts *ff, int f, int outer)
{
	for (int d = 0; f >= 0 && (size_t)f < ff->functions.len && d < 8; d++) {
		const struct fact_function *fn = &ff->functions.items[f];
		if (fn->parent == outer)
			return outer >= 0 && !fn->cls ? f : -1;
		f = fn->parent;
	}
	return -1;
}

static bool loop_covers(const struct file_facts *ff, const struct fact_retry *r, size_t ci)
{
	const struct fact_call *c = &ff->calls.items[ci];
	int li;

	if (c->span.line < r->scope.line || c->span.line > r->scope.end_line)
		return false;
	if (c->func != r->func) {
		/* a call in an inline closure (JS arrow) written inside the retried region */
		int cl = closure_in(ff, c->func, r->func);
		const struct span *cs;
		if (cl < 0)
			return false;
		cs = &ff->functions.items[cl].span;
		li = loop_of(ff, &r->scope);
		if (r->call >= 0 && (size_t)r->call < ff->calls.len)
			return span_has_line(&ff->calls.items[r->call].span, cs->line);
		if (li < 0)
			return true;
		for (size_t h = 0; h < ff->handlers.len; h++) {
			const struct fact_handler *hd = &ff->handlers.items[h];
			if ((hd->kind == HANDLER_EXCEPT || hd->kind == HANDLER_ERRCHECK) && hd->loop == li &&
			    span_has_line(&hd->guarded, cs->line))
				return true;
		}
		return false;
	}
	li = loop_of(ff, &r->scope);
	if (li < 0)
		return true; /* a library loop (tenacity Retrying) scoped to its function */
	if (c->loop != li)
		return false;
	if (r->call < 0 && !loop_retries_failures(ff, li))
		return false;
	if (r->call >= 0)
		return true; /* for attempt in Retrying(...): with attempt: ... */
	if (c->handler >= 0 && (size_t)c->handler < ff->handlers.len &&
	    ff->handlers.items[c->handler].loop == li)
		return false; /* in the except clause: not what is retried */
	for (size_t h = 0; h < ff->handlers.len; h++) {
		const struct fact_handler *hd = &ff->handlers.items[h];
		if ((hd->kind == HANDLER_EXCEPT || hd->kind == HANDLER_ERRCHECK) && hd->loop == li &&
		    span_has_line(&hd->guarded, c->span.line))
			return true;
	}
	return false;
}

static void link_from_retry(struct retry_link *l, const struct file_facts *ff,
			    const struct fact_retry *r, enum retry_role role, int depth)
{
	memset(l, 0, sizeof(*l));
	l->role = role;
	l->kind = r->kind;
	l->path = ff->path;
	l->line = r->span.line;
	l->source = r->source ? r->source : "?";
	l->attempts = r->attempts;
	l->is_default = r->is_default;
	l->depth = depth;
	l->ff = ff;
	l->retry = r;
	l->func = r->func;
}

/* A layer that retries: 0 or 1 attempt in all (`retries=0`, `max_attempts: 1`) is none. */
static bool retries_at_all(const struct fact_retry *r)
{
	return r->attempts < 0 || r->attempts > 1;
}

/*
 * Code layers (loops innermost first, then decorators) around call `ci`.
 * Returns false when the call runs in a loop that is not a retry of it (a
 * poll loop, `for msg in consumer`, `async for event in ws`): the layers of
 * the function and its callers retry the iteration (a reconnect, a new
 * poll), not this call, and are left out.
 */
static bool code_layers(const struct file_facts *ff, size_t ci, int depth, linkvec *out)
{
	const struct fact_call *c = &ff->calls.items[ci];
	size_t first = out->len;
	bool in_retry_loop = false;

	for (size_t i = 0; i < ff->retries.len; i++) {
		const struct fact_retry *r = &ff->retries.items[i];
		struct retry_link *l;
		if (r->kind != RETRY_LOOP || !loop_covers(ff, r, ci))
			continue;
		in_retry_loop = true;
		if (!retries_at_all(r))
			continue;
		l = VEC_PUSH(out);
		link_from_retry(l, ff, r, RETRY_ROLE_CODE, depth);
		l->via_line = depth ? c->span.line : 0;
	}
	if (c->loop >= 0 && !in_retry_loop)
		return false;
	/* nested loops: the one that starts last is the innermost */
	for (size_t i = first; i + 1 < out->len; i++)
		for (size_t j = i + 1; j < out->len; j++)
			if (out->items[j].line > out->items[i].line) {
				struct retry_link t = out->items[i];
				out->items[i] = out->items[j];
				out->items[j] = t;
			}
	if (c->func < 0)
		return true;
	for (size_t i = 0; i < ff->retries.len; i++) {
		const struct fact_retry *r = &ff->retries.items[i];
		struct retry_link *l;
		if (r->kind != RETRY_DECORATOR || r->func != c->func || !retries_at_all(r))
			continue;
		l = VEC_PUSH(out);
		link_from_retry(l, ff, r, RETRY_ROLE_CODE, depth);
		l->via_line = depth ? c->span.line : 0;
	}
	return true;
}

/* ---- callers ---- */

/*
 * Does `s` (length `n`) end with the dotted name `dotted` read as a path
 * (`a.b` is `a/b`), at a path-segment boundary? Compared in place, from the
 * end: this runs for every import of every candidate caller.
 */
static bool ends_with_dotted(const char *s, size_t n, const char *dotted, size_t dn)
{
	if (n < dn)
		return false;
	for (size_t i = 0; i < dn; i++) {
		char c = dotted[dn - 1 - i];
		if (s[n - 1 - i] != (c == '.' ? '/' : c))
			return false;
	}
	return n == dn || s[n - dn - 1] == '/';
}

/* Python modules and packages; Java's `import a.b.C;` is a/b/C.java */
static const char *const module_tails[] = { ".py", "/__init__.py", ".java" };

/* Can an import name the file at `path` at all (a Go or JS file: no)? */
static bool module_file_path(const char *path)
{
	size_t pl = strlen(path);
	for (size_t t = 0; t < sizeof(module_tails) / sizeof(module_tails[0]); t++) {
		size_t tl = strlen(module_tails[t]);
		if (pl >= tl && !memcmp(path + pl - tl, module_tails[t], tl))
			return true;
	}
	return false;
}

/* Does `cff` import the module that is file `dff` (`import a.b`, `from a import b`, `from .b import x`)? */
static bool module_is_file(const char *module, const char *name, const char *path)
{
	const char *const *tails = module_tails;
	size_t pl = strlen(path), ml, nl = name ? strlen(name) : 0;

	while (*module == '.')
		module++;
	ml = strlen(module);
	for (size_t t = 0; t < 3; t++) {
		size_t tl = strlen(tails[t]), stem;
		if (pl < tl || memcmp(path + pl - tl, tails[t], tl))
			continue;
		stem = pl - tl;
		/* the module itself: a/b.py */
		if (ml && ends_with_dotted(path, stem, module, ml))
			return true;
		/* a name imported from it: a/b/name.py (or name.py for `from . import name`) */
		if (!name || (!nl && !ml))
			continue;
		if (stem < nl || memcmp(path + stem - nl, name, nl))
			continue;
		if (!ml) {
			if (stem == nl || path[stem - nl - 1] == '/')
				return true;
		} else if (stem > nl && path[stem - nl - 1] == '/' &&
			   ends_with_dotted(path, stem - nl - 1, module, ml)) {
			return true;
		}
	}
	return false;
}

static bool ends_with(const char *s, size_t n, const char *tail)
{
	size_t k = strlen(tail);
	return n >= k && !strncmp(s + n - k, tail, k);
}

/*
 * Java sees the classes of its own package without an import, and those of
 * `import a.b.*;`: the package is the file's folder (a/b/C.java).
 */
static bool java_package_visible(const struct file_facts *cff, const struct file_facts *dff)
{
	const char *cs = strrchr(cff->path, '/'), *ds = strrchr(dff->path, '/');
	size_t cn = cs ? (size_t)(cs - cff->path) : 0, dn = ds ? (size_t)(ds - dff->path) : 0;

	if (!ends_with(cff->path, strlen(cff->path), ".java") ||
	    !ends_with(dff->path, strlen(dff->path), ".java"))
		return false;
	if (cn == dn && !strncmp(cff->path, dff->path, cn))
		return true;
	for (size_t i = 0; i < cff->imports.len; i++) {
		const struct fact_import *im = &cff->imports.items[i];
		char dir[256];
		size_t k = 0;
		if (!im->module || !im->name || strcmp(im->name, "*"))
			continue;
		for (const char *p = im->module; *p && k + 2 < sizeof(dir); p++)
			dir[k++] = *p == '.' ? '/' : *p;
		dir[k] = '\0';
		if (k && dn >= k && !strncmp(dff->path + dn - k, dir, k) &&
		    (dn == k || dff->path[dn - k - 1] == '/'))
			return true;
	}
	return false;
}

static bool file_imports(const struct file_facts *cff, const struct file_facts *dff)
{
	if (cff == dff || java_package_visible(cff, dff))
		return true;
	if (!module_file_path(dff->path))
		return false; /* module_is_file() is false for every import */
	for (size_t i = 0; i < cff->imports.len; i++) {
		const struct fact_import *im = &cff->imports.items[i];
		if (im->module && module_is_file(im->module, im->name, dff->path))
			return true;
	}
	return false;
}

/* The import binding `name` (first segment) in `ff`, or NULL. */
static const struct fact_import *import_of(const struct file_facts *ff, const char *s, size_t n)
{
	for (size_t i = 0; i < ff->imports.len; i++) {
		const struct fact_import *im = &ff->imports.items[i];
		const char *bound = im->alias ? im->alias : im->name ? im->name : im->module;
		if (bound && strlen(bound) == n && !strncmp(bound, s, n))
			return im;
	}
	return NULL;
}

struct retry_memo {
	struct pairmap sites;   /* (ff, func) -> fact_refs *: its resolved call sites */
	struct pairmap sites_deps; /* (ff, func) -> the dep_slice of the lookups that resolved them, packed */
	struct pairmap visible; /* (cff, defs | method) -> 1 + the one def of defs cff sees, or 0 */
};

struct retry_memo *retry_memo_new(void)
{
	return xcalloc(1, sizeof(struct retry_memo));
}

void retry_memo_free(struct retry_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->sites.len; i++) {
		fact_refs *v = m->sites.entries[i].value;
		VEC_FREE(v);
		xfree(v);
	}
	pairmap_release(&m->sites);
	pairmap_release(&m->sites_deps);
	pairmap_release(&m->visible);
	xfree(m);
}

/*
 * Of the definitions `defs` (one name's), the one `cff` can see (as a
 * method or not) when exactly one: its index + 1, else 0.
 */
static size_t visible_def(const fact_refs *defs, const struct file_facts *cff, bool method)
{
	size_t n = 0, which = 0;
	for (size_t i = 0; i < defs->len; i++) {
		const struct file_facts *f = defs->items[i].ff;
		const struct fact_function *d = &f->functions.items[defs->items[i].idx];
		if ((func_cls(f, (int)defs->items[i].idx) != NULL) != method)
			continue;
		if (d->parent >= 0 && !d->cls)
			continue; /* a nested def is not visible from elsewhere */
		if (!file_imports(cff, f))
			continue;
		n++;
		which = i + 1;
	}
	return n == 1 ? which : 0;
}

/* Is the function `dfunc` of `dff` the only candidate of its name that `cff` can see? */
static bool only_visible_def(const struct analysis *a, const struct file_facts *dff, int dfunc,
			     const struct file_facts *cff, bool method)
{
	const struct fact_function *fn = &dff->functions.items[dfunc];
	const fact_refs *defs = index_functions_upto(a->ix, fn->name, MAX_DEFS);
	size_t which;
	void *known;

	if (!defs)
		return false;
	/* every call site of a name asks again: the answer is the caller file's, per name */
	uint64_t key = (uint64_t)(uintptr_t)defs | (method ? 1u : 0u); /* defs: malloc-aligned */
	if (a->retry_memo && pairmap_find(&a->retry_memo->visible, cff, key, &known)) {
		which = (size_t)(uintptr_t)known;
	} else {
		which = visible_def(defs, cff, method);
		if (a->retry_memo)
			pairmap_put(&a->retry_memo->visible, cff, key, (void *)(uintptr_t)which);
	}
	return which && defs->items[which - 1].ff == dff && defs->items[which - 1].idx == (size_t)dfunc;
}

static bool is_self(const char *s, size_t n)
{
	return (n == 4 && !strncmp(s, "self", 4)) || (n == 3 && !strncmp(s, "cls", 3)) ||
	       (n == 7 && !strncmp(s, "super()", 7)) ||
	       (n == 4 && !strncmp(s, "this", 4)); /* JavaScript, TypeScript, Java */
}

/* Is call `site` of `cff` a call of function `dfunc` of `dff`? */
static bool calls_function(const struct analysis *a, const struct file_facts *cff,
			   const struct fact_call *site, const struct file_facts *dff, int dfunc)
{
	const struct fact_function *fn = &dff->functions.items[dfunc];
	const char *dcls = func_cls(dff, dfunc);
	size_t rl, fl;
	const struct fact_import *im;

	if (site->op || site->model || !site->callee || !fn->name)
		return false;
	if (!strncmp(fn->name, "__", 2))
		return false; /* dunders: called by the runtime, not by name */
	rl = receiver_len(site->callee);
	if (!rl) {
		if (fn->cls) {
			/* Java's implicit this: `pick()` in a method is `this.pick()` */
			const char *ccls = func_cls(cff, site->func);
			return cff == dff && site->func >= 0 && dcls && ccls && !strcmp(dcls, ccls) &&
			       cff->functions.items[site->func].implicit_receiver;
		}
		if (cff == dff)
			return true;
		/* from module import name */
		return fn->parent < 0 && (im = import_of(cff, site->callee, strlen(site->callee))) &&
		       im->name && only_visible_def(a, dff, dfunc, cff, false);
	}
	fl = strcspn(site->callee, ".");
	const char *own = site->func >= 0 ? cff->functions.items[site->func].receiver : NULL;
	if ((is_self(site->callee, fl) || (own && strlen(own) == fl && !strncmp(site->callee, own, fl))) &&
	    fl == rl) { /* self.f(), or through the method's receiver (Go's d.f()) */
		const char *ccls = func_cls(cff, site->func);
		if (cff == dff)
			return dcls && ccls && !strcmp(dcls, ccls);
		return dcls && only_visible_def(a, dff, dfunc, cff, true); /* inherited */
	}
	if ((im = import_of(cff, site->callee, fl))) {
		/* module.function(): the module must be the definition's file */
		return !fn->cls && fl == rl && module_is_file(im->module, im->name, dff->path);
	}
	/* obj.method(): the only method of that name the caller's file can see */
	return dcls && only_visible_def(a, dff, dfunc, cff, true);
}

/* ---- the walk up the callers ---- */

struct walk {
	const struct analysis *a;
	linkvec path; /* code layers above depth 0 along the current path */
	linkvec best;
	struct {
		const struct file_facts *ff;
		int func;
	} stack[RETRY_CHAIN_DEPTH + 2];
	int nstack;
	int budget;
	struct retry_memo *memo; /* the analysis's, or NULL */
	VEC(fact_refs *) tmp; /* without a cache: the lists made, freed after the walk */
};

static long score_product(const linkvec *v)
{
	long p = 1;
	for (size_t i = 0; i < v->len; i++) {
		long n = v->items[i].attempts < 0 ? 1000 : v->items[i].attempts;
		p = p > PRODUCT_CAP / (n ? n : 1) ? PRODUCT_CAP : p * (n ? n : 1);
	}
	return p;
}

static void consider(struct walk *w)
{
	if (w->path.len < w->best.len ||
	    (w->path.len == w->best.len && score_product(&w->path) <= score_product(&w->best)))
		return;
	w->best.len = 0;
	for (size_t i = 0; i < w->path.len; i++)
		VEC_APPEND(&w->best, w->path.items[i]);
}

static bool on_stack(const struct walk *w, const struct file_facts *ff, int func)
{
	for (int i = 0; i < w->nstack; i++)
		if (w->stack[i].ff == ff && w->stack[i].func == func)
			return true;
	return false;
}

/*
 * The call sites of function `func` of `ff` (calls_function() holds),
 * from the analysis's memo when there is one. Without a memo the result
 * is a temporary owned by the walk (w->tmp).
 */
static const fact_refs *resolved_sites(struct walk *w, const struct file_facts *ff, int func)
{
	const struct fact_function *fn = &ff->functions.items[func];
	const fact_refs *all = fn->name ? index_callers(w->a->ix, fn->name) : NULL;
	fact_refs *out;

	struct dep_rec *rec = w->a->ix->rec;
	void *packed;
	if (w->memo) {
		out = pairmap_get(&w->memo->sites, ff, (uint64_t)(int64_t)func);
		if (out) {
			/* the lookups calls_function made for the first target that asked are this one's too */
			if (pairmap_find(&w->memo->sites_deps, ff, (uint64_t)(int64_t)func, &packed))
				dep_replay(rec, (struct dep_slice){ (uint32_t)((uintptr_t)packed >> 32),
								    (uint32_t)(uintptr_t)packed });
			return out;
		}
		out = xcalloc(1, sizeof(*out));
		pairmap_put(&w->memo->sites, ff, (uint64_t)(int64_t)func, out);
	} else {
		out = xcalloc(1, sizeof(*out));
		VEC_APPEND(&w->tmp, out);
	}
	size_t mark = dep_mark(rec);
	for (size_t i = 0; all && i < all->len && i < MAX_SITES_SCANNED; i++) {
		const struct file_facts *cff = all->items[i].ff;
		const struct fact_call *site = &cff->calls.items[all->items[i].idx];
		if (calls_function(w->a, cff, site, ff, func))
			VEC_APPEND(out, all->items[i]);
	}
	if (w->memo && rec) {
		struct dep_slice sl = dep_keep(rec, mark);
		pairmap_put(&w->memo->sites_deps, ff, (uint64_t)(int64_t)func,
			    (void *)(uintptr_t)((uint64_t)sl.off << 32 | sl.len));
	}
	return out;
}

static void walk_up(struct walk *w, const struct file_facts *ff, int func, int depth)
{
	const fact_refs *sites;
	int followed = 0;

	consider(w);
	if (depth > RETRY_CHAIN_DEPTH || func < 0 || (size_t)func >= ff->functions.len)
		return;
	sites = resolved_sites(w, ff, func);
	if (!sites || !sites->len)
		return;
	w->stack[w->nstack].ff = ff;
	w->stack[w->nstack].func = func;
	w->nstack++;
	for (size_t i = 0; i < sites->len && followed < SITES_PER_FUNC && w->budget > 0; i++) {
		const struct file_facts *cff = sites->items[i].ff;
		size_t si = sites->items[i].idx;
		const struct fact_call *site = &cff->calls.items[si];
		size_t mark = w->path.len;

		if (site->func >= 0 && on_stack(w, cff, site->func))
			continue; /* recursion */
		w->budget--;
		followed++;
		if (!code_layers(cff, si, depth, &w->path))
			consider(w);
		else if (site->func >= 0)
			walk_up(w, cff, site->func, depth + 1);
		else
			consider(w);
		w->path.len = mark;
	}
	w->nstack--;
}

/* ---- topology ---- */

/* Whole-word, case-insensitive: does `text` mention `word`? */
static bool mentions(const char *text, const char *word)
{
	size_t n = strlen(word);
	if (!text || !n)
		return false;
	for (const char *p = text; *p; p++) {
		if (strncasecmp(p, word, n))
			continue;
		if (p > text && isalnum((unsigned char)p[-1]))
			continue;
		if (isalnum((unsigned char)p[n]))
			continue;
		return true;
	}
	return false;
}

static const char *const *protocol_words(const char *op)
{
	static const char *const http[] = { "http", "https", "rest", NULL };
	static const char *const rpc[] = { "grpc", "rpc", NULL };
	static const char *const queue[] = { "queue", "stream", "streams", "kafka", "amqp", "rabbitmq",
					     "sqs", "nats", "pub/sub", NULL };
	static const char *const storage[] = { "s3", "storage", "blob", "gcs", "bucket", NULL };
	static const char *const db[] = { "sql", "postgres", "postgresql", "mysql", "database", NULL };
	static const char *const kv[] = { "redis", "memcached", "kv", "cache", NULL };
	static const char *const ws[] = { "websocket", NULL };

	if (!op)
		return NULL;
	if (!strcmp(op, "http.request"))
		return http;
	if (has_prefix(op, "rpc."))
		return rpc;
	if (has_prefix(op, "queue."))
		return queue;
	if (has_prefix(op, "storage."))
		return storage;
	if (has_prefix(op, "db."))
		return db;
	if (has_prefix(op, "kv."))
		return kv;
	if (has_prefix(op, "stream."))
		return ws;
	return NULL;
}

static bool via_matches(const struct topo_relationship *r, const char *const *words)
{
	for (size_t i = 0; words[i]; i++)
		if (mentions(r->via, words[i]))
			return true;
	return false;
}

/* Does the relationship's text describe a layer already in the chain (its library)? */
static bool documents_layer(const struct topo_relationship *r, const linkvec *links)
{
	for (size_t i = 0; i < links->len; i++) {
		const char *src = links->items[i].source;
		size_t n = strcspn(src, ".(");
		char lib[64];
		if (!n || n >= sizeof(lib) || links->items[i].role == RETRY_ROLE_TOPOLOGY)
			continue;
		if (links->items[i].kind == RETRY_LOOP && links->items[i].retry &&
		    links->items[i].retry->call < 0)
			continue; /* a hand-written loop has no library name */
		memcpy(lib, src, n);
		lib[n] = '\0';
		if (mentions(r->via, lib) || mentions(r->notes, lib))
			return true;
	}
	return false;
}

/*
 * The relationship `call` crosses: from the file's component, `via` naming
 * the call's protocol; among several, the one naming the call's library or
 * whose target component the callee names. NULL unless exactly one.
 */
static const struct topo_relationship *crossed(const struct analysis *a, const struct file_facts *ff,
					       const struct fact_call *call)
{
	const struct topology *t = a->topo;
	const char *const *words = protocol_words(call->op);
	const struct topo_relationship *only = NULL, *named = NULL;
	int comp, nmatch = 0, nnamed = 0;

	if (!t || !words)
		return NULL;
	comp = topology_component_for_path(t, ff->path);
	if (comp < 0)
		return NULL;
	for (size_t i = 0; i < t->relationships.len; i++) {
		const struct topo_relationship *r = &t->relationships.items[i];
		if (r->from_idx != comp || !via_matches(r, words))
			continue;
		nmatch++;
		only = r;
		if ((call->model && (mentions(r->via, call->model) || mentions(r->notes, call->model))) ||
		    (r->to && call->callee && strstr(call->callee, r->to))) {
			nnamed++;
			named = r;
		}
	}
	if (nmatch == 1)
		return only;
	return nnamed == 1 ? named : NULL;
}

/* ---- the chain ---- */

static void tally(struct retry_chain *c)
{
	c->product = 1;
	c->unknown = c->defaults = 0;
	for (size_t i = 0; i < c->links.len; i++) {
		const struct retry_link *l = &c->links.items[i];
		if (l->is_default)
			c->defaults++;
		if (l->attempts < 0) {
			c->unknown++;
			continue;
		}
		if (l->attempts && c->product <= PRODUCT_CAP / l->attempts)
			c->product *= l->attempts;
		else if (l->attempts)
			c->product = PRODUCT_CAP;
	}
}

size_t retry_chain_for_call_in(const struct analysis *a, const struct retry_clients *rc, size_t call,
			       struct retry_chain *out)
{
	const struct file_facts *ff = rc->ff;
	const struct fact_call *c;
	struct walk w;

	out->links.len = 0;
	for (size_t i = 0; i < out->strings.len; i++)
		xfree(out->strings.items[i]);
	out->strings.len = 0;
	if (call >= ff->calls.len) {
		tally(out);
		return 0;
	}
	c = &ff->calls.items[call];

	/* 1. the client the call goes through, or a client layer made at the call itself */
	for (size_t i = 0; i < rc->n; i++) {
		const struct fact_retry *r = rc->items[i].retry;
		const struct binding *b = rc->items[i].b;
		const char *shown;
		struct retry_link *l = NULL;

		if ((size_t)r->call == call) {
			link_from_retry(VEC_PUSH(&out->links), ff, r, RETRY_ROLE_CLIENT, 0);
			continue;
		}
		if (!goes_through(ff, call, b, r))
			continue;
		shown = binding_shown(b);
		/* `if x: self.r = A(...) else: self.r = B(...)`: alternatives */
		for (size_t j = 0; j < out->links.len && !l; j++) {
			struct retry_link *o = &out->links.items[j];
			if (o->role == RETRY_ROLE_CLIENT && o->bound_to && shown &&
			    !strcmp(o->bound_to, shown))
				l = o;
		}
		/*
		 * One client, one layer: keep the count we can read
		 * (HTTPAdapter(max_retries=retry) is counted by `retry`),
		 * else the larger.
		 */
		if (!l)
			l = VEC_PUSH(&out->links);
		else if (r->attempts < 0 || (l->attempts >= 0 && r->attempts <= l->attempts))
			continue;
		link_from_retry(l, ff, r, RETRY_ROLE_CLIENT, 0);
		if (shown) {
			char *copy = xstrdup(shown);
			VEC_APPEND(&out->strings, copy);
			l->bound_to = copy;
		}
	}

	/* 2. loops and decorators around it, then around its callers */
	memset(&w, 0, sizeof(w));
	w.a = a;
	w.budget = WALK_BUDGET;
	w.memo = a->retry_memo;
	if (code_layers(ff, call, 0, &out->links) && c->func >= 0)
		walk_up(&w, ff, c->func, 1);
	for (size_t i = 0; i < w.best.len; i++)
		VEC_APPEND(&out->links, w.best.items[i]);
	VEC_FREE(&w.path);
	VEC_FREE(&w.best);
	for (size_t i = 0; i < w.tmp.len; i++) {
		VEC_FREE(w.tmp.items[i]);
		xfree(w.tmp.items[i]);
	}
	VEC_FREE(&w.tmp);

	/* 3. the relationship it crosses */
	if (out->links.len) {
		const struct topo_relationship *r = crossed(a, ff, c);
		if (r && r->retries > 0 && !documents_layer(r, &out->links)) {
			struct retry_link *l = VEC_PUSH(&out->links);
			memset(l, 0, sizeof(*l));
			l->role = RETRY_ROLE_TOPOLOGY;
			l->kind = RETRY_CLIENT;
			l->path = a->topo->path;
			l->line = r->span.line;
			l->source = "topology";
			l->attempts = r->retries + 1;
			l->depth = RETRY_CHAIN_DEPTH + 1;
			l->func = -1;
			l->rel = r;
		}
	}
	tally(out);
	return out->links.len;
}

size_t retry_chain_for_call(const struct analysis *a, const struct file_facts *ff, size_t call,
			    struct retry_chain *out)
{
	struct retry_clients rc;
	size_t n;
	retry_clients_init(&rc, ff);
	n = retry_chain_for_call_in(a, &rc, call, out);
	retry_clients_release(&rc);
	return n;
}
