/*
 * AP-2 lost data at ACK: a consumed message is acknowledged (ack, delete,
 * commit) while the work its payload still needs has not happened and the
 * payload is nowhere durable.
 *
 * For every queue.ack / queue.delete / queue.commit call the detector traces
 * the payload through the function's bindings (syntax-only data flow: names
 * bound to the consume call's result, loop targets over it, values derived
 * from them; or, for a message callback with no consume call in sight, the
 * parameters the ack names) and asks three questions:
 *
 *   1. Is the payload used after the ack by processing (a call that takes
 *      it)? Error when that processing can fail across a boundary (a remote
 *      operation, an await, or a function one hop away that makes one);
 *      warning for local processing.
 *   2. Was it handed, before the ack, to in-process memory (self.x.append,
 *      a queue.put, an executor) that does the work later? Error when a
 *      requeue path of the class holding it re-publishes it from memory
 *      (the work cannot be rebuilt after a restart); warning otherwise.
 *   3. Was it persisted before the ack (storage.write, db.execute that is
 *      not a SELECT, kv.write, queue.publish, directly or one call away)?
 *      Then neither of the above is a finding.
 *
 * Only facts: calls with their model ops and used names, bindings, handler
 * regions, and the index for one hop into the repository.
 */
#include "detect.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "boundary.h"
#include "factq.h"
#include "../base/banned.h"

typedef VEC(const char *) namevec;

#define MAX_HOP_CANDIDATES 6 /* a method name defined more often is too generic to follow */

/* --- names --- */

/* Does the used name `use` read the payload name `p` (`msg`, `msg.body`, `msg[...]`)? */
static bool name_reads(const char *use, const char *p)
{
	size_t n = strlen(p);
	return !strncmp(use, p, n) && (use[n] == '\0' || use[n] == '.' || use[n] == '[');
}

static const char *uses_payload(const struct strlist *names, const namevec *pl)
{
	for (size_t i = 0; i < names->len; i++)
		for (size_t j = 0; j < pl->len; j++)
			if (name_reads(names->items[i], pl->items[j]))
				return pl->items[j];
	return NULL;
}

static bool namevec_has(const namevec *v, const char *s)
{
	for (size_t i = 0; i < v->len; i++)
		if (!strcmp(v->items[i], s))
			return true;
	return false;
}

static bool is_self(const char *name)
{
	return !strcmp(name, "self") || !strcmp(name, "cls");
}

/* The receiver of a call as written: "self.redis" of "self.redis.xack"; "" for a bare call. */
static size_t receiver_len(const struct fact_call *c)
{
	const char *dot = strrchr(c->callee, '.');
	return dot ? (size_t)(dot - c->callee) : 0;
}

static bool same_receiver(const struct fact_call *a, const struct fact_call *b)
{
	size_t la = receiver_len(a), lb = receiver_len(b);
	return la && la == lb && !strncmp(a->callee, b->callee, la) &&
	       strncmp(a->callee, "self", la) != 0;
}

static bool receiver_is_self_attr(const struct fact_call *c)
{
	/* self.pending.append: a method of an attribute of the object */
	return !strncmp(c->callee, "self.", 5) && strchr(c->callee + 5, '.') != NULL;
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}
#define IN_LIST(s, arr) in_list((s), (arr), sizeof(arr) / sizeof((arr)[0]))

/* --- what a call is --- */

static bool op_eq(const char *op, const char *x)
{
	return op && !strcmp(op, x);
}

static bool is_ack_op(const char *op)
{
	return op_eq(op, "queue.ack") || op_eq(op, "queue.delete") || op_eq(op, "queue.commit");
}

/* Operations on the message itself, not work on its payload. */
static bool is_message_op(const char *op)
{
	return op && !strncmp(op, "queue.", 6) && !op_eq(op, "queue.publish");
}

/* Logging and printing: observation, not processing. */
static bool is_logging(const struct fact_call *c)
{
	static const char *const roots[] = {
		"log", "logger", "logging", "LOG", "LOGGER", "_log", "_logger", "warnings",
		"self.log", "self.logger", "self._log", "self._logger", "cls.logger", "traceback",
	};
	size_t rl = receiver_len(c);
	char root[64];

	if (!strcmp(c->callee, "print"))
		return true;
	if (!rl || rl >= sizeof(root))
		return false;
	memcpy(root, c->callee, rl);
	root[rl] = '\0';
	return IN_LIST(root, roots);
}

/*
 * Bookkeeping after the ack: dropping the message from the consumer's own
 * tables (self.inflight.pop(tag)) or counting it (statsd.incr, COUNTER.inc).
 */
static bool is_bookkeeping(const struct fact_call *c)
{
	static const char *const drops[] = {
		"pop", "discard", "remove", "get", "clear", "popleft", "task_done", "release",
		"cancel", "__delitem__",
	};
	static const char *const metrics[] = {
		"inc", "dec", "incr", "decr", "observe", "labels", "gauge", "timing",
		"histogram", "increment", "decrement", "set_gauge",
	};
	if (c->awaited)
		return false;
	if (receiver_is_self_attr(c) && IN_LIST(c->method, drops))
		return true;
	return receiver_len(c) && IN_LIST(c->method, metrics);
}

/* Built-in conversions and inspections: they neither fail remotely nor do the work. */
static bool is_builtin(const struct fact_call *c)
{
	static const char *const names[] = {
		"len", "str", "int", "float", "bool", "repr", "isinstance", "issubclass", "type",
		"getattr", "hasattr", "setattr", "dict", "list", "tuple", "set", "frozenset",
		"sorted", "reversed", "enumerate", "zip", "range", "min", "max", "sum", "any",
		"all", "id", "hash", "format", "iter", "next", "super", "vars", "bytes",
		"callable", "map", "filter",
	};
	return !strchr(c->callee, '.') && IN_LIST(c->callee, names);
}

/* A read-only SQL statement as the first argument (SELECT ..., WITH ...). */
static bool is_select(const struct fact_call *c)
{
	const char *s;
	if (!c->nargs || !c->args[0].value || !c->args[0].is_string)
		return false;
	s = c->args[0].value;
	while (isspace((unsigned char)*s) || *s == '(')
		s++;
	return !strncasecmp(s, "select", 6) || !strncasecmp(s, "with", 4) ||
	       !strncasecmp(s, "show", 4) || !strncasecmp(s, "explain", 7);
}

/* Does this call make the data durable (or hand it to another durable queue)? */
static bool is_persist(const struct fact_call *c)
{
	if (op_eq(c->op, "db.execute"))
		return !is_select(c);
	return op_eq(c->op, "storage.write") || op_eq(c->op, "kv.write") ||
	       op_eq(c->op, "queue.publish") || op_eq(c->op, "db.transaction");
}

/* --- calls of a function (calls are in source order) --- */

static bool pos_le(uint32_t l1, uint32_t c1, uint32_t l2, uint32_t c2)
{
	return l1 < l2 || (l1 == l2 && c1 <= c2);
}

static bool span_inside(const struct span *outer, const struct span *in)
{
	return outer->line && pos_le(outer->line, outer->col, in->line, in->col) &&
	       pos_le(in->end_line, in->end_col, outer->end_line, outer->end_col);
}

/* Index of the first call starting at or after the start of `s`. */
static size_t first_call_from(const struct file_facts *ff, const struct span *s)
{
	size_t lo = 0, hi = ff->calls.len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct span *m = &ff->calls.items[mid].span;
		if (pos_le(s->line, s->col, m->line, m->col))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The calls directly in function `fn` (nested definitions excluded), in order. */
#define FOR_CALLS_IN(ff, fn, i)                                                           \
	for (size_t i = first_call_from((ff), &(ff)->functions.items[(fn)].span);          \
	     i < (ff)->calls.len &&                                                        \
	     (ff)->calls.items[i].span.line <= (ff)->functions.items[(fn)].span.end_line; i++) \
		if ((ff)->calls.items[i].func == (int)(fn))

/* --- one hop into the repository --- */

struct hop {
	const struct file_facts *ff;
	int func;
};

/*
 * The functions a call may run: `self.m(...)` the method of the caller's
 * class; `x.m(...)` / `m(...)` any function of that name, unless the name is
 * defined too often to tell.
 */
static size_t resolve_call(const struct analysis *a, const struct file_facts *ff,
			   const struct fact_call *c, struct hop *out, size_t max)
{
	const char *cls = c->func >= 0 ? ff->functions.items[c->func].cls : NULL;
	bool on_self = !strncmp(c->callee, "self.", 5) && !strchr(c->callee + 5, '.');
	const fact_refs *refs = index_functions_upto(a->ix, c->method, on_self ? SIZE_MAX : MAX_HOP_CANDIDATES);
	size_t n = 0;

	if (!refs)
		return 0;
	for (size_t i = 0; i < refs->len && n < max; i++) {
		const struct file_facts *f2 = refs->items[i].ff;
		const struct fact_function *fn = &f2->functions.items[refs->items[i].idx];
		if (on_self && (f2 != ff || !cls || !fn->cls || strcmp(fn->cls, cls)))
			continue;
		if (!on_self && !strchr(c->callee, '.') && fn->cls)
			continue; /* a bare call runs a module-level function */
		if (!on_self && fn->cls && !call_receiver_names_class(c, fn->cls))
			continue; /* pool.submit is not Dispatcher.submit */
		out[n].ff = f2;
		out[n].func = (int)refs->items[i].idx;
		n++;
	}
	return n;
}

/* The parameters of `fn` but self/cls (one pass over the file's bindings). */
static void params_of(const struct file_facts *ff, int fn, namevec *out)
{
	out->len = 0;
	for (size_t i = 0; i < ff->bindings.len; i++) {
		const struct fact_binding *b = &ff->bindings.items[i];
		if (b->kind == BIND_PARAM && b->func == fn && !is_self(b->name))
			VEC_APPEND(out, b->name);
	}
}

/* A call in `h` that persists one of its parameters; its index or -1. */
static int hop_persists(const struct hop *h)
{
	namevec params = VEC_INIT;
	int found = -1;

	params_of(h->ff, h->func, &params);
	FOR_CALLS_IN(h->ff, h->func, i) {
		const struct fact_call *c = &h->ff->calls.items[i];
		if (is_persist(c) && uses_payload(&c->names, &params)) {
			found = (int)i;
			break;
		}
	}
	VEC_FREE(&params);
	return found;
}

/* A remote operation in `h` (its work can fail across a boundary); its index or -1. */
static int hop_remote(const struct hop *h)
{
	FOR_CALLS_IN(h->ff, h->func, i) {
		const struct fact_call *c = &h->ff->calls.items[i];
		if (c->op && op_is_remote(c->op))
			return (int)i;
	}
	return -1;
}

static int hop_publishes(const struct hop *h)
{
	FOR_CALLS_IN(h->ff, h->func, i)
		if (op_eq(h->ff->calls.items[i].op, "queue.publish"))
			return (int)i;
	return -1;
}

/* --- the payload of one ack --- */

struct payload {
	namevec names;   /* bound names that hold the message or values derived from it */
	int consume;     /* the consume call, -1 for a callback's parameters */
	uint32_t from;   /* where the message arrives (consume line, or the def) */
};

static bool binding_derives(const struct file_facts *ff, const struct fact_binding *b,
			    const namevec *pl)
{
	if (b->call >= 0) {
		const struct fact_call *c = &ff->calls.items[b->call];
		/* the result of a remote call or a builtin is not the message */
		if ((c->op && op_is_remote(c->op) && !op_eq(c->op, "queue.consume")) || is_builtin(c))
			return false;
	}
	return uses_payload(&b->names, pl) != NULL;
}

/* Seeds from the consume calls of the ack's function, or its parameters. */
static bool payload_trace(const struct file_facts *ff, size_t ack_idx, struct payload *p)
{
	const struct fact_call *ack = &ff->calls.items[ack_idx];
	int fn = ack->func;
	bool grew = true;

	p->consume = -1;
	p->from = 0;
	for (size_t i = 0; i < ff->bindings.len; i++) {
		const struct fact_binding *b = &ff->bindings.items[i];
		const struct fact_call *c;
		if (b->func != fn || b->call < 0 || b->kind == BIND_PARAM)
			continue;
		c = &ff->calls.items[b->call];
		if (!op_eq(c->op, "queue.consume") || c->span.line > ack->span.line)
			continue;
		if (is_self(b->name) || namevec_has(&p->names, b->name))
			continue;
		VEC_APPEND(&p->names, b->name);
		if (p->consume < 0) {
			p->consume = b->call;
			p->from = c->span.line;
		}
	}
	if (p->consume < 0 && fn >= 0) {
		/* a message callback: the ack names one of the function's parameters */
		params_of(ff, fn, &p->names);
		if (!uses_payload(&ack->names, &p->names)) {
			p->names.len = 0;
			return false;
		}
		p->from = ff->functions.items[fn].span.line;
	}
	if (!p->names.len)
		return false;
	for (int pass = 0; grew && pass < 10; pass++) {
		grew = false;
		for (size_t i = 0; i < ff->bindings.len; i++) {
			const struct fact_binding *b = &ff->bindings.items[i];
			if (b->func != fn || b->kind == BIND_PARAM || is_self(b->name) ||
			    namevec_has(&p->names, b->name) || b->span.line < p->from)
				continue;
			if (binding_derives(ff, b, &p->names)) {
				VEC_APPEND(&p->names, b->name);
				grew = true;
			}
		}
	}
	return true;
}

/* Is the ack about this payload: it names it, or it commits on the consumer's own client? */
static bool ack_links(const struct file_facts *ff, const struct fact_call *ack,
		      const struct payload *p)
{
	if (uses_payload(&ack->names, &p->names))
		return true;
	return p->consume >= 0 && same_receiver(ack, &ff->calls.items[p->consume]);
}

/* --- reachability after the ack --- */

/* Can `u` run after `ack` on one path (syntactically, within one function)? */
static bool runs_after(const struct file_facts *ff, const struct fact_call *ack,
		       const struct fact_call *u)
{
	if (!pos_le(ack->span.end_line, ack->span.end_col, u->span.line, u->span.col))
		return false;
	/* in an except clause of a try around the ack: the ack did not happen */
	for (size_t i = 0; i < ff->handlers.len; i++) {
		const struct fact_handler *h = &ff->handlers.items[i];
		if (h->kind == HANDLER_EXCEPT && h->func == ack->func &&
		    span_inside(&h->span, &u->span) && span_inside(&h->guarded, &ack->span))
			return false;
	}
	if (span_inside(&ack->block, &u->span))
		return true;
	if (!ack->block.line)
		return true; /* module level, straight-line */
	/* past the ack's block: only when that block falls through unconditionally */
	return !ack->block_exits && !ack->conditional;
}

/* --- findings --- */

static const char *fn_label(const struct file_facts *ff, int fn, char *buf, size_t n)
{
	const struct fact_function *f;
	if (fn < 0)
		return "module level";
	f = &ff->functions.items[fn];
	if (f->cls)
		snprintf(buf, n, "%s.%s", f->cls, f->name);
	else
		snprintf(buf, n, "%s", f->name);
	return buf;
}

static const char *ack_verb(const char *op)
{
	if (op_eq(op, "queue.commit"))
		return "commits the consumed offsets";
	if (op_eq(op, "queue.delete"))
		return "deletes the message";
	return "acknowledges the message";
}

static void add_consumed(struct finding *f, const struct file_facts *ff, const struct payload *p)
{
	if (p->consume >= 0) {
		const struct fact_call *c = &ff->calls.items[p->consume];
		finding_related(f, ff->path, c->span.line, "consumed here: %s", c->callee);
		finding_evidence(f, "consumed: %s:%u %s(...) bound to `%s`", ff->path, c->span.line,
				 c->callee, p->names.items[0]);
	} else {
		finding_related(f, ff->path, p->from, "the message arrives as a parameter here");
		finding_evidence(f, "consumed: %s:%u the message arrives as a parameter", ff->path,
				 p->from);
	}
}

/* Rule 1: the payload is used after the ack. Returns true when it reported. */
static bool check_use_after(struct analysis *a, const struct file_facts *ff, size_t ack_idx,
			    const struct payload *p)
{
	const struct fact_call *ack = &ff->calls.items[ack_idx];
	int fn = ack->func;
	size_t start = ack_idx + 1;
	int first = -1, failing = -1, via = -1;
	const struct file_facts *via_ff = NULL;
	const char *used = NULL;
	enum severity sev;
	struct finding *f;
	char lb[256];

	for (size_t i = start; i < ff->calls.len; i++) {
		const struct fact_call *u = &ff->calls.items[i];
		const char *name;
		if (fn >= 0 && u->span.line > ff->functions.items[fn].span.end_line)
			break;
		/* a call inside another call's arguments is judged with that call */
		if (u->func != fn || u->carrier >= 0 || span_inside(&ack->span, &u->span))
			continue;
		if (is_message_op(u->op) || is_logging(u) || is_builtin(u) || is_bookkeeping(u) ||
		    op_eq(u->op, "serialize") || op_eq(u->op, "deserialize"))
			continue;
		name = uses_payload(&u->names, &p->names);
		if (!name || !runs_after(ff, ack, u))
			continue;
		if (first < 0) {
			first = (int)i;
			used = name;
		}
		if (u->op && op_is_remote(u->op)) {
			failing = (int)i;
			used = name;
			break;
		}
		if (u->awaited) {
			failing = (int)i;
			used = name;
			break;
		}
		{
			struct hop hops[MAX_HOP_CANDIDATES];
			size_t nh = resolve_call(a, ff, u, hops, MAX_HOP_CANDIDATES);
			for (size_t h = 0; h < nh && failing < 0; h++) {
				int r = hop_remote(&hops[h]);
				if (r >= 0) {
					failing = (int)i;
					via = r;
					via_ff = hops[h].ff;
					used = name;
				}
			}
			if (failing >= 0)
				break;
		}
	}
	if (first < 0)
		return false;
	{
		int at = failing >= 0 ? failing : first;
		const struct fact_call *u = &ff->calls.items[at];
		sev = failing >= 0 ? SEV_ERROR : SEV_WARNING;
		f = finding_add(a, "AP-2", sev, ff, &ack->span,
				"%s %s before %s processes `%s` (%s:%u): if that %s, the message is gone",
				ack->callee, ack_verb(ack->op), u->callee, used, ff->path, u->span.line,
				failing >= 0 ? "fails" : "work does not finish");
		add_consumed(f, ff, p);
		finding_evidence(f, "acked: %s:%u %s(...) in %s: the broker forgets the message",
				 ff->path, ack->span.line, ack->callee, fn_label(ff, fn, lb, sizeof(lb)));
		finding_related(f, ff->path, u->span.line, "uses the payload after the ack: %s",
				u->callee);
		if (via >= 0 && via_ff) {
			const struct fact_call *r = &via_ff->calls.items[via];
			finding_evidence(f, "used after: %s:%u %s(%s) reaches %s at %s:%u, which can fail",
					 ff->path, u->span.line, u->callee, used, r->op, via_ff->path,
					 r->span.line);
			finding_related(f, via_ff->path, r->span.line, "%s: %s", r->op, r->callee);
		} else if (u->op && op_is_remote(u->op)) {
			finding_evidence(f, "used after: %s:%u %s(%s) is %s, which can fail",
					 ff->path, u->span.line, u->callee, used, u->op);
		} else if (u->awaited) {
			finding_evidence(f, "used after: %s:%u await %s(%s), which can raise",
					 ff->path, u->span.line, u->callee, used);
		} else {
			finding_evidence(f, "used after: %s:%u %s(%s)", ff->path, u->span.line,
					 u->callee, used);
		}
		finding_evidence(f, "not persisted before the ack: no storage, database, key or queue write of `%s` between lines %u and %u",
				 used, p->from, ack->span.line);
		finding_fix(f, "acknowledge after the work succeeded (nack or let it redeliver on failure)");
	}
	return true;
}

/* --- rule 2: handed to memory, acked, needed by a requeue path --- */

static bool is_store_verb(const char *m)
{
	static const char *const verbs[] = {
		"append", "appendleft", "extend", "add", "put", "put_nowait", "insert", "push",
		"setdefault", "enqueue_nowait",
	};
	return IN_LIST(m, verbs);
}

static bool is_background_verb(const char *m)
{
	static const char *const verbs[] = {
		"submit", "create_task", "ensure_future", "run_in_executor", "start_soon",
		"spawn", "apply_async", "map_async",
	};
	return IN_LIST(m, verbs);
}

static bool is_wait_method(const char *m)
{
	static const char *const verbs[] = {
		"result", "wait", "join", "gather", "as_completed", "wait_for", "drain", "get",
	};
	return IN_LIST(m, verbs);
}

static bool is_memory_read(const char *m)
{
	static const char *const verbs[] = {
		"pop", "get", "popleft", "popitem", "copy", "__getitem__",
	};
	return IN_LIST(m, verbs);
}

struct store {
	const struct file_facts *ff; /* where the object's class is */
	int func;                    /* the function that keeps it (the hand-off's callee or the consumer) */
	int call;                    /* the keeping call (self.pending.append(job)) */
	const char *cls;
};

/* Does the hand-off `h` keep the payload in an object's memory? */
static bool find_store(const struct analysis *a, const struct file_facts *ff, size_t h_idx,
		       struct store *st)
{
	const struct fact_call *h = &ff->calls.items[h_idx];
	struct hop hops[MAX_HOP_CANDIDATES];
	size_t nh;

	if (h->op)
		return false;
	nh = resolve_call(a, ff, h, hops, MAX_HOP_CANDIDATES);
	if (!nh && is_store_verb(h->method) && receiver_is_self_attr(h) && h->func >= 0 &&
	    ff->functions.items[h->func].cls) {
		/* a container of the consumer's own (self.pending.append(msg)) */
		st->ff = ff;
		st->func = h->func;
		st->call = (int)h_idx;
		st->cls = ff->functions.items[h->func].cls;
		return true;
	}
	for (size_t k = 0; k < nh; k++) {
		const struct file_facts *f2 = hops[k].ff;
		const char *cls = f2->functions.items[hops[k].func].cls;
		namevec params = VEC_INIT;
		if (!cls)
			continue;
		params_of(f2, hops[k].func, &params);
		FOR_CALLS_IN(f2, hops[k].func, i) {
			const struct fact_call *c = &f2->calls.items[i];
			if (!c->op && is_store_verb(c->method) && receiver_is_self_attr(c) &&
			    uses_payload(&c->names, &params)) {
				st->ff = f2;
				st->func = hops[k].func;
				st->call = (int)i;
				st->cls = cls;
				VEC_FREE(&params);
				return true;
			}
		}
		VEC_FREE(&params);
	}
	return false;
}

/* Does the binding read the object's memory: x = self.m.pop(k), x = self.m[k]? */
static bool reads_memory(const struct file_facts *ff, const struct fact_binding *b)
{
	if (b->kind == BIND_PARAM)
		return false;
	if (b->call >= 0) {
		const struct fact_call *c = &ff->calls.items[b->call];
		return !c->op && receiver_is_self_attr(c) && is_memory_read(c->method);
	}
	for (size_t k = 0; k < b->names.len; k++)
		if (!strncmp(b->names.items[k], "self.", 5))
			return true;
	return false;
}

typedef VEC(const struct fact_binding *) bindvec;

static const struct fact_binding *memory_binding(const bindvec *mem, int fn, const char *name)
{
	for (size_t i = 0; i < mem->len; i++)
		if (mem->items[i]->func == fn && name_reads(name, mem->items[i]->name))
			return mem->items[i];
	return NULL;
}

struct requeue {
	int func;       /* the requeue path */
	const struct fact_binding *read; /* where it takes the payload from memory */
	int publish;    /* the re-publishing call in it */
	const struct file_facts *pub_ff; /* where the queue.publish itself is */
	int pub_op;     /* that call */
};

/* A function of the storing class that re-publishes what it takes from memory. */
static bool find_requeue(const struct analysis *a, const struct store *st, struct requeue *rq)
{
	const struct file_facts *ff = st->ff;
	bindvec mem = VEC_INIT;
	bool found = false;

	for (size_t i = 0; i < ff->bindings.len; i++) {
		const struct fact_binding *b = &ff->bindings.items[i];
		if (b->func >= 0 && ff->functions.items[b->func].cls &&
		    !strcmp(ff->functions.items[b->func].cls, st->cls) && reads_memory(ff, b))
			VEC_APPEND(&mem, b);
	}
	if (!mem.len)
		return false;

	/* pass 0: functions that publish themselves; pass 1: through one call */
	for (int pass = 0; pass < 2; pass++)
	for (size_t fn = 0; fn < ff->functions.len; fn++) {
		const struct fact_function *f = &ff->functions.items[fn];
		if ((int)fn == st->func || !f->cls || strcmp(f->cls, st->cls))
			continue;
		FOR_CALLS_IN(ff, fn, i) {
			const struct fact_call *c = &ff->calls.items[i];
			const struct fact_binding *b = NULL;
			int pub = -1;
			const struct file_facts *pub_ff = ff;

			for (size_t k = 0; k < c->names.len && !b; k++)
				b = memory_binding(&mem, (int)fn, c->names.items[k]);
			if (!b)
				continue;
			if (op_eq(c->op, "queue.publish")) {
				pub = (int)i;
			} else if (!c->op && pass == 1) {
				struct hop hops[MAX_HOP_CANDIDATES];
				size_t nh = resolve_call(a, ff, c, hops, MAX_HOP_CANDIDATES);
				for (size_t h = 0; h < nh && pub < 0; h++) {
					pub = hop_publishes(&hops[h]);
					pub_ff = hops[h].ff;
				}
			}
			if (pub < 0)
				continue;
			rq->func = (int)fn;
			rq->read = b;
			rq->publish = (int)i;
			rq->pub_ff = pub_ff;
			rq->pub_op = pub;
			found = true;
			goto done;
		}
	}
done:
	VEC_FREE(&mem);
	return found;
}

/* Is a call between `from` and the ack waiting for the background work? */
static bool waited_before(const struct file_facts *ff, size_t from, size_t ack_idx)
{
	for (size_t i = from + 1; i < ack_idx; i++)
		if (ff->calls.items[i].func == ff->calls.items[ack_idx].func &&
		    is_wait_method(ff->calls.items[i].method))
			return true;
	return false;
}

static bool check_handoff(struct analysis *a, const struct file_facts *ff, size_t ack_idx,
			  const struct payload *p)
{
	const struct fact_call *ack = &ff->calls.items[ack_idx];
	char lb[256], lb2[256];

	for (size_t i = p->consume >= 0 ? (size_t)p->consume + 1 : 0; i < ack_idx; i++) {
		const struct fact_call *h = &ff->calls.items[i];
		const char *name;
		struct store st;
		struct requeue rq;
		struct finding *f;

		if (h->func != ack->func || h->span.line < p->from || h->op || is_logging(h) ||
		    is_builtin(h))
			continue;
		name = uses_payload(&h->names, &p->names);
		if (!name)
			continue;
		if (find_store(a, ff, i, &st)) {
			const struct fact_call *sc = &st.ff->calls.items[st.call];
			if (find_requeue(a, &st, &rq)) {
				const struct fact_call *pc = &st.ff->calls.items[rq.publish];
				f = finding_add(a, "AP-2", SEV_ERROR, ff, &ack->span,
						"%s %s while `%s` lives only in %s's memory; %s re-publishes it from there (%s:%u), so after a restart the job cannot be rebuilt",
						ack->callee, ack_verb(ack->op), name, st.cls,
						fn_label(st.ff, rq.func, lb, sizeof(lb)), st.ff->path,
						rq.read->span.line);
				add_consumed(f, ff, p);
				finding_evidence(f, "handed off: %s:%u %s(%s) keeps it in memory (%s:%u %s)",
						 ff->path, h->span.line, h->callee, name, st.ff->path,
						 sc->span.line, sc->callee);
				finding_evidence(f, "acked: %s:%u %s(...): the broker forgets the message; the only copy is in %s",
						 ff->path, ack->span.line, ack->callee, st.cls);
				finding_evidence(f, "not persisted before the ack: no storage, database, key or queue write of `%s` between lines %u and %u",
						 name, p->from, ack->span.line);
				finding_evidence(f, "needed later: %s:%u %s takes `%s` from memory and re-publishes it (%s:%u %s)",
						 st.ff->path, rq.read->span.line,
						 fn_label(st.ff, rq.func, lb2, sizeof(lb2)), rq.read->name,
						 st.ff->path, pc->span.line, pc->callee);
				finding_fix(f, "store what the requeue needs durably before the ack, and rebuild from there");
				finding_related(f, ff->path, h->span.line, "handed to %s's memory here: %s",
						st.cls, h->callee);
				finding_related(f, st.ff->path, rq.read->span.line,
						"the requeue path needs it here (%s)",
						fn_label(st.ff, rq.func, lb, sizeof(lb)));
				finding_related(f, st.ff->path, pc->span.line, "re-published here: %s",
						pc->callee);
				/* who else publishes through the same function: where the payload was built */
				{
					const fact_refs *callers = index_callers(a->ix, pc->method);
					size_t shown = 0;
					for (size_t k = 0; callers && k < callers->len && shown < 2; k++) {
						const struct file_facts *cf = callers->items[k].ff;
						const struct fact_call *cc = &cf->calls.items[callers->items[k].idx];
						if (cc == pc || strcmp(cc->callee, pc->callee) == 0)
							continue;
						if (strcmp(strrchr(cc->callee, '.') ? strrchr(cc->callee, '.') : cc->callee,
							   strrchr(pc->callee, '.') ? strrchr(pc->callee, '.') : pc->callee))
							continue;
						finding_related(f, cf->path, cc->span.line,
								"the payload is built and enqueued here: %s", cc->callee);
						shown++;
					}
				}
				return true;
			}
			if (st.ff == ff && st.call == (int)i) {
				/* self.pending.append(msg) then ack: the consumer's own buffer */
				f = finding_add(a, "AP-2", SEV_WARNING, ff, &ack->span,
						"%s %s after only buffering `%s` in memory (%s): if the process stops before the buffer is processed, the message is gone",
						ack->callee, ack_verb(ack->op), name, h->callee);
				add_consumed(f, ff, p);
				finding_evidence(f, "handed off: %s:%u %s(%s) keeps it in memory",
						 ff->path, h->span.line, h->callee, name);
				finding_evidence(f, "acked: %s:%u %s(...) before that work ran",
						 ff->path, ack->span.line, ack->callee);
				finding_fix(f, "acknowledge when the buffered work is done");
				finding_related(f, ff->path, h->span.line, "buffered here: %s", h->callee);
				return true;
			}
			continue;
		}
		if (is_background_verb(h->method) && !waited_before(ff, i, ack_idx)) {
			f = finding_add(a, "AP-2", SEV_WARNING, ff, &ack->span,
					"%s %s right after handing `%s` to background work (%s) that nothing waits for: if that work fails or the process stops, the message is gone",
					ack->callee, ack_verb(ack->op), name, h->callee);
			add_consumed(f, ff, p);
			finding_evidence(f, "handed off: %s:%u %s(%s) runs it later", ff->path,
					 h->span.line, h->callee, name);
			finding_evidence(f, "acked: %s:%u %s(...) without waiting for it", ff->path,
					 ack->span.line, ack->callee);
			finding_fix(f, "acknowledge (commit) from the work's completion, only up to what finished");
			finding_related(f, ff->path, h->span.line, "handed to background work here: %s",
					h->callee);
			return true;
		}
	}
	return false;
}

/* Was the payload persisted (or forwarded durably) between its arrival and the ack? */
static bool persisted_before(const struct analysis *a, const struct file_facts *ff,
			     size_t ack_idx, const struct payload *p)
{
	const struct fact_call *ack = &ff->calls.items[ack_idx];

	for (size_t i = 0; i < ack_idx; i++) {
		const struct fact_call *q = &ff->calls.items[i];
		struct hop hops[MAX_HOP_CANDIDATES];
		size_t nh;
		if (q->func != ack->func || q->span.line < p->from || !uses_payload(&q->names, &p->names))
			continue;
		if (is_persist(q))
			return true;
		if (q->op)
			continue;
		nh = resolve_call(a, ff, q, hops, MAX_HOP_CANDIDATES);
		for (size_t h = 0; h < nh; h++)
			if (hop_persists(&hops[h]) >= 0)
				return true;
	}
	return false;
}

void ap2_detect(struct analysis *a)
{
	for (size_t t = 0; t < a->ntargets; t++) {
		const struct file_facts *ff = a->targets[t];
		analysis_at(a, t);
		for (size_t i = 0; i < ff->calls.len; i++) {
			const struct fact_call *ack = &ff->calls.items[i];
			struct payload p = { 0 };

			if (!is_ack_op(ack->op))
				continue;
			if (payload_trace(ff, i, &p) && ack_links(ff, ack, &p) &&
			    !persisted_before(a, ff, i, &p)) {
				if (!check_use_after(a, ff, i, &p))
					check_handoff(a, ff, i, &p);
			}
			VEC_FREE(&p.names);
		}
	}
}
