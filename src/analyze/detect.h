#ifndef DISTARCH_DETECT_H
#define DISTARCH_DETECT_H
/*
 * The pattern detectors (AP-1 ... AP-6) and what they share.
 *
 * A detector reads facts only: the target files (what the user selected)
 * and, for observers, callers and retry layers elsewhere, the whole
 * repository's index. It appends findings; it never prints. One detector
 * per file in src/analyze/ (ap1_tight_retry.c, ...), each exporting one
 * `void apN_detect(struct analysis *)` listed in the table of detect.c.
 *
 * Ownership: the analysis borrows the index, topology and models; it owns
 * the findings it collects (analysis_release frees them).
 */
#include <stdbool.h>

#include "../facts/index.h"
#include "../models/models.h"
#include "../report/finding.h"
#include "../topo/topology.h"

struct retry_memo;
struct observers_memo;

struct analysis {
	const struct fact_index *ix;     /* every file of the repository */
	const struct file_facts **targets; /* the files to run over (check: every file, or those a change can reach) */
	size_t ntargets;
	/* With a dependency record on the index (facts/deps.h): each target's
	 * place in ix->files; NULL when the targets are ix->files in order. */
	const size_t *target_ord;
	const struct topology *topo;     /* NULL without one */
	const struct model_set *models;
	finding_vec findings;
	/* Owned: what the retry chains of this analysis share (retry_chain.h);
	 * valid while `ix` is unchanged, freed by analysis_release. */
	struct retry_memo *retry_memo;
	/* Owned, likewise: what its observer searches share (observers.h). */
	struct observers_memo *obs_memo;
};

void analysis_init(struct analysis *a, const struct fact_index *ix, const struct topology *topo,
		   const struct model_set *models);
void analysis_release(struct analysis *a);
/* Run every detector over the targets; findings are sorted by path, line, rule. */
void analysis_run(struct analysis *a);
/*
 * A detector's loop says which target it is on (t indexes a->targets;
 * DEP_NONE when done), so that the index's dependency record, when there
 * is one, files each lookup under it.
 */
void analysis_at(const struct analysis *a, size_t t);

struct detector {
	const char *rule; /* "AP-1" */
	const char *name; /* "tight retry loop" */
	void (*run)(struct analysis *a);
};
extern const struct detector detectors[];
extern const size_t ndetectors;

void ap1_detect(struct analysis *a);
void ap2_detect(struct analysis *a);
void ap3_detect(struct analysis *a);
void ap4_detect(struct analysis *a);
void ap5_detect(struct analysis *a);
void ap6_detect(struct analysis *a);

/* --- building findings (all strings are copied) --- */

struct finding *finding_add(struct analysis *a, const char *rule, enum severity sev,
			    const struct file_facts *ff, const struct span *at, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void finding_related(struct finding *f, const char *path, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void finding_evidence(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The fix this finding calls for (replaces an earlier one). */
void finding_fix(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --- shared reasoning helpers --- */

/*
 * Compare state values across spellings: "WorkerStatus.IDLE", "IDLE",
 * "'idle'", "Status.idle.value" all have the key "idle" (the last
 * meaningful segment, lowercased, without quotes and .value/.name).
 */
void value_key(const char *value, char *out, size_t outsz);
bool values_match(const char *a, const char *b);

/* The component of a file (topology paths, else top-level folder); caller frees. */
char *analysis_component(const struct analysis *a, const char *path);

#endif
