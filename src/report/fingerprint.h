#ifndef DISTARCH_FINGERPRINT_H
#define DISTARCH_FINGERPRINT_H
/*
 * A finding's context: what identifies it across edits that do not touch
 * it. It is the rule, the path and the normalised text of the finding's own
 * line (srcline_normalize), hashed (64-bit FNV-1a, 16 hex digits). Lines
 * added above it, re-indentation or moving the code in the file keep it;
 * editing the line itself or renaming the file gives a new one.
 *
 * Used by SARIF's partialFingerprints.primaryLocationLineHash (plus an
 * occurrence counter) and by baselines (as the match key).
 */
#include <stdint.h>

#include "finding.h"
#include "srclines.h"

#define CONTEXT_HEX 17 /* 16 hex digits and the NUL */

uint64_t context_hash(const char *rule, const char *path, const char *line, size_t n);
/* The context of `f` as 16 lowercase hex digits into `out`. */
void finding_context(struct srclines *src, const struct finding *f, char out[CONTEXT_HEX]);

/*
 * GitHub's primaryLocationLineHash of each line of a file, computed the way
 * github/codeql-action's upload-sarif does (src/fingerprints.ts): a rolling
 * hash of the 100 characters (UTF-16 code units, blanks skipped, line ends
 * made '\n') from the line's start, as hex, then ':' and how many earlier
 * lines had the same hash plus one. The same value as the uploader's means
 * no "inconsistent fingerprint" warning and the same alert identity.
 * Returns an array of `*n` strings, line 1 first; free with line_hashes_free.
 */
char **github_line_hashes(const struct srcfile *f, uint32_t *n);
void line_hashes_free(char **h, uint32_t n);

#endif
