#ifndef DISTARCH_CATALOG_H
#define DISTARCH_CATALOG_H
/*
 * The anti-pattern catalog: named shapes (AP-1 ... AP-6 built in, more from
 * users) with their symptoms, detection, fixes and the public incidents
 * behind them. One entry is one Markdown file with YAML front matter
 * between two `---` lines (schema: docs/catalog.md):
 *
 *   ---
 *   id: AP-1
 *   name: tight retry loop
 *   summary: one line
 *   severity: error                 # default severity of findings: error|warning|note
 *   signals: [state-mutation, failure-mode]
 *   modules: [state-mutation, failure-mode, concurrency]
 *   symptoms: [...]                 # how incident reports word it (for `debug`)
 *   detection: |
 *     what the detector looks for
 *   fix: [...]
 *   references:
 *     - { project: grpc-node, language: TypeScript, ref: "PR #1444", note: "..." }
 *   ---
 *   Markdown body: mechanism, examples, how to verify in production.
 *
 * Sources: the built-in entries compiled into the binary (data/catalog/),
 * and the user's `.dist-architect/catalog/` (*.md files). An id is a prefix, a hyphen
 * and a number (AP-7, TEAM-12); it is unique across all sources (a user
 * entry cannot silently redefine a built-in one). Iteration is in id order:
 * prefix, then number (AP-2 before AP-10).
 *
 * Errors name file:line:column and what was expected; every problem of a
 * file is reported, then -1, and a file with any problem adds nothing.
 *
 * Ownership: a catalog owns its entries and every string in them (one
 * arena). Entry pointers stay valid across later loads, until
 * catalog_release().
 */
#include <stdbool.h>
#include <stddef.h>

#include "../base/arena.h"
#include "../base/vec.h"
#include "../report/finding.h"
#include "schema.h"

/* The boundary signals an entry can name (NULL-terminated). */
extern const char *const catalog_signals[];
/* The precisions an entry can declare, SARIF's words (NULL-terminated). */
extern const char *const catalog_precisions[];
/* The reasoning modules an entry can name (NULL-terminated). */
extern const char *const catalog_module_names[];

/*
 * The log-evidence classes an entry can give words for (`log_evidence:`,
 * NULL-terminated): what `debug` looks for in log lines (src/debug/vocab.h).
 */
extern const char *const catalog_log_classes[];

/* One `log_evidence:` class and its words ("websocket closed": every word of a phrase on the line). */
struct catalog_logclass {
	const char *name;       /* of catalog_log_classes */
	struct textlist words;  /* lowercase phrases of whole words */
};

/* A public incident the pattern is modelled on. */
struct catalog_ref {
	const char *project;  /* "grpc-node" */
	const char *ref;      /* "PR #1444", "#275" */
	const char *language; /* or NULL */
	const char *note;     /* what happened, one line; or NULL */
};

struct catalog_entry {
	const char *id;         /* "AP-1" */
	const char *name;       /* "tight retry loop" */
	const char *summary;    /* one line */
	enum severity severity; /* default severity of its findings (SEV_WARNING when unset) */
	struct textlist signals;  /* of catalog_signals, at least one */
	struct textlist modules;  /* of catalog_module_names, may be empty */
	struct textlist symptoms; /* short shapes as users word them, at least one */
	const char *detection;    /* what the detector looks for (may span lines) */
	struct textlist fix;      /* fix shapes, at least one */
	struct catalog_ref *refs;
	size_t nrefs;
	struct catalog_logclass *log_evidence; /* `log_evidence:` classes, for debug's log detectors */
	size_t nlog_evidence;
	const char *signature;  /* a draft's signature (debug --capture), or NULL */
	long seen;              /* times a draft's signature was seen (`seen:`); 0 when unset */
	const char *precision;  /* how often a finding is right: very-high|high|medium|low (SARIF); default medium */
	const char *body;       /* the Markdown after the front matter, trimmed; never empty */
	const char *path;       /* "data/catalog/AP-1.md" or the user file as opened */
	unsigned line;          /* where `id` is, in `path` */
	bool builtin;
};

struct catalog {
	struct arena arena;
	VEC(struct catalog_entry *) entries; /* sorted by id */
};

void catalog_init(struct catalog *c);
void catalog_release(struct catalog *c);

/*
 * Parse one entry from memory; `name` is used in messages and kept as the
 * entry's path. Returns 0, or -1 after reporting every problem (nothing is
 * added then).
 */
int catalog_load_buffer(struct catalog *c, const char *name, const char *text, size_t len);
/* The built-in entries (every .md under data/catalog/, compiled in). */
int catalog_load_builtin(struct catalog *c);
/* Every .md file directly in `dir` (sorted; hidden files skipped). A missing folder is an error. */
int catalog_load_dir(struct catalog *c, const char *dir);
/*
 * Built-in entries, then the user's `ROOT/.dist-architect/catalog/` when it
 * exists (`root` NULL means the current directory). What the commands use.
 */
int catalog_load_default(struct catalog *c, const char *root);

/* By id, ignoring case ("ap-1" finds AP-1); NULL when unknown. */
const struct catalog_entry *catalog_find(const struct catalog *c, const char *id);
/* Iteration in id order: for (i = 0; i < catalog_count(c); i++) catalog_at(c, i). */
size_t catalog_count(const struct catalog *c);
const struct catalog_entry *catalog_at(const struct catalog *c, size_t i);

/* Order of two ids: prefix (ignoring case), then number. */
int catalog_id_cmp(const char *a, const char *b);
/* Is `id` a well-formed id (letters/digits, a hyphen, a number)? */
bool catalog_id_valid(const char *id);

#endif
