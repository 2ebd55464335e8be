/*
 * models_resolve(): what the calls, handlers and decorators of one file
 * mean, through the models its imports activate. Language-independent: it
 * reads only the facts (imports, calls, handlers, functions) and writes
 * call->op/model, handler->cls and new retry facts.
 *
 * Names are resolved through the file's imports first (`from redis import
 * asyncio as aioredis` makes `aioredis.Redis` mean `redis.asyncio.Redis`),
 * so that `callee`, `match` and exception `type` entries compare full
 * dotted names; `method` entries compare the last segment of a call on an
 * object whose type we cannot know statically.
 */
#include "models.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../base/strmap.h"
#include "../base/banned.h"

struct ctx {
	const struct model_set *ms;
	struct file_facts *ff;
	struct strmap bind;   /* local name -> dotted target (xstrdup'd, freed at the end) */
	bool *active;         /* per model */
	bool *is_deco;        /* per call: the call of a decorator `@x(...)` */
};

/* `prefix` is `name` or a dotted ancestor of it ("redis" of "redis.asyncio"). */
static bool dotted_prefix(const char *prefix, const char *name)
{
	size_t n = strlen(prefix);
	return !strncmp(prefix, name, n) && (name[n] == '\0' || name[n] == '.');
}

static bool model_owns(const struct api_model *m, const char *module)
{
	for (size_t i = 0; i < m->imports.len; i++)
		if (dotted_prefix(m->imports.items[i], module))
			return true;
	return false;
}

static void bind(struct ctx *c, const char *local, char *target)
{
	xfree(strmap_put(&c->bind, local, target));
}

/*
 * Python's binding rules, which the facts encode as module/name/alias:
 * `import a.b` binds a; `import a.b as x` binds x = a.b;
 * `from a import b [as x]` binds b (or x) = a.b; `from a import *` binds nothing.
 */
static void build_bindings(struct ctx *c)
{
	for (size_t i = 0; i < c->ff->imports.len; i++) {
		const struct fact_import *im = &c->ff->imports.items[i];
		const char *dot;
		if (!im->module || im->module[0] == '.' || !im->module[0])
			continue; /* relative imports name no library */
		if (im->name) {
			struct strbuf sb = STRBUF_INIT;
			if (!strcmp(im->name, "*"))
				continue;
			strbuf_addf(&sb, "%s.%s", im->module, im->name);
			bind(c, im->alias ? im->alias : im->name, strbuf_detach(&sb, NULL));
			continue;
		}
		dot = strchr(im->module, '.');
		if (dot) {
			size_t n = (size_t)(dot - im->module);
			/* `import a.b` binds `a` (a front-end may record alias "a"). */
			if (!im->alias || (!strncmp(im->alias, im->module, n) && !im->alias[n])) {
				char *head = xstrndup(im->module, n);
				bind(c, head, xstrdup(head));
				xfree(head);
				continue;
			}
		}
		bind(c, im->alias ? im->alias : im->module, xstrdup(im->module));
	}
}

/* TypeScript and TSX files use the JavaScript models: one ecosystem, one set. */
static enum lang model_lang(enum lang l)
{
	return l == LANG_TYPESCRIPT || l == LANG_TSX ? LANG_JAVASCRIPT : l;
}

static void find_active(struct ctx *c)
{
	for (size_t k = 0; k < c->ms->models.len; k++) {
		const struct api_model *m = &c->ms->models.items[k];
		if (model_lang(m->lang) != model_lang(c->ff->lang))
			continue;
		if (m->always) {
			c->active[k] = true;
			continue;
		}
		for (size_t i = 0; i < c->ff->imports.len && !c->active[k]; i++) {
			const struct fact_import *im = &c->ff->imports.items[i];
			if (!im->module)
				continue;
			if (model_owns(m, im->module)) {
				c->active[k] = true;
			} else if (im->name) {
				struct strbuf sb = STRBUF_INIT;
				strbuf_addf(&sb, "%s.%s", im->module, im->name);
				c->active[k] = model_owns(m, sb.buf);
				strbuf_release(&sb);
			}
		}
	}
}

/* Length of the first segment of a written name ("self" of "self.r.get(x)"). */
static size_t first_seg_len(const char *s)
{
	return strcspn(s, ".([ \t");
}

/*
 * The dotted target the first segment of `written` is bound to by an
 * import, or NULL when it is a local name (self, a variable, a builtin).
 */
static const char *bound_target(const struct ctx *c, const char *written)
{
	size_t n = first_seg_len(written);
	char *head = xstrndup(written, n);
	const char *t = strmap_get(&c->bind, head);
	xfree(head);
	return t;
}

/* `written` with its first segment replaced by its import target; NULL if unbound. Caller frees. */
static char *resolve_name(const struct ctx *c, const char *written)
{
	const char *t = bound_target(c, written);
	struct strbuf sb = STRBUF_INIT;
	if (!t)
		return NULL;
	strbuf_addstr(&sb, t);
	strbuf_addstr(&sb, written + first_seg_len(written));
	return strbuf_detach(&sb, NULL);
}

static const char *last_seg(const char *s)
{
	const char *dot = strrchr(s, '.');
	return dot ? dot + 1 : s;
}

/* The receiver text of a written callee ("self.redis" of "self.redis.xack"), or NULL. Caller frees. */
static char *receiver_of(const char *written)
{
	const char *dot = strrchr(written, '.');
	return dot ? xstrndup(written, (size_t)(dot - written)) : NULL;
}

/*
 * Does a `method` entry (method + optional receiver word) apply to a call
 * or decorator written `written`? Only on models that own the module the
 * receiver is imported from, when it is imported at all (`os.environ.get`
 * is never redis' GET).
 */
static bool method_applies(const struct ctx *c, const struct api_model *m, const char *method,
			   const char *receiver_word, const char *written)
{
	const char *t = bound_target(c, written);
	char *recv;
	bool ok;

	if (strcmp(method, last_seg(written)))
		return false;
	if (t && !model_owns(m, t))
		return false;
	recv = receiver_of(written);
	ok = recv && (!receiver_word || strcasestr(recv, receiver_word));
	xfree(recv);
	return ok;
}

/* ---- calls ---- */

static void resolve_call(struct ctx *c, size_t ci)
{
	struct fact_call *call = &c->ff->calls.items[ci];
	const struct api_model *hit_m = NULL;
	const struct model_call *hit = NULL;
	char *resolved;

	if (!call->callee)
		return;
	resolved = resolve_name(c, call->callee);
	for (size_t k = 0; k < c->ms->models.len && !hit && resolved; k++) {
		const struct api_model *m = &c->ms->models.items[k];
		if (!c->active[k])
			continue;
		for (size_t i = 0; i < m->calls.len; i++) {
			const struct model_call *mc = &m->calls.items[i];
			if (mc->callee && !strcmp(mc->callee, resolved) &&
			    (!mc->decorator || c->is_deco[ci])) {
				hit = mc, hit_m = m;
				break;
			}
		}
	}
	/* Globals of an `always` model (`fetch`): a name no import binds, as written. */
	for (size_t k = 0; k < c->ms->models.len && !hit && !resolved; k++) {
		const struct api_model *m = &c->ms->models.items[k];
		if (!c->active[k] || !m->always)
			continue;
		for (size_t i = 0; i < m->calls.len; i++) {
			const struct model_call *mc = &m->calls.items[i];
			if (mc->callee && !mc->decorator && !strcmp(mc->callee, call->callee)) {
				hit = mc, hit_m = m;
				break;
			}
		}
	}
	/* Method entries: one with a matching receiver word beats one without. */
	for (size_t k = 0; k < c->ms->models.len && (!hit || !hit->receiver) && !(hit && hit->callee); k++) {
		const struct api_model *m = &c->ms->models.items[k];
		if (!c->active[k])
			continue;
		for (size_t i = 0; i < m->calls.len; i++) {
			const struct model_call *mc = &m->calls.items[i];
			if (!mc->method || (mc->decorator && !c->is_deco[ci]))
				continue;
			if (hit && !mc->receiver)
				continue;
			if (method_applies(c, m, mc->method, mc->receiver, call->callee)) {
				hit = mc, hit_m = m;
				if (mc->receiver)
					break;
			}
		}
	}
	xfree(resolved);
	if (!hit)
		return;
	call->op = facts_str(c->ff, hit->op, strlen(hit->op));
	call->model = facts_str(c->ff, hit_m->library, strlen(hit_m->library));
}

/* ---- handlers ---- */

static bool is_catch_all(const char *t)
{
	return !strcmp(t, "Exception") || !strcmp(t, "BaseException") ||
	       !strcmp(t, "builtins.Exception") || !strcmp(t, "builtins.BaseException");
}

/* Do `a` and `b` end in the same `Type.member` (two last segments)? */
static bool same_member(const char *a, const char *b)
{
	const char *la = last_seg(a), *lb = last_seg(b), *ta = la, *tb = lb;
	size_t na, nb;

	if (la == a || lb == b)
		return false;
	for (ta = la - 1; ta > a && ta[-1] != '.'; ta--)
		;
	for (tb = lb - 1; tb > b && tb[-1] != '.'; tb--)
		;
	na = (size_t)(la - ta);
	nb = (size_t)(lb - tb);
	return na == nb && !strncmp(ta, tb, na) && !strcmp(la, lb);
}

static enum failure_class classify_type(const struct ctx *c, const char *written)
{
	char *resolved;
	const char *name, *t, *last;
	bool any = false, agree = true;
	enum failure_class cls = FAIL_UNKNOWN;

	if (!*written || is_catch_all(written))
		return FAIL_UNKNOWN;
	resolved = resolve_name(c, written);
	name = resolved ? resolved : written;
	t = bound_target(c, written);
	for (size_t k = 0; k < c->ms->models.len; k++) {
		const struct api_model *m = &c->ms->models.items[k];
		if (!c->active[k])
			continue;
		for (size_t i = 0; i < m->exceptions.len; i++)
			if (!strcmp(m->exceptions.items[i].type, name)) {
				cls = m->exceptions.items[i].cls;
				goto out;
			}
	}
	/*
	 * Not the exact path: a re-export (`redis.ConnectionError` for
	 * `redis.exceptions.ConnectionError`) or an unimported bare name.
	 * Match the last segment within the owning model, or among all active
	 * models when the name is not imported, if they agree.
	 */
	last = last_seg(name);
	for (size_t k = 0; k < c->ms->models.len && agree; k++) {
		const struct api_model *m = &c->ms->models.items[k];
		if (!c->active[k] || (t && !model_owns(m, t)))
			continue;
		for (size_t i = 0; i < m->exceptions.len; i++) {
			const struct model_exception *x = &m->exceptions.items[i];
			if (strcmp(last_seg(x->type), last))
				continue;
			/* a listener method (`WebSocket.Listener.onError`): its type must match too */
			if (islower((unsigned char)*last) && !same_member(x->type, name))
				continue;
			if (any && x->cls != cls)
				agree = false;
			cls = x->cls;
			any = true;
		}
	}
	if (!agree)
		cls = FAIL_UNKNOWN;
out:
	xfree(resolved);
	return cls;
}

/*
 * A handler is as strong as its strongest type: observation (the caught
 * failure may be only the monitoring channel's) over infrastructure over
 * logic; logic only when every type is logic; a catch-all is unknown.
 */
static void classify_handler(struct ctx *c, struct fact_handler *h)
{
	bool obs = false, infra = false, all_logic = h->types.len > 0;
	for (size_t i = 0; i < h->types.len; i++) {
		enum failure_class k = classify_type(c, h->types.items[i]);
		obs |= k == FAIL_OBSERVATION;
		infra |= k == FAIL_INFRASTRUCTURE;
		all_logic &= k == FAIL_LOGIC;
	}
	h->cls = obs ? FAIL_OBSERVATION : infra ? FAIL_INFRASTRUCTURE :
		 all_logic ? FAIL_LOGIC : FAIL_UNKNOWN;
}

/*
 * An untyped error check (Go's bare `if err != nil`) names no type: its
 * class is the failure mode of the guarded call. A remote operation fails
 * for infrastructure reasons; a stream receive ends when the monitoring
 * channel does (observation). Typed handlers keep their types' class.
 */
static enum failure_class op_failure_class(const char *op)
{
	static const char *const remote[] = { "http.request", "rpc.call", "health.check" };
	static const char *const families[] = { "queue.", "stream.", "kv.", "db.", "storage." };
	if (!strcmp(op, "stream.recv"))
		return FAIL_OBSERVATION;
	for (size_t i = 0; i < sizeof(remote) / sizeof(*remote); i++)
		if (!strcmp(op, remote[i]))
			return FAIL_INFRASTRUCTURE;
	for (size_t i = 0; i < sizeof(families) / sizeof(*families); i++)
		if (!strncmp(op, families[i], strlen(families[i])))
			return FAIL_INFRASTRUCTURE;
	return FAIL_UNKNOWN;
}

static void classify_errcheck(struct ctx *c, size_t hi)
{
	struct fact_handler *h = &c->ff->handlers.items[hi];
	bool obs = false, infra = false;
	if (h->kind != HANDLER_ERRCHECK || h->types.len || h->cls != FAIL_UNKNOWN)
		return;
	for (size_t ci = 0; ci < c->ff->calls.len; ci++) {
		const struct fact_call *call = &c->ff->calls.items[ci];
		if (call->guard != (int)hi || !call->op)
			continue;
		enum failure_class k = op_failure_class(call->op);
		obs |= k == FAIL_OBSERVATION;
		infra |= k == FAIL_INFRASTRUCTURE;
	}
	h->cls = obs ? FAIL_OBSERVATION : infra ? FAIL_INFRASTRUCTURE : FAIL_UNKNOWN;
}

/* ---- retry layers ---- */

struct cand {
	enum retry_kind kind;
	char *source;
	int attempts;
	bool is_default;
	struct span span;
	int func;
	int call;
	struct span scope;
	bool from_call;
	bool dropped;
};
typedef VEC(struct cand) candvec;

static const struct fact_arg *kwarg(const struct fact_arg *args, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (args[i].name && !strcmp(args[i].name, name))
			return &args[i];
	return NULL;
}

static const struct fact_arg *posarg(const struct fact_arg *args, size_t n, int pos)
{
	for (size_t i = 0; i < n; i++)
		if (!args[i].name && pos-- == 0)
			return &args[i];
	return NULL;
}

static const char *arg_text(const struct fact_arg *a)
{
	return a->value ? a->value : a->text ? a->text : "";
}

static bool is_ident(int ch)
{
	return isalnum(ch) || ch == '_';
}

/* An integer at `s` after optional blanks; false if none. */
static bool parse_int_at(const char *s, int *out)
{
	char *end;
	long v;
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!isdigit((unsigned char)*s) && !(*s == '-' && isdigit((unsigned char)s[1])))
		return false;
	v = strtol(s, &end, 10);
	if (is_ident((unsigned char)*end) || *end == '.')
		return false; /* 3.5, 3e2, 3x: not a count */
	*out = v > 1000000 ? 1000000 : v < -1 ? -1 : (int)v;
	return true;
}

/* Find the identifier `word` as a whole word in `s`; returns what follows it or NULL. */
static const char *find_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = s; (p = strstr(p, word)); p++) {
		if (p > s && is_ident((unsigned char)p[-1]))
			continue;
		if (is_ident((unsigned char)p[n]))
			continue;
		return p + n;
	}
	return NULL;
}

/*
 * The last top-level argument of the argument list opening at `open`
 * (`WithMaxRetries(b, 4)` -> " 4)"), or NULL when there is one argument or
 * the list does not close. Brackets nest; strings are not looked into.
 */
static const char *last_arg(const char *open)
{
	const char *last = NULL;
	int depth = 0;
	for (const char *p = open; *p; p++) {
		if (*p == '(' || *p == '[' || *p == '{')
			depth++;
		else if (*p == ')' || *p == ']' || *p == '}') {
			if (--depth == 0)
				return last;
		} else if (*p == ',' && depth == 1)
			last = p + 1;
	}
	return NULL;
}

static bool count_in_text(const struct model_retry *r, const char *text, int *n)
{
	const char *p, *l;
	if (r->attempts_call) {
		/* the count first (`retry.Attempts(3)`) or last (`backoff.WithMaxRetries(b, 3)`) */
		for (p = text; (p = find_word(p, r->attempts_call));) {
			while (*p == ' ')
				p++;
			if (*p == '(' && (parse_int_at(p + 1, n) || ((l = last_arg(p)) && parse_int_at(l, n))))
				return true;
		}
		return false;
	}
	if (r->attempts_key) {
		/* {'max_attempts': 5}, {"maxAttempts": 5} or dict(max_attempts=5) */
		for (p = text; (p = find_word(p, r->attempts_key));) {
			if (*p == '\'' || *p == '"' || *p == '\\')
				p++;
			if (*p == '"')
				p++;
			while (*p == ' ')
				p++;
			if ((*p == ':' || *p == '=') && parse_int_at(p + 1, n))
				return true;
		}
		return false;
	}
	return parse_int_at(text, n);
}

static bool truthy(const struct fact_arg *a)
{
	const char *v = a->value;
	return !v || (strcmp(v, "False") && strcmp(v, "None") && strcmp(v, "0") &&
		      strcmp(v, "false") && strcmp(v, "null") && strcmp(v, "nil"));
}

/*
 * Does retry entry `r` make a layer of this call/decorator? Fills
 * attempts/is_default; *counted says whether the code gave a count.
 */
static bool retry_layer(const struct model_retry *r, const struct fact_arg *args, size_t nargs,
			int *attempts, bool *is_default, bool *counted)
{
	const struct fact_arg *a = NULL, *w;
	int n;

	if (r->when_arg && (!(w = kwarg(args, nargs, r->when_arg)) || !truthy(w)))
		return false;
	if (r->unless_arg && kwarg(args, nargs, r->unless_arg))
		return false;
	*counted = false;
	if (r->attempts_arg)
		a = kwarg(args, nargs, r->attempts_arg);
	if (!a && r->attempts_pos >= 0)
		a = posarg(args, nargs, r->attempts_pos);
	if (a) {
		*counted = count_in_text(r, arg_text(a), &n);
	} else if (!r->attempts_arg && r->attempts_pos < 0 && (r->attempts_call || r->attempts_key)) {
		for (size_t i = 0; i < nargs && !*counted; i++)
			*counted = count_in_text(r, arg_text(&args[i]), &n);
	}
	if (*counted) {
		*attempts = n < 0 ? -1 : r->arg_counts_retries ? n + 1 : n;
		*is_default = false;
	} else {
		/* default_attempts 0: no layer unless the code gives a count. */
		if (!a && r->default_attempts == 0)
			return false;
		/* Configured with something we cannot read: a layer of unknown size. */
		*attempts = a ? -1 : r->default_attempts;
		*is_default = !a && r->is_default;
	}
	return true;
}

/* Names equal but for a `this.` / `self.` prefix (a field read either way). */
static bool same_field(const char *a, const char *b)
{
	if (!strncmp(a, "this.", 5) || !strncmp(a, "self.", 5))
		a += 5;
	if (!strncmp(b, "this.", 5) || !strncmp(b, "self.", 5))
		b += 5;
	return !strcmp(a, b);
}

static bool plain_name(const char *t)
{
	if (!t || !(isalpha((unsigned char)*t) || *t == '_'))
		return false;
	for (; *t; t++)
		if (!is_ident((unsigned char)*t) && *t != '.')
			return false;
	return true;
}

/*
 * The count a retry object was built with, for a library retry whose own
 * call does not say it: the receiver `template` of `template.execute(...)`,
 * or the argument `retry` of `Retry.decorateSupplier(retry, ...)`, holds the
 * value of a call whose chain or arguments name the count
 * (`RetryTemplate.builder().maxAttempts(5).build()`, `Retry.of("x", cfg)`
 * with `cfg = RetryConfig.custom().maxAttempts(5).build()`): a call named
 * `attempts_call` with a literal first argument. Names passed on are
 * followed up to `hops` times.
 */
static bool built_count(const struct file_facts *ff, const char *name, const char *attempts_call,
			int hops, int *n)
{
	for (size_t k = 0; k < ff->calls.len; k++) {
		const struct fact_call *b = &ff->calls.items[k];
		if (!b->assigned_to || !same_field(b->assigned_to, name))
			continue;
		for (size_t i = 0; i < ff->calls.len; i++) {
			const struct fact_call *l = &ff->calls.items[i];
			const struct fact_arg *a;
			if (i != k && l->carrier != (int)k)
				continue;
			if (l->method && !strcmp(l->method, attempts_call) &&
			    (a = posarg(l->args, l->nargs, 0)) && parse_int_at(arg_text(a), n))
				return true;
			for (size_t j = 0; hops > 0 && j < l->nargs; j++)
				if (!l->args[j].value && plain_name(l->args[j].text) &&
				    strcmp(l->args[j].text, name) &&
				    built_count(ff, l->args[j].text, attempts_call, hops - 1, n))
					return true;
		}
	}
	return false;
}

static bool retry_name_matches(const struct ctx *c, const struct api_model *m,
			       const struct model_retry *r, const char *written, const char *resolved)
{
	if (r->match)
		return resolved && !strcmp(r->match, resolved);
	return method_applies(c, m, r->method, r->receiver, written);
}

/*
 * The first entry of the active models that gives a count wins; otherwise
 * the first that matched at all (its default). One layer per call.
 */
static bool best_retry(const struct ctx *c, bool decorator, const char *written,
		       const struct fact_arg *args, size_t nargs,
		       struct cand *out)
{
	const struct model_retry *uncounted = NULL;
	char *resolved = resolve_name(c, written);
	bool found = false;

	for (size_t k = 0; k < c->ms->models.len; k++) {
		const struct api_model *m = &c->ms->models.items[k];
		if (!c->active[k])
			continue;
		for (size_t i = 0; i < m->retries.len; i++) {
			const struct model_retry *r = &m->retries.items[i];
			int attempts;
			bool is_default, counted;
			if ((r->kind == RETRY_DECORATOR) != decorator)
				continue;
			if (!retry_name_matches(c, m, r, written, resolved))
				continue;
			if (!retry_layer(r, args, nargs, &attempts, &is_default, &counted))
				continue;
			if (!found || counted) {
				out->kind = r->kind;
				out->attempts = attempts;
				out->is_default = is_default;
				found = true;
				uncounted = counted ? NULL : r;
			}
			if (counted)
				goto done;
		}
	}
	/* the count is where the retry object was built: its receiver or an argument */
	if (found && !decorator && uncounted && uncounted->attempts_call) {
		char *recv = receiver_of(written);
		int n;
		bool got = recv && plain_name(recv) &&
			   built_count(c->ff, recv, uncounted->attempts_call, 2, &n);
		for (size_t i = 0; i < nargs && !got; i++)
			got = !args[i].name && !args[i].value && plain_name(args[i].text) &&
			      built_count(c->ff, args[i].text, uncounted->attempts_call, 2, &n);
		xfree(recv);
		if (got) {
			out->attempts = n < 0 ? -1 : uncounted->arg_counts_retries ? n + 1 : n;
			out->is_default = false;
		}
	}
done:
	if (found)
		out->source = resolved ? resolved : xstrdup(written);
	else
		xfree(resolved);
	return found;
}

static struct span file_span(const struct file_facts *ff)
{
	struct span s = { 1, 1, ff->nlines ? ff->nlines : 1, 1 };
	return s;
}

static struct span func_scope(const struct file_facts *ff, int func)
{
	return func >= 0 && (size_t)func < ff->functions.len ? ff->functions.items[func].span
							       : file_span(ff);
}

/* `for attempt in Retrying(...)`: the loop the call heads, else its function. */
static struct span loop_scope(const struct file_facts *ff, const struct fact_call *call)
{
	for (size_t i = 0; i < ff->loops.len; i++)
		if (ff->loops.items[i].span.line == call->span.line)
			return ff->loops.items[i].span;
	/*
	 * The operation passed in as a closure (`retry.Do(func() error {...})`,
	 * `Retrying()(lambda: ...)`): the retry covers the call, not the function.
	 */
	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *o = &ff->calls.items[i];
		const struct span *a = &call->span, *b = &o->span;
		if (o != call && o->op && strncmp(o->op, "retry.", 6) &&
		    (b->line > a->line || (b->line == a->line && b->col > a->col)) &&
		    (b->end_line < a->end_line || (b->end_line == a->end_line && b->end_col <= a->end_col)))
			return call->span;
	}
	if (call->loop >= 0 && (size_t)call->loop < ff->loops.len)
		return ff->loops.items[call->loop].span;
	return func_scope(ff, call->func);
}

static bool span_before(uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2)
{
	return l1 < l2 || (l1 == l2 && c1 <= c2);
}

static bool span_contains(const struct span *outer, const struct span *inner)
{
	return span_before(outer->line, outer->col, inner->line, inner->col) &&
	       span_before(inner->end_line, inner->end_col, outer->end_line, outer->end_col) &&
	       memcmp(outer, inner, sizeof(*outer));
}

static void collect_retries(struct ctx *c, candvec *cands)
{
	struct file_facts *ff = c->ff;

	for (size_t fi = 0; fi < ff->functions.len; fi++) {
		const struct fact_function *f = &ff->functions.items[fi];
		for (size_t di = 0; di < f->ndecorators; di++) {
			const struct fact_decorator *d = &f->decorators[di];
			struct cand k = { 0 };
			if (!d->name || !best_retry(c, true, d->name, d->args, d->nargs, &k))
				continue;
			k.span = d->span;
			k.func = (int)fi;
			k.call = d->call;
			k.scope = f->span;
			VEC_APPEND(cands, k);
		}
	}
	for (size_t ci = 0; ci < ff->calls.len; ci++) {
		const struct fact_call *call = &ff->calls.items[ci];
		struct cand k = { 0 };
		if (c->is_deco[ci] || !call->callee ||
		    !best_retry(c, false, call->callee, call->args, call->nargs, &k))
			continue;
		k.span = call->span;
		k.func = call->func;
		k.call = (int)ci;
		k.scope = k.kind == RETRY_LOOP ? loop_scope(ff, call) : func_scope(ff, call->func);
		k.from_call = true;
		VEC_APPEND(cands, k);
	}
	/*
	 * A configuration nested in another one is one layer, and the inner
	 * call carries the count: HTTPAdapter(max_retries=Retry(total=5)),
	 * redis.Redis(retry=Retry(backoff, 3)). Keep the innermost.
	 */
	for (size_t i = 0; i < cands->len; i++)
		for (size_t j = 0; j < cands->len; j++)
			if (i != j && cands->items[i].from_call && cands->items[j].from_call &&
			    span_contains(&cands->items[i].span, &cands->items[j].span))
				cands->items[i].dropped = true;
}

static bool already_known(const struct file_facts *ff, const struct cand *k)
{
	for (size_t i = 0; i < ff->retries.len; i++) {
		const struct fact_retry *r = &ff->retries.items[i];
		if (r->kind == k->kind && r->call == k->call && r->span.line == k->span.line &&
		    r->span.col == k->span.col && r->source && !strcmp(r->source, k->source))
			return true;
	}
	return false;
}

static void add_retries(struct ctx *c)
{
	candvec cands = VEC_INIT;

	collect_retries(c, &cands);
	for (size_t i = 0; i < cands.len; i++) {
		struct cand *k = &cands.items[i];
		if (!k->dropped && !already_known(c->ff, k)) {
			struct fact_retry *r = VEC_PUSH(&c->ff->retries);
			r->kind = k->kind;
			r->source = facts_str(c->ff, k->source, strlen(k->source));
			r->attempts = k->attempts;
			r->is_default = k->is_default;
			r->span = k->span;
			r->func = k->func;
			r->call = k->call;
			r->scope = k->scope;
		}
		xfree(k->source);
	}
	VEC_FREE(&cands);
}

void models_resolve(const struct model_set *ms, struct file_facts *ff)
{
	struct ctx c = { ms, ff, STRMAP_INIT, NULL, NULL };
	size_t nm = ms->models.len;

	c.active = xcalloc(nm ? nm : 1, sizeof(*c.active));
	c.is_deco = xcalloc(ff->calls.len ? ff->calls.len : 1, sizeof(*c.is_deco));
	build_bindings(&c);
	find_active(&c);
	for (size_t fi = 0; fi < ff->functions.len; fi++) {
		const struct fact_function *f = &ff->functions.items[fi];
		for (size_t di = 0; di < f->ndecorators; di++) {
			int ci = f->decorators[di].call;
			if (ci >= 0 && (size_t)ci < ff->calls.len)
				c.is_deco[ci] = true;
		}
	}
	for (size_t ci = 0; ci < ff->calls.len; ci++)
		resolve_call(&c, ci);
	for (size_t hi = 0; hi < ff->handlers.len; hi++)
		classify_handler(&c, &ff->handlers.items[hi]);
	for (size_t hi = 0; hi < ff->handlers.len; hi++)
		classify_errcheck(&c, hi);
	add_retries(&c);

	for (size_t i = 0; i < c.bind.len; i++)
		xfree(c.bind.entries[i].value);
	strmap_release(&c.bind);
	xfree(c.active);
	xfree(c.is_deco);
}
