/*
 * The log evidence detectors (see evidence.h): one pass, per-instance and
 * per-id state, examples kept as they are found.
 */
#include "evidence.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../catalog/schema.h"
#include "../base/banned.h"

#define SWEEP_EVERY 65536
#define MAX_LAYERS 4

void ev_params_default(struct ev_params *p)
{
	p->window = 10000;
	p->follow = 60000;
	p->burst_min = 3;
	p->ready_window = 30000;
	p->skew = 2000;
	p->horizon = 3600000;
	p->layer_limit = 0;
}

const char *ev_rule_id(enum ev_rule r)
{
	static const char *const ids[EV_COUNT] = { "AP-1", "AP-2", "AP-3", "AP-5", "AP-6" };
	return r < EV_COUNT ? ids[r] : "?";
}

struct id_st {
	struct idtab_head h;
	/* AP-2: the first ack and the first "missing" */
	bool acked, missing, ap2_done;
	int64_t ack_ts, missing_ts;
	const char *ack_path, *missing_path;
	uint64_t ack_line, missing_line;
	/* AP-3: the first channel error, failure and completion */
	bool chan, failed, done, ap3_done;
	int64_t chan_ts, fail_ts, done_ts;
	const char *chan_path, *fail_path, *done_path;
	uint64_t chan_line, fail_line, done_line;
	/* AP-5 */
	bool ap5_done;
	uint32_t attempts;
	uint8_t nlayers;
	uint32_t layer[MAX_LAYERS];
	uint32_t layer_last[MAX_LAYERS], layer_max[MAX_LAYERS];
	uint32_t resets;
	uint8_t layer_retries; /* bit per layer that logged a retry */
};

#define RING 16

struct inst_st {
	struct idtab_head h;
	/* AP-1: the failures (deduplicated by operation id) and dispatches of the current window */
	uint32_t sig;
	uint8_t nf, nd;
	int64_t fail_ts[RING], disp_ts[RING];
	uint32_t fail_id[RING];
	bool burst_counted, ap1_subject;
	int64_t last_fail_ts;
	bool any_fail;
	/* AP-6 */
	bool ready_pending, ap6_subject;
	int64_t ready_ts;
	const char *ready_path;
	uint64_t ready_line;
};

void evidence_init(struct ev_state *s, const struct ev_params *p)
{
	memset(s, 0, sizeof(*s));
	s->p = *p;
	idtab_init(&s->ids, sizeof(struct id_st), p->horizon);
	idtab_init(&s->instances, sizeof(struct inst_st), p->horizon);
	for (int i = 0; i < EV_COUNT; i++)
		s->ev[i].rule = (enum ev_rule)i;
}

void evidence_release(struct ev_state *s)
{
	for (int i = 0; i < EV_COUNT; i++) {
		struct evidence *e = &s->ev[i];
		for (size_t k = 0; k < e->examples.len; k++) {
			xfree(e->examples.items[k].path);
			xfree(e->examples.items[k].text);
			xfree(e->examples.items[k].note);
		}
		VEC_FREE(&e->examples);
		xfree(e->summary);
	}
	idtab_release(&s->ids);
	idtab_release(&s->instances);
}

char *ev_clean_text(const char *s, size_t n, size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;
	while (i < n && sb.len < max) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			strbuf_addch(&sb, c < 0x20 || c == 0x7f ? ' ' : c);
			i++;
			continue;
		}
		size_t k = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		if (k > 1 && i + k <= n && ys_utf8_valid(s + i, k)) {
			strbuf_add(&sb, s + i, k);
			i += k;
		} else {
			strbuf_addch(&sb, '?');
			i++;
		}
	}
	if (i < n)
		strbuf_addstr(&sb, "...");
	return strbuf_detach(&sb, NULL);
}

static void add_example(struct evidence *e, const char *path, uint64_t line, const struct log_record *r,
			const char *note)
{
	if (e->examples.len >= EV_MAX_EXAMPLES)
		return;
	struct ev_example *x = VEC_PUSH(&e->examples);
	x->path = xstrdup(path ? path : "?");
	x->line = line;
	x->text = r ? ev_clean_text(r->raw, r->rawlen, EV_EXAMPLE_MAX) : NULL;
	x->note = note ? xstrdup(note) : NULL;
}

static uint32_t text_hash(struct log_text t)
{
	uint32_t h = 2166136261u;
	for (uint32_t i = 0; i < t.n; i++) {
		unsigned char c = (unsigned char)t.p[i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		h = (h ^ c) * 16777619u;
	}
	return h ? h : 1;
}

/* An attempt number in the record's attempt field, or 0. */
static uint32_t attempt_number(const struct log_record *r)
{
	struct log_text t = r->f[LF_ATTEMPT];
	uint32_t v = 0;
	if (!t.p)
		return 0;
	for (uint32_t i = 0; i < t.n; i++) {
		if (t.p[i] < '0' || t.p[i] > '9')
			return i ? v : 0; /* "2/5" reads as 2 */
		if (v < 1000000)
			v = v * 10 + (uint32_t)(t.p[i] - '0');
	}
	return v;
}

/* Drop failures and dispatches older than `span` before t. */
static void prune(struct inst_st *st, int64_t t, int64_t span)
{
	unsigned k = 0;
	for (unsigned i = 0; i < st->nf; i++)
		if (t - st->fail_ts[i] <= span) {
			st->fail_ts[k] = st->fail_ts[i];
			st->fail_id[k++] = st->fail_id[i];
		}
	st->nf = (uint8_t)k;
	k = 0;
	for (unsigned i = 0; i < st->nd; i++)
		if (t - st->disp_ts[i] <= span)
			st->disp_ts[k++] = st->disp_ts[i];
	st->nd = (uint8_t)k;
}

/*
 * AP-1: at least burst_min failures of the same kind on the instance within
 * the window, and a dispatch to it after each but the last (counted, not
 * ordered: clocks of the worker and the dispatcher may disagree by `skew`).
 */
static void check_burst(struct ev_state *s, struct inst_st *st, const struct log_record *r)
{
	const struct ev_params *p = &s->p;
	struct evidence *e = &s->ev[EV_AP1];
	if (st->burst_counted && st->nf > e->max)
		e->max = st->nf; /* the burst goes on: its length grows */
	if (st->nf < p->burst_min || st->burst_counted)
		return;
	int64_t lo = st->fail_ts[0], hi = st->fail_ts[0];
	for (unsigned i = 1; i < st->nf; i++) {
		if (st->fail_ts[i] < lo)
			lo = st->fail_ts[i];
		if (st->fail_ts[i] > hi)
			hi = st->fail_ts[i];
	}
	unsigned nd = 0;
	for (unsigned i = 0; i < st->nd; i++)
		nd += st->disp_ts[i] >= lo - p->skew && st->disp_ts[i] <= hi + p->skew;
	if (nd + 1 < st->nf)
		return;
	st->burst_counted = true;
	e->count++;
	if (st->nf > e->max)
		e->max = st->nf;
	if (!st->ap1_subject) {
		st->ap1_subject = true;
		e->subjects++;
	}
	add_example(e, r->path, r->line, r, "completes a burst of the same failure on one instance, with a new dispatch after each");
}

static void on_instance(struct ev_state *s, const struct log_record *r, unsigned cls)
{
	const struct ev_params *p = &s->p;
	struct log_text key = r->f[LF_INSTANCE];
	int64_t t = r->ts;
	bool failure = cls & LC_BIT(LC_FAILURE);
	bool dispatch = !failure && (cls & LC_BIT(LC_DISPATCH));
	bool ready = !failure && (cls & LC_BIT(LC_READY));
	if (!failure && !dispatch && !ready)
		return;
	struct inst_st *st = idtab_get(&s->instances, key.p, key.n, t);

	if (failure) {
		uint32_t sig = r->f[LF_ERROR].p ? text_hash(r->f[LF_ERROR]) : 0;
		uint32_t id = r->f[LF_ID].p ? text_hash(r->f[LF_ID]) : 0;
		if (sig && st->sig && sig != st->sig)
			st->nf = 0; /* another failure: a new run */
		if (sig)
			st->sig = sig;
		prune(st, t, p->window + p->skew);
		if (!st->nf)
			st->burst_counted = false;
		bool dup = false;
		for (unsigned k = 0; k < st->nf && id; k++)
			dup |= st->fail_id[k] == id;
		if (!dup && st->nf < RING) {
			st->fail_ts[st->nf] = t;
			st->fail_id[st->nf++] = id;
		}
		check_burst(s, st, r);
		/* AP-6: the first failure after a ready transition. */
		if (st->ready_pending) {
			struct evidence *e6 = &s->ev[EV_AP6];
			if (t >= st->ready_ts - p->skew && t - st->ready_ts <= p->ready_window) {
				e6->count++;
				if (!st->ap6_subject) {
					st->ap6_subject = true;
					e6->subjects++;
				}
				uint64_t secs = (uint64_t)(t > st->ready_ts ? t - st->ready_ts : 0);
				if (secs > e6->max)
					e6->max = secs;
				add_example(e6, st->ready_path, st->ready_line, NULL, "ready transition");
				add_example(e6, r->path, r->line, r, "failure right after it");
			}
			st->ready_pending = false;
		}
		st->last_fail_ts = t;
		st->any_fail = true;
	} else if (dispatch) {
		prune(st, t, p->window + p->skew);
		if (st->nd < RING)
			st->disp_ts[st->nd++] = t;
		check_burst(s, st, r);
	} else if (ready) {
		bool after_failure = st->any_fail && t - st->last_fail_ts <= p->ready_window;
		if (!after_failure && (!st->ready_pending || t - st->ready_ts > p->ready_window)) {
			st->ready_pending = true;
			st->ready_ts = t;
			st->ready_path = r->path;
			st->ready_line = r->line;
		}
	}
}

static void on_id(struct ev_state *s, const struct log_record *r, unsigned cls)
{
	const struct ev_params *p = &s->p;
	struct log_text key = r->f[LF_ID];
	int64_t t = r->ts;
	uint32_t attempt = attempt_number(r);
	bool failure = cls & LC_BIT(LC_FAILURE);
	bool completed = !failure && (cls & LC_BIT(LC_COMPLETED));
	bool retry = (cls & LC_BIT(LC_RETRY)) || attempt >= 2;
	unsigned need = LC_BIT(LC_ACK) | LC_BIT(LC_MISSING) | LC_BIT(LC_CHANNEL_ERROR) | LC_BIT(LC_FAILURE);
	if (!(cls & need) && !completed && !retry && !attempt)
		return;
	struct id_st *st = idtab_get(&s->ids, key.p, key.n, t);

	/* AP-2: missing after the ack (either may be logged first by a skewed clock). */
	if ((cls & LC_BIT(LC_ACK)) && !st->acked) {
		st->acked = true;
		st->ack_ts = t;
		st->ack_path = r->path;
		st->ack_line = r->line;
	}
	if ((cls & LC_BIT(LC_MISSING)) && !st->missing) {
		st->missing = true;
		st->missing_ts = t;
		st->missing_path = r->path;
		st->missing_line = r->line;
	}
	if (st->acked && st->missing && !st->ap2_done && st->missing_ts >= st->ack_ts - p->skew) {
		struct evidence *e = &s->ev[EV_AP2];
		st->ap2_done = true;
		e->count++;
		e->subjects++;
		add_example(e, st->ack_path, st->ack_line, NULL, "ack");
		add_example(e, st->missing_path, st->missing_line, r->line == st->missing_line ? r : NULL,
			    "payload reported missing after the ack");
	}

	/* AP-3: channel error, then failed, then completed (within the skew). */
	if ((cls & LC_BIT(LC_CHANNEL_ERROR)) && !st->chan) {
		st->chan = true;
		st->chan_ts = t;
		st->chan_path = r->path;
		st->chan_line = r->line;
	}
	if (failure && !st->failed) {
		st->failed = true;
		st->fail_ts = t;
		st->fail_path = r->path;
		st->fail_line = r->line;
	}
	if (completed && st->failed && !st->done) {
		st->done = true;
		st->done_ts = t;
		st->done_path = r->path;
		st->done_line = r->line;
	}
	if (st->chan && st->failed && st->done && !st->ap3_done && st->fail_ts >= st->chan_ts - p->skew &&
	    st->fail_ts - st->chan_ts <= p->follow + p->skew && st->done_ts >= st->fail_ts - p->skew) {
		struct evidence *e = &s->ev[EV_AP3];
		st->ap3_done = true;
		e->count++;
		e->subjects++;
		add_example(e, st->chan_path, st->chan_line, NULL, "monitoring channel error");
		add_example(e, st->fail_path, st->fail_line, NULL, "marked failed");
		add_example(e, st->done_path, st->done_line, NULL, "completed after all");
	}

	/* AP-5: attempts across layers (a layer is the service, else the file). */
	if (retry || attempt) {
		struct log_text layer = r->f[LF_SERVICE];
		uint32_t lh = layer.p ? text_hash(layer) : text_hash((struct log_text){ r->path, (uint32_t)strlen(r->path) });
		int l = -1;
		for (int k = 0; k < st->nlayers; k++)
			if (st->layer[k] == lh)
				l = k;
		if (l < 0 && st->nlayers < MAX_LAYERS) {
			l = st->nlayers++;
			st->layer[l] = lh;
		}
		if (retry) {
			st->attempts++;
			if (l >= 0)
				st->layer_retries |= 1u << l;
		}
		if (l >= 0 && attempt) {
			/* An inner layer starting over for the same id: something outside re-ran it. */
			if (st->layer_last[l] && attempt < st->layer_last[l])
				st->resets++;
			st->layer_last[l] = attempt;
			if (attempt > st->layer_max[l])
				st->layer_max[l] = attempt;
		}
		uint32_t limit = p->layer_limit > 0 ? (uint32_t)p->layer_limit : 0;
		for (int k = 0; k < st->nlayers; k++)
			if (st->layer_max[k] > limit)
				limit = st->layer_max[k];
		unsigned retrying = (unsigned)__builtin_popcount(st->layer_retries);
		struct evidence *e = &s->ev[EV_AP5];
		if (retry && st->attempts > e->max)
			e->max = st->attempts;
		bool nested = st->resets && retrying >= 1 && st->nlayers >= 2;
		bool over = limit && st->attempts > limit && retrying >= 2;
		if (retry && !st->ap5_done && (nested || over)) {
			st->ap5_done = true;
			e->count++;
			e->subjects++;
			add_example(e, r->path, r->line, r, nested ? "an inner layer's attempts start over: nested retries"
							       : "more attempts than any single layer makes");
		}
	}
	if (completed && !st->chan && !st->missing)
		st->h.closed = true;
}

void evidence_record(struct ev_state *s, const struct log_record *r, unsigned cls)
{
	s->counts.records++;
	for (int c = 0; c < LC_COUNT; c++)
		if (cls & LC_BIT(c))
			s->counts.classes[c]++;
	s->now = r->ts;
	if (r->f[LF_INSTANCE].p && r->f[LF_INSTANCE].n)
		on_instance(s, r, cls);
	if (r->f[LF_ID].p && r->f[LF_ID].n)
		on_id(s, r, cls);
	if (++s->since_sweep >= SWEEP_EVERY) {
		s->since_sweep = 0;
		idtab_sweep(&s->ids, s->now);
		idtab_sweep(&s->instances, s->now);
	}
}

void evidence_finish(struct ev_state *s)
{
	const uint64_t *c = s->counts.classes;
	struct strbuf sb = STRBUF_INIT;
	struct evidence *e;

	e = &s->ev[EV_AP1];
	e->preconditions = c[LC_FAILURE] >= s->p.burst_min && c[LC_DISPATCH] > 0;
	if (e->count)
		strbuf_addf(&sb, "%" PRIu64 " burst%s of the same failure on %" PRIu64 " instance%s, each "
			    "failure followed by a new dispatch to the same instance (longest: %" PRIu64
			    " in a row)", e->count, e->count == 1 ? "" : "s", e->subjects,
			    e->subjects == 1 ? "" : "s", e->max);
	else if (e->preconditions)
		strbuf_addf(&sb, "%" PRIu64 " failures and %" PRIu64 " dispatches, but no instance failed "
			    "%u times in a row with a dispatch in between", c[LC_FAILURE], c[LC_DISPATCH],
			    s->p.burst_min);
	else
		strbuf_addstr(&sb, "the logs show too few failures and dispatches to tell");
	e->summary = strbuf_detach(&sb, NULL);

	e = &s->ev[EV_AP2];
	e->preconditions = c[LC_ACK] > 0;
	if (e->count)
		strbuf_addf(&sb, "%" PRIu64 " operation id%s reported missing after %s ack, commit or delete",
			    e->count, e->count == 1 ? "" : "s", e->count == 1 ? "its" : "their");
	else if (e->preconditions)
		strbuf_addf(&sb, "%" PRIu64 " acks, and no id reported missing after its ack", c[LC_ACK]);
	else
		strbuf_addstr(&sb, "the logs show no ack, commit or delete of an operation id");
	e->summary = strbuf_detach(&sb, NULL);

	e = &s->ev[EV_AP3];
	e->preconditions = c[LC_CHANNEL_ERROR] > 0;
	if (e->count)
		strbuf_addf(&sb, "%" PRIu64 " operation%s marked failed after a monitoring-channel error "
			    "and later completed", e->count, e->count == 1 ? "" : "s");
	else if (e->preconditions)
		strbuf_addf(&sb, "%" PRIu64 " channel errors, and no operation marked failed after one "
			    "was seen completing", c[LC_CHANNEL_ERROR]);
	else
		strbuf_addstr(&sb, "the logs show no monitoring-channel error (disconnect, closed stream)");
	e->summary = strbuf_detach(&sb, NULL);

	e = &s->ev[EV_AP5];
	e->preconditions = c[LC_RETRY] > 0;
	if (e->count)
		strbuf_addf(&sb, "%" PRIu64 " operation id%s retried by more than one layer (up to %" PRIu64
			    " attempts for one id)", e->count, e->count == 1 ? "" : "s", e->max);
	else if (e->preconditions)
		strbuf_addf(&sb, "%" PRIu64 " retry lines, none showing nested layers or more attempts than "
			    "one layer makes", c[LC_RETRY]);
	else
		strbuf_addstr(&sb, "the logs show no retries or attempt numbers");
	e->summary = strbuf_detach(&sb, NULL);

	e = &s->ev[EV_AP6];
	e->preconditions = c[LC_READY] > 0 && c[LC_FAILURE] > 0;
	if (e->count)
		strbuf_addf(&sb, "%" PRIu64 " failure%s within %" PRId64 " s after a ready/idle/registered "
			    "transition on %" PRIu64 " instance%s", e->count, e->count == 1 ? "" : "s",
			    s->p.ready_window / 1000, e->subjects, e->subjects == 1 ? "" : "s");
	else if (e->preconditions)
		strbuf_addf(&sb, "%" PRIu64 " ready transitions, none followed by a failure of the same "
			    "instance within %" PRId64 " s", c[LC_READY], s->p.ready_window / 1000);
	else
		strbuf_addstr(&sb, "the logs show no ready transition followed by failures");
	e->summary = strbuf_detach(&sb, NULL);
	strbuf_release(&sb);
}
