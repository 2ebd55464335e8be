#ifndef DISTARCH_SARIF_H
#define DISTARCH_SARIF_H
/*
 * SARIF 2.1.0 over any list of findings (check, design, drift): one run of
 * tool "distarch" whose rules[] are the catalog's entries and the tool's own
 * rules (rules.h), plus any other rule id a finding carries.
 *
 * Each result has ruleId, ruleIndex, level, message, its first location
 * relative to %SRCROOT% (the git work tree, or the scanned folder outside
 * git; originalUriBaseIds says where that is), related locations, and two
 * partial fingerprints, both unchanged by lines shifting above the finding:
 * primaryLocationLineHash exactly as GitHub's upload-sarif computes it from
 * the file (fingerprint.h; a different value would draw a warning per
 * result from the uploader), and distarchContext/v1: the finding's context
 * (rule, path, normalised line text) and ":N", its occurrence among
 * findings with the same context.
 * Columns are counted in Unicode code points (run.columnKind).
 */
#include <stdio.h>

#include "../catalog/catalog.h"
#include "finding.h"
#include "srclines.h"

struct sarif_input {
	const struct finding *findings;
	size_t nfindings;
	const struct catalog *catalog; /* may be NULL */
	struct srclines *sources;      /* the files' lines; NULL: no fingerprints, byte columns */
	const char *srcroot_uri;       /* "file:///abs/repo/" or NULL (then no originalUriBaseIds) */
	const char *uri_prefix;        /* prepended to each finding's path ("" or "sub/dir/"), or NULL */
};

/* Write the log; -1 when it cannot be encoded or written. */
int sarif_write(const struct sarif_input *in, FILE *out);

/*
 * The same for findings whose paths are relative to the folder `base` or
 * absolute (design, topology drift): %SRCROOT% is `base`. -1 also when
 * `base` does not resolve.
 */
int sarif_write_in(const struct finding *findings, size_t n, const struct catalog *cat, const char *base,
		   FILE *out);

/* Percent-encode a relative path for a URI (RFC 3986: '/' and unreserved bytes stay). Appends. */
void uri_escape_path(struct strbuf *out, const char *path);

#endif
