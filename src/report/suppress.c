/*
 * Inline suppressions (see suppress.h): a small lexer that knows each
 * language's comments and strings well enough to find `distarch:` in
 * comments only, and the filter over the findings.
 */
#include "suppress.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../base/path.h"
#include "../base/strbuf.h"
#include "../source/langreg.h"
#include "rules.h"
#include "../base/banned.h"

#define MARKER "distarch:"
#define MARKER_LEN (sizeof(MARKER) - 1)
#define MAX_IDS 32

enum comment_syntax comment_syntax_for(const char *path)
{
	const char *ext = path_ext(path);
	if (!strcmp(ext, ".yaml") || !strcmp(ext, ".yml"))
		return SYNTAX_YAML;
	switch (lang_from_path(path)) {
	case LANG_PYTHON: return SYNTAX_PYTHON;
	case LANG_GO: return SYNTAX_GO;
	case LANG_JAVASCRIPT:
	case LANG_TYPESCRIPT:
	case LANG_TSX: return SYNTAX_JS;
	case LANG_JAVA: return SYNTAX_JAVA;
	case LANG_NONE:
	case LANG__COUNT: break;
	}
	return SYNTAX_NONE;
}

struct lexer {
	const char *t;
	size_t n, i;
	uint32_t line;
	size_t line_start;
	enum comment_syntax syn;
	suppression_vec *out;
};

/* Move to `to`, counting lines on the way. */
static void advance(struct lexer *L, size_t to)
{
	for (; L->i < to && L->i < L->n; L->i++)
		if (L->t[L->i] == '\n') {
			L->line++;
			L->line_start = L->i + 1;
		}
}

static bool is_id_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

static void add_problem(struct suppression *s, const char *what)
{
	if (!s->problem)
		s->problem = xstrdup(what);
}

/* One marker: `s` points just past "distarch:", `end` is the end of its line within the comment. */
static void parse_marker(struct lexer *L, const char *s, const char *end, uint32_t line, uint32_t col)
{
	struct suppression *sp = VEC_PUSH(L->out);
	sp->line = line;
	sp->col = col;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if ((size_t)(end - s) < 6 || strncmp(s, "ignore", 6)) {
		add_problem(sp, "expected 'ignore[RULE] reason' after 'distarch:'");
		return;
	}
	s += 6;
	if (s >= end || *s != '[') {
		add_problem(sp, "expected '[' and the rule ids after 'distarch: ignore'");
		return;
	}
	s++;
	for (;;) {
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		const char *a = s;
		while (s < end && is_id_char(*s))
			s++;
		if (s == a) {
			add_problem(sp, s < end && *s == ']' ? "an empty rule id in 'ignore[...]'"
							     : "expected a rule id like AP-1 in 'ignore[...]'");
			return;
		}
		if (sp->ids.len < MAX_IDS)
			VEC_APPEND(&sp->ids, xstrndup(a, (size_t)(s - a)));
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s < end && *s == ',') {
			s++;
			continue;
		}
		if (s < end && *s == ']')
			break;
		add_problem(sp, "expected ',' or ']' after a rule id in 'ignore[...]'");
		return;
	}
	s++;
	/* The reason: the rest of the comment's line, after separators. */
	while (s < end && strchr(" \t:-=>", *s))
		s++;
	while (end > s && strchr(" \t\r", end[-1]))
		end--;
	bool words = false;
	for (const char *p = s; p < end && !words; p++)
		words = isalnum((unsigned char)*p) || ((unsigned char)*p & 0x80);
	if (words)
		sp->reason = xstrndup(s, (size_t)(end - s));
}

/* The comment text [a, b) starts on the lexer's current line. */
static void scan_comment(struct lexer *L, size_t a, size_t b)
{
	uint32_t line = L->line;
	size_t ls = L->line_start;
	for (size_t i = a; i < b; i++) {
		if (L->t[i] == '\n') {
			line++;
			ls = i + 1;
			continue;
		}
		if (L->t[i] != 'd' || b - i < MARKER_LEN || memcmp(L->t + i, MARKER, MARKER_LEN))
			continue;
		if (i > a && is_id_char(L->t[i - 1]))
			continue;
		size_t eol = i;
		while (eol < b && L->t[eol] != '\n')
			eol++;
		parse_marker(L, L->t + i + MARKER_LEN, L->t + eol, line, (uint32_t)(i - ls + 1));
		i = eol - 1;
	}
}

static bool at(const struct lexer *L, size_t i, const char *s)
{
	size_t n = strlen(s);
	return i + n <= L->n && !memcmp(L->t + i, s, n);
}

/* A comment from L->i to the end of the line. */
static void line_comment(struct lexer *L, size_t skip)
{
	size_t e = L->i;
	while (e < L->n && L->t[e] != '\n')
		e++;
	scan_comment(L, L->i + skip, e);
	advance(L, e);
}

static void block_comment(struct lexer *L)
{
	size_t e = L->i + 2;
	while (e < L->n && !at(L, e, "*/"))
		e++;
	scan_comment(L, L->i + 2, e);
	advance(L, e + 2);
}

/*
 * A string opened by `delim` (1 or 3 bytes) at L->i. A one-byte string that
 * is not `multiline` ends at the line's end at the latest (error recovery:
 * an unclosed quote costs one line, not the file).
 */
static void string_lit(struct lexer *L, const char *delim, bool multiline, bool escapes, bool doubled)
{
	size_t dn = strlen(delim), e = L->i + dn;
	while (e < L->n) {
		if (escapes && L->t[e] == '\\') {
			e += 2;
			continue;
		}
		if (!multiline && L->t[e] == '\n')
			break;
		if (at(L, e, delim)) {
			if (doubled && at(L, e + dn, delim)) { /* YAML 'it''s' */
				e += 2 * dn;
				continue;
			}
			e += dn;
			break;
		}
		e++;
	}
	advance(L, e);
}

/* In YAML a quote opens a string only where a scalar starts ("key: 'v'", "- 'v'"), not in "don't". */
static bool yaml_scalar_start(const struct lexer *L)
{
	size_t i = L->i;
	while (i > L->line_start && (L->t[i - 1] == ' ' || L->t[i - 1] == '\t'))
		i--;
	return i == L->line_start || strchr(":-[{,?", L->t[i - 1]);
}

static bool step_hash(struct lexer *L)
{
	char c = L->t[L->i];
	if (c == '#') {
		line_comment(L, 1);
		return true;
	}
	if (L->syn == SYNTAX_PYTHON && (c == '"' || c == '\'')) {
		const char *triple = c == '"' ? "\"\"\"" : "'''";
		if (at(L, L->i, triple))
			string_lit(L, triple, true, true, false);
		else
			string_lit(L, c == '"' ? "\"" : "'", false, true, false);
		return true;
	}
	if (L->syn == SYNTAX_YAML && (c == '"' || c == '\'') && yaml_scalar_start(L)) {
		string_lit(L, c == '"' ? "\"" : "'", true, c == '"', c == '\'');
		return true;
	}
	return false;
}

static bool step_slash(struct lexer *L)
{
	char c = L->t[L->i];
	if (at(L, L->i, "//")) {
		line_comment(L, 2);
		return true;
	}
	if (at(L, L->i, "/*")) {
		block_comment(L);
		return true;
	}
	if (L->syn == SYNTAX_JAVA && at(L, L->i, "\"\"\"")) {
		string_lit(L, "\"\"\"", true, true, false);
		return true;
	}
	if (c == '"' || c == '\'') {
		string_lit(L, c == '"' ? "\"" : "'", false, true, false);
		return true;
	}
	if (c == '`' && L->syn != SYNTAX_JAVA) {
		/* Go raw strings have no escapes; JavaScript template literals do. */
		string_lit(L, "`", true, L->syn == SYNTAX_JS, false);
		return true;
	}
	return false;
}

void suppress_scan(const char *text, size_t len, enum comment_syntax syn, suppression_vec *out)
{
	struct lexer L = { text, len, 0, 1, 0, syn, out };
	if (syn == SYNTAX_NONE || !memmem(text, len, MARKER, MARKER_LEN))
		return; /* most files: nothing to lex */
	bool hash = syn == SYNTAX_PYTHON || syn == SYNTAX_YAML;
	while (L.i < L.n) {
		if (hash ? step_hash(&L) : step_slash(&L))
			continue;
		advance(&L, L.i + 1);
	}
}

static void suppression_release(struct suppression *s)
{
	for (size_t i = 0; i < s->ids.len; i++)
		xfree(s->ids.items[i]);
	VEC_FREE(&s->ids);
	xfree(s->reason);
	xfree(s->problem);
}

void suppression_vec_release(suppression_vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		suppression_release(&v->items[i]);
	VEC_FREE(v);
}

/* --- applying them --- */

static bool names_rule(const struct suppression *s, const char *rule)
{
	if (s->problem)
		return false;
	for (size_t i = 0; i < s->ids.len; i++)
		if (!strcasecmp(s->ids.items[i], rule))
			return true;
	return false;
}

static const struct changed_file *change_of(const struct changeset *cs, const char *path)
{
	for (size_t i = 0; cs && i < cs->files.len; i++)
		if (!strcmp(cs->files.items[i].path, path))
			return &cs->files.items[i];
	return NULL;
}

static void add_meta(finding_vec *out, const char *rule, const char *path, const struct suppression *s,
		     const char *fmt, const char *arg)
{
	struct finding *f = VEC_PUSH(out);
	const struct tool_rule *tr = tool_rule_find(rule);
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, fmt, arg);
	f->rule = xstrdup(rule);
	f->severity = tr ? tr->severity : SEV_WARNING;
	f->message = strbuf_detach(&sb, NULL);
	f->path = xstrdup(path);
	f->line = s->line;
	f->column = s->col;
}

/* The findings about the suppressions themselves, in changed lines of `path`. */
static void check_suppressions(finding_vec *meta, const char *path, const suppression_vec *sv,
			       const struct catalog *cat, const struct changeset *cs)
{
	const struct changed_file *cf = change_of(cs, path);
	for (size_t i = 0; i < sv->len; i++) {
		const struct suppression *s = &sv->items[i];
		if (cs && (!cf || !changed_file_touches(cf, s->line, s->line)))
			continue;
		if (s->problem) {
			add_meta(meta, RULE_SUPPRESS_MALFORMED, path, s,
				 "this suppression silences nothing: %s", s->problem);
			continue;
		}
		for (size_t k = 0; k < s->ids.len; k++)
			if (!rule_known(cat, s->ids.items[k]))
				add_meta(meta, RULE_SUPPRESS_UNKNOWN, path, s,
					 "'%s' is not a rule (see `distarch catalog list`), so this "
					 "suppression silences nothing for it", s->ids.items[k]);
		if (!s->reason)
			add_meta(meta, RULE_SUPPRESS_NO_REASON, path, s,
				 "suppression without a reason: say after ']' why the finding does "
				 "not apply (distarch: ignore[%s] <reason>)", s->ids.len ? s->ids.items[0] : "RULE");
	}
}

/* The paths to search: every file with a finding (value 1: keep its lines), and the changed files. */
static void paths_to_scan(const finding_vec *findings, const struct changeset *cs, struct strmap *out)
{
	for (size_t i = 0; i < findings->len; i++)
		strmap_put(out, findings->items[i].path, (void *)1);
	for (size_t i = 0; cs && i < cs->files.len; i++)
		if (cs->files.items[i].status != CHANGE_DELETED && !strmap_contains(out, cs->files.items[i].path))
			strmap_put(out, cs->files.items[i].path, NULL);
}

size_t suppress_apply(finding_vec *findings, struct srclines *src, const struct catalog *cat,
		      const struct changeset *cs)
{
	struct strmap paths = STRMAP_INIT;
	finding_vec meta = VEC_INIT;
	size_t silenced = 0;

	paths_to_scan(findings, cs, &paths);
	for (size_t p = 0; p < paths.len; p++) {
		const char *path = paths.entries[p].key;
		enum comment_syntax syn = comment_syntax_for(path);
		if (syn == SYNTAX_NONE)
			continue;
		/* Files with findings stay cached (fingerprints read them again); the rest are read once. */
		struct srcfile once = { 0 };
		const struct srcfile *sf = &once;
		if (paths.entries[p].value)
			sf = srclines_get(src, path);
		else
			srclines_read(src, path, &once);
		suppression_vec sv = VEC_INIT;
		suppress_scan(sf->text, sf->len, syn, &sv);
		srcfile_release(&once);
		if (!sv.len)
			continue;
		size_t keep = 0;
		for (size_t i = 0; i < findings->len; i++) {
			struct finding *f = &findings->items[i];
			bool hit = false;
			for (size_t k = 0; k < sv.len && !hit && strcmp(f->path, path) == 0; k++)
				hit = (sv.items[k].line == f->line || sv.items[k].line + 1 == f->line) &&
				      names_rule(&sv.items[k], f->rule);
			if (hit) {
				finding_release(f);
				silenced++;
			} else {
				findings->items[keep++] = *f;
			}
		}
		findings->len = keep;
		check_suppressions(&meta, path, &sv, cat, cs);
		suppression_vec_release(&sv);
	}
	for (size_t i = 0; i < meta.len; i++)
		VEC_APPEND(findings, meta.items[i]);
	VEC_FREE(&meta);
	if (findings->len > 1)
		qsort(findings->items, findings->len, sizeof(*findings->items), finding_cmp);
	strmap_release(&paths);
	return silenced;
}
