#ifndef DISTARCH_SUPPRESS_H
#define DISTARCH_SUPPRESS_H
/*
 * Inline suppressions: a comment `distarch: ignore[AP-1] reason` (several
 * ids: `ignore[AP-1,AP-5]`) silences those rules' findings whose line is the
 * comment's line or the line after it. It is read in comments only, in the
 * file's own comment syntax: `#` for Python and YAML, `//` and block comments for
 * Go, JavaScript, TypeScript and Java; string literals (Python triple
 * quotes, template literals and raw strings, Java text blocks) are skipped,
 * so a string that holds the words silences nothing. Files in no language
 * distarch reads are not searched (documentation may quote the syntax).
 *
 * Bad suppressions are findings of the tool's own rules (rules.h): no
 * reason (the finding is still silenced), an unknown rule id, a malformed
 * comment (these silence nothing).
 */
#include <stdbool.h>
#include <stdint.h>

#include "../catalog/catalog.h"
#include "../source/changes.h"
#include "finding.h"
#include "srclines.h"

/* How a file spells comments and strings; SYNTAX_NONE: not searched. */
enum comment_syntax { SYNTAX_NONE, SYNTAX_PYTHON, SYNTAX_YAML, SYNTAX_GO, SYNTAX_JS, SYNTAX_JAVA };
enum comment_syntax comment_syntax_for(const char *path);

struct suppression {
	uint32_t line, col; /* of "distarch:", 1-based (column in bytes) */
	VEC(char *) ids;    /* as written, trimmed */
	char *reason;       /* NULL when it gives none */
	char *problem;      /* NULL when well-formed; else what is wrong with it */
};
typedef VEC(struct suppression) suppression_vec;

/* Append every `distarch:` comment of `text` to `out`. Never fails. */
void suppress_scan(const char *text, size_t len, enum comment_syntax syn, suppression_vec *out);
void suppression_vec_release(suppression_vec *v);

/*
 * Drop the findings that a suppression in their file silences, then add a
 * finding for every bad suppression in a changed line of `cs` (all of them
 * when `cs` is NULL). Rule ids are checked against the catalog and the
 * tool's rules. Returns how many findings were silenced.
 */
size_t suppress_apply(finding_vec *findings, struct srclines *src, const struct catalog *cat,
		      const struct changeset *cs);

#endif
