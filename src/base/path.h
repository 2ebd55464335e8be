#ifndef DISTARCH_PATH_H
#define DISTARCH_PATH_H
/*
 * Repository-relative paths ('/'-separated, no leading "./") and globs.
 */

/*
 * Match `path` against a glob: `*` and `?` do not cross '/', `**` matches
 * any number of whole path segments (including none), `[abc]` classes.
 * A pattern without '/' matches the last segment anywhere ("*.py").
 * A pattern ending in '/' (or in a final "**" segment) matches everything
 * below that folder.
 */
int glob_match(const char *pattern, const char *path);
/* The first segment of `path` ("engine/api.py" -> "engine"); "" for a top-level file. Caller frees. */
char *path_top_folder(const char *path);
/* Normalise "./a//b/../c" to "a/c" in place; returns its argument. */
char *path_normalize(char *path);
/* The extension including the dot, or "" (points into `path`). */
const char *path_ext(const char *path);

#endif
