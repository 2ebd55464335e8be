/*
 * Loading and validating .dist-architect/topology.yaml (see topology.h and
 * docs/topology.md).
 *
 * The YAML is first read into a bounded node tree (src/base/ytree.c), then checked
 * section by section. Checking never stops at the first problem: every
 * problem gets its own error_at() with the position and what was expected,
 * and the load fails at the end if there was any. Unknown keys are warnings
 * (newer files must load in older versions), with a "did you mean" when the
 * key is close to a known one.
 */
#include "topology.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/path.h"
#include "../base/strbuf.h"
#include "../base/ytree.h"
#include "../base/banned.h"

/* Past this many, problems are counted, not printed: hostile files can have millions. */
#define MAX_REPORTED 100
#define MAX_FILE_SIZE (64u << 20)

struct loader {
	struct topology *t;
	const char *name;
	unsigned errors, hidden_errors;
	unsigned warnings, hidden_warnings;
	size_t suggest_budget; /* see is_close */
};

/* ---- messages ---- */

static void report(struct loader *L, bool is_error, const struct ynode *at, const char *fmt, va_list ap)
{
	unsigned line = at ? at->line : 1, col = at ? at->col : 1;
	if (is_error) {
		if (L->errors++ >= MAX_REPORTED) {
			L->hidden_errors++;
			return;
		}
	} else if (L->warnings++ >= MAX_REPORTED) {
		L->hidden_warnings++;
		return;
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_vaddf(&sb, fmt, ap);
	if (is_error)
		error_at(L->name, line, col, "%s", sb.buf);
	else
		warning_at(L->name, line, col, "%s", sb.buf);
	strbuf_release(&sb);
}

__attribute__((format(printf, 3, 4)))
static void fail(struct loader *L, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(L, true, at, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void warn(struct loader *L, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(L, false, at, fmt, ap);
	va_end(ap);
}

/* Whether another error would still be printed (skip costly suggestions otherwise). */
static bool reporting(const struct loader *L)
{
	return L->errors < MAX_REPORTED;
}

/* ---- "did you mean" ---- */

/* Optimal string alignment distance (a transposition costs 1), case-insensitive. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return SIZE_MAX;
	size_t d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/*
 * Close enough to be a typo of `known`: at most two edits and at most a third
 * of the name, or a quarter of a long name. Suggestions share a budget of
 * distance-table cells per file, so hostile input (a million unknown keys,
 * 10,000 long component names) cannot make them quadratic.
 */
#define SUGGEST_BUDGET 20000000u

static bool is_close(struct loader *L, const char *word, const char *known)
{
	size_t lw = strlen(word), l = strlen(known);
	size_t diff = lw > l ? lw - l : l - lw;
	if (diff * 3 > l)
		return false; /* the lengths alone are too far apart */
	if (lw > 64 || l > 64 || L->suggest_budget < (lw + 1) * (l + 1))
		return false;
	L->suggest_budget -= (lw + 1) * (l + 1);
	size_t d = edit_distance(word, known);
	return (d <= 2 && d * 3 <= l) || d * 4 <= l;
}

/* The closest of `n` candidates that is close enough, or NULL. */
static const char *suggest(struct loader *L, const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		if (!is_close(L, word, cands[i]))
			continue;
		size_t d = edit_distance(word, cands[i]);
		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	return best;
}

/* ---- reading mappings ---- */

enum { MAX_KEYS = 8 };

struct keyset {
	const char *what;              /* "component", "top-level" */
	const char *const *known;      /* NULL-terminated */
	bool typo_hints;               /* inside a section: a near miss is likely a typo */
	const struct ynode *val[MAX_KEYS];
	const struct ynode *key[MAX_KEYS];
	const struct ynode *typo[MAX_KEYS]; /* an unknown key that looks like this one */
};

static size_t nknown(const struct keyset *ks)
{
	size_t n = 0;
	while (ks->known[n])
		n++;
	return n;
}

static void read_keys(struct loader *L, const struct ynode *map, struct keyset *ks)
{
	size_t nk = nknown(ks);
	if (nk > MAX_KEYS)
		BUG("keyset too large");
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = map->items[2 * i], *v = map->items[2 * i + 1];
		if (k->kind != YNODE_SCALAR) {
			fail(L, k, "expected a key name in %s, found %s", ks->what, ynode_kind_name(k));
			continue;
		}
		size_t j;
		for (j = 0; j < nk; j++)
			if (!strcmp(k->value, ks->known[j]))
				break;
		if (j < nk) {
			if (ks->key[j])
				fail(L, k, "duplicate key '%s' in %s (first at line %u)", k->value,
				     ks->what, ks->key[j]->line);
			else {
				ks->key[j] = k;
				ks->val[j] = v;
			}
			continue;
		}
		const char *s = suggest(L, k->value, ks->known, nk);
		if (s) {
			for (j = 0; ks->known[j] != s; j++)
				;
			if (!ks->typo[j])
				ks->typo[j] = k;
			warn(L, k, "unknown key '%s' in %s (ignored); did you mean '%s'?", k->value,
			     ks->what, s);
		} else if (ks->typo_hints) {
			struct strbuf sb = STRBUF_INIT;
			for (j = 0; j < nk; j++)
				strbuf_addf(&sb, "%s%s", j ? ", " : "", ks->known[j]);
			warn(L, k, "unknown key '%s' in %s (ignored); known keys: %s", k->value,
			     ks->what, sb.buf);
			strbuf_release(&sb);
		} else {
			warn(L, k, "unknown %s key '%s' (ignored)", ks->what, k->value);
		}
	}
}

/* Report a required key that is missing, pointing at a likely typo if there is one. */
static void missing(struct loader *L, const struct ynode *map, const struct keyset *ks, size_t j,
		    const char *expected)
{
	if (ks->typo[j])
		fail(L, map, "%s is missing '%s:' (%s); '%s:' at line %u looks like a typo",
		     ks->what, ks->known[j], expected, ks->typo[j]->value, ks->typo[j]->line);
	else
		fail(L, map, "%s is missing '%s:' (%s)", ks->what, ks->known[j], expected);
}

/*
 * An optional string value: NULL when absent or null. A list or mapping is an
 * error. Numbers and booleans are kept as written.
 */
static const char *opt_string(struct loader *L, const struct ynode *v, const char *key,
			      const char *what)
{
	if (!v || ynode_is_null(v))
		return NULL;
	if (v->kind != YNODE_SCALAR) {
		fail(L, v, "'%s:' of %s: expected a string, found %s", key, what, ynode_kind_name(v));
		return NULL;
	}
	if (strlen(v->value) != v->len) {
		fail(L, v, "'%s:' of %s: expected a string, found one with a NUL byte", key, what);
		return NULL;
	}
	return arena_strdup(&L->t->arena, v->value);
}

/* A required non-empty string; reports and returns NULL when it is not one. */
static const char *req_string(struct loader *L, const struct ynode *map, const struct keyset *ks,
			      size_t j, const char *expected)
{
	const struct ynode *v = ks->val[j];
	if (!v) {
		missing(L, map, ks, j, expected);
		return NULL;
	}
	if (v->kind != YNODE_SCALAR || ynode_is_null(v) || !v->len) {
		fail(L, v, "'%s:' of %s: expected %s, found %s", ks->known[j], ks->what, expected,
		     v->kind == YNODE_SCALAR && !ynode_is_null(v) ? "an empty string" : ynode_kind_name(v));
		return NULL;
	}
	return opt_string(L, v, ks->known[j], ks->what);
}

/* A list of strings, or one string standing for a list of one. */
static void string_list(struct loader *L, const struct ynode *v, const char *key, const char *what,
			const char *expected, struct strlist *out,
			const struct ynode ***nodes)
{
	out->items = NULL;
	out->len = 0;
	if (nodes)
		*nodes = NULL;
	if (!v || ynode_is_null(v))
		return;
	if (v->kind == YNODE_MAP) {
		fail(L, v, "'%s:' of %s: expected %s, found a mapping", key, what, expected);
		return;
	}
	size_t n = v->kind == YNODE_SEQ ? v->n : 1;
	const struct ynode *const *items = v->kind == YNODE_SEQ ? (const struct ynode *const *)v->items : &v;
	out->items = arena_alloc(&L->t->arena, (n ? n : 1) * sizeof(*out->items));
	if (nodes)
		*nodes = arena_alloc(&L->t->arena, (n ? n : 1) * sizeof(**nodes));
	for (size_t i = 0; i < n; i++) {
		const struct ynode *it = items[i];
		if (it->kind != YNODE_SCALAR || ynode_is_null(it) || !it->len ||
		    strlen(it->value) != it->len) {
			fail(L, it, "'%s:' of %s: expected %s, found %s in the list", key, what, expected,
			     it->kind == YNODE_SCALAR && !ynode_is_null(it) ? "an empty or invalid string"
									  : ynode_kind_name(it));
			continue;
		}
		if (nodes)
			(*nodes)[out->len] = it;
		out->items[out->len++] = arena_strdup(&L->t->arena, it->value);
	}
}

static struct span node_span(const struct ynode *n)
{
	struct span s = { n->line, n->col, n->end_line, n->end_col };
	return s;
}

/* A section's value: the list of entries, or NULL (absent, null, or reported). */
static const struct ynode *section_list(struct loader *L, const struct ynode *v, const char *key,
					const char *expected)
{
	if (!v || ynode_is_null(v))
		return NULL;
	if (v->kind != YNODE_SEQ) {
		fail(L, v, "'%s:' expected a list of %s (entries starting with '- '), found %s", key,
		     expected, ynode_kind_name(v));
		return NULL;
	}
	return v;
}

/* ---- components ---- */

static const char *const component_keys[] = { "name", "count", "role", "notes", "paths", NULL };
enum { C_NAME, C_COUNT, C_ROLE, C_NOTES, C_PATHS };

#define COUNT_FORMS "1, N, 3, \"1 (fixed)\", \"N (dynamic)\", \"3 nodes, 2 replicas (fixed)\", \"2-5\", \"0..N\" or \"1 per worker\""

static void load_component(struct loader *L, const struct ynode *m,
			   const struct ynode **name_nodes)
{
	struct topology *t = L->t;
	struct keyset ks = { .what = "component", .known = component_keys, .typo_hints = true };
	if (m->kind != YNODE_MAP) {
		fail(L, m, "expected a component (a mapping with 'name:' and 'count:'), found %s",
		     ynode_kind_name(m));
		return;
	}
	read_keys(L, m, &ks);
	const char *name = req_string(L, m, &ks, C_NAME, "a component name");
	struct topo_count count;
	bool count_ok = false;
	const struct ynode *cv = ks.val[C_COUNT];
	memset(&count, 0, sizeof(count));
	count.n = -1;
	count.replicas = -1;
	if (!cv) {
		missing(L, m, &ks, C_COUNT, "an instance count like " COUNT_FORMS);
	} else if (cv->kind != YNODE_SCALAR || ynode_is_null(cv)) {
		fail(L, cv, "'count:' of component '%s': expected an instance count like " COUNT_FORMS
		     ", found %s", name ? name : "?", ynode_kind_name(cv));
	} else {
		const char *why = NULL;
		const char *text = arena_strdup(&t->arena, cv->value);
		if (topo_count_parse(text, &count, &why) < 0)
			fail(L, cv, "cannot parse count '%s' of component '%s': %s; expected " COUNT_FORMS,
			     cv->value, name ? name : "?", why);
		else
			count_ok = true;
	}
	const char *role = opt_string(L, ks.val[C_ROLE], "role", "component");
	const char *notes = opt_string(L, ks.val[C_NOTES], "notes", "component");
	struct strlist paths;
	string_list(L, ks.val[C_PATHS], "paths", "component", "a glob or a list of globs", &paths, NULL);
	if (!name)
		return;

	size_t idx = t->components.len;
	void *prev = strmap_get(&t->by_name, name);
	if (prev) {
		size_t first = (size_t)(uintptr_t)prev - 1;
		fail(L, ks.val[C_NAME], "duplicate component '%s' (first defined at line %u)", name,
		     name_nodes[first]->line);
		return;
	}
	strmap_put(&t->by_name, name, (void *)(uintptr_t)(idx + 1));
	struct topo_component *c = VEC_PUSH(&t->components);
	c->name = name;
	c->count = count;
	if (!count_ok)
		c->count.text = NULL;
	c->role = role;
	c->notes = notes;
	c->paths = paths;
	c->span = node_span(m);
	name_nodes[idx] = ks.val[C_NAME];
}

/* ---- references to components ---- */

/* Index of `name`, or -1 after reporting it with the known names or a suggestion. */
static int resolve(struct loader *L, const struct ynode *at, const char *name, const char *where)
{
	struct topology *t = L->t;
	int idx = topology_find(t, name);
	if (idx >= 0)
		return idx;
	if (!reporting(L)) {
		fail(L, at, "unknown component"); /* counted, not printed */
		return -1;
	}
	const char *best = NULL;
	size_t bestd = SIZE_MAX;
	for (size_t i = 0; i < t->components.len; i++) {
		const char *cand = t->components.items[i].name;
		if (!is_close(L, name, cand))
			continue;
		size_t d = edit_distance(name, cand);
		if (d < bestd) {
			bestd = d;
			best = cand;
		}
	}
	if (best) {
		fail(L, at, "unknown component '%s' in %s; did you mean '%s'?", name, where, best);
		return -1;
	}
	struct strbuf sb = STRBUF_INIT;
	size_t n = t->components.len;
	for (size_t i = 0; i < n && i < 5; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", t->components.items[i].name);
	if (n > 5)
		strbuf_addf(&sb, ", ... (%zu in all)", n);
	if (n)
		fail(L, at, "unknown component '%s' in %s; expected one of the components: %s", name,
		     where, sb.buf);
	else
		fail(L, at, "unknown component '%s' in %s; no components are defined", name, where);
	strbuf_release(&sb);
	return -1;
}

/* ---- relationships ---- */

static const char *const relationship_keys[] = {
	"from", "to", "via", "pattern", "notes", "retries", "timeout", "delivery", NULL
};
enum { R_FROM, R_TO, R_VIA, R_PATTERN, R_NOTES, R_RETRIES, R_TIMEOUT, R_DELIVERY };

static bool plain_int(const struct ynode *v, long *out)
{
	if (v->kind != YNODE_SCALAR || v->quoted || !v->len)
		return false;
	const char *s = v->value;
	char *end;
	if (!(isdigit((unsigned char)*s) || ((*s == '-' || *s == '+') && isdigit((unsigned char)s[1]))))
		return false;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (*end || errno)
		return false;
	*out = n;
	return true;
}

static int load_retries(struct loader *L, const struct ynode *v)
{
	long n;
	if (!v || ynode_is_null(v))
		return -1;
	if (!plain_int(v, &n)) {
		fail(L, v, "'retries:' expected a non-negative integer (retries after the first attempt), found %s%s%s",
		     v->kind == YNODE_SCALAR ? "'" : "", v->kind == YNODE_SCALAR ? v->value : ynode_kind_name(v),
		     v->kind == YNODE_SCALAR ? "'" : "");
		return -1;
	}
	if (n < 0 || n > INT_MAX) {
		fail(L, v, "'retries:' expected a non-negative integer, found %ld", n);
		return -1;
	}
	return (int)n;
}

/* "30s", "500ms", "2m", "1.5h", "30" (seconds): a number and an optional unit. */
static bool valid_duration(const char *s)
{
	const char *p = s;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	while (*p == ' ')
		p++;
	const char *unit = p;
	while (isalpha((unsigned char)*p))
		p++;
	size_t n = (size_t)(p - unit);
	while (*p == ' ')
		p++;
	if (*p)
		return false;
	static const char *const units[] = {
		"ms", "s", "m", "h", "sec", "secs", "second", "seconds", "min", "mins", "minute",
		"minutes", "hour", "hours", "millisecond", "milliseconds", NULL
	};
	if (!n)
		return true;
	for (size_t i = 0; units[i]; i++)
		if (strlen(units[i]) == n && !strncasecmp(unit, units[i], n))
			return true;
	return false;
}

static const char *load_timeout(struct loader *L, const struct ynode *v)
{
	if (!v || ynode_is_null(v))
		return NULL;
	if (v->kind != YNODE_SCALAR || !valid_duration(v->value) || strlen(v->value) != v->len) {
		fail(L, v, "'timeout:' expected a duration like 30s, 500ms, 2m or a number of seconds, found %s%s%s",
		     v->kind == YNODE_SCALAR ? "'" : "", v->kind == YNODE_SCALAR ? v->value : ynode_kind_name(v),
		     v->kind == YNODE_SCALAR ? "'" : "");
		return NULL;
	}
	return arena_strdup(&L->t->arena, v->value);
}

static enum delivery load_delivery(struct loader *L, const struct ynode *v)
{
	static const struct {
		const char *name;
		enum delivery d;
	} forms[] = {
		{ "at-most-once", DELIVERY_AT_MOST_ONCE },
		{ "at-least-once", DELIVERY_AT_LEAST_ONCE },
		{ "exactly-once", DELIVERY_EXACTLY_ONCE },
	};
	if (!v || ynode_is_null(v))
		return DELIVERY_UNSPECIFIED;
	if (v->kind == YNODE_SCALAR && v->len < 32) {
		/* At_Least_Once, "at least once": the same thing. */
		char norm[32];
		size_t i;
		for (i = 0; i < v->len; i++) {
			char ch = v->value[i];
			norm[i] = (char)(ch == '_' || ch == ' ' ? '-' : tolower((unsigned char)ch));
		}
		norm[i] = '\0';
		for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
			if (!strcmp(norm, forms[i].name))
				return forms[i].d;
	}
	fail(L, v, "'delivery:' expected at-most-once, at-least-once or exactly-once, found %s%s%s",
	     v->kind == YNODE_SCALAR ? "'" : "", v->kind == YNODE_SCALAR ? v->value : ynode_kind_name(v),
	     v->kind == YNODE_SCALAR ? "'" : "");
	return DELIVERY_UNSPECIFIED;
}

static enum cardinality card_of(const struct topo_count *from, const struct topo_count *to)
{
	bool f1 = topo_count_is_one(from), t1 = topo_count_is_one(to);
	if (f1 && t1)
		return CARD_1_1;
	if (f1)
		return CARD_1_N;
	if (t1)
		return CARD_N_1;
	return CARD_N_M;
}

static void load_relationship(struct loader *L, const struct ynode *m)
{
	struct topology *t = L->t;
	struct keyset ks = { .what = "relationship", .known = relationship_keys, .typo_hints = true };
	if (m->kind != YNODE_MAP) {
		fail(L, m, "expected a relationship (a mapping with 'from:' and 'to:'), found %s",
		     ynode_kind_name(m));
		return;
	}
	read_keys(L, m, &ks);
	const char *from = req_string(L, m, &ks, R_FROM, "the name of a component");
	const char *to = req_string(L, m, &ks, R_TO, "the name of a component");
	int fi = from ? resolve(L, ks.val[R_FROM], from, "relationship 'from:'") : -1;
	int ti = to ? resolve(L, ks.val[R_TO], to, "relationship 'to:'") : -1;

	struct topo_relationship r;
	memset(&r, 0, sizeof(r));
	r.from = from;
	r.to = to;
	r.from_idx = fi;
	r.to_idx = ti;
	r.via = opt_string(L, ks.val[R_VIA], "via", "relationship");
	r.pattern = opt_string(L, ks.val[R_PATTERN], "pattern", "relationship");
	r.notes = opt_string(L, ks.val[R_NOTES], "notes", "relationship");
	r.retries = load_retries(L, ks.val[R_RETRIES]);
	r.timeout = load_timeout(L, ks.val[R_TIMEOUT]);
	r.delivery = load_delivery(L, ks.val[R_DELIVERY]);
	r.card = CARD_N_M;
	if (fi >= 0 && ti >= 0)
		r.card = card_of(&t->components.items[fi].count, &t->components.items[ti].count);
	r.span = node_span(m);
	if (from && to)
		VEC_APPEND(&t->relationships, r);
}

/* ---- convergence points ---- */

static const char *const convergence_keys[] = { "resource", "accessed_by", "type", "concern", NULL };
enum { V_RESOURCE, V_ACCESSED_BY, V_TYPE, V_CONCERN };

static void load_convergence(struct loader *L, const struct ynode *m)
{
	struct topology *t = L->t;
	struct keyset ks = { .what = "convergence point", .known = convergence_keys, .typo_hints = true };
	if (m->kind != YNODE_MAP) {
		fail(L, m, "expected a convergence point (a mapping with 'resource:' and 'accessed_by:'), found %s",
		     ynode_kind_name(m));
		return;
	}
	read_keys(L, m, &ks);
	struct topo_convergence cp;
	const struct ynode **nodes;
	memset(&cp, 0, sizeof(cp));
	cp.resource = req_string(L, m, &ks, V_RESOURCE, "the shared resource");
	string_list(L, ks.val[V_ACCESSED_BY], "accessed_by", "convergence point",
		    "a list of component names", &cp.accessed_by, &nodes);
	for (size_t i = 0; i < cp.accessed_by.len; i++)
		resolve(L, nodes[i], cp.accessed_by.items[i], "convergence point 'accessed_by:'");
	cp.type = opt_string(L, ks.val[V_TYPE], "type", "convergence point");
	cp.concern = opt_string(L, ks.val[V_CONCERN], "concern", "convergence point");
	cp.span = node_span(m);
	if (cp.resource)
		VEC_APPEND(&t->convergence, cp);
}

/* ---- entities (state machines) ---- */

static const char *const entity_keys[] = {
	"owner", "states", "initial", "terminal", "transitions", "invariants", NULL
};
enum { E_OWNER, E_STATES, E_INITIAL, E_TERMINAL, E_TRANSITIONS, E_INVARIANTS };
static const char *const transition_keys[] = { "from", "to", "actor", "notes", NULL };
enum { X_FROM, X_TO, X_ACTOR, X_NOTES };
static const char *const invariant_keys[] = { "rule", "states", NULL };
enum { I_RULE, I_STATES };

/* Is `name` one of the entity's states? Reports it (with a suggestion) when not. */
static bool known_state(struct loader *L, const struct topo_entity *e, const struct ynode *at,
			const char *name, const char *where)
{
	if (topo_entity_state(e, name) >= 0)
		return true;
	const char *s = reporting(L) ? suggest(L, name, e->states.items, e->states.len) : NULL;
	if (s)
		fail(L, at, "unknown state '%s' in %s of entity '%s'; did you mean '%s'?", name, where,
		     e->name, s);
	else
		fail(L, at, "unknown state '%s' in %s of entity '%s'; expected one of its %zu states",
		     name, where, e->name, e->states.len);
	return false;
}

static void load_transition(struct loader *L, struct topo_entity *e, const struct ynode *m)
{
	struct keyset ks = { .what = "transition", .known = transition_keys, .typo_hints = true };
	if (m->kind != YNODE_MAP) {
		fail(L, m, "expected a transition (a mapping with 'from:', 'to:' and 'actor:'), found %s",
		     ynode_kind_name(m));
		return;
	}
	read_keys(L, m, &ks);
	struct topo_transition tr;
	const struct ynode **nodes;
	bool ok = true;
	memset(&tr, 0, sizeof(tr));
	string_list(L, ks.val[X_FROM], "from", "transition", "a state or a list of states", &tr.from,
		    &nodes);
	if (!ks.val[X_FROM])
		missing(L, m, &ks, X_FROM, "the state or states it leaves");
	if (!tr.from.len) /* kept transitions leave at least one state (topology.h) */
		ok = false;
	for (size_t i = 0; i < tr.from.len; i++)
		ok &= known_state(L, e, nodes[i], tr.from.items[i], "transition 'from:'");
	tr.to = req_string(L, m, &ks, X_TO, "the state it enters");
	if (tr.to)
		ok &= known_state(L, e, ks.val[X_TO], tr.to, "transition 'to:'");
	tr.actor = req_string(L, m, &ks, X_ACTOR, "the component that triggers it");
	tr.actor_idx = tr.actor ? resolve(L, ks.val[X_ACTOR], tr.actor, "transition 'actor:'") : -1;
	opt_string(L, ks.val[X_NOTES], "notes", "transition");
	tr.span = node_span(m);
	if (ok && tr.to && tr.actor_idx >= 0)
		VEC_APPEND(&e->transitions, tr);
}

/* The `backticked` words of an invariant's text that name states (or should). */
static void invariant_refs(struct loader *L, const struct ynode *v, struct topo_invariant *inv)
{
	size_t n = 0, cap = 0;
	const char **items = NULL;
	for (const char *p = inv->text; (p = strchr(p, '`')) != NULL;) {
		const char *end = strchr(p + 1, '`');
		if (!end)
			break;
		if (end > p + 1 && n < 64) {
			if (n == cap) {
				cap = cap ? 2 * cap : 4;
				const char **grown = arena_alloc(&L->t->arena, cap * sizeof(*grown));
				if (n)
					memcpy(grown, items, n * sizeof(*grown));
				items = grown;
			}
			items[n++] = arena_strndup(&L->t->arena, p + 1, (size_t)(end - p - 1));
		}
		p = end + 1;
	}
	inv->states.items = items;
	inv->states.len = n;
	inv->state_spans = arena_alloc(&L->t->arena, (n ? n : 1) * sizeof(*inv->state_spans));
	for (size_t i = 0; i < n; i++)
		inv->state_spans[i] = node_span(v);
}

static void load_invariant(struct loader *L, struct topo_entity *e, const struct ynode *v)
{
	struct topo_invariant inv;
	memset(&inv, 0, sizeof(inv));
	inv.span = node_span(v);
	if (v->kind == YNODE_SCALAR && !ynode_is_null(v) && v->len) {
		inv.text = opt_string(L, v, "invariants", "entity");
		if (!inv.text)
			return;
		invariant_refs(L, v, &inv);
		VEC_APPEND(&e->invariants, inv);
		return;
	}
	if (v->kind != YNODE_MAP) {
		fail(L, v, "expected an invariant (a string naming states in `backticks`, or a mapping with 'rule:' and 'states:'), found %s",
		     ynode_kind_name(v));
		return;
	}
	struct keyset ks = { .what = "invariant", .known = invariant_keys, .typo_hints = true };
	const struct ynode **nodes;
	read_keys(L, v, &ks);
	inv.text = req_string(L, v, &ks, I_RULE, "the rule, in words");
	string_list(L, ks.val[I_STATES], "states", "invariant", "a list of state names", &inv.states,
		    &nodes);
	inv.state_spans = arena_alloc(&L->t->arena, (inv.states.len ? inv.states.len : 1) *
						   sizeof(*inv.state_spans));
	for (size_t i = 0; i < inv.states.len; i++)
		inv.state_spans[i] = node_span(nodes[i]);
	if (inv.text)
		VEC_APPEND(&e->invariants, inv);
}

static void load_entity(struct loader *L, const struct ynode *k, const struct ynode *m)
{
	struct topology *t = L->t;
	if (k->kind != YNODE_SCALAR || ynode_is_null(k) || !k->len || strlen(k->value) != k->len) {
		fail(L, k, "expected an entity name as the key in 'entities:', found %s",
		     ynode_kind_name(k));
		return;
	}
	for (size_t i = 0; i < t->entities.len; i++)
		if (!strcmp(t->entities.items[i].name, k->value)) {
			fail(L, k, "duplicate entity '%s' (first defined at line %u)", k->value,
			     t->entities.items[i].span.line);
			return;
		}
	if (m->kind != YNODE_MAP) {
		fail(L, m, "entity '%s': expected a mapping with 'states:' and 'transitions:', found %s",
		     k->value, ynode_kind_name(m));
		return;
	}
	struct keyset ks = { .what = "entity", .known = entity_keys, .typo_hints = true };
	const struct ynode **nodes;
	read_keys(L, m, &ks);
	struct topo_entity *e = VEC_PUSH(&t->entities);
	e->name = arena_strdup(&t->arena, k->value);
	e->span = node_span(k);
	e->owner_idx = -1;
	e->owner = opt_string(L, ks.val[E_OWNER], "owner", "entity");
	if (e->owner)
		e->owner_idx = resolve(L, ks.val[E_OWNER], e->owner, "entity 'owner:'");
	string_list(L, ks.val[E_STATES], "states", "entity", "a list of state names", &e->states, &nodes);
	if (!ks.val[E_STATES])
		missing(L, m, &ks, E_STATES, "a list of state names");
	else if (!e->states.len && !ynode_is_null(ks.val[E_STATES]))
		fail(L, ks.val[E_STATES], "'states:' of entity '%s': expected at least one state", e->name);
	e->state_spans = arena_alloc(&t->arena, (e->states.len ? e->states.len : 1) * sizeof(*e->state_spans));
	for (size_t i = 0; i < e->states.len; i++) {
		e->state_spans[i] = node_span(nodes[i]);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(e->states.items[i], e->states.items[j]))
				fail(L, nodes[i], "duplicate state '%s' in entity '%s' (first at line %u)",
				     e->states.items[i], e->name, e->state_spans[j].line);
	}
	const char *initial = opt_string(L, ks.val[E_INITIAL], "initial", "entity");
	e->initial = initial ? topo_entity_state(e, initial) : (e->states.len ? 0 : -1);
	if (initial && e->initial < 0)
		known_state(L, e, ks.val[E_INITIAL], initial, "'initial:'");
	string_list(L, ks.val[E_TERMINAL], "terminal", "entity", "a state or a list of states",
		    &e->terminal, &nodes);
	for (size_t i = 0; i < e->terminal.len; i++)
		known_state(L, e, nodes[i], e->terminal.items[i], "'terminal:'");
	const struct ynode *list = section_list(L, ks.val[E_TRANSITIONS], "transitions", "transitions");
	for (size_t i = 0; list && i < list->n; i++)
		load_transition(L, e, list->items[i]);
	list = section_list(L, ks.val[E_INVARIANTS], "invariants", "invariants");
	for (size_t i = 0; list && i < list->n; i++)
		load_invariant(L, e, list->items[i]);
}

static void load_entities(struct loader *L, const struct ynode *v)
{
	if (!v || ynode_is_null(v))
		return;
	if (v->kind != YNODE_MAP) {
		fail(L, v, "'entities:' expected a mapping from entity names to state machines, found %s",
		     ynode_kind_name(v));
		return;
	}
	for (size_t i = 0; i < v->n; i++)
		load_entity(L, v->items[2 * i], v->items[2 * i + 1]);
}

/* ---- the document ---- */

/* `version:`, `name:`, `description:` are accepted and not interpreted yet. */
static const char *const top_keys[] = {
	"components", "relationships", "convergence_points", "entities", "version", "name",
	"description", NULL
};
enum { T_COMPONENTS, T_RELATIONSHIPS, T_CONVERGENCE, T_ENTITIES };

static void load_root(struct loader *L, const struct ynode *root)
{
	if (!root || ynode_is_null(root)) {
		fail(L, NULL, "empty topology: expected 'components:' with a list of components");
		return;
	}
	if (root->kind != YNODE_MAP) {
		fail(L, root, "expected a mapping with 'components:', 'relationships:' and 'convergence_points:' at the top level, found %s",
		     ynode_kind_name(root));
		return;
	}
	struct keyset ks = { .what = "top-level", .known = top_keys };
	read_keys(L, root, &ks);
	if (!ks.val[T_COMPONENTS]) {
		if (ks.typo[T_COMPONENTS])
			fail(L, root, "missing 'components:' (a list of components); '%s:' at line %u looks like a typo",
			     ks.typo[T_COMPONENTS]->value, ks.typo[T_COMPONENTS]->line);
		else
			fail(L, root, "missing 'components:' (a list of components)");
	}

	/* Components first, whatever the order in the file: the others refer to them. */
	const struct ynode *list = section_list(L, ks.val[T_COMPONENTS], "components", "components");
	if (list) {
		const struct ynode **name_nodes = xcalloc(list->n ? list->n : 1, sizeof(*name_nodes));
		VEC_RESERVE(&L->t->components, list->n);
		for (size_t i = 0; i < list->n; i++)
			load_component(L, list->items[i], name_nodes);
		xfree(name_nodes);
	}
	list = section_list(L, ks.val[T_RELATIONSHIPS], "relationships", "relationships");
	for (size_t i = 0; list && i < list->n; i++)
		load_relationship(L, list->items[i]);
	list = section_list(L, ks.val[T_CONVERGENCE], "convergence_points", "convergence points");
	for (size_t i = 0; list && i < list->n; i++)
		load_convergence(L, list->items[i]);
	load_entities(L, ks.val[T_ENTITIES]);
}

int topology_load_buffer(struct topology *t, const char *name, const char *text, size_t len)
{
	struct loader L = { t, NULL, 0, 0, 0, 0, SUGGEST_BUDGET };
	struct arena tree = ARENA_INIT;
	struct ynode *root;

	t->path = arena_strdup(&t->arena, name ? name : "<topology>");
	L.name = t->path;
	if (ytree_parse(&tree, L.name, text, len, &root) < 0) {
		arena_release(&tree);
		return -1;
	}
	load_root(&L, root);
	arena_release(&tree);
	if (L.hidden_warnings)
		warning_at(L.name, 0, 0, "%u more warnings not shown", L.hidden_warnings);
	if (L.hidden_errors)
		return error_at(L.name, 0, 0, "%u more errors not shown", L.hidden_errors);
	return L.errors ? -1 : 0;
}

int topology_load_file(struct topology *t, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	if (read_file(path, &sb, MAX_FILE_SIZE) < 0) {
		t->path = arena_strdup(&t->arena, path);
		return -1;
	}
	int ret = topology_load_buffer(t, path, sb.buf, sb.len);
	strbuf_release(&sb);
	return ret;
}

/* ---- the model ---- */

void topology_init(struct topology *t)
{
	memset(t, 0, sizeof(*t));
}

void topology_release(struct topology *t)
{
	VEC_FREE(&t->components);
	VEC_FREE(&t->relationships);
	VEC_FREE(&t->convergence);
	for (size_t i = 0; i < t->entities.len; i++) {
		VEC_FREE(&t->entities.items[i].transitions);
		VEC_FREE(&t->entities.items[i].invariants);
	}
	VEC_FREE(&t->entities);
	strmap_release(&t->by_name);
	arena_release(&t->arena);
	topology_init(t);
}

int topo_entity_state(const struct topo_entity *e, const char *name)
{
	for (size_t i = 0; i < e->states.len; i++)
		if (!strcmp(e->states.items[i], name))
			return (int)i;
	return -1;
}

int topology_find(const struct topology *t, const char *name)
{
	void *v = strmap_get(&t->by_name, name);
	return v ? (int)((uintptr_t)v - 1) : -1;
}

int topology_component_for_path(const struct topology *t, const char *relpath)
{
	for (size_t i = 0; i < t->components.len; i++) {
		const struct strlist *p = &t->components.items[i].paths;
		for (size_t j = 0; j < p->len; j++)
			if (glob_match(p->items[j], relpath))
				return (int)i;
	}
	return -1;
}

const char *cardinality_name(enum cardinality c)
{
	switch (c) {
	case CARD_1_1:
		return "1:1";
	case CARD_1_N:
		return "1:N";
	case CARD_N_1:
		return "N:1";
	case CARD_N_M:
		return "N:M";
	}
	return "?";
}

const char *delivery_name(enum delivery d)
{
	switch (d) {
	case DELIVERY_UNSPECIFIED:
		return "unspecified";
	case DELIVERY_AT_MOST_ONCE:
		return "at-most-once";
	case DELIVERY_AT_LEAST_ONCE:
		return "at-least-once";
	case DELIVERY_EXACTLY_ONCE:
		return "exactly-once";
	}
	return "?";
}
