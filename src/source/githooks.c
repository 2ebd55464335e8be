#include "githooks.h"

#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/banned.h"

#define HOOK_MAX (1u << 20)

static const char *git_msg(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown error";
}

int githooks_dir(struct repo *r, struct strbuf *dir)
{
	git_repository *repo = (git_repository *)r->git;
	git_config *cfg = NULL;
	git_buf buf = { 0 };
	int rc = 0;
	if (!repo)
		return error("%s is not in a git work tree: git hooks need one", r->root);
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return error("cannot read the git configuration: %s", git_msg());
	/* git_config_get_path expands a leading ~/ as git does */
	int got = git_config_get_path(&buf, cfg, "core.hooksPath");
	if (got == 0 && buf.size) {
		const char *wd = git_repository_workdir(repo);
		if (buf.ptr[0] != '/' && wd)
			strbuf_addstr(dir, wd);
		strbuf_addstr(dir, buf.ptr);
	} else if (got < 0 && got != GIT_ENOTFOUND) {
		rc = error("cannot read core.hooksPath: %s", git_msg());
	} else {
		git_error_clear();
		git_buf_dispose(&buf);
		if (git_repository_item_path(&buf, repo, GIT_REPOSITORY_ITEM_HOOKS) < 0)
			rc = error("cannot find the hooks folder: %s", git_msg());
		else
			strbuf_addstr(dir, buf.ptr);
	}
	git_buf_dispose(&buf);
	git_config_free(cfg);
	while (dir->len > 1 && dir->buf[dir->len - 1] == '/')
		strbuf_setlen(dir, dir->len - 1);
	return rc;
}

/* The script; `binary` single-quoted for sh. */
static void script(struct strbuf *sb, const char *binary)
{
	strbuf_addstr(sb, "#!/bin/sh\n" GITHOOK_MARKER "\n"
		      "# Checks what the commit holds for boundary crossings and anti-patterns;\n"
		      "# `git commit --no-verify` skips it. Reinstall: distarch hook install.\n"
		      "distarch='");
	for (const char *s = binary; *s; s++) {
		if (*s == '\'')
			strbuf_addstr(sb, "'\\''");
		else
			strbuf_addch(sb, *s);
	}
	strbuf_addstr(sb, "'\n"
		      "[ -x \"$distarch\" ] || distarch=distarch\n"
		      "exec \"$distarch\" check --staged --no-progress\n");
}

int githooks_install(struct repo *r, const char *binary, bool force, struct strbuf *path,
		     enum githook_result *what)
{
	struct strbuf dir = STRBUF_INIT, want = STRBUF_INIT, have = STRBUF_INIT, backup = STRBUF_INIT;
	int rc = -1;
	/* The hooks folder may not be reached through a symlink out of the work tree. */
	const char *wd = r->git ? git_repository_workdir((git_repository *)r->git) : NULL;
	const char *root = wd ? wd : r->root;
	if (githooks_dir(r, &dir) < 0 || mkdir_p_in(root, dir.buf) < 0)
		goto out;
	strbuf_addf(path, "%s/pre-commit", dir.buf);
	script(&want, binary);
	*what = GITHOOK_WRITTEN;
	if (access(path->buf, F_OK) == 0) {
		if (read_file(path->buf, &have, HOOK_MAX) < 0)
			goto out;
		if (strstr(have.buf, GITHOOK_MARKER)) {
			*what = strcmp(have.buf, want.buf) ? GITHOOK_UPDATED : GITHOOK_UNCHANGED;
			if (*what == GITHOOK_UNCHANGED) {
				rc = 0;
				goto out;
			}
		} else if (!force) {
			error("%s exists and was not written by distarch; run `distarch hook install --force` "
			      "to replace it (it is kept as pre-commit.before-distarch), or call `distarch check "
			      "--staged` from it yourself", path->buf);
			goto out;
		} else {
			strbuf_addf(&backup, "%s/pre-commit.before-distarch", dir.buf);
			if (access(backup.buf, F_OK) == 0) {
				error("%s exists already: move it away before replacing the hook again", backup.buf);
				goto out;
			}
			if (rename(path->buf, backup.buf) != 0) {
				error("%s: cannot keep the old hook: %s", backup.buf, strerror(errno));
				goto out;
			}
			*what = GITHOOK_REPLACED;
		}
	}
	if (write_file_in(root, path->buf, want.buf, want.len, WRITE_EXEC) < 0)
		goto out;
	rc = 0;
out:
	strbuf_release(&dir);
	strbuf_release(&want);
	strbuf_release(&have);
	strbuf_release(&backup);
	return rc;
}
