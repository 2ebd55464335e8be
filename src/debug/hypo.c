/*
 * Ranking hypotheses (see debug.h). Each catalog entry the symptom
 * matches, or the logs show, is a candidate; its confidence starts from
 * the symptom match and moves with the code findings on the trace (nearer
 * hops weigh more) and with the log evidence (found: up; the events it
 * needs present but the shape absent: down). Every move is written down.
 */
#include "debug.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

void debug_result_init(struct debug_result *r)
{
	memset(r, 0, sizeof(*r));
	r->start = -1;
}

static void strvec_free(void *vp)
{
	VEC(char *) *v = vp;
	for (size_t i = 0; i < v->len; i++)
		xfree(v->items[i]);
	VEC_FREE(v);
}

static void hypothesis_release(struct hypothesis *h)
{
	xfree(h->root_cause);
	xfree(h->boundary);
	strvec_free(&h->why);
	strvec_free(&h->verify);
	fix_vec_release(&h->forward);
}

void debug_result_release(struct debug_result *r)
{
	symptom_vec_release(&r->matches);
	trace_vec_release(&r->trace);
	for (size_t i = 0; i < r->findings.len; i++)
		finding_release(&r->findings.items[i]);
	VEC_FREE(&r->findings);
	for (size_t i = 0; i < r->hypos.len; i++)
		hypothesis_release(&r->hypos.items[i]);
	VEC_FREE(&r->hypos);
	xfree(r->draft_path);
	xfree(r->draft_id);
	memset(r, 0, sizeof(*r));
}

static const struct evidence *evidence_for(const struct debug_result *r, const char *id)
{
	for (int i = 0; r->ev && i < EV_COUNT; i++)
		if (!strcmp(ev_rule_id((enum ev_rule)i), id))
			return &r->ev->ev[i];
	return NULL;
}

static const struct symptom_match *match_for(const struct debug_result *r, const struct catalog_entry *e)
{
	for (size_t i = 0; i < r->matches.len; i++)
		if (r->matches.items[i].e == e)
			return &r->matches.items[i];
	return NULL;
}

/* The nearest trace hop with a finding of rule `id`; sets *fi to the finding's index. */
static const struct trace_hop *nearest_finding(const struct debug_result *r, const char *id, size_t *fi)
{
	for (size_t h = 0; h < r->trace.len; h++) {
		const struct trace_hop *hop = &r->trace.items[h];
		for (size_t k = 0; k < hop->findings.len; k++)
			if (!strcmp(r->findings.items[hop->findings.items[k]].rule, id)) {
				*fi = hop->findings.items[k];
				return hop;
			}
	}
	return NULL;
}

static char *rel_text(const struct topology *t, int rel)
{
	const struct topo_relationship *e = &t->relationships.items[rel];
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s -> %s", e->from, e->to);
	if (e->via)
		strbuf_addf(&sb, " via %s", e->via);
	return strbuf_detach(&sb, NULL);
}

/* A relationship of component `comp`, preferring one on the trace toward the symptom. */
static int boundary_of(const struct debug_result *r, const struct trace_hop *hop)
{
	if (!r->topo)
		return -1;
	if (hop->rel >= 0)
		return hop->rel;
	for (size_t h = 1; h < r->trace.len; h++)
		if (r->trace.items[h].via_comp == hop->comp)
			return r->trace.items[h].rel;
	return -1;
}

/* The bullets of the entry body's "## Verify in production" section. */
static void verify_bullets(const struct catalog_entry *e, struct hypothesis *h, size_t max)
{
	const char *s = strstr(e->body, "## Verify in production");
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;
	if (!s)
		return;
	s = strchr(s, '\n');
	while (s && *s && n < max) {
		s++;
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		if (len >= 2 && s[0] == '#')
			break;
		if (len >= 2 && s[0] == '-' && s[1] == ' ') {
			if (sb.len) {
				VEC_APPEND(&h->verify, strbuf_detach(&sb, NULL));
				n++;
			}
			strbuf_add(&sb, s + 2, len - 2);
		} else if (len && sb.len) {
			const char *p = s;
			while (*p == ' ')
				p++;
			strbuf_addch(&sb, ' ');
			strbuf_add(&sb, p, len - (size_t)(p - s));
		} else if (!len && sb.len) {
			VEC_APPEND(&h->verify, strbuf_detach(&sb, NULL));
			n++;
		}
		s = nl;
	}
	if (sb.len && n < max)
		VEC_APPEND(&h->verify, strbuf_detach(&sb, NULL));
	strbuf_release(&sb);
}

static void why(struct hypothesis *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why(struct hypothesis *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	VEC_APPEND(&h->why, xvstrfmt(fmt, ap));
	va_end(ap);
}

static void candidate(struct debug_result *r, const struct catalog_entry *e)
{
	const struct symptom_match *m = match_for(r, e);
	const struct evidence *ev = evidence_for(r, e->id);
	size_t fi = 0;
	const struct trace_hop *hop = nearest_finding(r, e->id, &fi);
	struct hypothesis h = { 0 };
	double conf = 0.10;

	h.e = e;
	h.mechanism = e->summary;
	h.root_comp = r->start;
	if (m) {
		conf += 0.45 * m->score;
		why(&h, "+ the symptom matches \"%s\" (%s)", m->shape, m->words);
	}
	if (hop) {
		const struct finding *f = &r->findings.items[fi];
		conf += 0.25 / (1.0 + hop->depth);
		h.finding = f;
		h.root_comp = hop->comp;
		why(&h, "+ code: %s at %s:%u in %s, %u hop%s from %s", e->id, f->path, f->line,
		    f->component ? f->component : "?", hop->depth, hop->depth == 1 ? "" : "s",
		    r->component ? r->component : "the symptom");
		int rel = boundary_of(r, hop);
		if (rel >= 0)
			h.boundary = rel_text(r->topo, rel);
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s: %s (%s:%u)", f->component ? f->component : "?", f->message, f->path, f->line);
		h.root_cause = strbuf_detach(&sb, NULL);
	} else if (r->code_scanned) {
		bool anywhere = false;
		for (size_t i = 0; i < r->findings.len && !anywhere; i++)
			anywhere = !strcmp(r->findings.items[i].rule, e->id);
		if (anywhere) {
			conf += 0.05;
			why(&h, "+ code: %s findings exist, but not on the trace from %s", e->id,
			    r->component ? r->component : "the symptom");
		} else {
			why(&h, "  code: no %s finding in the repository (the detector may miss it; the logs decide)",
			    e->id);
		}
	}
	if (ev && ev->count) {
		conf += 0.25 + (ev->count >= 3 ? 0.10 : 0.05 * (double)ev->count);
		why(&h, "+ logs: %s", ev->summary);
	} else if (ev && ev->preconditions) {
		conf -= 0.20;
		why(&h, "- logs: %s", ev->summary);
	} else if (ev) {
		why(&h, "  logs: %s (no bearing)", ev->summary);
	}
	if (!m && !(ev && ev->count)) {
		hypothesis_release(&h); /* neither the symptom nor the logs point here */
		return;
	}
	if (conf < 0.02)
		conf = 0.02;
	if (conf > 0.97)
		conf = 0.97;
	h.confidence = conf;
	h.level = conf >= 0.6 ? "high" : conf >= 0.35 ? "medium" : "low";
	if (!h.root_cause) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s around %s (no code finding located it)", e->name,
			    r->component ? r->component : "the symptom's component");
		h.root_cause = strbuf_detach(&sb, NULL);
	}
	if (!h.boundary && r->topo && r->trace.len > 1)
		h.boundary = rel_text(r->topo, r->trace.items[1].rel);
	/* How to verify: the log lines found, the catalog's production checks, the test. */
	if (ev && ev->examples.len) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addstr(&sb, "the log lines: ");
		for (size_t i = 0; i < ev->examples.len && i < 3; i++)
			strbuf_addf(&sb, "%s%s:%llu", i ? ", " : "", ev->examples.items[i].path,
				    (unsigned long long)ev->examples.items[i].line);
		VEC_APPEND(&h.verify, strbuf_detach(&sb, NULL));
	}
	verify_bullets(e, &h, 2);
	if (h.finding) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "the test: after the fix, `distarch check --all` no longer reports %s at %s:%u",
			    e->id, h.finding->path, h.finding->line);
		VEC_APPEND(&h.verify, strbuf_detach(&sb, NULL));
	}
	VEC_APPEND(&r->hypos, h);
}

static int cmp_hypo(const void *a, const void *b)
{
	const struct hypothesis *x = a, *y = b;
	if (x->confidence != y->confidence)
		return x->confidence > y->confidence ? -1 : 1;
	return catalog_id_cmp(x->e->id, y->e->id);
}

void hypo_rank(struct debug_result *r, size_t max)
{
	for (size_t i = 0; i < catalog_count(r->catalog); i++)
		candidate(r, catalog_at(r->catalog, i));
	if (r->hypos.len > 1)
		qsort(r->hypos.items, r->hypos.len, sizeof(*r->hypos.items), cmp_hypo);
	while (r->hypos.len > max)
		hypothesis_release(&r->hypos.items[--r->hypos.len]);
	for (size_t i = 0; i < r->hypos.len; i++)
		trace_forward(r->topo, r->hypos.items[i].root_comp, 4, &r->hypos.items[i].forward);
}
