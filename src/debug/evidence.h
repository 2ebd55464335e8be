#ifndef DISTARCH_DEBUG_EVIDENCE_H
#define DISTARCH_DEBUG_EVIDENCE_H
/*
 * Log evidence for the catalog's anti-patterns, found while the log
 * records stream past (records in time order: see logscan.h):
 *
 *   AP-1  bursts of the same failure from one instance (at least
 *         burst_min within window), each failure followed by a dispatch
 *         to that instance (failures of one operation id count once)
 *   AP-2  an operation id reported missing after its ack/commit/delete
 *   AP-3  an operation marked failed after a monitoring-channel error,
 *         later seen completed (or with a result)
 *   AP-5  attempts of one operation id restarting in one layer while
 *         another retries it (nested retries), or more attempts than any
 *         single layer's limit
 *   AP-6  a failure shortly after a ready/idle/registered transition of
 *         the same instance that no failure of its own preceded
 *
 * Each detector counts occurrences, the instances or ids involved, and
 * keeps the first examples (file:line and the line). A detector whose
 * preconditions appear in the logs without the pattern (failures but no
 * burst; acks but nothing missing) says so: that lowers its hypothesis.
 *
 * State is per instance or per operation id (idtab.h), dropped when the id
 * completes or goes quiet for `horizon`; memory does not grow with the
 * size of the logs.
 */
#include <stdbool.h>
#include <stdint.h>

#include "../base/vec.h"
#include "idtab.h"
#include "logread.h"
#include "vocab.h"

struct ev_params {
	int64_t window;       /* ms: AP-1 burst window */
	int64_t follow;       /* ms: AP-3 failure after a channel error */
	unsigned burst_min;   /* AP-1: failures in a burst */
	int64_t ready_window; /* ms: AP-6 failure after ready */
	int64_t skew;         /* ms of clock skew tolerated between instances */
	int64_t horizon;      /* ms of silence after which an id's state is dropped */
	int layer_limit;      /* AP-5: the largest single layer's attempts known elsewhere (topology), 0 unknown */
};
/* Defaults: 10 s burst window, 60 s follow, 3 failures, 30 s ready window, 2 s skew, 1 h horizon. */
void ev_params_default(struct ev_params *p);

#define EV_MAX_EXAMPLES 5
#define EV_EXAMPLE_MAX 240 /* bytes of a line kept in an example */

struct ev_example {
	char *path;
	uint64_t line;
	char *text;       /* the line (cut), or NULL */
	char *note;       /* why this line, or NULL */
};

enum ev_rule { EV_AP1, EV_AP2, EV_AP3, EV_AP5, EV_AP6, EV_COUNT };
const char *ev_rule_id(enum ev_rule r); /* "AP-1" ... */

struct evidence {
	enum ev_rule rule;
	uint64_t count;       /* occurrences of the shape */
	uint64_t subjects;    /* instances or ids showing it */
	uint64_t max;         /* the largest burst / attempts of one id / ... */
	bool preconditions;   /* the events it needs were in the logs */
	char *summary;        /* one line, set by evidence_finish */
	VEC(struct ev_example) examples;
};

struct log_counts {
	uint64_t records, classes[LC_COUNT], ids, instances;
};

struct ev_state {
	struct ev_params p;
	struct idtab ids;       /* per operation id */
	struct idtab instances; /* per instance */
	struct evidence ev[EV_COUNT];
	struct log_counts counts;
	int64_t now;
	uint64_t since_sweep;
};

/* A copy of s[0, n) cut to `max` bytes ("..." after), valid UTF-8, control characters as spaces. */
char *ev_clean_text(const char *s, size_t n, size_t max);

void evidence_init(struct ev_state *s, const struct ev_params *p);
void evidence_release(struct ev_state *s);
/* One record and its classes (vocab_classify). */
void evidence_record(struct ev_state *s, const struct log_record *r, unsigned classes);
/* Write each detector's summary. */
void evidence_finish(struct ev_state *s);

#endif
