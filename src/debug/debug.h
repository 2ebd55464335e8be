#ifndef DISTARCH_DEBUG_DEBUG_H
#define DISTARCH_DEBUG_DEBUG_H
/*
 * What `distarch debug` works out, from a symptom back to a boundary:
 *
 *   symptom.c  the symptom text against every catalog entry's symptom shapes
 *   trace.c    the backward trace through the topology from the component
 *              that hurts, and the forward trace of a fix
 *   evidence.c log evidence per anti-pattern (logscan.c feeds it)
 *   hypo.c     ranked hypotheses with a stated confidence and what moved it
 *   capture.c  drafts for the catalog learning loop
 *
 * The renderers are in src/report/debug_report.c.
 *
 * Ownership: a debug_result owns its vectors and the strings it built; it
 * borrows the catalog, the topology, the evidence state and the log scan,
 * which must outlive it.
 */
#include <stdbool.h>
#include <stddef.h>

#include "../base/strbuf.h"
#include "../base/vec.h"
#include "../catalog/catalog.h"
#include "../report/finding.h"
#include "../topo/topology.h"
#include "evidence.h"
#include "logscan.h"

/* --- symptom matching (symptom.c) --- */

struct symptom_match {
	const struct catalog_entry *e;
	double score;        /* 0..1 */
	const char *shape;   /* the entry's best-matching symptom */
	char *words;         /* the words that matched, "fail, worker, idle" */
};
typedef VEC(struct symptom_match) symptom_vec;

/* Every entry with a score above zero, best first (ties: id order). */
void symptom_match(const struct catalog *c, const char *text, symptom_vec *out);
void symptom_vec_release(symptom_vec *v);

/* --- trace (trace.c) --- */

struct trace_hop {
	int comp;             /* into topo->components */
	unsigned depth;       /* 0 for the symptom's component */
	int rel;              /* the relationship walked to get here, -1 at depth 0 */
	int via_comp;         /* the component it was reached from, -1 at depth 0 */
	bool sends;           /* comp sends to or serves via_comp (else via_comp calls or sends to comp) */
	VEC(char *) risks;    /* what could be stale, missing, out of order, in an unexpected state */
	VEC(size_t) findings; /* indices into the result's findings (code findings in comp) */
};
typedef VEC(struct trace_hop) trace_vec;

/* One hop of a fix's forward trace, and what it does to data written before the fix. */
struct fix_hop {
	int from, to;         /* components */
	int rel;              /* relationship, or -1 for a shared resource */
	const char *resource; /* the convergence point, or NULL */
	bool holds_old_data;
	char *note;           /* what the fix repairs here, and the clean-up old data needs */
};
typedef VEC(struct fix_hop) fix_vec;

/* Backward from component `start` (breadth first, up to `max_depth` hops). */
void trace_backward(const struct topology *t, int start, unsigned max_depth,
		    const finding_vec *findings, trace_vec *out);
/* Forward from `root`: the hops downstream and the shared resources it writes. */
void trace_forward(const struct topology *t, int root, unsigned max_depth, fix_vec *out);
void trace_vec_release(trace_vec *v);
void fix_vec_release(fix_vec *v);

/* --- hypotheses (hypo.c) --- */

struct hypothesis {
	const struct catalog_entry *e;
	double confidence;         /* 0..1 */
	const char *level;         /* "high", "medium", "low" */
	char *root_cause;
	char *boundary;            /* "engine-dispatcher -> gpu-worker via WebSocket", or NULL */
	const char *mechanism;     /* the entry's summary */
	int root_comp;             /* component of the root cause, -1 unknown */
	const struct finding *finding; /* the code finding behind it, or NULL */
	VEC(char *) why;           /* "+ ..." raised it, "- ..." lowered it */
	VEC(char *) verify;        /* the log query, the metric, the test */
	fix_vec forward;
};
typedef VEC(struct hypothesis) hypo_vec;

struct debug_result {
	const char *symptom;
	const char *component;     /* where the symptom shows, or NULL */
	const char *component_why; /* "--component", "named in the symptom", "most log lines" */
	int start;                 /* its index, -1 without topology or component */
	const struct topology *topo; /* NULL without a topology */
	const struct catalog *catalog;
	symptom_vec matches;
	trace_vec trace;
	finding_vec findings;      /* code findings of the repository (owned) */
	bool code_scanned;
	const struct ev_state *ev; /* NULL without logs */
	const struct log_scan *logs;
	hypo_vec hypos;
	/* --capture */
	char *draft_path, *draft_id;
	long draft_seen;
	bool propose_promotion;
	bool draft_known;          /* the signature is a promoted catalog entry's: nothing written */
};

void debug_result_init(struct debug_result *r);
void debug_result_release(struct debug_result *r);

/* Rank the hypotheses from the matches, the trace, the findings and the evidence; at most `max`. */
void hypo_rank(struct debug_result *r, size_t max);

/* --- capture (capture.c) --- */

/* The signature of the top hypothesis: rule, root component and boundary, hashed. */
char *capture_signature(const struct debug_result *r);
/*
 * Record the top hypothesis in ROOT/.dist-architect/catalog/_drafts/: a new
 * draft entry, or the draft with the same signature seen once more. Sets
 * r->draft_*. Returns 0 or -1.
 */
int capture_draft(struct debug_result *r, const char *root);
/* `catalog drafts`: load the drafts of ROOT into `c`. A missing folder is no error. */
int capture_load_drafts(struct catalog *c, const char *root);
/* `catalog promote ID`: move a draft into ROOT/.dist-architect/catalog/. Returns 0 or -1. */
int capture_promote(const char *root, const char *id, struct strbuf *dest);

#endif
