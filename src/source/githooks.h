#ifndef DISTARCH_GITHOOKS_H
#define DISTARCH_GITHOOKS_H
/*
 * distarch's git pre-commit hook: where git looks for hooks (core.hooksPath
 * when set, relative paths from the top of the work tree, else
 * $GIT_COMMON_DIR/hooks), and installing the hook there without
 * clobbering anyone else's.
 *
 * The hook is a shell script marked with GITHOOK_MARKER; a file with the
 * marker is ours and is rewritten freely; any other file at that path is
 * foreign and replaced only with `force`, after being renamed to
 * pre-commit.before-distarch.
 */
#include <stdbool.h>

#include "repo.h"
#include "../base/strbuf.h"

#define GITHOOK_MARKER "# distarch-hook: written by `distarch hook install`"

/* The folder git runs hooks from, into `dir`. -1 with an error(). */
int githooks_dir(struct repo *r, struct strbuf *dir);

enum githook_result { GITHOOK_WRITTEN, GITHOOK_UPDATED, GITHOOK_UNCHANGED, GITHOOK_REPLACED };

/*
 * Write the pre-commit hook running `binary check --staged` into the
 * hooks folder. `path` receives the hook's path. -1 with an error()
 * (a foreign hook without `force` among them).
 */
int githooks_install(struct repo *r, const char *binary, bool force, struct strbuf *path,
		     enum githook_result *what);

#endif
