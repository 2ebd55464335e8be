#ifndef DISTARCH_MCP_CONFINE_H
#define DISTARCH_MCP_CONFINE_H
/*
 * Path arguments confined to a project root. An MCP client (an LLM, or
 * text an LLM copied from somewhere) names files; none of them may lead
 * outside the folder the server was started for.
 *
 * Rules: a path is relative to the root, or absolute and inside it; no
 * `..` component at all (even one that would stay inside: the answer is
 * simpler to state and to test); no NUL or control characters; at most
 * CONFINE_MAX bytes. Then the longest existing prefix is resolved with
 * realpath(3) (following every symlink) and the result must be the root or
 * below it: a symlink inside the project that points outside is refused.
 * A path that does not exist yet (a deleted file named in a diff) is its
 * existing ancestor's real path plus the rest.
 *
 * Ownership: a confine owns its root; confine_release frees it.
 */
#include <stddef.h>

#include "../base/strbuf.h"

#define CONFINE_MAX 4096

struct confine {
	char *root;  /* realpath of the project root, no trailing slash ("/" alone for /) */
	size_t len;
};

/* Resolve `dir` as the root. -1 with an error() when it is not a folder. */
int confine_init(struct confine *c, const char *dir);
void confine_release(struct confine *c);

/*
 * Resolve `arg` (`arglen` bytes: JSON strings may hold NUL) inside the
 * root. On success returns 0 and sets `abs` to the real absolute path and
 * `rel` to the path relative to the root ("" for the root itself). On
 * refusal returns -1 and sets `why` to a message the client can act on;
 * nothing is printed.
 */
int confine_path(const struct confine *c, const char *arg, size_t arglen, struct strbuf *abs,
		 struct strbuf *rel, struct strbuf *why);

/*
 * The project's own files: ROOT/.dist-architect and everything below it
 * (topology, config, catalog entries and drafts, which the tools read
 * without being named) may not lead outside the root through a symlink.
 * 0 (also when the folder does not exist), or -1 with `why` set.
 */
int confine_project_files(const struct confine *c, struct strbuf *why);

#endif
