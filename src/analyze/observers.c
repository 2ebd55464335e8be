#include "observers.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../base/pairmap.h"
#include "../base/strbuf.h"
#include "../base/strmap.h"
#include "../base/vec.h"
#include "detect.h"
#include "factq.h"
#include "../base/banned.h"

/* Callers of one name followed at most; more and only `self.` links count. */
#define MAX_GENERIC_CALLERS 16

static const char *const send_ops[] = { "stream.send", "queue.publish", "http.request", "rpc.call" };

bool observers_op_is_send(const char *op)
{
	if (!op)
		return false;
	for (size_t i = 0; i < sizeof(send_ops) / sizeof(send_ops[0]); i++)
		if (!strcmp(op, send_ops[i]))
			return true;
	return false;
}

const char *observers_func_name(const struct file_facts *ff, int func, char *buf, size_t n)
{
	if (func < 0 || (size_t)func >= ff->functions.len) {
		snprintf(buf, n, "<module>");
		return buf;
	}
	const struct fact_function *f = &ff->functions.items[func];
	if (f->cls)
		snprintf(buf, n, "%s.%s", f->cls, f->name);
	else
		snprintf(buf, n, "%s", f->name);
	return buf;
}

/* --- the availability vocabulary --- */

static const char *const ready_words[] = {
	"idle", "ready", "available", "free", "online", "active", "healthy", "up",
	"serving", "alive", "accepting", "open_for_work", "vacant", "standby",
};
static const char *const ready_extra[] = { "registered", "leader", "ok", "green", "in_service" };
static const char *const hold_words[] = {
	"busy", "down", "dead", "offline", "unhealthy", "failed", "failing", "error",
	"broken", "draining", "drained", "suspended", "paused", "quarantined",
	"disabled", "unavailable", "not_ready", "notready", "closing", "closed",
	"stopped", "lost", "maintenance", "cordoned", "backoff", "transient_failure",
	"not_serving", "degraded", "crashed", "terminated", "occupied", "in_use",
	"blocked", "cooldown", "cooling_down", "excluded", "blacklisted", "faulty",
};
/* Boolean fields that say "out" when True and "in" when False, and the reverse. */
static const char *const neg_fields[] = {
	"busy", "dead", "down", "failed", "offline", "unhealthy", "paused",
	"draining", "broken", "disabled", "suspended", "closing", "stopped",
	"locked", "in_use", "quarantined", "faulty", "occupied", "lost",
};
static const char *const pos_fields[] = {
	"ready", "available", "idle", "healthy", "alive", "online", "active",
	"free", "up", "serving", "accepting",
};

#define NWORDS(a) (sizeof(a) / sizeof((a)[0]))

static bool word_in(const char *w, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(w, list[i]))
			return true;
	return false;
}

/* The field's key: lowercase, without leading '_' and an `is_` prefix. */
static void field_key(const char *field, char *out, size_t n)
{
	value_key(field, out, n);
	char *p = out;
	while (*p == '_')
		p++;
	if (!strncmp(p, "is_", 3))
		p += 3;
	memmove(out, p, strlen(p) + 1);
}

/* +1 True, 0 False, -1 not a boolean literal. */
static int bool_value(const char *value)
{
	if (!value)
		return -1;
	if (!strcmp(value, "True") || !strcmp(value, "true"))
		return 1;
	if (!strcmp(value, "False") || !strcmp(value, "false"))
		return 0;
	return -1;
}

bool state_value_ready(const char *field, const char *value, bool extra)
{
	char k[128], f[128];
	int b = bool_value(value);
	if (b >= 0) {
		field_key(field ? field : "", f, sizeof(f));
		return b ? word_in(f, pos_fields, NWORDS(pos_fields)) :
			   word_in(f, neg_fields, NWORDS(neg_fields));
	}
	value_key(value, k, sizeof(k));
	return word_in(k, ready_words, NWORDS(ready_words)) ||
	       (extra && word_in(k, ready_extra, NWORDS(ready_extra)));
}

bool state_value_hold(const char *field, const char *value)
{
	char k[128], f[128];
	int b = bool_value(value);
	if (b >= 0) {
		field_key(field ? field : "", f, sizeof(f));
		return b ? word_in(f, neg_fields, NWORDS(neg_fields)) :
			   word_in(f, pos_fields, NWORDS(pos_fields));
	}
	value_key(value, k, sizeof(k));
	return word_in(k, hold_words, NWORDS(hold_words)) || state_word_failure(k);
}

bool state_word_failure(const char *key)
{
	static const char *const subs[] = {
		"fail", "error", "unreachable", "lost", "timeout", "timed_out",
		"disconnect", "crash", "refused", "unavailable", "died", "exception",
	};
	if (!key)
		return false;
	for (size_t i = 0; i < NWORDS(subs); i++)
		if (strstr(key, subs[i]))
			return true;
	return false;
}

void observers_release(struct observer_list *l)
{
	VEC_FREE(l);
}

/* --- the search --- */

/* A model call that names a send by method + receiver (what send_op tries outside the imports). */
struct send_entry {
	enum lang lang;
	const struct model_call *mc;
};

/*
 * One link of the call graph as the search follows it, fixed by the index
 * alone: down, call `call` of the function reaches function ff/func; up,
 * call `call` of the caller ff/func reaches the function.
 */
struct link {
	const struct file_facts *ff;
	int func;
	size_t call;
};

/* What the search needs of one function, worked out at its first visit. */
struct func_summary {
	bool has_send;       /* the function makes a send itself: the first is `send` */
	size_t send;
	const char *op;
	bool by_receiver;
	struct link *downs;  /* the repository functions its calls reach, in call then definition order */
	size_t ndowns;
	bool ups_done;
	struct link *ups;    /* the calls that reach it, in index order */
	size_t nups;
	struct dep_slice deps, ups_deps; /* the lookups that made downs, ups (facts/deps.h) */
};

struct observers_memo {
	const struct fact_index *ix;
	const struct model_set *ms;
	VEC(struct send_entry) sends; /* in model order */
	struct pairmap funcs;         /* (ff, func) -> struct func_summary * */
	struct strmap lists;          /* "v" field \x1f value, or "n" field -> struct observer_list * */
};

struct search {
	struct observers_memo *memo;
	struct pairmap dead; /* (ff, func) -> (depth + 1): no send within that many hops */
	struct obs_step path[OBS_MAX_PATH];
	size_t npath;
};

/*
 * The model calls send_op() can match by receiver, in model order: a
 * handful out of thousands, listed once instead of scanned for every call
 * on every path.
 */
static void list_sends(struct observers_memo *m)
{
	for (size_t i = 0; m->ms && i < m->ms->models.len; i++) {
		const struct api_model *am = &m->ms->models.items[i];
		for (size_t k = 0; k < am->calls.len; k++) {
			const struct model_call *mc = &am->calls.items[k];
			if (mc->method && mc->receiver && !mc->decorator && observers_op_is_send(mc->op))
				VEC_APPEND(&m->sends, ((struct send_entry){ am->lang, mc }));
		}
	}
}

struct observers_memo *observers_memo_new(const struct fact_index *ix, const struct model_set *models)
{
	struct observers_memo *m = xcalloc(1, sizeof(*m));
	m->ix = ix;
	m->ms = models;
	list_sends(m);
	return m;
}

void observers_memo_free(struct observers_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->funcs.len; i++) {
		struct func_summary *fs = m->funcs.entries[i].value;
		xfree(fs->downs);
		xfree(fs->ups);
		xfree(fs);
	}
	pairmap_release(&m->funcs);
	for (size_t i = 0; i < m->lists.len; i++) {
		observers_release(m->lists.entries[i].value);
		xfree(m->lists.entries[i].value);
	}
	strmap_release(&m->lists);
	VEC_FREE(&m->sends);
	xfree(m);
}

static const char *func_cls(const struct file_facts *ff, int func)
{
	return func >= 0 ? ff->functions.items[func].cls : NULL;
}

static bool starts_with(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* `self.f` / `cls.f`: a call on the caller's own object. */
static bool self_call(const char *callee)
{
	const char *rest = NULL;
	if (starts_with(callee, "self."))
		rest = callee + 5;
	else if (starts_with(callee, "cls."))
		rest = callee + 4;
	else if (starts_with(callee, "this.")) /* JavaScript, TypeScript, Java */
		rest = callee + 5;
	return rest && !strchr(rest, '.');
}

/* self_call, or a call through the enclosing method's receiver (Go's `d.f`). */
static bool own_call(const struct file_facts *ff, const struct fact_call *c)
{
	if (!c->callee)
		return false;
	if (self_call(c->callee))
		return true;
	const char *r = c->func >= 0 ? ff->functions.items[c->func].receiver : NULL;
	size_t n = r ? strlen(r) : 0;
	return n && !strncmp(c->callee, r, n) && c->callee[n] == '.' && !strchr(c->callee + n + 1, '.');
}

/*
 * Does the call `c` (made in ff/func) link to the function `def` (in dff)?
 * `self.f()` -> f of the same class; `f()` -> a module-level f; `obj.f()`
 * -> a method f of some class (`generic_ok` false: not followed).
 */
static bool call_links(const struct file_facts *ff, const struct fact_call *c,
		       const struct file_facts *dff, const struct fact_function *def, bool generic_ok)
{
	const char *cls = func_cls(ff, c->func);
	if (!c->callee || !c->method || strcmp(c->method, def->name))
		return false;
	if (own_call(ff, c))
		return cls && def->cls && !strcmp(cls, def->cls);
	if (!strchr(c->callee, '.') && def->cls && c->func >= 0 &&
	    ff->functions.items[c->func].implicit_receiver)
		return cls && !strcmp(cls, def->cls); /* Java: `pick()` is `this.pick()` */
	if (!strchr(c->callee, '.'))
		return !def->cls && (dff == ff || def->parent < 0);
	return generic_ok && def->cls != NULL;
}

static bool receiver_has(const char *callee, const char *word)
{
	const char *dot = strrchr(callee, '.');
	if (!dot)
		return false;
	size_t n = (size_t)(dot - callee), k = strlen(word);
	for (size_t i = 0; i + k <= n; i++)
		if (!strncasecmp(callee + i, word, k))
			return true;
	return false;
}

/*
 * A send operation for `c`: its own op, or a model's method+receiver entry
 * for a send that fits the call although the file does not import the
 * library. Sets *by_receiver for the latter.
 */
static const char *send_op(const struct observers_memo *s, const struct file_facts *ff,
			   const struct fact_call *c, bool *by_receiver)
{
	*by_receiver = false;
	if (c->op)
		return observers_op_is_send(c->op) ? c->op : NULL;
	if (!s->ms || !c->method || !c->callee || !strchr(c->callee, '.'))
		return NULL;
	for (size_t i = 0; i < s->sends.len; i++) {
		const struct send_entry *e = &s->sends.items[i];
		const struct model_call *mc = e->mc;
		if (e->lang != ff->lang && !(e->lang == LANG_JAVASCRIPT &&
					     (ff->lang == LANG_TYPESCRIPT || ff->lang == LANG_TSX)))
			continue; /* TS and TSX use the JavaScript models */
		/* The method first: it rules out almost every entry at its first byte. */
		if (mc->method[0] == c->method[0] && !strcmp(mc->method, c->method) &&
		    receiver_has(c->callee, mc->receiver)) {
			*by_receiver = true;
			return mc->op;
		}
	}
	return NULL;
}

static bool in_path(const struct search *s, const struct file_facts *ff, int func)
{
	for (size_t i = 0; i < s->npath; i++)
		if (s->path[i].ff == ff && s->path[i].func == func)
			return true;
	return false;
}

static bool push_step(struct search *s, const struct file_facts *ff, int func, size_t call,
		      const char *op, bool up, bool by_receiver)
{
	if (s->npath >= OBS_MAX_PATH)
		return false;
	s->path[s->npath++] = (struct obs_step){ ff, func, call, op, up, by_receiver };
	return true;
}

static void add_link(struct link **v, size_t *n, size_t *cap, const struct file_facts *ff, int func,
		     size_t call)
{
	*v = xgrow(*v, sizeof(**v), *n + 1, cap);
	(*v)[(*n)++] = (struct link){ ff, func, call };
}

/*
 * The summary of ff/func (-1: the module level): its first send, else the
 * functions of the repository its calls reach (a name with few
 * definitions, or a call on its own object, as call_links() links them).
 */
static void summarise(struct observers_memo *m, const struct file_facts *ff, int func, struct func_summary *fs)
{
	/*
	 * The calls of `func` lie within its lines, and calls are in source
	 * order: scan that range, not the whole file (big modules have
	 * thousands of calls).
	 */
	size_t lo = 0, hi = ff->calls.len;
	if (func >= 0) {
		const struct span *sp = &ff->functions.items[func].span;
		lo = facts_first_call_at(ff, sp->line);
		hi = facts_first_call_at(ff, sp->end_line + 1);
	}
	for (size_t i = lo; i < hi; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (c->func == func && (fs->op = send_op(m, ff, c, &fs->by_receiver))) {
			fs->has_send = true;
			fs->send = i;
			return;
		}
	}
	if (func < 0)
		return;
	size_t cap = 0;
	for (size_t i = lo; i < hi; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (c->func != func || c->op || !c->method)
			continue;
		const fact_refs *defs = index_functions_upto(m->ix, c->method, own_call(ff, c) ? SIZE_MAX : OBS_MAX_DEFS);
		if (!defs)
			continue;
		for (size_t d = 0; d < defs->len; d++) {
			const struct file_facts *dff = defs->items[d].ff;
			int dfunc = (int)defs->items[d].idx;
			if (call_links(ff, c, dff, &dff->functions.items[dfunc], true) &&
			    !(dff == ff && dfunc == func))
				add_link(&fs->downs, &fs->ndowns, &cap, dff, dfunc, i);
		}
	}
	return;
}

/* The summary of ff/func, from the memo; the lookups that made it go to the current target (deps.h). */
static struct func_summary *summary(struct observers_memo *m, const struct file_facts *ff, int func)
{
	struct func_summary *fs = pairmap_get(&m->funcs, ff, (uint64_t)(int64_t)func);
	if (fs) {
		dep_replay(m->ix->rec, fs->deps);
		return fs;
	}
	fs = xcalloc(1, sizeof(*fs));
	pairmap_put(&m->funcs, ff, (uint64_t)(int64_t)func, fs);
	size_t mark = dep_mark(m->ix->rec);
	summarise(m, ff, func, fs);
	fs->deps = dep_keep(m->ix->rec, mark);
	return fs;
}

/* The calls that reach ff/func (func >= 0), as dispatch_from follows them up. */
static const struct func_summary *summary_ups(struct observers_memo *m, const struct file_facts *ff,
					      int func)
{
	struct func_summary *fs = summary(m, ff, func);
	if (fs->ups_done) {
		dep_replay(m->ix->rec, fs->ups_deps);
		return fs;
	}
	fs->ups_done = true;
	const struct fact_function *f = &ff->functions.items[func];
	size_t mark = dep_mark(m->ix->rec);
	const fact_refs *callers = index_callers(m->ix, f->name);
	fs->ups_deps = dep_keep(m->ix->rec, mark); /* the one lookup: the filter below reads facts only */
	if (!callers)
		return fs;
	bool generic_ok = callers->len <= MAX_GENERIC_CALLERS;
	size_t cap = 0;
	for (size_t i = 0; i < callers->len; i++) {
		const struct file_facts *cff = callers->items[i].ff;
		size_t ci = callers->items[i].idx;
		const struct fact_call *c = &cff->calls.items[ci];
		/*
		 * A generic name (thousands of call sites of `get`, `run`) links
		 * only through calls on the same object or bare calls: reject the
		 * rest before the dearer checks.
		 */
		if (!generic_ok && c->callee && strchr(c->callee, '.') && !own_call(cff, c))
			continue;
		if (c->func < 0 || (cff == ff && c->func == func) || !call_links(cff, c, ff, f, generic_ok))
			continue;
		add_link(&fs->ups, &fs->nups, &cap, cff, c->func, ci);
	}
	return fs;
}

/*
 * Does ff/func reach a send within `depth` callee hops? On success the path
 * holds the calls from func down to the send (appended).
 */
static bool reach_send(struct search *s, const struct file_facts *ff, int func, int depth)
{
	uintptr_t known = (uintptr_t)pairmap_get(&s->dead, ff, (uint64_t)(int64_t)func);
	if (known && (int)known - 1 >= depth)
		return false;

	const struct func_summary *fs = summary(s->memo, ff, func);
	/* A send made here. */
	if (fs->has_send)
		return push_step(s, ff, func, fs->send, fs->op, false, fs->by_receiver);
	if (depth <= 0 || func < 0)
		goto none;
	/* Through a function of the repository. */
	for (size_t k = 0; k < fs->ndowns; k++) {
		const struct link *l = &fs->downs[k];
		if (in_path(s, l->ff, l->func))
			continue;
		size_t mark = s->npath;
		if (!push_step(s, ff, func, l->call, NULL, false, false))
			goto none;
		if (reach_send(s, l->ff, l->func, depth - 1))
			return true;
		s->npath = mark;
	}
none:
	if (!known || (int)known - 1 < depth)
		pairmap_put(&s->dead, ff, (uint64_t)(int64_t)func, (void *)(uintptr_t)(depth + 1));
	return false;
}

/* The reading function or a caller of it, up to `up` hops, reaches a send. */
static bool dispatch_from(struct search *s, const struct file_facts *ff, int func, int up)
{
	size_t mark = s->npath;
	if (reach_send(s, ff, func, OBS_MAX_DOWN))
		return true;
	s->npath = mark;
	if (up <= 0 || func < 0)
		return false;
	const struct func_summary *fs = summary_ups(s->memo, ff, func);
	for (size_t k = 0; k < fs->nups; k++) {
		const struct link *l = &fs->ups[k];
		if (in_path(s, l->ff, l->func))
			continue;
		/* The caller hop comes first in the reader's order: insert it before. */
		if (!push_step(s, l->ff, l->func, l->call, NULL, true, false))
			return false;
		if (dispatch_from(s, l->ff, l->func, up - 1))
			return true;
		s->npath = mark;
	}
	return false;
}

/*
 * The path was built as: [up hop 1, up hop 2, ..., down calls..., send].
 * Up hops are pushed outermost-last; present them caller-first so the path
 * reads from the outermost caller down to the send.
 */
static void order_path(struct obs_step *p, size_t n)
{
	size_t nup = 0;
	while (nup < n && p[nup].up)
		nup++;
	for (size_t i = 0; i < nup / 2; i++) {
		struct obs_step t = p[i];
		p[i] = p[nup - 1 - i];
		p[nup - 1 - i] = t;
	}
}

/*
 * The function a reader would name for a read: an anonymous callback
 * (`workers.find(w => w.status === 'idle')`) reads on behalf of the
 * function it is written in, which is also where the picked one is sent.
 */
static int named_func(const struct file_facts *ff, int func)
{
	for (int hops = 0; func >= 0 && hops < 8; hops++) {
		const struct fact_function *f = &ff->functions.items[func];
		if (strcmp(f->name, "<anonymous>") || f->parent < 0)
			break;
		func = f->parent;
	}
	return func;
}

size_t observers_find_in(struct observers_memo *memo, const char *field, const char *value,
			 struct observer_list *out)
{
	const fact_refs *reads = index_readers(memo->ix, field);
	size_t added = 0;
	if (!reads)
		return 0;
	struct search s = { .memo = memo, .dead = PAIRMAP_INIT };
	for (size_t i = 0; i < reads->len; i++) {
		const struct file_facts *ff = reads->items[i].ff;
		size_t ri = reads->items[i].idx;
		const struct fact_read *r = &ff->reads.items[ri];
		enum obs_match match;
		if (!r->values.len) {
			match = OBS_MATCH_ANY;
		} else if (!value) {
			match = OBS_MATCH_VALUE;
		} else {
			bool hit = false;
			for (size_t v = 0; v < r->values.len && !hit; v++)
				hit = values_match(value, r->values.items[v]);
			if (!hit || r->negated)
				continue;
			match = OBS_MATCH_VALUE;
		}
		struct observer *o = VEC_PUSH(out);
		int named = named_func(ff, r->func);
		o->ff = ff;
		o->read = ri;
		o->path = ff->path;
		o->line = r->span.line;
		o->func = named;
		o->function = named >= 0 ? ff->functions.items[named].name : "<module>";
		o->cls = func_cls(ff, named);
		o->match = match;
		o->selects = r->selects;
		s.npath = 0;
		o->dispatches = dispatch_from(&s, ff, r->func, OBS_MAX_UP);
		if (!o->dispatches && named != r->func) {
			s.npath = 0;
			o->dispatches = dispatch_from(&s, ff, named, OBS_MAX_UP);
		}
		if (o->dispatches) {
			order_path(s.path, s.npath);
			memcpy(o->hops, s.path, s.npath * sizeof(*s.path));
			o->nhops = s.npath;
		}
		added++;
	}
	pairmap_release(&s.dead);
	return added;
}

size_t observers_find(const struct fact_index *ix, const struct model_set *models,
		      const char *field, const char *value, struct observer_list *out)
{
	struct observers_memo *memo = observers_memo_new(ix, models);
	size_t n = observers_find_in(memo, field, value, out);
	observers_memo_free(memo);
	return n;
}

const struct observer_list *observers_of(struct observers_memo *m, const char *field, const char *value)
{
	struct strbuf key = STRBUF_INIT;
	if (value)
		strbuf_addf(&key, "v%s\x1f%s", field, value);
	else
		strbuf_addf(&key, "n%s", field);
	struct observer_list *l = strmap_get(&m->lists, key.buf);
	if (l) {
		dep_replay(m->ix->rec, l->deps);
	} else {
		l = xcalloc(1, sizeof(*l));
		size_t mark = dep_mark(m->ix->rec);
		observers_find_in(m, field, value, l);
		l->deps = dep_keep(m->ix->rec, mark);
		strmap_put(&m->lists, key.buf, l);
	}
	strbuf_release(&key);
	return l;
}
