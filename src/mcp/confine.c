#include "confine.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/banned.h"

int confine_init(struct confine *c, const char *dir)
{
	struct stat st;
	memset(c, 0, sizeof(*c));
	char *real = realpath(dir, NULL);
	if (!real)
		return error("%s: %s", dir, strerror(errno));
	if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
		free(real);
		return error("%s: not a folder", dir);
	}
	c->root = xstrdup(real);
	free(real);
	c->len = strlen(c->root);
	return 0;
}

void confine_release(struct confine *c)
{
	xfree(c->root);
	c->root = NULL;
	c->len = 0;
}

static int refuse(struct strbuf *why, const char *arg, const char *reason)
{
	strbuf_reset(why);
	strbuf_addf(why, "path '%.200s' %s", arg, reason);
	return -1;
}

/* Has `p` a ".." component? */
static int has_dotdot(const char *p)
{
	for (const char *s = p; (s = strstr(s, "..")); s += 2)
		if ((s == p || s[-1] == '/') && (s[2] == '/' || !s[2]))
			return 1;
	return 0;
}

int confine_path(const struct confine *c, const char *arg, size_t arglen, struct strbuf *abs,
		 struct strbuf *rel, struct strbuf *why)
{
	if (arglen != strlen(arg))
		return refuse(why, "(with a NUL byte)", "holds a NUL byte");
	if (arglen > CONFINE_MAX)
		return refuse(why, "(too long)", "is longer than 4096 bytes");
	for (const char *s = arg; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return refuse(why, arg, "holds a control character");
	if (has_dotdot(arg))
		return refuse(why, arg, "has a '..' component: name files relative to the project root, without '..'");

	struct strbuf full = STRBUF_INIT;
	if (arg[0] == '/') {
		strbuf_addstr(&full, arg);
	} else {
		strbuf_addstr(&full, c->root);
		if (*arg && strcmp(arg, "."))
			strbuf_addf(&full, "/%s", arg);
	}
	strbuf_reset(abs);
	int rc = path_resolve_existing(full.buf, abs);
	strbuf_release(&full);
	if (rc < 0)
		return refuse(why, arg, "cannot be resolved");
	if (!path_is_within(c->root, abs->buf)) {
		strbuf_reset(why);
		strbuf_addf(why, "path '%.200s' is outside the project root %s%s", arg, c->root,
			    arg[0] == '/' ? "" : " (a symlink leads out of it)");
		return -1;
	}
	strbuf_reset(rel);
	if (abs->len > c->len)
		strbuf_addstr(rel, abs->buf + c->len + (c->len > 1));
	return 0;
}

#define PROJECT_DIR ".dist-architect"
#define PROJECT_DEPTH 8 /* below it; deeper folders (or a symlink loop) are not followed */

/* `path` (absolute) resolves inside the root, and so does everything below it. */
static int check_tree(const struct confine *c, struct strbuf *path, int depth, struct strbuf *why)
{
	char *real = realpath(path->buf, NULL);
	if (!real)
		return 0; /* a dangling symlink: nothing is read through it */
	int ok = path_is_within(c->root, real);
	if (!ok) {
		strbuf_reset(why);
		strbuf_addf(why, "%s leads outside the project root %s (to %s) through a symlink; the "
			    "server reads only inside the root: replace the symlink with the file",
			    path->buf + c->len + (c->len > 1), c->root, real);
	}
	free(real);
	struct stat st;
	if (!ok)
		return -1;
	if (depth >= PROJECT_DEPTH || stat(path->buf, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0;
	DIR *d = opendir(path->buf);
	if (!d)
		return 0;
	int rc = 0;
	size_t len = path->len;
	struct dirent *e;
	while (!rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		strbuf_addf(path, "/%s", e->d_name);
		rc = check_tree(c, path, depth + 1, why);
		strbuf_setlen(path, len);
	}
	closedir(d);
	return rc;
}

int confine_project_files(const struct confine *c, struct strbuf *why)
{
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/" PROJECT_DIR, c->len > 1 ? c->root : "");
	int rc = check_tree(c, &path, 0, why);
	strbuf_release(&path);
	return rc;
}
