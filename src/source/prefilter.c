#include "prefilter.h"

#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../lang/state_words.h"
#include "../base/banned.h"

/*
 * Words no model or state list holds that start facts on their own.
 * A handler in a loop is a retry loop (ts_retry.c; go.c's error checks),
 * a failure-mode signal without any model: Python's `except`, a
 * `catch` clause, Go's `if err != nil` (any name compared to nil, or an
 * errors.Is/As test). The health words are call_checks_health's
 * (src/analyze/factq.c): AP-6 looks for such a call in every file of the
 * repository, by path, not by name.
 */
static const char *const health_words[] = { "health", "alive", "ping", "probe", "heartbeat" };

static const char *const *handler_words(enum lang l, size_t *n)
{
	static const char *const py[] = { "except" }, *const curly[] = { "catch" },
				 *const go[] = { "nil", "err" };
	switch (l) {
	case LANG_PYTHON: *n = 1; return py;
	case LANG_GO: *n = 2; return go;
	case LANG_JAVASCRIPT: case LANG_TYPESCRIPT: case LANG_TSX: case LANG_JAVA: *n = 1; return curly;
	case LANG_NONE: case LANG__COUNT: break;
	}
	*n = 0;
	return NULL;
}

struct needles {
	char **items; /* lowercase */
	size_t len, cap;
	uint8_t pair[8192]; /* bitmap of the first two bytes (lowercase) of each needle */
	uint8_t single[32]; /* bitmap of one-byte needles */
};

struct prefilter {
	struct needles lang[LANG__COUNT];
};

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static void needle_add(struct needles *nd, const char *s, size_t n)
{
	if (!n)
		return;
	char *w = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		w[i] = (char)lower((unsigned char)s[i]);
	w[n] = '\0';
	if (nd->len == nd->cap) {
		nd->cap = nd->cap ? 2 * nd->cap : 64;
		nd->items = xrealloc(nd->items, nd->cap * sizeof(*nd->items));
	}
	nd->items[nd->len++] = w;
	if (n == 1) {
		nd->single[(unsigned char)w[0] >> 3] |= (uint8_t)(1u << ((unsigned char)w[0] & 7));
		return;
	}
	unsigned p = (unsigned)(unsigned char)w[0] << 8 | (unsigned char)w[1];
	nd->pair[p >> 3] |= (uint8_t)(1u << (p & 7));
}

/* The last segment of a dotted or slashed name: what the bytes must hold for it to match. */
static void add_last(struct needles *nd, const char *s)
{
	if (!s)
		return;
	const char *p = s + strlen(s);
	while (p > s && p[-1] != '.' && p[-1] != '/')
		p--;
	needle_add(nd, p, strlen(p));
}

/*
 * A model's import prefix: the module text the import statement holds.
 * `from a.b import c` owns "a.b.c" (resolve.c's model_owns of module.name),
 * so a dotted prefix is cut before its last dot; a path (Go, npm scopes)
 * is written whole.
 */
static void add_import(struct needles *nd, const char *prefix)
{
	const char *dot = strrchr(prefix, '.');
	if (dot && !strchr(dot, '/'))
		needle_add(nd, prefix, (size_t)(dot - prefix));
	else
		needle_add(nd, prefix, strlen(prefix));
}

static void add_model(struct needles *nd, const struct api_model *m)
{
	for (size_t i = 0; i < m->imports.len; i++)
		add_import(nd, m->imports.items[i]);
	if (!m->always)
		return; /* active only where imported: the import is the needle */
	for (size_t i = 0; i < m->calls.len; i++) {
		add_last(nd, m->calls.items[i].method);
		add_last(nd, m->calls.items[i].callee);
	}
	for (size_t i = 0; i < m->exceptions.len; i++)
		add_last(nd, m->exceptions.items[i].type);
	for (size_t i = 0; i < m->retries.len; i++) {
		add_last(nd, m->retries.items[i].match);
		add_last(nd, m->retries.items[i].method);
	}
}

static void add_word(void *data, const char *w)
{
	needle_add(data, w, strlen(w));
}

struct state_ctx {
	struct needles *nd;
	bool quoted_keys;
};

/*
 * Python and Java take a message key only from a string literal key, whose
 * content the front-end compares whole (string_content: the raw bytes
 * between the quotes), so the word is followed by its closing quote.
 */
static void add_state_word(void *data, const char *w, bool message_key)
{
	struct state_ctx *sc = data;
	if (!message_key || !sc->quoted_keys) {
		add_word(sc->nd, w);
		return;
	}
	size_t n = strlen(w);
	char *q = xmalloc(n + 2);
	memcpy(q, w, n);
	q[n + 1] = '\0';
	q[n] = '"';
	needle_add(sc->nd, q, n + 1);
	q[n] = '\'';
	needle_add(sc->nd, q, n + 1);
	xfree(q);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* TypeScript and TSX files use the JavaScript models (resolve.c's model_lang). */
static enum lang model_lang(enum lang l)
{
	return l == LANG_TYPESCRIPT || l == LANG_TSX ? LANG_JAVASCRIPT : l;
}

struct prefilter *prefilter_new(const struct model_set *models)
{
	struct prefilter *pf = xcalloc(1, sizeof(*pf));
	for (int l = LANG_NONE + 1; l < LANG__COUNT; l++) {
		struct needles *nd = &pf->lang[l];
		struct state_ctx sc = { nd, l == LANG_PYTHON || l == LANG_JAVA };
		lang_state_needles(add_state_word, &sc);
		for (size_t i = 0; i < sizeof(health_words) / sizeof(*health_words); i++)
			add_word(nd, health_words[i]);
		size_t nh;
		const char *const *hw = handler_words((enum lang)l, &nh);
		for (size_t i = 0; i < nh; i++)
			add_word(nd, hw[i]);
		for (size_t k = 0; models && k < models->models.len; k++)
			if (model_lang(models->models.items[k].lang) == model_lang((enum lang)l))
				add_model(nd, &models->models.items[k]);
		if (nd->len > 1)
			qsort(nd->items, nd->len, sizeof(*nd->items), cmp_str);
	}
	return pf;
}

void prefilter_free(struct prefilter *pf)
{
	if (!pf)
		return;
	for (int l = 0; l < LANG__COUNT; l++) {
		for (size_t i = 0; i < pf->lang[l].len; i++)
			xfree(pf->lang[l].items[i]);
		xfree(pf->lang[l].items);
	}
	xfree(pf);
}

/* Does a needle starting with the pair at b[0..1] match at b? (needles are sorted) */
static bool match_at(const struct needles *nd, const unsigned char *b, size_t left)
{
	char key[3] = { (char)lower(b[0]), (char)lower(b[1]), 0 };
	size_t lo = 0, hi = nd->len;
	while (lo < hi) { /* the first needle >= key */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(nd->items[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < nd->len; i++) {
		const char *w = nd->items[i];
		if (w[0] != key[0] || w[1] != key[1])
			break;
		size_t k = 2;
		while (w[k] && k < left && (char)lower(b[k]) == w[k])
			k++;
		if (!w[k])
			return true;
	}
	return false;
}

bool prefilter_is_seed(const struct prefilter *pf, enum lang lang, const char *buf, size_t n)
{
	if (!pf || lang <= LANG_NONE || lang >= LANG__COUNT)
		return true;
	const struct needles *nd = &pf->lang[lang];
	const unsigned char *b = (const unsigned char *)buf;
	for (size_t i = 0; i < n; i++) {
		unsigned c0 = lower(b[i]);
		if (nd->single[c0 >> 3] & (1u << (c0 & 7)))
			return true;
		if (i + 1 >= n)
			break;
		/* camelCase `isReady`: Java's state test sees it as is_ready (state_name in java.c) */
		if (b[i] == 'i' && b[i + 1] == 's' && i + 2 < n && b[i + 2] >= 'A' && b[i + 2] <= 'Z')
			return true;
		unsigned p = c0 << 8 | lower(b[i + 1]);
		if ((nd->pair[p >> 3] & (1u << (p & 7))) && match_at(nd, b + i, n - i))
			return true;
	}
	return false;
}

/* --- names and tokens --- */

static bool ident_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '$' || c >= 0x80;
}

/* index_field_key's normal form of s[0..n), hashed (FNV-1a, 64 bits); 0 when nothing is left. */
static uint64_t norm_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '_' || c == '-')
			continue;
		h = (h ^ lower(c)) * 0x100000001b3ull;
		any = true;
	}
	if (!any)
		return 0;
	h ^= h >> 29; /* FNV's low bits are weak: mix before the bitmap and the sort see them */
	return h ? h : 1;
}

/*
 * Each identifier run, and each run of identifiers joined by '-' (a key
 * "job-status" is the field jobstatus): the tokens a name can be.
 */
static void add_tokens(pf_set *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (!ident_byte((unsigned char)s[i])) {
			i++;
			continue;
		}
		size_t start = i, parts = 0;
		for (;;) {
			size_t w = i;
			while (i < n && ident_byte((unsigned char)s[i]))
				i++;
			uint64_t h = norm_hash(s + w, i - w);
			if (h)
				VEC_APPEND(out, h);
			parts++;
			if (i + 1 < n && s[i] == '-' && ident_byte((unsigned char)s[i + 1]))
				i++;
			else
				break;
		}
		if (parts > 1) {
			uint64_t h = norm_hash(s + start, i - start);
			if (h)
				VEC_APPEND(out, h);
		}
	}
}

void prefilter_tokens(const char *buf, size_t n, pf_set *out)
{
	add_tokens(out, buf, n);
	u64set_seal(out);
}

static void add_str(pf_set *names, const char *s)
{
	if (s)
		add_tokens(names, s, strlen(s));
}

/*
 * A lookup may be by part of a function's name: AP-1 looks for the callers
 * of `job_failed` from a handler `on_job_failed` or `onJobFailed`. Every
 * tail of the name that starts a word (after '_', at a capital after a
 * lower-case letter) is a name too.
 */
static void add_suffixes(pf_set *names, const char *s)
{
	if (!s)
		return;
	for (size_t i = 1; s[i]; i++) {
		bool camel = s[i] >= 'A' && s[i] <= 'Z' && s[i - 1] >= 'a' && s[i - 1] <= 'z';
		if (camel || s[i - 1] == '_')
			add_tokens(names, s + i, strlen(s + i));
	}
}

/*
 * A value that may name a constant (const_link.c's is_name): an identifier
 * or a dotted name, not a literal (true, None, nil, a number, text).
 */
static void add_const_key(pf_set *names, const char *v)
{
	static const char *const literals[] = { "true", "false", "True", "False", "nil", "null",
						"None", "undefined" };
	if (!v || !((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') || *v == '_'))
		return;
	for (const char *p = v; *p; p++)
		if (!ident_byte((unsigned char)*p) && *p != '.')
			return;
	for (size_t i = 0; i < sizeof(literals) / sizeof(*literals); i++)
		if (!strcmp(v, literals[i]))
			return;
	add_str(names, v);
}

/*
 * The keys the analyses look facts up by across files (src/facts/index.h,
 * const_link.c): function names (index_functions; index_callers of a
 * function's name or a tail of it), call methods (index_callers;
 * index_functions of what a call calls), fields (index_readers,
 * index_writers), and constants by name (index_link_consts: the values of
 * writes, reads and call arguments that name one, and the constants'
 * names and scopes). Each key a file can be found by is also one it
 * looks up with, so a held file is reached from whichever side is parsed.
 */
void prefilter_add_names(pf_set *names, const struct file_facts *ff)
{
	for (size_t i = 0; i < ff->functions.len; i++) {
		const struct fact_function *f = &ff->functions.items[i];
		add_str(names, f->name);
		add_suffixes(names, f->name);
	}
	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		add_str(names, c->method);
		for (size_t a = 0; a < c->nargs; a++)
			if (!c->args[a].is_string)
				add_const_key(names, c->args[a].value);
	}
	for (size_t i = 0; i < ff->writes.len; i++) {
		add_str(names, ff->writes.items[i].field);
		add_const_key(names, ff->writes.items[i].value);
	}
	for (size_t i = 0; i < ff->reads.len; i++) {
		add_str(names, ff->reads.items[i].field);
		for (size_t v = 0; v < ff->reads.items[i].values.len; v++)
			add_const_key(names, ff->reads.items[i].values.items[v]);
	}
	for (size_t i = 0; i < ff->consts.len; i++) {
		add_str(names, ff->consts.items[i].name);
		add_str(names, ff->consts.items[i].scope);
	}
}

