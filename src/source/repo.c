/*
 * The scanned tree through libgit2, or a plain folder walk.
 *
 * Git reports paths relative to its work tree; the scanned root may be a
 * subfolder of it (r->prefix), so every path from git goes through
 * to_root() before anyone sees it.
 */
#include "repo.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/path.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

/* A patch larger than this is a mistake, not a change to review. */
#define PATCH_MAX ((size_t)1 << 30)

static const char *git_msg(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

bool repo_is_git(const struct repo *r)
{
	return r->git != NULL;
}

int repo_open(struct repo *r, const char *dir)
{
	memset(r, 0, sizeof(*r));
	char *root = realpath(dir, NULL);
	if (!root)
		return error("%s: cannot open: %s", dir, strerror(errno));
	struct stat st;
	if (stat(root, &st) || !S_ISDIR(st.st_mode)) {
		free(root);
		return error("%s: not a folder", dir);
	}
	r->root = xstrdup(root);
	free(root);

	/* libgit2 counts init/shutdown pairs itself; repo_release undoes this one */
	if (git_libgit2_init() < 0) {
		int rc = error("libgit2: cannot initialise: %s", git_msg());
		xfree(r->root);
		r->root = NULL;
		return rc;
	}

	/* like git itself, search upward but not across file systems */
	git_repository *repo = NULL;
	int rc = git_repository_open_ext(&repo, r->root, 0, NULL);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc < 0) {
		rc = error("%s: cannot open the git repository: %s", dir, git_msg());
		repo_release(r);
		return rc;
	}
	const char *wd = git_repository_workdir(repo);
	char *wdreal = wd ? realpath(wd, NULL) : NULL;
	size_t wl = wdreal ? strlen(wdreal) : 0;
	if (wdreal && !strcmp(wdreal, r->root)) {
		r->prefix = xstrdup("");
	} else if (wdreal && !strncmp(r->root, wdreal, wl) &&
		   (r->root[wl] == '/' || (wl == 1 && wdreal[0] == '/'))) {
		const char *rest = r->root + wl + (wl == 1 ? 0 : 1);
		/* a folder inside .git is not part of the work tree */
		if (!strncmp(rest, ".git", 4) && (rest[4] == '/' || !rest[4])) {
			git_repository_free(repo);
			free(wdreal);
			return 0;
		}
		/*
		 * A folder git ignores (a build copy, a vendored tree) holds
		 * nothing git would list: scan it as a plain folder instead.
		 */
		int ignored = 0;
		if (git_ignore_path_is_ignored(&ignored, repo, rest) == 0 && ignored) {
			git_repository_free(repo);
			free(wdreal);
			return 0;
		}
		r->prefix = xstrdup(rest);
	} else {
		/* bare repository, or a work tree we cannot place: scan as a plain folder */
		git_repository_free(repo);
		free(wdreal);
		return 0;
	}
	free(wdreal);
	r->git = (struct git_repository *)repo;
	return 0;
}

void repo_release(struct repo *r)
{
	if (r->git)
		git_repository_free((git_repository *)r->git);
	if (r->root)
		git_libgit2_shutdown();
	xfree(r->root);
	xfree(r->prefix);
	memset(r, 0, sizeof(*r));
}

void pathvec_release(pathvec *v)
{
	for (size_t i = 0; i < v->len; i++)
		xfree(v->items[i]);
	VEC_FREE(v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A work-tree path as a root-relative one, or NULL when it lies outside the root. */
static const char *to_root(const struct repo *r, const char *path)
{
	size_t pl = r->prefix ? strlen(r->prefix) : 0;
	if (!pl)
		return path;
	if (strncmp(path, r->prefix, pl) || path[pl] != '/')
		return NULL;
	return path + pl + 1;
}

/* Is ROOT/rel a regular file (or, with `others`, anything but a folder)? */
static bool is_listed(const struct repo *r, const char *rel, bool others)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	strbuf_addf(&sb, "%s/%s", r->root, rel);
	bool ok = !lstat(sb.buf, &st) && (S_ISREG(st.st_mode) || (others && !S_ISDIR(st.st_mode)));
	strbuf_release(&sb);
	return ok;
}

static bool has_glob_chars(const char *s)
{
	return strpbrk(s, "*?[\\") != NULL;
}

static int git_index_of(struct repo *r, git_index **out)
{
	git_repository *repo = (git_repository *)r->git;
	if (git_repository_index(out, repo) < 0)
		return error("%s: cannot read the git index: %s", r->root, git_msg());
	/* another process (git add) may have changed it since we opened it */
	if (git_index_read(*out, 0) < 0) {
		git_index_free(*out);
		return error("%s: cannot read the git index: %s", r->root, git_msg());
	}
	return 0;
}

static int list_git(struct repo *r, pathvec *out, bool others)
{
	git_repository *repo = (git_repository *)r->git;
	git_index *idx;
	if (git_index_of(r, &idx))
		return -1;

	const char *last = NULL;
	size_t n = git_index_entrycount(idx);
	for (size_t i = 0; i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(idx, i);
		if (!e || (last && !strcmp(last, e->path)))
			continue; /* conflict stages repeat the path */
		last = e->path;
		if (e->mode != GIT_FILEMODE_BLOB && e->mode != GIT_FILEMODE_BLOB_EXECUTABLE &&
		    (!others || e->mode != GIT_FILEMODE_LINK))
			continue; /* submodules, and symlinks unless asked for */
		const char *rel = to_root(r, e->path);
		if (rel && is_listed(r, rel, others)) /* deleted in the work tree: gone */
			VEC_APPEND(out, xstrdup(rel));
	}
	git_index_free(idx);

	git_status_options so;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		   GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	char *spec = r->prefix;
	if (*r->prefix && !has_glob_chars(r->prefix)) {
		/* only narrows git's walk; to_root() still decides */
		so.pathspec.strings = &spec;
		so.pathspec.count = 1;
	}
	git_status_list *sl;
	if (git_status_list_new(&sl, repo, &so) < 0)
		return error("%s: cannot read the git status: %s", r->root, git_msg());
	size_t m = git_status_list_entrycount(sl);
	for (size_t i = 0; i < m; i++) {
		const git_status_entry *s = git_status_byindex(sl, i);
		if (!(s->status & GIT_STATUS_WT_NEW) || !s->index_to_workdir)
			continue;
		const char *p = s->index_to_workdir->new_file.path;
		size_t pl = strlen(p);
		if (!pl || p[pl - 1] == '/')
			continue; /* a nested repository */
		const char *rel = to_root(r, p);
		if (rel && is_listed(r, rel, others))
			VEC_APPEND(out, xstrdup(rel));
	}
	git_status_list_free(sl);
	return 0;
}

static bool skip_folder(const char *name)
{
	return name[0] == '.' || !strcmp(name, "node_modules");
}

static int walk(struct strbuf *abs, size_t rootlen, pathvec *out, bool others)
{
	DIR *d = opendir(abs->buf);
	if (!d && others && abs->len > rootlen) {
		/* a folder below the root that cannot be listed: the scan says so and goes on */
		strbuf_addch(abs, '/');
		VEC_APPEND(out, xstrdup(abs->buf + rootlen + 1));
		strbuf_setlen(abs, abs->len - 1);
		return 0;
	}
	if (!d)
		return error("%s: cannot open folder: %s", abs->buf, strerror(errno));
	size_t base = abs->len;
	struct dirent *e;
	int rc = 0;
	while (!rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		strbuf_setlen(abs, base);
		strbuf_addch(abs, '/');
		strbuf_addstr(abs, e->d_name);
		/* the entry's type from readdir when the file system gives it (a stat per entry less) */
		struct stat st = { 0 };
		if (e->d_type == DT_DIR)
			st.st_mode = S_IFDIR;
		else if (e->d_type == DT_REG)
			st.st_mode = S_IFREG;
		else if (lstat(abs->buf, &st)) /* lstat: a symlinked folder is not followed, so no loops */
			continue; /* vanished meanwhile */
		if (S_ISDIR(st.st_mode)) {
			if (!skip_folder(e->d_name))
				rc = walk(abs, rootlen, out, others);
		} else if (S_ISREG(st.st_mode) || others) {
			VEC_APPEND(out, xstrdup(abs->buf + rootlen + 1));
		}
	}
	strbuf_setlen(abs, base);
	closedir(d);
	return rc;
}

static int list_tree(struct repo *r, pathvec *out, bool others)
{
	size_t first = out->len;
	int rc;
	if (r->git) {
		rc = list_git(r, out, others);
	} else {
		struct strbuf abs = STRBUF_INIT;
		strbuf_addstr(&abs, r->root);
		/* a root of "/" gives "//x": still one byte to skip after the root */
		rc = walk(&abs, abs.len, out, others);
		strbuf_release(&abs);
	}
	if (rc) {
		for (size_t i = first; i < out->len; i++)
			xfree(out->items[i]);
		out->len = first;
		return -1;
	}
	if (out->len > first) /* items is NULL while the vector is empty */
		qsort(out->items + first, out->len - first, sizeof(*out->items), cmp_str);
	return 0;
}

int repo_list_files(struct repo *r, pathvec *out)
{
	return list_tree(r, out, false);
}

int repo_list_entries(struct repo *r, pathvec *out)
{
	return list_tree(r, out, true);
}

/* ---- path filters ---- */

struct filters {
	VEC(char *) items;
	bool all; /* no filter, or one naming the root itself */
};

static void filters_init(struct filters *fl, const struct repo *r, const char *const *paths)
{
	memset(fl, 0, sizeof(*fl));
	fl->all = !paths || !paths[0];
	size_t rl = strlen(r->root);
	for (size_t i = 0; paths && paths[i]; i++) {
		const char *p = paths[i];
		/* an absolute path inside the root names the same file */
		if (p[0] == '/' && !strncmp(p, r->root, rl) && (p[rl] == '/' || !p[rl]))
			p += rl;
		char *s = path_normalize(xstrdup(p));
		if (!*s)
			fl->all = true;
		VEC_APPEND(&fl->items, s);
	}
}

static void filters_release(struct filters *fl)
{
	for (size_t i = 0; i < fl->items.len; i++)
		xfree(fl->items.items[i]);
	VEC_FREE(&fl->items);
}

static bool filters_match(const struct filters *fl, const char *path)
{
	if (fl->all)
		return true;
	if (!path)
		return false;
	for (size_t i = 0; i < fl->items.len; i++) {
		const char *f = fl->items.items[i];
		size_t n = strlen(f);
		if (!strncmp(path, f, n) && (path[n] == '/' || !path[n]))
			return true;
	}
	return false;
}

static bool file_selected(const struct filters *fl, const struct changed_file *f)
{
	return filters_match(fl, f->path) || (f->old_path && filters_match(fl, f->old_path));
}

/* ---- selectors ---- */

static int select_all(struct repo *r, const struct filters *fl, struct changeset *cs)
{
	pathvec files = VEC_INIT;
	if (repo_list_entries(r, &files))
		return -1;
	for (size_t i = 0; i < files.len; i++)
		if (filters_match(fl, files.items[i]))
			changeset_add(cs, files.items[i], CHANGE_WHOLE);
	pathvec_release(&files);
	return 0;
}

/* Move the files of `from` that the filters (and, when asked, the prefix) keep into `cs`. */
static void take_patch_files(struct repo *r, const struct filters *fl, struct changeset *from,
			     struct changeset *cs)
{
	/*
	 * A patch made by git names work-tree paths even in a subfolder; one
	 * made by hand in the root names root paths. If any path lies under
	 * the prefix, take the patch as git-made and keep only those.
	 */
	bool strip = false;
	for (size_t i = 0; r->prefix && *r->prefix && i < from->files.len; i++) {
		struct changed_file *f = &from->files.items[i];
		if (to_root(r, f->path) || (f->old_path && to_root(r, f->old_path)))
			strip = true;
	}
	for (size_t i = 0; i < from->files.len; i++) {
		struct changed_file *f = &from->files.items[i];
		bool keep = true;
		if (strip) {
			const char *np = to_root(r, f->path);
			const char *op = f->old_path ? to_root(r, f->old_path) : NULL;
			if (!np && !op) {
				keep = false;
			} else if (!np) { /* renamed out of the root */
				char *p = xstrdup(op);
				xfree(f->path);
				f->path = p;
				xfree(f->old_path);
				f->old_path = NULL;
				f->status = CHANGE_DELETED;
				VEC_FREE(&f->hunks);
			} else {
				char *p = xstrdup(np);
				xfree(f->path);
				f->path = p;
				if (f->old_path) {
					char *o = op ? xstrdup(op) : NULL;
					xfree(f->old_path);
					f->old_path = o;
					if (!o) { /* renamed into the root */
						f->status = CHANGE_ADDED;
						VEC_FREE(&f->hunks);
					}
				}
			}
		}
		if (keep && file_selected(fl, f)) {
			*VEC_PUSH(&cs->files) = *f;
		} else {
			xfree(f->path);
			xfree(f->old_path);
			VEC_FREE(&f->hunks);
		}
	}
	VEC_FREE(&from->files);
}

static int select_patch(struct repo *r, const struct selection *sel, const struct filters *fl,
			struct changeset *cs)
{
	struct strbuf text = STRBUF_INIT;
	const char *arg = sel->arg;
	const char *name = arg;
	int rc;
	if (!arg || !*arg)
		return error("--patch needs a file name, or - for stdin");
	if (!strcmp(arg, "-")) {
		name = "<stdin>";
		rc = read_stream(stdin, name, &text, PATCH_MAX);
	} else {
		rc = read_file(arg, &text, PATCH_MAX);
	}
	if (rc) {
		strbuf_release(&text);
		return -1;
	}
	struct changeset parsed;
	changeset_init(&parsed);
	rc = diff_parse(&parsed, name, text.buf, text.len);
	strbuf_release(&text);
	if (rc) {
		changeset_release(&parsed);
		return -1;
	}
	take_patch_files(r, fl, &parsed, cs);
	return 0;
}

struct collect {
	struct repo *r;
	const struct filters *fl;
	struct changeset *cs;
	long cur; /* index of the file receiving hunks, -1 when skipped */
};

static int on_file(const git_diff_delta *d, float progress, void *payload)
{
	struct collect *c = payload;
	c->cur = -1;
	if (d->old_file.mode == GIT_FILEMODE_COMMIT || d->new_file.mode == GIT_FILEMODE_COMMIT)
		return 0; /* submodule pointers */

	enum change_status st;
	const char *path = d->new_file.path, *old = NULL;
	switch (d->status) {
	case GIT_DELTA_ADDED:
	case GIT_DELTA_UNTRACKED:
	case GIT_DELTA_COPIED:
		st = CHANGE_ADDED;
		break;
	case GIT_DELTA_DELETED:
		st = CHANGE_DELETED;
		path = d->old_file.path;
		break;
	case GIT_DELTA_MODIFIED:
	case GIT_DELTA_TYPECHANGE:
	case GIT_DELTA_CONFLICTED:
		st = CHANGE_MODIFIED;
		break;
	case GIT_DELTA_RENAMED:
		st = CHANGE_RENAMED;
		old = d->old_file.path;
		break;
	default:
		return 0;
	}
	if (st == CHANGE_ADDED) {
		size_t pl = strlen(path);
		if (!pl || path[pl - 1] == '/')
			return 0; /* an untracked nested repository */
	}

	const char *rel = to_root(c->r, path);
	const char *relold = old ? to_root(c->r, old) : NULL;
	if (st == CHANGE_RENAMED && !relold) {
		st = CHANGE_ADDED; /* from outside the root: new here */
	} else if (st == CHANGE_RENAMED && !rel) {
		st = CHANGE_DELETED; /* to outside the root: gone from here */
		rel = relold;
		relold = NULL;
	}
	if (!rel)
		return 0;

	struct changed_file probe = { .path = (char *)rel, .old_path = (char *)relold };
	if (!file_selected(c->fl, &probe))
		return 0;
	struct changed_file *f = changeset_add(c->cs, rel, st);
	if (st == CHANGE_RENAMED)
		f->old_path = xstrdup(relold);
	if (st == CHANGE_MODIFIED || st == CHANGE_RENAMED)
		c->cur = (long)(c->cs->files.len - 1);
	return 0;
}

static int on_hunk(const git_diff_delta *d, const git_diff_hunk *h, void *payload)
{
	struct collect *c = payload;
	if (c->cur < 0)
		return 0;
	struct hunk *nh = VEC_PUSH(&c->cs->files.items[c->cur].hunks);
	nh->start = (uint32_t)h->new_start;
	nh->count = (uint32_t)h->new_lines;
	nh->old_start = (uint32_t)h->old_start;
	nh->old_count = (uint32_t)h->old_lines;
	return 0;
}

static int resolve(struct repo *r, const char *spec, git_object_t type, git_object **out)
{
	git_repository *repo = (git_repository *)r->git;
	git_object *obj;
	if (git_revparse_single(&obj, repo, spec) < 0)
		return error("--diff: unknown revision '%s': %s", spec, git_msg());
	int rc = git_object_peel(out, obj, type);
	git_object_free(obj);
	if (rc < 0)
		return error("--diff: revision '%s' does not name a %s", spec,
			     type == GIT_OBJECT_COMMIT ? "commit" : "commit or tree");
	return 0;
}

static int head_tree(struct repo *r, git_tree **out)
{
	git_repository *repo = (git_repository *)r->git;
	*out = NULL;
	int unborn = git_repository_head_unborn(repo);
	if (unborn == 1)
		return 0; /* no commit yet: diff against the empty tree */
	if (unborn < 0)
		return error("%s: cannot read HEAD: %s", r->root, git_msg());
	git_object *obj;
	if (git_revparse_single(&obj, repo, "HEAD^{tree}") < 0)
		return error("%s: cannot read HEAD: %s", r->root, git_msg());
	*out = (git_tree *)obj;
	return 0;
}

/* "A..B", "A...B" (from their merge base) or "A" (against the work tree); an empty side is HEAD. */
static int diff_range(struct repo *r, const char *arg, const git_diff_options *opts, git_diff **diff)
{
	git_repository *repo = (git_repository *)r->git;
	if (!arg || !*arg)
		return error("--diff needs a revision or a range (A..B, A...B)");
	const char *dots = strstr(arg, "...");
	size_t ndots = 3;
	if (!dots) {
		dots = strstr(arg, "..");
		ndots = 2;
	}
	git_object *a = NULL, *b = NULL;
	int rc = -1;
	if (!dots) {
		if (resolve(r, arg, GIT_OBJECT_TREE, &a))
			return -1;
		if (git_diff_tree_to_workdir_with_index(diff, repo, (git_tree *)a, opts) < 0)
			error("--diff %s: %s", arg, git_msg());
		else
			rc = 0;
		git_object_free(a);
		return rc;
	}

	char *left = dots == arg ? xstrdup("HEAD") : xstrndup(arg, (size_t)(dots - arg));
	char *right = xstrdup(*(dots + ndots) ? dots + ndots : "HEAD");
	if (ndots == 2) {
		if (resolve(r, left, GIT_OBJECT_TREE, &a) || resolve(r, right, GIT_OBJECT_TREE, &b))
			goto out;
	} else {
		git_object *ca = NULL, *cb = NULL;
		git_oid base;
		git_commit *bc = NULL;
		git_tree *bt = NULL;
		if (resolve(r, left, GIT_OBJECT_COMMIT, &ca) ||
		    resolve(r, right, GIT_OBJECT_COMMIT, &cb)) {
			git_object_free(ca);
			goto out;
		}
		if (git_merge_base(&base, repo, git_object_id(ca), git_object_id(cb)) < 0) {
			error("--diff %s: no merge base between '%s' and '%s'", arg, left, right);
		} else if (git_commit_lookup(&bc, repo, &base) < 0 || git_commit_tree(&bt, bc) < 0) {
			error("--diff %s: %s", arg, git_msg());
		} else {
			git_tree *rt = NULL;
			a = (git_object *)bt;
			if (git_commit_tree(&rt, (git_commit *)cb) < 0)
				error("--diff %s: %s", arg, git_msg());
			b = (git_object *)rt;
		}
		git_commit_free(bc);
		git_object_free(ca);
		git_object_free(cb);
		if (!a || !b)
			goto out;
	}
	if (git_diff_tree_to_tree(diff, repo, (git_tree *)a, (git_tree *)b, opts) < 0)
		error("--diff %s: %s", arg, git_msg());
	else
		rc = 0;
out:
	git_object_free(a);
	git_object_free(b);
	xfree(left);
	xfree(right);
	return rc;
}

static int select_git(struct repo *r, const struct selection *sel, const struct filters *fl,
		      struct changeset *cs)
{
	git_repository *repo = (git_repository *)r->git;
	git_diff_options opts;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 0; /* hunks are exactly the changed lines */
	opts.interhunk_lines = 0;
	opts.ignore_submodules = GIT_SUBMODULE_IGNORE_ALL;
	opts.flags = GIT_DIFF_IGNORE_SUBMODULES;
	char *spec = r->prefix;
	if (*r->prefix && !has_glob_chars(r->prefix)) {
		/* only narrows git's work; to_root() still decides */
		opts.pathspec.strings = &spec;
		opts.pathspec.count = 1;
	}

	git_index *idx;
	if (git_index_of(r, &idx))
		return -1;
	git_diff *diff = NULL;
	git_tree *head = NULL;
	int rc = 0;
	switch (sel->kind) {
	case SEL_DEFAULT:
		opts.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
		rc = head_tree(r, &head);
		if (!rc && git_diff_tree_to_workdir_with_index(&diff, repo, head, &opts) < 0)
			rc = error("%s: cannot diff the work tree: %s", r->root, git_msg());
		break;
	case SEL_STAGED:
		rc = head_tree(r, &head);
		if (!rc && git_diff_tree_to_index(&diff, repo, head, idx, &opts) < 0)
			rc = error("%s: cannot diff the index: %s", r->root, git_msg());
		break;
	case SEL_DIFF:
		rc = diff_range(r, sel->arg, &opts, &diff);
		break;
	default:
		BUG("select_git: selector %d", (int)sel->kind);
	}
	git_tree_free(head);
	git_index_free(idx);
	if (rc)
		return -1;

	git_diff_find_options fo;
	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	fo.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_find_similar(diff, &fo) < 0)
		rc = error("%s: cannot find renames: %s", r->root, git_msg());

	struct collect c = { r, fl, cs, -1 };
	if (!rc && git_diff_foreach(diff, on_file, NULL, on_hunk, NULL, &c) < 0)
		rc = error("%s: cannot read the diff: %s", r->root, git_msg());
	git_diff_free(diff);
	return rc;
}

static const char *selector_flag(enum selector_kind k)
{
	switch (k) {
	case SEL_STAGED: return "--staged";
	case SEL_DIFF: return "--diff";
	case SEL_PATCH: return "--patch";
	case SEL_ALL: return "--all";
	case SEL_DEFAULT: break;
	}
	return "the default selection";
}

int repo_changes(struct repo *r, const struct selection *sel, struct changeset *cs)
{
	struct filters fl;
	struct changeset got;
	int rc;

	changeset_init(&got);
	filters_init(&fl, r, sel->paths);
	switch (sel->kind) {
	case SEL_ALL:
		rc = select_all(r, &fl, &got);
		break;
	case SEL_PATCH:
		rc = select_patch(r, sel, &fl, &got);
		break;
	case SEL_DEFAULT:
		if (!r->git) {
			rc = select_all(r, &fl, &got);
			got.fell_back_to_all = true;
			break;
		}
		rc = select_git(r, sel, &fl, &got);
		break;
	case SEL_STAGED:
	case SEL_DIFF:
		if (!r->git) {
			rc = error("%s needs a git repository: %s is not inside one",
				   selector_flag(sel->kind), r->root);
			break;
		}
		rc = select_git(r, sel, &fl, &got);
		break;
	default:
		rc = error("unknown change selector %d", (int)sel->kind);
		break;
	}
	filters_release(&fl);
	if (rc) {
		changeset_release(&got);
		return -1;
	}
	changeset_sort(&got);
	/* append, leaving what the caller already had */
	for (size_t i = 0; i < got.files.len; i++)
		*VEC_PUSH(&cs->files) = got.files.items[i];
	cs->fell_back_to_all = cs->fell_back_to_all || got.fell_back_to_all;
	VEC_FREE(&got.files);
	return 0;
}
