#include "checklist.h"

#include <string.h>

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "factq.h"
#include "observers.h"
#include "retry_chain.h"
#include "../base/banned.h"

#define MAX_LISTED 4

void checklist_release(struct checklist *c)
{
	for (size_t i = 0; i < c->items.len; i++)
		xfree(c->items.items[i].answer);
	VEC_FREE(&c->items);
}

/*
 * The observers of a (field, value), found once per check: every region
 * that writes the same state asks the same question, several times.
 */
static const struct observer_list *cached_observers(const struct analysis *a,
						    struct checklist_cache *cc,
						    const struct fact_write *w)
{
	struct strbuf key = STRBUF_INIT;
	strbuf_addf(&key, "%s\x1f%s", w->field, w->value ? w->value : "");
	struct observer_list *l = strmap_get(&cc->observers, key.buf);
	if (!l) {
		l = xcalloc(1, sizeof(*l));
		observers_find_in(a->obs_memo, w->field, w->value, l);
		strmap_put(&cc->observers, key.buf, l);
	}
	strbuf_release(&key);
	return l;
}

void checklist_cache_init(struct checklist_cache *cc)
{
	cc->observers = (struct strmap)STRMAP_INIT;
	cc->clients = (struct strmap)STRMAP_INIT;
	cc->writers = (struct pairmap)PAIRMAP_INIT;
}

struct state_groups;
static void state_groups_free(struct state_groups *g);

void checklist_cache_release(struct checklist_cache *cc)
{
	for (size_t i = 0; i < cc->observers.len; i++) {
		observers_release(cc->observers.entries[i].value);
		xfree(cc->observers.entries[i].value);
	}
	strmap_release(&cc->observers);
	for (size_t i = 0; i < cc->clients.len; i++) {
		retry_clients_release(cc->clients.entries[i].value);
		xfree(cc->clients.entries[i].value);
	}
	strmap_release(&cc->clients);
	for (size_t i = 0; i < cc->writers.len; i++)
		state_groups_free(cc->writers.entries[i].value);
	pairmap_release(&cc->writers);
}

static bool in_region(const struct boundary_unit *u, uint32_t line)
{
	return line >= u->first && line <= u->last;
}

static const char *func_label(const struct file_facts *ff, int func, char *buf, size_t n)
{
	return observers_func_name(ff, func, buf, n);
}

/* A finding of `rule` whose primary or related location lies in the region. */
static const struct finding *finding_in(const struct boundary_unit *u, const char *rule,
					const struct finding *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(f[i].rule, rule))
			continue;
		if (!strcmp(f[i].path, u->path) && in_region(u, f[i].line))
			return &f[i];
		for (size_t r = 0; r < f[i].related.len; r++)
			if (!strcmp(f[i].related.items[r].path, u->path) &&
			    in_region(u, f[i].related.items[r].line))
				return &f[i];
	}
	return NULL;
}

static char *evidence_text(const struct finding *f)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s (%s:%u): ", f->rule, f->path, f->line);
	for (size_t i = 0; i < f->evidence.len; i++)
		strbuf_addf(&sb, "%s%s", i ? "; " : "", f->evidence.items[i]);
	if (!f->evidence.len)
		strbuf_addstr(&sb, f->message);
	return strbuf_detach(&sb, NULL);
}

/* The state writes of the region that others can see (not constructors). */
static bool visible_write(const struct file_facts *ff, const struct fact_write *w)
{
	if (w->func >= 0 && ff->functions.items[w->func].is_constructor)
		return false;
	return w->field && *w->field;
}

static void dispatch_path(struct strbuf *sb, const struct observer *o)
{
	for (size_t h = 0; h < o->nhops; h++) {
		const struct obs_step *s = &o->hops[h];
		strbuf_addf(sb, "%s%s()", h ? " -> " : "", s->ff->calls.items[s->call].callee);
	}
}

static char *answer_observers(const struct analysis *a, struct checklist_cache *oc,
			      const struct file_facts *ff, const struct boundary_unit *u)
{
	struct strbuf sb = STRBUF_INIT;
	size_t shown = 0;
	for (size_t i = 0; i < ff->writes.len && shown < MAX_LISTED; i++) {
		const struct fact_write *w = &ff->writes.items[i];
		if (!in_region(u, w->span.line) || !visible_write(ff, w))
			continue;
		shown++;
		const struct observer_list *obs = cached_observers(a, oc, w);
		size_t n = obs->len;
		strbuf_addf(&sb, "%s`%s` = %s (line %u): ", sb.len ? "\n" : "", w->target,
			    w->value ? w->value : "(computed)", w->span.line);
		if (!n)
			strbuf_addf(&sb, "no reader of `%s` with this value in the repository", w->field);
		for (size_t k = 0; k < n && k < MAX_LISTED; k++) {
			const struct observer *o = &obs->items[k];
			char fn[160];
			strbuf_addf(&sb, "%s%s:%u %s %s", k ? "; " : "", o->path, o->line,
				    func_label(o->ff, o->func, fn, sizeof(fn)),
				    o->selects ? "selects on it" : "reads it");
			if (o->dispatches) {
				strbuf_addstr(&sb, " and dispatches work (");
				dispatch_path(&sb, o);
				strbuf_addch(&sb, ')');
			}
		}
		if (n > MAX_LISTED)
			strbuf_addf(&sb, "; and %zu more readers", n - MAX_LISTED);
	}
	return sb.len ? strbuf_detach(&sb, NULL) : (strbuf_release(&sb), NULL);
}

/* The enum type of a value ("WorkerStatus" of "WorkerStatus.IDLE"), as a length; 0 when none. */
static size_t enum_prefix(const char *v)
{
	const char *dot = v ? strrchr(v, '.') : NULL;
	if (!dot || dot == v || (v[0] < 'A' || v[0] > 'Z'))
		return 0;
	return (size_t)(dot - v);
}

/*
 * Does another write of the same field name touch the same state? Same
 * target text, or values of the same enum type; a `status` of jobs is not
 * the `status` of workers. So the visible writes of one index_writers()
 * list are grouped the two ways: by target text and by enum type, each
 * group as indices into the list, ascending. Worked out once per field: a
 * field like `Status` has thousands of writes and every region asks.
 */
typedef VEC(size_t) index_vec;
struct state_groups {
	struct strmap by_target; /* target -> index_vec * */
	struct strmap by_type;   /* enum type ("WorkerStatus") -> index_vec * */
};

static void group_add(struct strmap *m, const char *key, size_t k)
{
	index_vec *v = strmap_get(m, key);
	if (!v) {
		v = xcalloc(1, sizeof(*v));
		strmap_put(m, key, v);
	}
	VEC_APPEND(v, k);
}

static void group_map_release(struct strmap *m)
{
	for (size_t i = 0; i < m->len; i++) {
		index_vec *v = m->entries[i].value;
		VEC_FREE(v);
		xfree(v);
	}
	strmap_release(m);
}

static void state_groups_free(struct state_groups *g)
{
	group_map_release(&g->by_target);
	group_map_release(&g->by_type);
	xfree(g);
}

static const struct state_groups *cached_groups(struct checklist_cache *cc, const fact_refs *refs)
{
	struct state_groups *g = pairmap_get(&cc->writers, refs, 0);
	if (g)
		return g;
	g = xcalloc(1, sizeof(*g));
	pairmap_put(&cc->writers, refs, 0, g);
	struct strbuf type = STRBUF_INIT;
	for (size_t k = 0; k < refs->len; k++) {
		const struct file_facts *of = refs->items[k].ff;
		const struct fact_write *o = &of->writes.items[refs->items[k].idx];
		if (!visible_write(of, o))
			continue;
		if (o->target)
			group_add(&g->by_target, o->target, k);
		size_t p = enum_prefix(o->value);
		if (p) {
			strbuf_reset(&type);
			strbuf_add(&type, o->value, p);
			group_add(&g->by_type, type.buf, k);
		}
	}
	strbuf_release(&type);
	return g;
}

/*
 * The next index of the list that touches the same state as `w`: the
 * smaller head of its target's group and its enum type's group. *t and *e
 * walk the two groups; (size_t)-1 when both are done.
 */
static size_t next_same_state(const index_vec *tv, const index_vec *ev, size_t *t, size_t *e)
{
	size_t a = tv && *t < tv->len ? tv->items[*t] : (size_t)-1;
	size_t b = ev && *e < ev->len ? ev->items[*e] : (size_t)-1;
	size_t k = a < b ? a : b;
	if (k == (size_t)-1)
		return k;
	if (a == k)
		(*t)++;
	if (b == k)
		(*e)++;
	return k;
}

static char *answer_writers(const struct analysis *a, struct checklist_cache *cc,
			    const struct file_facts *ff, const struct boundary_unit *u)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < ff->writes.len; i++) {
		const struct fact_write *w = &ff->writes.items[i];
		if (!in_region(u, w->span.line) || !visible_write(ff, w))
			continue;
		const fact_refs *refs = index_writers(a->ix, w->field);
		size_t listed = 0, others = 0;
		strbuf_addf(&sb, "%s`%s` (line %u): ", sb.len ? "; " : "", w->target, w->span.line);
		const struct state_groups *g = refs ? cached_groups(cc, refs) : NULL;
		const index_vec *tv = g && w->target ? strmap_get(&g->by_target, w->target) : NULL;
		const index_vec *ev = NULL;
		size_t p = enum_prefix(w->value), ti = 0, ei = 0;
		if (g && p) {
			char *type = xstrndup(w->value, p);
			ev = strmap_get(&g->by_type, type);
			xfree(type);
		}
		for (size_t k; (k = next_same_state(tv, ev, &ti, &ei)) != (size_t)-1;) {
			const struct file_facts *of = refs->items[k].ff;
			const struct fact_write *o = &of->writes.items[refs->items[k].idx];
			if (of == ff && o == w)
				continue;
			others++;
			if (listed++ < MAX_LISTED) {
				char fn[160];
				strbuf_addf(&sb, "%s%s:%u %s writes %s", listed > 1 ? ", " : "", of->path,
					    o->span.line, func_label(of, o->func, fn, sizeof(fn)),
					    o->value ? o->value : "a computed value");
			}
		}
		if (!others)
			strbuf_addstr(&sb, "no other write of this state (same target or same enum type) in the repository");
		else if (others > MAX_LISTED)
			strbuf_addf(&sb, ", and %zu more", others - MAX_LISTED);
		break; /* the first write of the region; the others are listed by their own regions */
	}
	return sb.len ? strbuf_detach(&sb, NULL) : (strbuf_release(&sb), NULL);
}

static char *answer_tick_trace(const struct analysis *a, struct checklist_cache *oc,
			       const struct file_facts *ff, const struct boundary_unit *u,
			       const struct finding *f, size_t nf)
{
	const struct finding *ap1 = finding_in(u, "AP-1", f, nf);
	if (ap1)
		return evidence_text(ap1);
	for (size_t i = 0; i < ff->writes.len; i++) {
		const struct fact_write *w = &ff->writes.items[i];
		if (!in_region(u, w->span.line) || !visible_write(ff, w) || !w->value)
			continue;
		const struct observer_list *obs = cached_observers(a, oc, w);
		size_t n = obs->len;
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "tick 1: line %u writes %s = %s; ", w->span.line, w->target, w->value);
		const struct observer *d = NULL;
		for (size_t k = 0; k < n && !d; k++)
			if (obs->items[k].selects && obs->items[k].dispatches)
				d = &obs->items[k];
		if (d) {
			char fn[160];
			strbuf_addf(&sb, "tick 2: %s:%u %s selects it and dispatches work; tick 3: open - "
				    "does the instance that gets the work still have the condition that "
				    "led to this write?", d->path, d->line, func_label(d->ff, d->func, fn, sizeof(fn)));
		} else {
			strbuf_addstr(&sb, "tick 2: no reader selects on this value to dispatch work, so the "
					   "trace stops here");
		}
		return strbuf_detach(&sb, NULL);
	}
	return NULL;
}

static const char *class_meaning(enum failure_class c)
{
	switch (c) {
	case FAIL_INFRASTRUCTURE:
		return "the other side may be down or unreachable now and fine later; the same instance is likely to fail again at once";
	case FAIL_LOGIC:
		return "the request itself is wrong; retrying the same input will fail the same way";
	case FAIL_OBSERVATION:
		return "a monitoring channel failed; it says nothing about the operation it watched, which may still be running";
	case FAIL_UNKNOWN:
		break;
	}
	return "the caught types are not classified (a catch-all or a type no model knows): say which failures reach it";
}

static char *answer_failure_class(const struct file_facts *ff, const struct boundary_unit *u,
				  const struct finding *f, size_t nf)
{
	struct strbuf sb = STRBUF_INIT;
	/* A failure reported by another component reaches here as a message, not an exception. */
	const struct finding *ap1 = finding_in(u, "AP-1", f, nf);
	for (size_t r = 0; ap1 && r < ap1->related.len; r++)
		if (strcmp(ap1->related.items[r].path, u->path)) {
			strbuf_addf(&sb, "after a failure reported from %s:%u (%s)", ap1->related.items[r].path,
				    ap1->related.items[r].line, ap1->related.items[r].message);
			break;
		}
	for (size_t i = 0; i < ff->handlers.len; i++) {
		const struct fact_handler *h = &ff->handlers.items[i];
		bool covers = h->span.line <= u->last && h->span.end_line >= u->first;
		if (!covers || h->kind == HANDLER_FINALLY)
			continue;
		strbuf_addf(&sb, "%sline %u handles ", sb.len ? "; " : "", h->span.line);
		if (!h->types.len)
			strbuf_addstr(&sb, "every exception");
		for (size_t t = 0; t < h->types.len && t < 3; t++)
			strbuf_addf(&sb, "%s%s", t ? ", " : "", h->types.items[t]);
		strbuf_addf(&sb, ": %s - %s", failure_class_name(h->cls), class_meaning(h->cls));
	}
	if (!sb.len)
		strbuf_addstr(&sb, "not on an error path: no handler encloses this region");
	return strbuf_detach(&sb, NULL);
}

static bool lifecycle_op(const char *op)
{
	static const char *const ops[] = { "queue.consume", "queue.ack", "queue.nack", "queue.reject",
					   "queue.requeue", "queue.commit", "queue.delete",
					   "queue.publish", "storage.write", "storage.delete",
					   "db.execute", "kv.write", "kv.delete" };
	for (size_t i = 0; op && i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(op, ops[i]))
			return true;
	return false;
}

static char *answer_payload(const struct file_facts *ff, const struct boundary_unit *u,
			    const struct finding *f, size_t nf)
{
	const struct finding *ap2 = finding_in(u, "AP-2", f, nf);
	if (ap2)
		return evidence_text(ap2);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (!in_region(u, c->span.line) || !lifecycle_op(c->op))
			continue;
		strbuf_addf(&sb, "%s%s at line %u (%s)", sb.len ? ", then " : "", c->op, c->span.line,
			    c->callee);
	}
	return sb.len ? strbuf_detach(&sb, NULL) : (strbuf_release(&sb), NULL);
}

/* A file's client retry configurations, worked out once per check (a file may hold hundreds). */
static const struct retry_clients *cached_clients(struct checklist_cache *cc,
						  const struct file_facts *ff)
{
	struct retry_clients *rc = strmap_get(&cc->clients, ff->path);
	if (!rc) {
		rc = xcalloc(1, sizeof(*rc));
		retry_clients_init(rc, ff);
		strmap_put(&cc->clients, ff->path, rc);
	}
	return rc;
}

static char *answer_retry_product(const struct analysis *a, struct checklist_cache *cc,
				  const struct file_facts *ff, const struct boundary_unit *u)
{
	struct retry_chain best, cur;
	retry_chain_init(&best);
	retry_chain_init(&cur);
	int best_call = -1;
	bool any = false;
	const struct retry_clients *rcp = cached_clients(cc, ff);
	for (size_t i = facts_first_call_at(ff, u->first); i < ff->calls.len; i++) {
		if (ff->calls.items[i].span.line > u->last)
			break;
		if (!retry_chain_operation_in(rcp, i))
			continue;
		any = true;
		retry_chain_for_call_in(a, rcp, i, &cur);
		if (best_call < 0 || cur.links.len > best.links.len) {
			struct retry_chain t = best;
			best = cur;
			cur = t;
			best_call = (int)i;
		}
	}
	char *res = NULL;
	if (any) {
		const struct fact_call *c = &ff->calls.items[best_call];
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s() at line %u: ", c->callee, c->span.line);
		if (!best.links.len)
			strbuf_addstr(&sb, "one attempt, no retry layer wraps it");
		for (size_t l = 0; l < best.links.len; l++) {
			const struct retry_link *k = &best.links.items[l];
			strbuf_addf(&sb, "%s%s ", l ? " x " : "", k->source);
			if (k->attempts > 0)
				strbuf_addf(&sb, "%d", k->attempts);
			else
				strbuf_addstr(&sb, "(unbounded or unknown)");
			strbuf_addf(&sb, " (%s:%u%s)", k->path, k->line, k->is_default ? ", a default" : "");
		}
		if (best.links.len > 1)
			strbuf_addf(&sb, " = %ld attempts%s", best.product,
				    best.unknown ? " at least" : "");
		res = strbuf_detach(&sb, NULL);
	}
	retry_chain_release(&best);
	retry_chain_release(&cur);
	return res;
}

static char *answer_edges(const struct analysis *a, int comp)
{
	if (!a->topo)
		return xstrdup("no topology: add .dist-architect/topology.yaml to know the cardinality of this component's edges");
	if (comp < 0)
		return xstrdup("this file maps to no topology component: add it to a component's `paths:`");
	struct strbuf sb = STRBUF_INIT;
	const struct topo_component *c = &a->topo->components.items[comp];
	strbuf_addf(&sb, "%s (%s): ", c->name, c->count.text ? c->count.text : "?");
	size_t n = 0;
	for (size_t i = 0; i < a->topo->relationships.len; i++) {
		const struct topo_relationship *e = &a->topo->relationships.items[i];
		if (e->from_idx != comp && e->to_idx != comp)
			continue;
		strbuf_addf(&sb, "%s%s -> %s %s via %s", n++ ? "; " : "", e->from, e->to,
			    cardinality_name(e->card), e->via ? e->via : "?");
	}
	if (!n)
		strbuf_addstr(&sb, "no relationship in the topology");
	return strbuf_detach(&sb, NULL);
}

static char *answer_component(const struct analysis *a, const struct file_facts *ff, int comp)
{
	struct strbuf sb = STRBUF_INIT;
	if (!a->topo || comp < 0) {
		char *name = analysis_component(a, ff->path);
		strbuf_addf(&sb, "%s (inferred from the folder; not in a topology)", name);
		xfree(name);
		return strbuf_detach(&sb, NULL);
	}
	const struct topo_component *c = &a->topo->components.items[comp];
	strbuf_addf(&sb, "%s, %s", c->name, c->count.text ? c->count.text : "count unknown");
	if (c->role)
		strbuf_addf(&sb, " (%s)", c->role);
	for (size_t i = 0; i < a->topo->convergence.len; i++) {
		const struct topo_convergence *cp = &a->topo->convergence.items[i];
		bool mine = false;
		for (size_t k = 0; k < cp->accessed_by.len; k++)
			mine |= !strcmp(cp->accessed_by.items[k], c->name);
		if (!mine)
			continue;
		strbuf_addf(&sb, "; converges on %s with", cp->resource);
		for (size_t k = 0; k < cp->accessed_by.len; k++)
			if (strcmp(cp->accessed_by.items[k], c->name))
				strbuf_addf(&sb, " %s", cp->accessed_by.items[k]);
		if (cp->concern)
			strbuf_addf(&sb, " (%s)", cp->concern);
	}
	return strbuf_detach(&sb, NULL);
}

static void instantiate(const struct analysis *a, struct checklist_cache *oc, const struct module *m, int pass,
			const struct file_facts *ff, const struct boundary_unit *u, int comp,
			const struct finding *f, size_t nf, checklist_vec *out)
{
	struct checklist *c = VEC_PUSH(out);
	c->module = m;
	c->path = u->path;
	c->first = u->first;
	c->last = u->last;
	c->pass = pass;
	for (size_t i = 0; i < m->nquestions; i++) {
		const struct module_question *q = &m->questions[i];
		char *ans = NULL;
		switch (q->answer) {
		case MODULE_ANSWER_OBSERVERS: ans = answer_observers(a, oc, ff, u); break;
		case MODULE_ANSWER_WRITERS: ans = answer_writers(a, oc, ff, u); break;
		case MODULE_ANSWER_TICK_TRACE: ans = answer_tick_trace(a, oc, ff, u, f, nf); break;
		case MODULE_ANSWER_FAILURE_CLASS: ans = answer_failure_class(ff, u, f, nf); break;
		case MODULE_ANSWER_PAYLOAD_LIFECYCLE: ans = answer_payload(ff, u, f, nf); break;
		case MODULE_ANSWER_RETRY_PRODUCT: ans = answer_retry_product(a, oc, ff, u); break;
		case MODULE_ANSWER_EDGE_CARDINALITY: ans = answer_edges(a, comp); break;
		case MODULE_ANSWER_COMPONENT: ans = answer_component(a, ff, comp); break;
		case MODULE_ANSWER_NONE:
		case MODULE_ANSWER_COUNT: break;
		}
		/* The same facts answer several questions: say so once, then point at it. */
		for (size_t k = 0; ans && k < c->items.len; k++)
			if (c->items.items[k].answer && !strcmp(c->items.items[k].answer, ans)) {
				xfree(ans);
				struct strbuf sb = STRBUF_INIT;
				strbuf_addf(&sb, "see %s", c->items.items[k].q->id);
				ans = strbuf_detach(&sb, NULL);
				break;
			}
		struct checklist_item *it = VEC_PUSH(&c->items);
		it->q = q;
		it->answer = ans;
		it->answered = ans != NULL;
	}
}

static void decide_pass2(const struct analysis *a, int comp, struct pass2_decision *p2)
{
	struct strbuf sb = STRBUF_INIT;
	p2->run = false;
	if (!a->topo) {
		strbuf_addstr(&sb, "skipped: no topology, so no cardinality to put this component on the 1 side of a 1:N edge");
	} else if (comp < 0) {
		strbuf_addstr(&sb, "skipped: the file maps to no topology component");
	} else {
		const struct topo_component *c = &a->topo->components.items[comp];
		for (size_t i = 0; i < a->topo->relationships.len && !p2->run; i++) {
			const struct topo_relationship *e = &a->topo->relationships.items[i];
			if ((e->from_idx == comp && e->card == CARD_1_N) ||
			    (e->to_idx == comp && e->card == CARD_N_1)) {
				p2->run = true;
				strbuf_addf(&sb, "ran: %s is the 1 side of %s -> %s (%s via %s)", c->name,
					    e->from, e->to, cardinality_name(e->card), e->via ? e->via : "?");
			}
		}
		if (!p2->run)
			strbuf_addf(&sb, "skipped: %s (%s) is not the 1 side of any 1:N relationship",
				    c->name, c->count.text ? c->count.text : "?");
	}
	p2->why = strbuf_detach(&sb, NULL);
}

void checklists_for_region(const struct analysis *a, const struct module_set *ms,
			   struct checklist_cache *oc,
			   const struct file_facts *ff, const struct boundary_unit *u, int comp,
			   const struct finding *findings, size_t nfindings,
			   checklist_vec *out, struct pass2_decision *p2)
{
	bool seen[SIG__COUNT] = { false };
	for (size_t h = 0; h < u->hits.len; h++)
		seen[u->hits.items[h].sig] = true;
	for (int s = 0; s < SIG__COUNT; s++) {
		if (!seen[s])
			continue;
		const struct module *m = module_for_trigger(ms, signal_name(s));
		if (m)
			instantiate(a, oc, m, 1, ff, u, comp, findings, nfindings, out);
	}
	decide_pass2(a, comp, p2);
	for (size_t i = 0; p2->run && i < module_count(ms); i++) {
		const struct module *m = module_at(ms, i);
		if (m->pass2)
			instantiate(a, oc, m, 2, ff, u, comp, findings, nfindings, out);
	}
}
