/*
 * A unified-diff reader: `git diff`, `git format-patch` mails (with their
 * preamble and signature), `git log -p` and `diff -u`.
 *
 * Hunks are narrowed to the changed lines: every run of '-'/'+' lines
 * between context lines becomes its own hunk, in git's -U0 convention, so
 * a diff read here and one computed by libgit2 with no context agree.
 *
 * One pass over the text, one memchr per line: input size is linear in
 * time whatever its shape. Nothing of a line's content is kept but names.
 */
#include "changes.h"

#include <stdint.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/path.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

enum state {
	ST_PREAMBLE, /* before any file, or after a mail signature: free text */
	ST_FILE,     /* in a file's headers, or between its hunks */
	ST_HUNK,     /* in a hunk body, lines left to read */
	ST_BINARY,   /* in a "GIT binary patch" body */
	ST_SKIP,     /* in a combined diff (diff --cc): not ours to read */
};

struct file_state {
	bool open;
	bool from_git;     /* started by "diff --git" */
	bool have_markers; /* read its ---/+++ pair */
	bool is_new, is_deleted, is_copy;
	unsigned lineno;   /* where it started */
	char *git_a, *git_b;       /* from "diff --git a b" */
	char *old_name, *new_name; /* from ---/+++ or "Binary files" */
	char *rename_from, *rename_to;
	VEC(struct hunk) hunks;
};

struct parser {
	struct changeset *cs;
	const char *name;
	const char *p, *end;
	const char *line;
	size_t len;
	unsigned lineno;
	enum state state;
	struct file_state f;

	/* the hunk being read */
	unsigned hunk_lineno;
	uint64_t old_left, new_left;
	uint64_t old_line, new_line; /* next line number on each side */
	bool in_run;
	uint64_t run_old, run_new, run_minus, run_plus;
};

static void line_at(const char *p, const char *end, const char **line, size_t *len, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *stop = nl ? nl : end;
	*line = p;
	*len = (size_t)(stop - p);
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	*next = nl ? nl + 1 : end;
}

static bool next_line(struct parser *ps)
{
	if (ps->p >= ps->end)
		return false;
	line_at(ps->p, ps->end, &ps->line, &ps->len, &ps->p);
	ps->lineno++;
	return true;
}

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && !memcmp(s, prefix, n);
}

static bool starts(const struct parser *ps, const char *prefix)
{
	return has_prefix(ps->line, ps->len, prefix);
}

static bool is_line(const struct parser *ps, const char *text)
{
	return ps->len == strlen(text) && !memcmp(ps->line, text, ps->len);
}

static void file_clear(struct file_state *f)
{
	xfree(f->git_a);
	xfree(f->git_b);
	xfree(f->old_name);
	xfree(f->new_name);
	xfree(f->rename_from);
	xfree(f->rename_to);
	VEC_FREE(&f->hunks);
	memset(f, 0, sizeof(*f));
}

static void set_name(char **slot, char *name)
{
	xfree(*slot);
	*slot = name;
}

/*
 * Read a C-quoted name ("a/t\303\251st.py") starting at s[0] == '"'.
 * Returns the name (caller frees) and sets *used to the bytes consumed, or
 * NULL on a bad escape or a missing closing quote.
 */
static char *unquote(const char *s, size_t len, size_t *used)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 1;
	while (i < len && s[i] != '"') {
		char c = s[i++];
		if (c != '\\') {
			strbuf_addch(&sb, c);
			continue;
		}
		if (i >= len)
			goto bad;
		c = s[i++];
		switch (c) {
		case 'a': strbuf_addch(&sb, '\a'); break;
		case 'b': strbuf_addch(&sb, '\b'); break;
		case 'f': strbuf_addch(&sb, '\f'); break;
		case 'n': strbuf_addch(&sb, '\n'); break;
		case 'r': strbuf_addch(&sb, '\r'); break;
		case 't': strbuf_addch(&sb, '\t'); break;
		case 'v': strbuf_addch(&sb, '\v'); break;
		case '\\': case '"': strbuf_addch(&sb, c); break;
		case '0': case '1': case '2': case '3': {
			if (i + 2 > len || s[i] < '0' || s[i] > '7' || s[i + 1] < '0' || s[i + 1] > '7')
				goto bad;
			int v = ((c - '0') << 6) | ((s[i] - '0') << 3) | (s[i + 1] - '0');
			i += 2;
			if (!v)
				goto bad; /* a NUL would cut the name short */
			strbuf_addch(&sb, v);
			break;
		}
		default:
			goto bad;
		}
	}
	if (i >= len)
		goto bad;
	*used = i + 1;
	return strbuf_detach(&sb, NULL);
bad:
	strbuf_release(&sb);
	return NULL;
}

/* A name on a ---, +++, rename or copy line: quoted, or up to a tab (diff -u puts the timestamp there). */
static int read_name(struct parser *ps, size_t skip, char **out)
{
	const char *s = ps->line + skip;
	size_t len = ps->len - skip;
	if (len && s[0] == '"') {
		size_t used;
		*out = unquote(s, len, &used);
		if (!*out)
			return error_at(ps->name, ps->lineno, 0, "malformed quoted file name");
		return 0;
	}
	const char *tab = memchr(s, '\t', len);
	if (tab)
		len = (size_t)(tab - s);
	*out = xstrndup(s, len);
	return 0;
}

/*
 * "diff --git a/x b/x": the two names are ambiguous when they hold spaces.
 * Like git, prefer the split that gives the same name on both sides; the
 * ---/+++ or rename lines, when present, win anyway.
 */
static int read_git_names(struct parser *ps)
{
	const char *s = ps->line + strlen("diff --git ");
	size_t len = ps->len - strlen("diff --git ");
	struct file_state *f = &ps->f;
	size_t used;

	if (len && s[0] == '"') {
		f->git_a = unquote(s, len, &used);
		if (!f->git_a)
			return error_at(ps->name, ps->lineno, 0, "malformed quoted file name");
		s += used;
		len -= used;
		if (!len || s[0] != ' ')
			return error_at(ps->name, ps->lineno, 0,
					"malformed diff header: expected two file names");
		s++;
		len--;
		if (len && s[0] == '"') {
			f->git_b = unquote(s, len, &used);
			if (!f->git_b)
				return error_at(ps->name, ps->lineno, 0, "malformed quoted file name");
		} else {
			f->git_b = xstrndup(s, len);
		}
		return 0;
	}

	/* unquoted a, quoted b */
	const char *q = len ? memchr(s, '"', len) : NULL;
	if (q && q > s && q[-1] == ' ' && s[len - 1] == '"') {
		f->git_b = unquote(q, (size_t)(s + len - q), &used);
		if (!f->git_b)
			return error_at(ps->name, ps->lineno, 0, "malformed quoted file name");
		f->git_a = xstrndup(s, (size_t)(q - 1 - s));
		return 0;
	}

	size_t mid = len / 2;
	if (len > 4 && len % 2 == 1 && s[mid] == ' ' &&
	    !memcmp(s + 2, s + mid + 3, mid - 2)) {
		f->git_a = xstrndup(s, mid);
		f->git_b = xstrndup(s + mid + 1, len - mid - 1);
		return 0;
	}
	const char *sp = len >= 3 ? memmem(s, len, " b/", 3) : NULL;
	if (!sp)
		sp = len ? memchr(s, ' ', len) : NULL;
	if (!sp)
		return 0; /* maybe the ---/+++ lines will say */
	f->git_a = xstrndup(s, (size_t)(sp - s));
	f->git_b = xstrndup(sp + 1, (size_t)(s + len - sp - 1));
	return 0;
}

/* "Binary files A and B differ" (plain diff, or git without --binary) */
static void read_binary_names(struct parser *ps)
{
	const char *s = ps->line + strlen("Binary files ");
	size_t len = ps->len - strlen("Binary files ");
	if (len >= 7 && !memcmp(s + len - 7, " differ", 7))
		len -= 7;
	const char *and = memmem(s, len, " and ", 5);
	if (!and)
		return;
	set_name(&ps->f.old_name, xstrndup(s, (size_t)(and - s)));
	set_name(&ps->f.new_name, xstrndup(and + 5, (size_t)(s + len - and - 5)));
}

static void begin_file(struct parser *ps, bool from_git)
{
	file_clear(&ps->f);
	ps->f.open = true;
	ps->f.from_git = from_git;
	ps->f.lineno = ps->lineno;
	ps->state = ST_FILE;
}

static bool is_dev_null(const char *name)
{
	return name && !strcmp(name, "/dev/null");
}

/* git's prefixes: a/ b/, or the mnemonic ones (i/ w/ c/ o/). */
static bool has_side_prefix(const char *name)
{
	return name && name[0] && strchr("abciow", name[0]) && name[1] == '/';
}

static int finish_file(struct parser *ps)
{
	struct file_state *f = &ps->f;
	if (!f->open)
		return 0;

	char *old = f->have_markers || !f->from_git ? f->old_name : f->git_a;
	char *new = f->have_markers || !f->from_git ? f->new_name : f->git_b;
	if (f->from_git && !old && !new) {
		old = f->git_a;
		new = f->git_b;
	}
	if (is_dev_null(old)) {
		f->is_new = true;
		old = NULL;
	}
	if (is_dev_null(new)) {
		f->is_deleted = true;
		new = NULL;
	}
	/* strip a/ b/ only when every real name has one, so --no-prefix diffs keep theirs */
	bool strip = (old || new) && (!old || has_side_prefix(old)) && (!new || has_side_prefix(new));
	char *oldp = old ? xstrdup(old + (strip ? 2 : 0)) : NULL;
	char *newp = new ? xstrdup(new + (strip ? 2 : 0)) : NULL;
	if (f->rename_from)
		set_name(&oldp, xstrdup(f->rename_from));
	if (f->rename_to)
		set_name(&newp, xstrdup(f->rename_to));
	if (oldp)
		path_normalize(oldp);
	if (newp)
		path_normalize(newp);

	int rc = 0;
	const char *path = f->is_deleted ? oldp : newp ? newp : oldp;
	if (f->is_deleted && f->is_new) {
		rc = error_at(ps->name, f->lineno, 0,
			      "malformed diff header: the file is both added and deleted");
		goto out;
	}
	if (!path || !*path) {
		rc = error_at(ps->name, f->lineno, 0,
			      "malformed diff header: cannot find the file name");
		goto out;
	}

	enum change_status st = CHANGE_MODIFIED;
	if (f->is_deleted) {
		st = CHANGE_DELETED;
	} else if (f->is_new || f->is_copy) {
		st = CHANGE_ADDED;
	} else if ((f->rename_from || f->rename_to) && oldp && newp && strcmp(oldp, newp)) {
		/* only git says "renamed": plain diffs name old/x and new/x routinely */
		st = CHANGE_RENAMED;
	}

	struct changed_file *cf = changeset_add(ps->cs, path, st);
	if (st == CHANGE_RENAMED) {
		cf->old_path = oldp;
		oldp = NULL;
	}
	if (st == CHANGE_MODIFIED || st == CHANGE_RENAMED) {
		cf->hunks.items = f->hunks.items;
		cf->hunks.len = f->hunks.len;
		cf->hunks.cap = f->hunks.cap;
		memset(&f->hunks, 0, sizeof(f->hunks));
	}
out:
	xfree(oldp);
	xfree(newp);
	file_clear(f);
	return rc;
}

/* Digits into *v; false on none or on overflow past 32 bits. */
static bool read_num(const char **s, const char *end, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;
	if (p >= end || *p < '0' || *p > '9')
		return false;
	while (p < end && *p >= '0' && *p <= '9') {
		n = n * 10 + (uint64_t)(*p++ - '0');
		if (n > UINT32_MAX)
			return false;
	}
	*v = n;
	*s = p;
	return true;
}

static bool read_range(const char **s, const char *end, uint64_t *start, uint64_t *count)
{
	if (!read_num(s, end, start))
		return false;
	*count = 1;
	if (*s < end && **s == ',') {
		(*s)++;
		if (!read_num(s, end, count))
			return false;
	}
	return *start + *count <= UINT32_MAX;
}

static void flush_run(struct parser *ps)
{
	if (!ps->in_run)
		return;
	struct hunk *h = VEC_PUSH(&ps->f.hunks);
	/* a side with no lines names the line before the gap, as git does */
	h->count = (uint32_t)ps->run_plus;
	h->start = (uint32_t)(ps->run_plus || !ps->run_new ? ps->run_new : ps->run_new - 1);
	h->old_count = (uint32_t)ps->run_minus;
	h->old_start = (uint32_t)(ps->run_minus || !ps->run_old ? ps->run_old : ps->run_old - 1);
	ps->in_run = false;
}

static int hunk_header(struct parser *ps)
{
	const char *s = ps->line + 3, *end = ps->line + ps->len;
	uint64_t os, oc, ns, nc;
	if (s >= end || *s++ != '-' || !read_range(&s, end, &os, &oc) ||
	    end - s < 2 || s[0] != ' ' || s[1] != '+' ||
	    (s += 2, !read_range(&s, end, &ns, &nc)) ||
	    end - s < 3 || memcmp(s, " @@", 3))
		return error_at(ps->name, ps->lineno, 0,
				"malformed hunk header: expected '@@ -START[,COUNT] +START[,COUNT] @@'");
	ps->hunk_lineno = ps->lineno;
	ps->old_left = oc;
	ps->new_left = nc;
	/* with no lines on a side, its start is the line before the gap */
	ps->old_line = oc ? os : os + 1;
	ps->new_line = nc ? ns : ns + 1;
	ps->in_run = false;
	ps->state = oc || nc ? ST_HUNK : ST_FILE;
	return 0;
}

static int hunk_line(struct parser *ps)
{
	/* mailers strip the lone space of an empty context line */
	char c = ps->len ? ps->line[0] : ' ';
	switch (c) {
	case ' ':
		if (!ps->old_left || !ps->new_left)
			goto misfit;
		flush_run(ps);
		ps->old_left--;
		ps->new_left--;
		ps->old_line++;
		ps->new_line++;
		break;
	case '-':
	case '+':
		if (c == '-' ? !ps->old_left : !ps->new_left)
			goto misfit;
		if (!ps->in_run) {
			ps->in_run = true;
			ps->run_old = ps->old_line;
			ps->run_new = ps->new_line;
			ps->run_minus = ps->run_plus = 0;
		}
		if (c == '-') {
			ps->run_minus++;
			ps->old_left--;
			ps->old_line++;
		} else {
			ps->run_plus++;
			ps->new_left--;
			ps->new_line++;
		}
		break;
	case '\\': /* "\ No newline at end of file" */
		return 0;
	default: {
		uint64_t more = ps->old_left > ps->new_left ? ps->old_left : ps->new_left;
		return error_at(ps->name, ps->lineno, 0,
				"malformed hunk: expected %llu more lines (%llu old, %llu new) "
				"for the hunk at line %u",
				(unsigned long long)more, (unsigned long long)ps->old_left,
				(unsigned long long)ps->new_left, ps->hunk_lineno);
	}
	}
	if (!ps->old_left && !ps->new_left) {
		flush_run(ps);
		ps->state = ST_FILE;
	}
	return 0;
misfit:
	return error_at(ps->name, ps->lineno, 0,
			"malformed hunk: '%c' line but the hunk at line %u expects "
			"%llu more old and %llu more new lines",
			c, ps->hunk_lineno, (unsigned long long)ps->old_left,
			(unsigned long long)ps->new_left);
}

/* ---/+++ pair: the start of a diff -u file, or the names of a git one. */
static int markers(struct parser *ps)
{
	struct file_state *f = &ps->f;
	if (!(f->open && f->from_git && !f->have_markers && !f->hunks.len)) {
		if (finish_file(ps))
			return -1;
		begin_file(ps, false);
	}
	char *name;
	if (read_name(ps, 4, &name))
		return -1;
	set_name(&f->old_name, name);
	next_line(ps);
	if (read_name(ps, 4, &name))
		return -1;
	set_name(&f->new_name, name);
	f->have_markers = true;
	ps->state = ST_FILE;
	return 0;
}

static bool next_starts(const struct parser *ps, const char *prefix)
{
	const char *line, *next;
	size_t len;
	if (ps->p >= ps->end)
		return false;
	line_at(ps->p, ps->end, &line, &len, &next);
	return has_prefix(line, len, prefix);
}

static int header_line(struct parser *ps)
{
	struct file_state *f = &ps->f;

	if (starts(ps, "diff --git ")) {
		if (finish_file(ps))
			return -1;
		begin_file(ps, true);
		return read_git_names(ps);
	}
	if (starts(ps, "diff --cc ") || starts(ps, "diff --combined ")) {
		if (finish_file(ps))
			return -1;
		warning_at(ps->name, ps->lineno, 0, "skipping a combined (merge) diff");
		ps->state = ST_SKIP;
		return 0;
	}
	if (ps->state == ST_SKIP || ps->state == ST_BINARY)
		return 0;
	if (starts(ps, "--- ") && next_starts(ps, "+++ "))
		return markers(ps);
	/* a new mail (format-patch series) or commit (git log -p), or a mail signature */
	if (starts(ps, "From ") || starts(ps, "commit ") || is_line(ps, "-- ") || is_line(ps, "--")) {
		if (finish_file(ps))
			return -1;
		ps->state = ST_PREAMBLE;
		return 0;
	}
	if (starts(ps, "Binary files ")) {
		/* in a git file it only says "no hunks"; elsewhere it is a file of its own */
		if (ps->state == ST_PREAMBLE || !f->from_git || f->have_markers || f->hunks.len) {
			if (finish_file(ps))
				return -1;
			begin_file(ps, false);
			read_binary_names(ps);
		} else if (starts(ps, "Binary files /dev/null and ")) {
			f->is_new = true;
		} else if (ps->len > 17 && !memcmp(ps->line + ps->len - 17, " /dev/null differ", 17)) {
			f->is_deleted = true;
		}
		return 0;
	}
	if (starts(ps, "@@ ")) {
		if (ps->state == ST_PREAMBLE)
			return error_at(ps->name, ps->lineno, 0,
					"malformed hunk: hunk header before any file header "
					"(expected 'diff --git' or '---'/'+++' lines)");
		return hunk_header(ps);
	}
	if (ps->state == ST_PREAMBLE)
		return 0;

	/* ST_FILE: extended headers, then hunks */
	if (starts(ps, "new file mode ")) {
		f->is_new = true;
	} else if (starts(ps, "deleted file mode ")) {
		f->is_deleted = true;
	} else if (starts(ps, "rename from ")) {
		char *name;
		if (read_name(ps, strlen("rename from "), &name))
			return -1;
		set_name(&f->rename_from, name);
	} else if (starts(ps, "rename to ")) {
		char *name;
		if (read_name(ps, strlen("rename to "), &name))
			return -1;
		set_name(&f->rename_to, name);
	} else if (starts(ps, "copy from ") || starts(ps, "copy to ")) {
		f->is_copy = true;
	} else if (starts(ps, "GIT binary patch")) {
		ps->state = ST_BINARY;
	} else if (ps->len && (ps->line[0] == '+' || ps->line[0] == '-' || ps->line[0] == ' ')) {
		if (f->hunks.len || ps->hunk_lineno > f->lineno)
			return error_at(ps->name, ps->lineno, 0,
					"malformed hunk: '%c' line after the hunk at line %u ended "
					"(its header counts fewer lines)",
					ps->line[0], ps->hunk_lineno);
		return error_at(ps->name, ps->lineno, 0,
				"malformed hunk: '%c' line outside a hunk (expected '@@ -A,B +C,D @@')",
				ps->line[0]);
	}
	/* anything else (index, mode, similarity lines, "Only in", "\ No newline") is not ours */
	return 0;
}

int diff_parse(struct changeset *cs, const char *name, const char *text, size_t len)
{
	struct parser ps;
	memset(&ps, 0, sizeof(ps));
	ps.cs = cs;
	ps.name = name;
	ps.p = text;
	ps.end = text + len;
	ps.state = ST_PREAMBLE;

	size_t first = cs->files.len;
	int rc = 0;
	while (!rc && next_line(&ps))
		rc = ps.state == ST_HUNK ? hunk_line(&ps) : header_line(&ps);
	if (!rc && ps.state == ST_HUNK) {
		uint64_t more = ps.old_left > ps.new_left ? ps.old_left : ps.new_left;
		rc = error_at(name, ps.lineno ? ps.lineno : 1, 0,
			      "malformed hunk: expected %llu more lines (%llu old, %llu new) "
			      "for the hunk at line %u, found the end of the diff",
			      (unsigned long long)more, (unsigned long long)ps.old_left,
			      (unsigned long long)ps.new_left, ps.hunk_lineno);
	}
	if (!rc)
		rc = finish_file(&ps);
	file_clear(&ps.f);
	if (rc) {
		/* leave cs as the caller gave it */
		for (size_t i = first; i < cs->files.len; i++) {
			xfree(cs->files.items[i].path);
			xfree(cs->files.items[i].old_path);
			VEC_FREE(&cs->files.items[i].hunks);
		}
		cs->files.len = first;
	}
	return rc;
}
