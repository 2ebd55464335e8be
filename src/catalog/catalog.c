/*
 * Loading anti-pattern catalog entries (see catalog.h; format in
 * docs/catalog.md): Markdown files whose YAML front matter is validated
 * against a fixed schema and whose body is kept as text.
 */
#include "catalog.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../base/diag.h"
#include "../base/embedded.h"
#include "../base/fileio.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

/* Entries are prose; anything bigger is not an entry. */
#define ENTRY_MAX_BYTES (1u << 20)
#define USER_CATALOG ".dist-architect/catalog"

const char *const catalog_signals[] = {
	"state-mutation", "data-lifecycle", "failure-mode", "interaction", NULL
};

const char *const catalog_module_names[] = {
	"state-mutation", "data-lifecycle", "failure-mode", "interaction", "concurrency", NULL
};

void catalog_init(struct catalog *c)
{
	memset(c, 0, sizeof(*c));
}

void catalog_release(struct catalog *c)
{
	VEC_FREE(&c->entries);
	arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
}

/* --- ids --- */

/* Split "AP-12" into the prefix length and the number; false when malformed. */
static bool id_split(const char *id, size_t *plen, unsigned long *num)
{
	const char *dash = strrchr(id, '-');
	size_t digits;

	if (!dash || dash == id || !isalpha((unsigned char)id[0]))
		return false;
	for (const char *p = id; p < dash; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return false;
	digits = strlen(dash + 1);
	if (!digits || digits > 6 || strspn(dash + 1, "0123456789") != digits)
		return false;
	*plen = (size_t)(dash - id);
	*num = strtoul(dash + 1, NULL, 10);
	return true;
}

bool catalog_id_valid(const char *id)
{
	size_t plen;
	unsigned long num;
	return id_split(id, &plen, &num);
}

int catalog_id_cmp(const char *a, const char *b)
{
	size_t pa, pb;
	unsigned long na, nb;
	int r;

	if (!id_split(a, &pa, &na) || !id_split(b, &pb, &nb))
		return strcasecmp(a, b);
	r = strncasecmp(a, b, pa < pb ? pa : pb);
	if (r)
		return r;
	if (pa != pb)
		return pa < pb ? -1 : 1;
	if (na != nb)
		return na < nb ? -1 : 1;
	return strcasecmp(a, b); /* "AP-01" vs "AP-1": still a total order */
}

const struct catalog_entry *catalog_find(const struct catalog *c, const char *id)
{
	for (size_t i = 0; i < c->entries.len; i++)
		if (!strcasecmp(c->entries.items[i]->id, id))
			return c->entries.items[i];
	return NULL;
}

size_t catalog_count(const struct catalog *c)
{
	return c->entries.len;
}

const struct catalog_entry *catalog_at(const struct catalog *c, size_t i)
{
	if (i >= c->entries.len)
		BUG("catalog_at(%zu) past %zu entries", i, c->entries.len);
	return c->entries.items[i];
}

/* --- front matter --- */

/* The end of the line starting at `i` (the '\n' or len), and the next line's start. */
static size_t line_end(const char *t, size_t len, size_t i, size_t *next)
{
	const char *nl = memchr(t + i, '\n', len - i);
	size_t e = nl ? (size_t)(nl - t) : len;
	*next = nl ? e + 1 : len;
	return e;
}

/* A line that is exactly "---" (trailing blanks and a CR allowed). */
static bool is_delim(const char *t, size_t start, size_t end)
{
	if (end - start < 3 || memcmp(t + start, "---", 3))
		return false;
	for (size_t i = start + 3; i < end; i++)
		if (!strchr(" \t\r", t[i]))
			return false;
	return true;
}

/*
 * Find the front matter: the first line must be "---" (after an optional
 * UTF-8 BOM); it ends at the next "---" line. Sets *fm_end (where the
 * closing line starts: the YAML is text[0, fm_end), its opening "---" read
 * by YAML as a document start, so that lines and columns are the file's),
 * *body (after the closing line) and *body_line.
 */
static int split_entry(struct yschema *S, const char *t, size_t len, size_t *fm_end,
		       size_t *body, unsigned *body_line)
{
	size_t start = 0, next, end;
	unsigned line = 1;

	if (len >= 3 && !memcmp(t, "\xef\xbb\xbf", 3))
		start = 3;
	end = line_end(t, len, start, &next);
	if (!is_delim(t, start, end))
		return ys_error(S, NULL, "no front matter (expected '---' on the first line, "
				"then the entry's YAML fields and another '---')");
	while (next < len) {
		start = next;
		line++;
		end = line_end(t, len, start, &next);
		if (is_delim(t, start, end)) {
			*fm_end = start;
			*body = next;
			*body_line = line + 1;
			return 0;
		}
	}
	return ys_error(S, NULL, "the front matter opened here is never closed "
			"(expected a line '---' after the YAML fields)");
}

/* --- entry fields --- */

enum {
	K_ID, K_NAME, K_SUMMARY, K_SEVERITY, K_SIGNALS, K_MODULES, K_SYMPTOMS,
	K_DETECTION, K_FIX, K_REFERENCES, K_PRECISION, K_LOG_EVIDENCE, K_SIGNATURE,
	K_SEEN, K_COUNT
};
static const char *const entry_keys[] = {
	"id", "name", "summary", "severity", "signals", "modules", "symptoms",
	"detection", "fix", "references", "precision", "log_evidence", "signature",
	"seen", NULL
};
const char *const catalog_log_classes[] = {
	"failure", "dispatch", "ack", "missing", "channel-error", "completed", "retry", "ready", NULL
};
const char *const catalog_precisions[] = { "very-high", "high", "medium", "low", NULL };

enum { R_PROJECT, R_REF, R_LANGUAGE, R_NOTE, R_COUNT };
static const char *const ref_keys[] = { "project", "ref", "language", "note", NULL };

static void load_refs(struct yschema *S, const struct ynode *v, struct catalog_entry *e)
{
	if (!v)
		return;
	if (v->kind != YNODE_SEQ) {
		ys_error(S, v, "'references' is %s (expected a list of mappings with "
			 "project and ref)", ynode_kind_name(v));
		return;
	}
	e->refs = arena_alloc(S->arena, (v->n ? v->n : 1) * sizeof(*e->refs));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *m = v->items[i], *f[R_COUNT];
		struct catalog_ref *r = &e->refs[e->nrefs];

		if (!ys_is_map(S, m, "references"))
			continue;
		ys_fields(S, m, "a reference", ref_keys, f);
		ys_require(S, m, f[R_PROJECT], "project", "a reference", "the project's name");
		ys_require(S, m, f[R_REF], "ref", "a reference",
			   "an issue or PR, like \"PR #1444\"");
		r->project = ys_str(S, f[R_PROJECT], "project", true);
		r->ref = ys_str(S, f[R_REF], "ref", true);
		r->language = ys_str(S, f[R_LANGUAGE], "language", true);
		r->note = ys_str(S, f[R_NOTE], "note", false);
		if (r->project && r->ref)
			e->nrefs++;
	}
}

/* `log_evidence:` a mapping from class (catalog_log_classes) to a list of lowercase phrases. */
static void load_log_evidence(struct yschema *S, const struct ynode *v, struct catalog_entry *e)
{
	if (!v || !ys_is_map(S, v, "log_evidence"))
		return;
	e->log_evidence = arena_alloc(S->arena, (v->n ? v->n : 1) * sizeof(*e->log_evidence));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *k = v->items[2 * i], *val = v->items[2 * i + 1];
		const char *name = ys_str(S, k, "log_evidence", true);
		struct catalog_logclass *lc;
		bool known = false;

		for (size_t c = 0; name && catalog_log_classes[c]; c++)
			known |= !strcmp(catalog_log_classes[c], name);
		if (name && !known) {
			struct strbuf sb = STRBUF_INIT;
			ys_join(&sb, catalog_log_classes);
			ys_error(S, k, "unknown log_evidence class '%s' (expected one of: %s)", name, sb.buf);
			strbuf_release(&sb);
			continue;
		}
		if (!name)
			continue;
		lc = &e->log_evidence[e->nlog_evidence];
		lc->name = name;
		lc->words = ys_strlist(S, val, "log_evidence", NULL, 1);
		for (size_t w = 0; w < lc->words.len; w++)
			for (const char *p = lc->words.items[w]; *p; p++)
				if (isupper((unsigned char)*p)) {
					ys_error(S, val, "log_evidence word '%s' has capitals (expected "
						 "lowercase: lines are matched without regard to case)",
						 lc->words.items[w]);
					break;
				}
		e->nlog_evidence++;
	}
}

static void load_fields(struct yschema *S, const struct ynode *root, struct catalog_entry *e)
{
	const struct ynode *f[K_COUNT];
	static const char what[] = "the front matter";

	ys_fields(S, root, what, entry_keys, f);
	ys_require(S, root, f[K_ID], "id", what, "an id like AP-7");
	ys_require(S, root, f[K_NAME], "name", what, "the pattern's name");
	ys_require(S, root, f[K_SUMMARY], "summary", what, "a one-line summary");
	ys_require(S, root, f[K_SIGNALS], "signals", what, "a list of boundary signals");
	ys_require(S, root, f[K_SYMPTOMS], "symptoms", what, "a list of symptoms");
	ys_require(S, root, f[K_DETECTION], "detection", what, "what the detector looks for");
	ys_require(S, root, f[K_FIX], "fix", what, "a list of fix shapes");

	e->id = ys_str(S, f[K_ID], "id", true);
	if (e->id && !catalog_id_valid(e->id)) {
		ys_error(S, f[K_ID], "bad id '%s' (expected a prefix, a hyphen and a number, "
			 "like AP-7)", e->id);
		e->id = NULL;
	}
	if (f[K_ID])
		e->line = f[K_ID]->line;
	e->name = ys_str(S, f[K_NAME], "name", true);
	e->summary = ys_str(S, f[K_SUMMARY], "summary", true);
	e->severity = SEV_WARNING;
	if (f[K_SEVERITY]) {
		const char *s = ys_str(S, f[K_SEVERITY], "severity", true);
		int never;
		if (s && (severity_parse(s, &e->severity, &never) < 0 || never))
			ys_error(S, f[K_SEVERITY], "unknown severity '%s' (expected error, warning "
				 "or note)", s);
	}
	e->signals = ys_strlist(S, f[K_SIGNALS], "signals", catalog_signals, 1);
	e->modules = ys_strlist(S, f[K_MODULES], "modules", catalog_module_names, 0);
	e->symptoms = ys_strlist(S, f[K_SYMPTOMS], "symptoms", NULL, 1);
	e->detection = ys_str(S, f[K_DETECTION], "detection", false);
	e->fix = ys_strlist(S, f[K_FIX], "fix", NULL, 1);
	load_refs(S, f[K_REFERENCES], e);
	struct textlist prec = ys_strlist(S, f[K_PRECISION], "precision", catalog_precisions, 0);
	if (prec.len > 1)
		ys_error(S, f[K_PRECISION], "'precision' is a list (expected one of: very-high, high, "
			 "medium, low)");
	e->precision = prec.len ? prec.items[0] : "medium";
	load_log_evidence(S, f[K_LOG_EVIDENCE], e);
	e->signature = ys_str(S, f[K_SIGNATURE], "signature", true);
	if (f[K_SEEN]) {
		const char *s = ys_str(S, f[K_SEEN], "seen", true);
		char *end = NULL;
		long n = s ? strtol(s, &end, 10) : 0;
		if (s && (*end || n < 1 || n > 1000000000L))
			ys_error(S, f[K_SEEN], "'seen' is '%s' (expected a count, 1 or more)", s);
		else
			e->seen = n;
	}
}

/* The body: leading blank lines and trailing whitespace dropped. */
static const char *load_body(struct yschema *S, const char *t, size_t len, size_t at,
			     unsigned line)
{
	size_t end = len;
	unsigned first = line; /* "no body" points just after the front matter */

	for (;;) {
		size_t i = at;
		while (i < len && strchr(" \t\r", t[i]))
			i++;
		if (i >= len || t[i] != '\n')
			break;
		at = i + 1;
		line++;
	}
	while (end > at && strchr(" \t\r\n", t[end - 1]))
		end--;
	if (end <= at) {
		struct ynode pos = { .line = first, .col = 1 };
		ys_error(S, &pos, "the entry has no body (expected Markdown after the front "
			 "matter: the mechanism, examples, how to verify)");
		return NULL;
	}
	if (memchr(t + at, '\0', end - at) || !ys_utf8_valid(t + at, end - at)) {
		struct ynode pos = { .line = line, .col = 1 };
		ys_error(S, &pos, "the body holds a NUL byte or invalid UTF-8 (expected text)");
		return NULL;
	}
	return arena_strndup(S->arena, t + at, end - at);
}

static void insert_sorted(struct catalog *c, struct catalog_entry *e)
{
	size_t i = c->entries.len;

	VEC_PUSH(&c->entries);
	while (i > 0 && catalog_id_cmp(c->entries.items[i - 1]->id, e->id) > 0) {
		c->entries.items[i] = c->entries.items[i - 1];
		i--;
	}
	c->entries.items[i] = e;
}

static int load_entry(struct catalog *c, const char *name, const char *text, size_t len,
		      bool builtin)
{
	struct yschema S = { &c->arena, name, 0 };
	struct arena tree = ARENA_INIT;
	struct ynode *root = NULL;
	struct catalog_entry *e;
	size_t fm_end = 0, body_at = 0;
	unsigned body_line = 0;
	size_t bom;

	if (split_entry(&S, text, len, &fm_end, &body_at, &body_line) < 0)
		return -1;
	/*
	 * libyaml, told the input is UTF-8, reads a BOM as text: skip it (only
	 * the "---" of line 1 follows it, so no position moves).
	 */
	bom = fm_end >= 3 && !memcmp(text, "\xef\xbb\xbf", 3) ? 3 : 0;
	if (ytree_parse(&tree, name, text + bom, fm_end - bom, &root) < 0) {
		arena_release(&tree);
		return -1;
	}
	e = arena_alloc(&c->arena, sizeof(*e));
	if (!root || root->kind != YNODE_MAP) {
		struct ynode pos = { .line = root ? root->line : 2, .col = root ? root->col : 1 };
		ys_error(&S, &pos, "the front matter is %s (expected a mapping with id, name, "
			 "summary, signals, symptoms, detection and fix)",
			 root && !ynode_is_null(root) ? ynode_kind_name(root) : "empty");
	} else {
		load_fields(&S, root, e);
	}
	e->body = load_body(&S, text, len, body_at, body_line);
	if (e->id) {
		const struct catalog_entry *old = catalog_find(c, e->id);
		if (old) {
			struct ynode pos = { .line = e->line, .col = 1 };
			ys_error(&S, &pos, "duplicate id '%s' (first defined at %s:%u; expected "
				 "each id once)", e->id, old->path, old->line);
		}
	}
	arena_release(&tree);
	if (S.errors)
		return -1;
	e->path = arena_strdup(&c->arena, name);
	e->builtin = builtin;
	insert_sorted(c, e);
	return 0;
}

int catalog_load_buffer(struct catalog *c, const char *name, const char *text, size_t len)
{
	return load_entry(c, name, text, len, false);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

int catalog_load_builtin(struct catalog *c)
{
	int ret = 0;

	for (size_t i = 0; i < embedded_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (strncmp(f->path, "data/catalog/", 13) || !has_suffix(f->path, ".md"))
			continue;
		if (load_entry(c, f->path, f->data, f->len, true) < 0)
			ret = -1;
	}
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int catalog_load_dir(struct catalog *c, const char *dir)
{
	VEC(char *) files = VEC_INIT;
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return error("cannot open catalog folder '%s': %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		struct strbuf p = STRBUF_INIT;
		struct stat st;
		if (de->d_name[0] == '.' || !has_suffix(de->d_name, ".md"))
			continue;
		strbuf_addf(&p, "%s/%s", dir, de->d_name);
		if (stat(p.buf, &st) == 0 && S_ISREG(st.st_mode))
			VEC_APPEND(&files, strbuf_detach(&p, NULL));
		else
			strbuf_release(&p);
	}
	closedir(d);
	/* Sorted, so that which of two clashing files is reported is stable. */
	if (files.len)
		qsort(files.items, files.len, sizeof(*files.items), cmp_str);
	for (size_t i = 0; i < files.len; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (read_file(files.items[i], &sb, ENTRY_MAX_BYTES) < 0 ||
		    load_entry(c, files.items[i], sb.buf, sb.len, false) < 0)
			ret = -1;
		strbuf_release(&sb);
		xfree(files.items[i]);
	}
	VEC_FREE(&files);
	return ret;
}

int catalog_load_default(struct catalog *c, const char *root)
{
	struct strbuf dir = STRBUF_INIT;
	struct stat st;
	int ret = catalog_load_builtin(c);

	if (root && *root)
		strbuf_addf(&dir, "%s/%s", root, USER_CATALOG);
	else
		strbuf_addstr(&dir, USER_CATALOG);
	if (stat(dir.buf, &st) == 0 && catalog_load_dir(c, dir.buf) < 0)
		ret = -1;
	strbuf_release(&dir);
	return ret;
}
