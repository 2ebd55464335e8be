#include "confine.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/alloc.h"
#include "../base/diag.h"
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

/* Is `path` (absolute, real) the root or below it? */
static int inside(const struct confine *c, const char *path)
{
	if (c->len == 1)
		return path[0] == '/';
	return !strncmp(path, c->root, c->len) && (path[c->len] == '/' || !path[c->len]);
}

/* Has `p` a ".." component? */
static int has_dotdot(const char *p)
{
	for (const char *s = p; (s = strstr(s, "..")); s += 2)
		if ((s == p || s[-1] == '/') && (s[2] == '/' || !s[2]))
			return 1;
	return 0;
}

/*
 * realpath of the longest existing prefix of `path`, then the rest
 * appended: "/root/new/file.py" with only /root existing gives
 * "/root/new/file.py" with /root resolved.
 */
static int resolve(const char *path, struct strbuf *out)
{
	struct strbuf head = STRBUF_INIT;
	strbuf_addstr(&head, path);
	size_t cut = head.len;
	for (;;) {
		char *real = realpath(head.buf, NULL);
		if (real) {
			strbuf_reset(out);
			strbuf_addstr(out, real);
			free(real);
			const char *rest = path + cut;
			while (*rest == '/')
				rest++;
			if (*rest) {
				if (out->len > 1)
					strbuf_addch(out, '/');
				strbuf_addstr(out, rest);
			}
			strbuf_release(&head);
			return 0;
		}
		if (errno != ENOENT && errno != ENOTDIR)
			break;
		char *slash = strrchr(head.buf, '/');
		if (!slash || slash == head.buf)
			break;
		cut = (size_t)(slash - head.buf);
		strbuf_setlen(&head, cut);
	}
	strbuf_release(&head);
	return -1;
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
	int rc = resolve(full.buf, abs);
	strbuf_release(&full);
	if (rc < 0)
		return refuse(why, arg, "cannot be resolved");
	if (!inside(c, abs->buf)) {
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
