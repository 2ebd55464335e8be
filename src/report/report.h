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
#include "srclines.h"

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
	finding_vec findings;
	checklist_vec checklists;      /* per region, pass 1 then pass 2 */
	VEC(const char *) quick_validation; /* the closing questions, deduplicated (borrowed from the modules) */
	const struct catalog *catalog; /* names and fixes of the rules; may be NULL */
	bool whole_files;              /* the selection is whole files (--all): long reports are summarised */
	const struct scan_stats *stats;
	bool color;
	/* Drift of the topology for the changed files (DRIFT-..., topo/drift.h), borrowed; not findings of the check. */
	const struct finding *drift;
	size_t ndrift;
	/* What SARIF and fingerprints need (check sets them; NULL elsewhere): */
	struct srclines *sources;  /* lines of the files the findings point into */
	const char *srcroot_uri;   /* what %SRCROOT% stands for ("file:///abs/repo/"), or NULL */
	const char *uri_prefix;    /* the scanned root below %SRCROOT% ("" or "services/api/"), or NULL */
	size_t suppressed;         /* findings silenced inline (suppress.h) */
	size_t baselined;          /* findings the baseline holds (baseline.h) */
};

void report_init(struct report *r);
void report_release(struct report *r);

/* The catalog entry of a rule, or NULL. */
const struct catalog_entry *report_rule(const struct report *r, const char *rule);
/* Questions answered from facts and open ones, over every checklist. */
void report_checklist_counts(const struct report *r, size_t *answered, size_t *open);

/* Count of units that carry signal `s`. */
size_t report_signal_units(const struct report *r, enum signal s);

/*
 * One finding, for writers of other reports (drift, design): the text
 * block (compiler-style line, evidence, fix, related) and the JSON object
 * of the contract. `e` is the rule's catalog entry or NULL.
 */
void report_finding_text(const struct finding *f, const struct catalog_entry *e, bool color, FILE *out);
struct json_t *report_finding_json(const struct finding *f, const struct catalog_entry *e);
/* Writes `root` indented (2), keys in insertion order, ASCII, with a final
 * newline, and releases it. NULL (a failed json_pack) writes nothing. 0 or -1. */
int report_dump_json(struct json_t *root, FILE *out);
void report_finding_markdown(const struct finding *f, const struct catalog_entry *e, FILE *out);
/* Text inside a Markdown table cell or list item: `|` escaped, newlines as <br>. */
void report_markdown_inline(FILE *out, const char *s);

int report_write_text(const struct report *r, FILE *out);
int report_write_json(const struct report *r, FILE *out);
int report_write_markdown(const struct report *r, FILE *out);
/* SARIF 2.1.0 (sarif.c); needs r->sources for fingerprints and columns. */
int report_write_sarif(const struct report *r, FILE *out);

/* The topology relationships touching component `idx` (from or to), in file order. */
size_t report_component_edges(const struct report *r, int idx,
			      const struct topo_relationship **out, size_t max);

#endif
