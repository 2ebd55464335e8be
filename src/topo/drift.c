/*
 * Drift (drift.h): code links against the topology's relationships.
 */
#include "drift.h"

#include <string.h>

#include "../analyze/detect.h"
#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

/* Related locations listed per finding; the rest are counted. */
#define MAX_RELATED 5

void drift_init(struct drift *d)
{
	memset(d, 0, sizeof(*d));
}

void drift_release(struct drift *d)
{
	for (size_t i = 0; i < d->findings.len; i++)
		finding_release(&d->findings.items[i]);
	VEC_FREE(&d->findings);
	memset(d, 0, sizeof(*d));
}

static struct finding *new_finding(struct drift *d, const char *rule, enum severity sev,
				   const char *path, uint32_t line, uint32_t col, const char *component)
{
	struct finding *f = VEC_PUSH(&d->findings);
	f->rule = xstrdup(rule);
	f->severity = sev;
	f->path = xstrdup(path);
	f->line = line ? line : 1;
	f->column = col ? col : 1;
	f->component = component ? xstrdup(component) : NULL;
	return f;
}

static bool mentions_kind(const char *text, enum link_kind k)
{
	for (const char *const *w = link_kind_words(k); *w; w++)
		if (text_mentions(text, *w))
			return true;
	return false;
}

bool drift_link_matches(const struct topology *t, const struct code_link *l,
			const struct topo_relationship *e)
{
	int me = l->comp_idx, other;
	if (me < 0 || e->from_idx < 0 || e->to_idx < 0)
		return false;
	if (e->from_idx == me && l->dir != LINK_IN)
		other = e->to_idx;
	else if (e->to_idx == me && l->dir != LINK_OUT)
		other = e->from_idx;
	else
		return false;
	if (l->peer_idx >= 0 && l->peer_idx == other)
		return true;
	const char *texts[] = { e->via, e->pattern };
	for (size_t i = 0; i < 2; i++)
		if (text_mentions_words(texts[i], l->library) || text_mentions(texts[i], l->system))
			return true;
	/* A known peer elsewhere: this edge goes to someone else over something else. */
	if (l->peer_idx >= 0)
		return false;
	for (size_t i = 0; i < 2; i++)
		if (mentions_kind(texts[i], l->kind))
			return true;
	return false;
}

static bool link_accounted(const struct topology *t, const struct code_link *l)
{
	for (size_t e = 0; e < t->relationships.len; e++)
		if (drift_link_matches(t, l, &t->relationships.items[e]))
			return true;
	return false;
}

static bool same_boundary(const struct code_link *a, const struct code_link *b)
{
	return a->kind == b->kind && a->dir == b->dir &&
	       !strcmp(a->library ? a->library : "", b->library ? b->library : "") &&
	       !strcmp(a->target ? a->target : "", b->target ? b->target : "") &&
	       !strcmp(a->sites.items[0].path, b->sites.items[0].path) &&
	       a->sites.items[0].at.line == b->sites.items[0].at.line;
}

/*
 * Shared code (claimed by several components) is each owner's; it drifts
 * only when no owner accounts for it, and is reported once, for the first.
 */
static bool shared_accounted_or_reported(const struct topology *t, const struct code_links *cl,
					 size_t i)
{
	const struct code_link *l = &cl->items.items[i];
	for (size_t k = 0; k < cl->items.len; k++) {
		const struct code_link *m = &cl->items.items[k];
		if (k == i || !m->shared || !same_boundary(l, m))
			continue;
		if (k < i || link_accounted(t, m))
			return true;
	}
	return false;
}

static void add_sites(struct finding *f, const struct code_link *l, size_t from)
{
	size_t n = l->sites.len;
	for (size_t s = from; s < n && s < from + MAX_RELATED; s++) {
		const struct link_site *st = &l->sites.items[s];
		if (st->through)
			finding_related(f, st->path, st->at.line, "also, through %s(): %s", st->through,
					st->op);
		else
			finding_related(f, st->path, st->at.line, "also: %s (%s)", st->callee, st->op);
	}
	if (n > from + MAX_RELATED)
		finding_evidence(f, "%zu more call sites", n - from - MAX_RELATED);
}

static void describe_first_site(struct finding *f, const struct code_link *l)
{
	const struct link_site *s = &l->sites.items[0];
	if (s->through)
		finding_evidence(f, "%s() is called here; its `%s` (%s) is at %s:%u", s->through,
				 s->callee, s->op, s->through_path, s->through_line);
	else
		finding_evidence(f, "`%s` is %s in the %s model", s->callee, s->op,
				 l->library ? l->library : "?");
	if (l->target)
		finding_evidence(f, "its destination, as written: `%s`", l->target);
	finding_evidence(f, "%zu call site%s in all", l->sites.len, l->sites.len == 1 ? "" : "s");
}

static void missing(struct drift *d, const struct code_link *l)
{
	const struct link_site *s = &l->sites.items[0];
	const char *lib = l->library ? l->library : "unknown library";
	struct finding *f = new_finding(d, DRIFT_MISSING, SEV_WARNING, s->path, s->at.line, s->at.col,
					l->component);
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "`%s` %s (%s%s%s%s)", l->component, link_verb(l->kind, l->dir), lib,
		    l->target ? ", `" : "", l->target ? l->target : "", l->target ? "`" : "");
	strbuf_addf(&sb, " but no relationship of `%s` in the topology accounts for it", l->component);
	f->message = strbuf_detach(&sb, NULL);
	describe_first_site(f, l);
	if (l->peer_idx < 0 && l->peer)
		finding_evidence(f, "`%s` is not a component of the topology", l->peer);
	add_sites(f, l, 1);
	const char *peer = l->peer ? l->peer : "COMPONENT";
	bool in = l->dir == LINK_IN;
	finding_fix(f, "add the relationship `{from: %s, to: %s, via: %s (%s)}`%s to the topology",
		    in ? peer : l->component, in ? l->component : peer, link_kind_name(l->kind), lib,
		    l->peer ? "" : " naming the component at the other end");
}

static void stale(struct drift *d, const struct topology *t, const char *topo_path,
		  const struct topo_relationship *e, const struct code_links *cl)
{
	struct finding *f = new_finding(d, DRIFT_STALE, SEV_NOTE, topo_path, e->span.line, e->span.col,
					e->from);
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "the topology declares `%s` -> `%s`%s%s but no code here shows it", e->from,
		    e->to, e->via ? " via " : "", e->via ? e->via : "");
	f->message = strbuf_detach(&sb, NULL);
	for (int side = 0; side < 2; side++) {
		int c = side ? e->to_idx : e->from_idx;
		const char *name = t->components.items[c].name;
		size_t nlinks = 0;
		for (size_t i = 0; i < cl->items.len; i++)
			nlinks += cl->items.items[i].comp_idx == c;
		if (!cl->has_code[c])
			finding_evidence(f, "`%s` has no code in this repository", name);
		else
			finding_evidence(f, "`%s` has code with %zu boundar%s, none %s this relationship",
					 name, nlinks, nlinks == 1 ? "y" : "ies",
					 side ? "entering it over" : "leaving it over");
	}
	finding_fix(f, "remove the relationship if it is gone, or correct its `via:`; if the code uses a "
		    "library distarch has no model for, add one (docs/models.md)");
}

static void unmapped(struct drift *d, const struct code_links *cl, const char *folder)
{
	const struct code_link *first = NULL;
	size_t nsites = 0, nlinks = 0;
	for (size_t i = 0; i < cl->items.len; i++) {
		const struct code_link *l = &cl->items.items[i];
		if (l->comp_idx >= 0 || strcmp(l->component, folder))
			continue;
		if (!first)
			first = l;
		nlinks++;
		nsites += l->sites.len;
	}
	if (!first)
		return; /* code that crosses no boundary needs no component */
	const struct link_site *s = &first->sites.items[0];
	struct finding *f = new_finding(d, DRIFT_UNMAPPED, SEV_WARNING, s->path, s->at.line, s->at.col,
					folder);
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "`%s` crosses %zu boundar%s (%zu call site%s) but belongs to no component of "
		    "the topology", folder, nlinks, nlinks == 1 ? "y" : "ies", nsites, nsites == 1 ? "" : "s");
	f->message = strbuf_detach(&sb, NULL);
	for (size_t i = 0, shown = 0; i < cl->items.len && shown < MAX_RELATED; i++) {
		const struct code_link *l = &cl->items.items[i];
		if (l->comp_idx >= 0 || strcmp(l->component, folder))
			continue;
		finding_related(f, l->sites.items[0].path, l->sites.items[0].at.line, "%s (%s)",
				link_verb(l->kind, l->dir), l->library ? l->library : "?");
		shown++;
	}
	finding_fix(f, "add `%s/**` to a component's `paths:`, or a component `%s` with those paths",
		    strcmp(folder, "(root)") ? folder : "*", folder);
}

void drift_compare(struct drift *d, const struct topology *t, const char *topo_path,
		   const struct code_links *cl)
{
	d->relationships = t->relationships.len;
	d->links = cl->items.len;
	for (size_t i = 0; i < cl->items.len; i++) {
		const struct code_link *l = &cl->items.items[i];
		if (l->comp_idx < 0 || link_accounted(t, l))
			continue;
		if (l->shared && shared_accounted_or_reported(t, cl, i))
			continue;
		missing(d, l);
	}
	for (size_t e = 0; e < t->relationships.len; e++) {
		const struct topo_relationship *r = &t->relationships.items[e];
		if (r->from_idx < 0 || r->to_idx < 0 || r->from_idx == r->to_idx)
			continue;
		if (!cl->has_code[r->from_idx] && !cl->has_code[r->to_idx])
			continue;
		d->judged++;
		bool shown = false;
		for (size_t i = 0; i < cl->items.len && !shown; i++)
			shown = drift_link_matches(t, &cl->items.items[i], r);
		if (shown)
			d->confirmed++;
		else
			stale(d, t, topo_path, r, cl);
	}
	for (size_t u = 0; u < cl->unclaimed.len; u++)
		unmapped(d, cl, cl->unclaimed.items[u]);
}
