#ifndef DISTARCH_CONFIG_H
#define DISTARCH_CONFIG_H
/*
 * The project's settings for `check`: `.dist-architect/config.yaml`.
 *
 *   version: 1                 # optional; the only version there is
 *   rules:
 *     AP-5: off                # off | on | error | warning | note
 *     AP-3: { severity: note } # or a mapping: enabled: true|false, severity: LEVEL
 *   exclude:                   # globs (src/base/path.h): never checked or reported
 *     - vendor/                # a folder: everything below it
 *     - "*_pb2.py"             # no '/': that name in any folder
 *   fail-on: warning           # error | warning | note | never (as --fail-on)
 *   limits:                    # as check's --max-* options (docs/limits.md)
 *     max-file-size: 8M        # bytes, or with K, M, G (powers of 1024)
 *     max-line-length: 512K
 *     max-nesting: 2000        # syntax tree levels
 *
 * Command-line flags override the file. Unknown keys, unknown rules, bad
 * values are errors naming file:line:column; a file with any problem sets
 * nothing.
 *
 * Ownership: a config owns everything in it (one arena); config_release frees.
 */
#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/vec.h"
#include "../catalog/catalog.h"
#include "../report/finding.h"

struct config_rule {
	const char *id;
	int enabled;  /* 1 on, 0 off, -1 as the rule says */
	int severity; /* an enum severity, or -1: the rule's own */
	uint32_t line, col; /* where the id is, for messages */
};

struct config {
	struct arena arena;
	const char *path;          /* as loaded, for messages; NULL when there is no file */
	VEC(struct config_rule) rules;
	VEC(const char *) exclude; /* globs */
	const char *fail_on;       /* "error" | "warning" | "note" | "never", or NULL */
	size_t max_file_size, max_line_length; /* limits: 0 when not set */
	unsigned max_nesting;
};

void config_init(struct config *c);
void config_release(struct config *c);

/* Parse from memory; `name` is used in messages. 0, or -1 after reporting every problem (nothing set). */
int config_load_buffer(struct config *c, const char *name, const char *text, size_t len);
int config_load_file(struct config *c, const char *path);

/* Every rule the file names exists in the catalog or the tool (rules.h)? 0, or -1 after reporting each. */
int config_check_rules(const struct config *c, const struct catalog *cat);

/* Is `path` (relative to the root) excluded? */
bool config_excludes(const struct config *c, const char *path);

/* Drop findings of disabled rules and in excluded paths; apply severity overrides. */
void config_apply(const struct config *c, finding_vec *findings);

#endif
