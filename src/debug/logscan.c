/*
 * Merging log files by time into the evidence detectors (see logscan.h).
 */
#include "logscan.h"

#include "../base/alloc.h"
#include "../base/banned.h"

void log_scan_release(struct log_scan *s)
{
	VEC_FREE(&s->files);
}

struct cursor {
	struct log_reader r;
	struct log_record rec;
	bool has;
	bool open;
};

static int advance(struct cursor *c)
{
	int rc = log_reader_next(&c->r, &c->rec);
	c->has = rc > 0;
	return rc < 0 ? -1 : 0;
}

int log_scan_files(struct log_scan *s, const char *const *paths, size_t n,
		   const struct log_scan_opts *o, const struct vocab *v, struct ev_state *ev)
{
	struct cursor *cur = xcalloc(n ? n : 1, sizeof(*cur));
	int ret = 0;

	for (size_t i = 0; i < n && !ret; i++) {
		if (log_reader_open_max(&cur[i].r, paths[i], o->fmt, o->re, o->max_line) < 0) {
			ret = -1;
			break;
		}
		cur[i].open = true;
		if (advance(&cur[i]) < 0)
			ret = -1;
	}
	while (!ret) {
		struct cursor *best = NULL;
		for (size_t i = 0; i < n; i++)
			if (cur[i].has && (!best || cur[i].rec.ts < best->rec.ts))
				best = &cur[i];
		if (!best)
			break;
		const struct log_record *r = &best->rec;
		if ((o->has_since && r->ts < o->since) || (o->has_until && r->ts >= o->until))
			s->out_of_range++;
		else
			evidence_record(ev, r, vocab_classify(v, r));
		if (advance(best) < 0)
			ret = -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!cur[i].open)
			continue;
		struct log_file_info *fi = VEC_PUSH(&s->files);
		fi->path = paths[i];
		fi->fmt = cur[i].r.fmt;
		fi->st = cur[i].r.st;
		s->bytes += fi->st.bytes;
		s->lines += fi->st.lines;
		s->broken += fi->st.broken;
		s->too_long += fi->st.too_long;
		s->max_line = cur[i].r.max_line;
		s->no_time += fi->st.no_time;
		log_reader_release(&cur[i].r);
	}
	xfree(cur);
	return ret;
}
