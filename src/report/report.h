#ifndef DISTARCH_REPORT_H
#define DISTARCH_REPORT_H
/*
 * What a check produced, and the renderers over it (one file per format,
 * all fed the same report, after ripgrep's printers).
 *
 * Ownership: the report owns its units and findings; it borrows the
 * topology, the scan statistics and the strings they point to, which must
 * outlive it.
 */
#include <stdbool.h>
#include <stdio.h>

#include "../analyze/boundary.h"
#include "../analyze/checklist.h"
#include "../catalog/catalog.h"
#include "../source/scan.h"
#include "../topo/topology.h"
#include "finding.h"

struct report_unit {
	struct boundary_unit b;
	char *component;         /* owned */
	int component_index;     /* into topo->components, -1 when inferred */
	struct pass2_decision p2; /* why the concurrency pass ran or not (owned) */
	size_t cl_first, cl_count; /* its checklists: report.checklists[cl_first, +cl_count) */
};

struct report {
	const char *root;          /* as the user gave it, for the header */
	const char *selection;     /* "working tree changes", "all files", ... */
	const struct topology *topo; /* NULL when there is none */
	const char *topo_path;       /* where it was loaded from, or NULL */
	size_t changed_files;        /* files in the selection */
	size_t checked_units;        /* regions looked at */
	VEC(struct report_unit) units; /* regions with at least one signal */
	VEC(struct finding) findings;
	checklist_vec checklists;      /* per region, pass 1 then pass 2 */
	VEC(const char *) quick_validation; /* the closing questions, deduplicated (borrowed from the modules) */
	const struct catalog *catalog; /* names and fixes of the rules; may be NULL */
	bool whole_files;              /* the selection is whole files (--all): long reports are summarised */
	const struct scan_stats *stats;
	bool color;
};

void report_init(struct report *r);
void report_release(struct report *r);

/* The catalog entry of a rule, or NULL. */
const struct catalog_entry *report_rule(const struct report *r, const char *rule);
/* Questions answered from facts and open ones, over every checklist. */
void report_checklist_counts(const struct report *r, size_t *answered, size_t *open);

/* Count of units that carry signal `s`. */
size_t report_signal_units(const struct report *r, enum signal s);

int report_write_text(const struct report *r, FILE *out);
int report_write_json(const struct report *r, FILE *out);
int report_write_markdown(const struct report *r, FILE *out);

/* The topology relationships touching component `idx` (from or to), in file order. */
size_t report_component_edges(const struct report *r, int idx,
			      const struct topo_relationship **out, size_t max);

#endif
