/* The design review: runs every topology analysis (see analyze.h) and the helpers they share. */
#include "analyze.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/strbuf.h"
#include "../report/rules.h"
#include "../base/banned.h"

void topo_review_run(struct topo_review *rv, const struct topology *t, unsigned retry_budget)
{
	memset(rv, 0, sizeof(*rv));
	rv->t = t;
	rv->retry_budget = retry_budget ? retry_budget : TOPO_DEFAULT_RETRY_BUDGET;
	rv->comp_mark = xcalloc(t->components.len ? t->components.len : 1, 1);
	rv->rel_mark = xcalloc(t->relationships.len ? t->relationships.len : 1, 1);
	rv->worst_retry = 1;
	rv->max_blast = -1;
	topo_graph_build(&rv->g, t);
	topo_check_spof(rv);
	topo_check_cascade(rv);
	topo_check_concurrency(rv);
	topo_check_contention(rv);
	topo_check_loops(rv);
	topo_check_retry_amp(rv);
	topo_check_delivery(rv);
	topo_check_states(rv);
	topo_collect_unknowns(rv);
}

void topo_review_release(struct topo_review *rv)
{
	for (size_t i = 0; i < rv->findings.len; i++)
		finding_release(&rv->findings.items[i]);
	VEC_FREE(&rv->findings);
	for (size_t i = 0; i < rv->unknowns.len; i++)
		xfree(rv->unknowns.items[i]);
	VEC_FREE(&rv->unknowns);
	xfree(rv->comp_mark);
	xfree(rv->rel_mark);
	xfree(rv->worst_path);
	xfree(rv->blast);
	topo_graph_release(&rv->g);
	memset(rv, 0, sizeof(*rv));
}

struct finding *topo_finding_add(struct topo_review *rv, const char *rule, enum severity sev,
				 const struct span *at, const char *component, const char *fmt, ...)
{
	if (!tool_rule_find(rule))
		BUG("design rule %s is not in the rules table", rule);
	struct finding *f = VEC_PUSH(&rv->findings);
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	f->rule = xstrdup(rule);
	f->severity = sev;
	f->message = strbuf_detach(&sb, NULL);
	f->path = xstrdup(rv->t->path ? rv->t->path : "<topology>");
	f->line = at && at->line ? at->line : 1;
	f->column = at && at->col ? at->col : 1;
	f->component = component ? xstrdup(component) : NULL;
	return f;
}

void topo_finding_evidence(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	VEC_APPEND(&f->evidence, xvstrfmt(fmt, ap));
	va_end(ap);
}

void topo_finding_fix(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	xfree(f->fix);
	f->fix = xvstrfmt(fmt, ap);
	va_end(ap);
}

void topo_unknown_add(struct topo_review *rv, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	VEC_APPEND(&rv->unknowns, xvstrfmt(fmt, ap));
	va_end(ap);
}

char *topo_rel_describe(const struct topology *t, uint32_t rel)
{
	const struct topo_relationship *r = &t->relationships.items[rel];
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s -> %s", r->from, r->to);
	if (r->via)
		strbuf_addf(&sb, " via %s", r->via);
	strbuf_addf(&sb, " (%s", cardinality_name(r->card));
	if (r->retries >= 0)
		strbuf_addf(&sb, ", retries %d", r->retries);
	if (r->delivery != DELIVERY_UNSPECIFIED)
		strbuf_addf(&sb, ", %s", delivery_name(r->delivery));
	strbuf_addch(&sb, ')');
	return strbuf_detach(&sb, NULL);
}

char *topo_names(const struct topology *t, const uint32_t *idx, size_t n, size_t total)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? (i + 1 == n && total == n ? " and " : ", ") : "",
			    t->components.items[idx[i]].name);
	if (total > n)
		strbuf_addf(&sb, " and %zu more", total - n);
	return strbuf_detach(&sb, NULL);
}

bool topo_text_mentions(const char *text, const char *const *words)
{
	if (!text)
		return false;
	for (size_t i = 0; words[i]; i++)
		if (strcasestr(text, words[i]))
			return true;
	return false;
}

bool topo_component_managed(const struct topo_component *c)
{
	static const char *const words[] = { "managed", NULL };
	return topo_count_is_one(&c->count) && topo_text_mentions(c->count.text, words);
}
