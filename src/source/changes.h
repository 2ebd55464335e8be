#ifndef DISTARCH_CHANGES_H
#define DISTARCH_CHANGES_H
/*
 * What a check looks at: a set of files, each whole or with changed hunks
 * (line ranges in the new version of the file).
 *
 * Ownership: a changeset owns its paths and hunks; changeset_release frees.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/vec.h"

/*
 * Hunks hold only the changed lines (git's -U0 convention), never context:
 * count > 0: new lines [start, start+count) were added or rewritten;
 * count 0: a pure deletion between new lines `start` and `start+1` (start 0
 * = at the top). old_start/old_count follow the same rule on the old side.
 */
struct hunk {
	uint32_t start, count;         /* new-file lines: [start, start+count); count 0 = pure deletion after start */
	uint32_t old_start, old_count; /* old-file lines */
};

enum change_status { CHANGE_MODIFIED, CHANGE_ADDED, CHANGE_DELETED, CHANGE_RENAMED, CHANGE_WHOLE };

struct changed_file {
	char *path;     /* repository-relative, '/'-separated */
	char *old_path; /* for renames, else NULL */
	enum change_status status;
	VEC(struct hunk) hunks; /* in order; empty for CHANGE_WHOLE, CHANGE_ADDED and CHANGE_DELETED */
};

struct changeset {
	VEC(struct changed_file) files;
	/* Set by repo_changes when SEL_DEFAULT ran outside git and selected every file. */
	bool fell_back_to_all;
};

void changeset_init(struct changeset *cs);
void changeset_release(struct changeset *cs);
/* Append a file (path copied). The pointer is valid until the next changeset_add. */
struct changed_file *changeset_add(struct changeset *cs, const char *path, enum change_status st);
/* Remove the files for which drop(path, arg) is true; returns how many. */
size_t changeset_drop_if(struct changeset *cs, bool (*drop)(const char *path, const void *arg),
			 const void *arg);
/* Sort files by path (deterministic output). */
void changeset_sort(struct changeset *cs);
/*
 * Does the file's change touch any line in [first, last]? Always true for
 * CHANGE_WHOLE/ADDED, never for CHANGE_DELETED. A pure deletion touches the
 * two lines around the gap (start and start+1).
 */
bool changed_file_touches(const struct changed_file *f, uint32_t first, uint32_t last);

/*
 * Parse a unified diff (git diff or diff -u output) into `cs`. Errors name
 * `name:line` and say what was expected; -1 on a malformed diff.
 * Paths have their a/ b/ prefixes removed; /dev/null marks added/deleted.
 */
int diff_parse(struct changeset *cs, const char *name, const char *text, size_t len);

#endif
