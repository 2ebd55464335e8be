/*
 * Matching a symptom as a user words it against the catalog entries'
 * symptom shapes (see debug.h). Words are lowercased, stop words dropped
 * and suffixes cut ("failed", "fails", "failing" meet at "fail"); each
 * word weighs by how rare it is across all shapes (a word every shape has
 * tells nothing). A shape scores how much of it the symptom covers and how
 * much of the symptom it explains.
 */
#include "debug.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../base/strmap.h"
#include "../base/banned.h"

#define MAX_WORDS 64
#define WORD_LEN 32

struct words {
	char w[MAX_WORDS][WORD_LEN];    /* stems */
	char orig[MAX_WORDS][WORD_LEN]; /* as written (lowercase) */
	size_t n;
};

/* English glue that says nothing about a failure. */
static const char *const stop[] = {
	"a", "an", "the", "of", "to", "and", "or", "is", "are", "was", "were", "be", "been", "it",
	"its", "in", "on", "at", "for", "with", "by", "but", "that", "this", "then", "than", "as",
	"from", "we", "our", "they", "their", "i", "my", "so", "all", "some", "any", "not", "no",
	"when", "while", "into", "has", "have", "had", "do", "does", "did", "very", "just", NULL
};

static bool is_stop(const char *w)
{
	for (size_t i = 0; stop[i]; i++)
		if (!strcmp(stop[i], w))
			return true;
	return false;
}

static bool ends(const char *w, size_t n, const char *suf)
{
	size_t m = strlen(suf);
	return n > m + 2 && !strcmp(w + n - m, suf);
}

/* A crude stem: enough for "fails/failed/failing/failure" to meet. */
static void stem(char *w)
{
	size_t n = strlen(w);
	if (ends(w, n, "ies") || ends(w, n, "ied")) {
		w[n - 3] = 'y';
		w[n - 2] = 0;
		return;
	}
	if (ends(w, n, "ing"))
		w[n -= 3] = 0;
	else if (ends(w, n, "ed"))
		w[n -= 2] = 0;
	else if (ends(w, n, "es") && n > 4 && strchr("shxz", w[n - 3]))
		w[n -= 2] = 0;
	else if (ends(w, n, "s") && w[n - 2] != 's')
		w[n -= 1] = 0;
	if (ends(w, n, "ure"))
		w[n -= 3] = 0; /* failure -> fail */
	else if (ends(w, n, "e"))
		w[n -= 1] = 0;
	if (n > 3 && w[n - 1] == w[n - 2] && !strchr("aeiou", w[n - 1]))
		w[n - 1] = 0; /* dropped -> dropp -> drop */
}

static void split(const char *s, struct words *out)
{
	out->n = 0;
	while (*s && out->n < MAX_WORDS) {
		while (*s && !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			s++;
		char w[WORD_LEN];
		size_t k = 0;
		while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')) {
			if (k < WORD_LEN - 1)
				w[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
			s++;
		}
		w[k] = 0;
		if (!k || is_stop(w))
			continue;
		char orig[WORD_LEN];
		memcpy(orig, w, WORD_LEN);
		stem(w);
		bool dup = false;
		for (size_t i = 0; i < out->n && !dup; i++)
			dup = !strcmp(out->w[i], w);
		if (!dup && w[0]) {
			memcpy(out->orig[out->n], orig, WORD_LEN);
			memcpy(out->w[out->n++], w, WORD_LEN);
		}
	}
}

/* The index of stem `w` in `ws`, or -1. */
static int find(const struct words *ws, const char *w)
{
	for (size_t i = 0; i < ws->n; i++)
		if (!strcmp(ws->w[i], w))
			return (int)i;
	return -1;
}

static bool has(const struct words *ws, const char *w)
{
	return find(ws, w) >= 0;
}

/* Add stem `w` to `m`, keeping how the symptom wrote it. */
static void add_match(struct words *m, const struct words *q, const char *w)
{
	int i = find(q, w);
	if (i < 0 || m->n >= MAX_WORDS)
		return;
	memcpy(m->w[m->n], w, WORD_LEN);
	memcpy(m->orig[m->n++], q->orig[i], WORD_LEN);
}

static int cmp_match(const void *a, const void *b)
{
	const struct symptom_match *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return catalog_id_cmp(x->e->id, y->e->id);
}

/* ln(x) for x >= 1, piecewise linear between powers of two (close enough for weights; no libm). */
static double ln_approx(double x)
{
	unsigned k = 0;
	while (x >= 2) {
		x /= 2;
		k++;
	}
	return ((double)k + (x - 1)) * 0.693147;
}

/* Inverse document frequency over all shapes: ln(1 + shapes / shapes with the word). */
static double idf(const struct strmap *df, size_t nshapes, const char *w)
{
	size_t d = (size_t)(uintptr_t)strmap_get(df, w);
	return ln_approx(1.0 + (double)nshapes / (double)(d ? d : 1));
}

void symptom_match(const struct catalog *c, const char *text, symptom_vec *out)
{
	struct strmap df = STRMAP_INIT;
	struct words q, sh;
	size_t nshapes = 0;

	for (size_t i = 0; i < catalog_count(c); i++) {
		const struct catalog_entry *e = catalog_at(c, i);
		for (size_t s = 0; s < e->symptoms.len; s++) {
			split(e->symptoms.items[s], &sh);
			nshapes++;
			for (size_t k = 0; k < sh.n; k++)
				strmap_put(&df, sh.w[k], (void *)((uintptr_t)strmap_get(&df, sh.w[k]) + 1));
		}
	}
	split(text, &q);
	double qtotal = 0;
	for (size_t k = 0; k < q.n; k++)
		if (strmap_get(&df, q.w[k]))
			qtotal += idf(&df, nshapes, q.w[k]);

	for (size_t i = 0; i < catalog_count(c) && qtotal > 0; i++) {
		const struct catalog_entry *e = catalog_at(c, i);
		double best = 0;
		const char *best_shape = NULL;
		struct words best_words;
		best_words.n = 0;
		for (size_t s = 0; s < e->symptoms.len; s++) {
			split(e->symptoms.items[s], &sh);
			double stotal = 0, hit = 0;
			struct words m;
			m.n = 0;
			for (size_t k = 0; k < sh.n; k++) {
				double w = idf(&df, nshapes, sh.w[k]);
				stotal += w;
				if (has(&q, sh.w[k])) {
					hit += w;
					add_match(&m, &q, sh.w[k]);
				}
			}
			if (!hit || !stotal)
				continue;
			/* Covering the shape and explaining the symptom both count. */
			double score = 0.5 * (hit / stotal) + 0.5 * (hit / qtotal);
			if (score > best) {
				best = score;
				best_shape = e->symptoms.items[s];
				best_words = m;
			}
		}
		if (best <= 0)
			continue;
		/* Words of the entry's other shapes, each adding a little. */
		double extra = 0;
		for (size_t s = 0; s < e->symptoms.len; s++) {
			split(e->symptoms.items[s], &sh);
			for (size_t k = 0; k < sh.n; k++)
				if (has(&q, sh.w[k]) && !has(&best_words, sh.w[k]) && best_words.n < MAX_WORDS) {
					extra += 0.25 * idf(&df, nshapes, sh.w[k]) / qtotal;
					add_match(&best_words, &q, sh.w[k]);
				}
		}
		struct symptom_match *m = VEC_PUSH(out);
		m->e = e;
		m->score = best + extra > 1 ? 1 : best + extra;
		m->shape = best_shape;
		struct strbuf sb = STRBUF_INIT;
		for (size_t k = 0; k < best_words.n; k++)
			strbuf_addf(&sb, "%s%s", k ? ", " : "", best_words.orig[k]);
		m->words = strbuf_detach(&sb, NULL);
	}
	if (out->len > 1)
		qsort(out->items, out->len, sizeof(*out->items), cmp_match);
	strmap_release(&df);
}

void symptom_vec_release(symptom_vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		xfree(v->items[i].words);
	VEC_FREE(v);
}
