#ifndef DISTARCH_TOPO_ANALYZE_H
#define DISTARCH_TOPO_ANALYZE_H
/*
 * Design-time analyses of a topology: each one reads the topology and its
 * graph and adds findings (struct finding, rule ids TOPO-..., listed in src/report/rules.c)
 * located at the component, relationship, convergence point or entity in
 * the topology file, so every renderer and SARIF show them like check's.
 *
 *   concurrency.c  TOPO-CONCURRENCY  1:N edges, the "1" side and its convergence points
 *   spof.c         TOPO-BOTTLENECK, TOPO-SPOF  N:1 into one instance; dominators
 *   cascade.c      TOPO-CASCADE      1:1 chains; blast radius, ranked
 *   loops.c        TOPO-LOOP         cycles, with the question each raises
 *   retry_amp.c    TOPO-RETRY-AMP    product of (1 + retries) along paths (bounded search)
 *   contention.c   TOPO-CONTENTION   convergence points with several writers
 *   delivery.c     TOPO-DELIVERY     at-least-once without idempotency; retries after at-most-once
 *   states.c       TOPO-STATE-*      entities: unreachable, trap, actor, invariant
 *   unknowns.c     what the topology does not say that would change the answers
 *
 * Besides findings, the analyses leave marks for the diagrams and the
 * figures `design --compare` puts side by side.
 *
 * Ownership: a review owns its findings, unknowns and arrays; it borrows
 * the topology, which must outlive it. topo_review_release frees.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/vec.h"
#include "../report/finding.h"
#include "graph.h"
#include "topology.h"

#define TOPO_DEFAULT_RETRY_BUDGET 10

/* Marks on components and relationships, for the diagrams. */
enum {
	TOPO_MARK_SPOF = 1,
	TOPO_MARK_BOTTLENECK = 2,
	TOPO_MARK_LOOP = 4,       /* relationships on a feedback loop */
	TOPO_MARK_AMP = 8,        /* relationships on a path over the retry budget */
	TOPO_MARK_CONTENTION = 16,
};

/* Past these, searches stop and the review says so. */
#define TOPO_MAX_LOOPS 64            /* cycles listed */
#define TOPO_LOOP_STEPS 200000u      /* cycle-search expansions */
#define TOPO_RETRY_STEPS 2000000u    /* retry-path expansions */
#define TOPO_MAX_AMP_FINDINGS 10
#define TOPO_BLAST_MAX_COMPONENTS 20000 /* exact blast radius up to this size (bit sets) */

struct topo_review {
	const struct topology *t;
	struct topo_graph g;
	unsigned retry_budget;
	VEC(struct finding) findings;
	VEC(char *) unknowns;      /* owned strings */
	unsigned char *comp_mark;  /* per component */
	unsigned char *rel_mark;   /* per relationship */

	/* Figures for --compare. */
	size_t spofs, bottlenecks, loops, contention, delivery, state_issues;
	bool loops_bounded;        /* the cycle search stopped early */
	double worst_retry;        /* worst product found (1 when nothing retries) */
	uint32_t *worst_path;      /* relationship indices of that path */
	size_t worst_path_len;
	bool retry_bounded;        /* the path search stopped early: the worst is a lower bound */
	size_t retry_paths;        /* paths over the budget */
	uint32_t *blast;           /* per component: how many depend on it; NULL when too large */
	int max_blast;             /* the component with the largest, or -1 */
};

/* Run every analysis. `retry_budget` 0 means the default. */
void topo_review_run(struct topo_review *rv, const struct topology *t, unsigned retry_budget);
void topo_review_release(struct topo_review *rv);

/* ---- for the analyses (analyze.c) ---- */

/* A new finding at `at` in the topology file; message from the format. Returns it (valid until the next add). */
struct finding *topo_finding_add(struct topo_review *rv, const char *rule, enum severity sev,
				 const struct span *at, const char *component, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void topo_finding_evidence(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void topo_finding_fix(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void topo_unknown_add(struct topo_review *rv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "a -> b via X (1:N, retries 3)" for messages. Caller frees. */
char *topo_rel_describe(const struct topology *t, uint32_t rel);
/* "a, b, c and 4 more" over component indices. Caller frees. */
char *topo_names(const struct topology *t, const uint32_t *idx, size_t n, size_t total);
/* Does the text mention any of the NULL-terminated words (case-insensitive substring)? */
bool topo_text_mentions(const char *text, const char *const *words);
/* A single instance (count one) that the provider keeps available ("1 (managed)")? */
bool topo_component_managed(const struct topo_component *c);

void topo_check_concurrency(struct topo_review *rv);
void topo_check_spof(struct topo_review *rv);
void topo_check_cascade(struct topo_review *rv);
void topo_check_loops(struct topo_review *rv);
void topo_check_retry_amp(struct topo_review *rv);
void topo_check_contention(struct topo_review *rv);
void topo_check_delivery(struct topo_review *rv);
void topo_check_states(struct topo_review *rv);
void topo_collect_unknowns(struct topo_review *rv);

#endif
