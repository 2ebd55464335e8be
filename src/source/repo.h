#ifndef DISTARCH_REPO_H
#define DISTARCH_REPO_H
/*
 * The scanned tree: a git working tree (through libgit2, honouring
 * .gitignore) or a plain folder (walked, skipping .git, node_modules and
 * hidden folders). Paths are relative to `root`.
 *
 * Ownership: a repo owns its root and git handles; repo_release frees.
 */
#include <stdbool.h>

#include "../base/vec.h"
#include "changes.h"

struct git_repository;

struct repo {
	char *root;              /* absolute, no trailing slash */
	char *prefix;            /* root relative to the git work tree ("" at the top), NULL outside git */
	struct git_repository *git; /* NULL outside git */
};

typedef VEC(char *) pathvec;

/* Open the tree at `dir`. Returns 0, or -1 with an error (dir missing, not a folder). */
int repo_open(struct repo *r, const char *dir);
void repo_release(struct repo *r);
bool repo_is_git(const struct repo *r);

/* Every file of the tree (tracked and untracked-not-ignored in git), sorted. Caller frees with pathvec_release. */
int repo_list_files(struct repo *r, pathvec *out);
/*
 * As repo_list_files, plus every entry of the tree that is not a regular
 * file, so that a scan can say why it did not read it: symlinks (never
 * followed), FIFOs, sockets and devices, and folders that cannot be listed
 * (with a trailing '/'; the walk goes on without them).
 */
int repo_list_entries(struct repo *r, pathvec *out);
void pathvec_release(pathvec *v);

enum selector_kind {
	SEL_DEFAULT, /* working tree's uncommitted changes (vs HEAD, staged and unstaged, plus untracked) */
	SEL_ALL,     /* every file, whole */
	SEL_STAGED,  /* index vs HEAD */
	SEL_DIFF,    /* a revision range "A..B" or a single revision "A" (A vs working tree) */
	SEL_PATCH,   /* a unified diff from a file or "-" (stdin) */
};

struct selection {
	enum selector_kind kind;
	const char *arg;       /* the range or the patch file */
	const char *const *paths; /* path filters (files or folders, relative to root); NULL-terminated, may be NULL */
};

/*
 * Fill `cs` with the selected changes, filtered by `sel->paths` when given.
 * Git selectors outside a git tree are an error naming the selector;
 * SEL_DEFAULT outside git selects every file (as SEL_ALL) and sets
 * cs->fell_back_to_all so the caller can say so. Files are appended to
 * `cs`, sorted by path; on error `cs` is left as it was.
 * SEL_DIFF "A..B" diffs two trees, "A...B" B against the merge base, "A"
 * A against the working tree and index (untracked files not included);
 * an empty side means HEAD. SEL_PATCH reads a file, or stdin for "-".
 */
int repo_changes(struct repo *r, const struct selection *sel, struct changeset *cs);

#endif
