/*
 * Log-line classes from the catalog's log_evidence words (see vocab.h).
 */
#include "vocab.h"

#include <string.h>

#include "../base/diag.h"
#include "../base/banned.h"

static uint32_t hash_word(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int find_word(const struct vocab *v, const char *s, size_t n)
{
	uint32_t h = hash_word(s, n) % VOCAB_SLOTS;
	while (v->slot[h] >= 0) {
		const char *w = v->words[v->slot[h]];
		if (!strncmp(w, s, n) && !w[n])
			return v->slot[h];
		h = (h + 1) % VOCAB_SLOTS;
	}
	return -1;
}

static int add_word(struct vocab *v, const char *s, size_t n)
{
	int w = find_word(v, s, n);
	if (w >= 0)
		return w;
	if (v->nwords >= VOCAB_MAX_WORDS)
		return -1;
	uint32_t h = hash_word(s, n) % VOCAB_SLOTS;
	while (v->slot[h] >= 0)
		h = (h + 1) % VOCAB_SLOTS;
	/* Words point into the catalog's phrases; keep a NUL-terminated copy only when needed. */
	v->words[v->nwords] = s;
	v->slot[h] = (int16_t)v->nwords;
	return (int)v->nwords++;
}

static bool alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/*
 * Call `fn` on each lowercase word of s[0, n): runs of letters and digits,
 * split at a lower-to-upper hump. Words longer than 63 bytes are skipped.
 */
#define WORD_MAX 64
static void each_word(const char *s, size_t n, void (*fn)(void *, const char *, size_t), void *arg)
{
	char w[WORD_MAX];
	size_t i = 0;
	while (i < n) {
		while (i < n && !alnum((unsigned char)s[i]))
			i++;
		size_t k = 0;
		bool too_long = false;
		while (i < n && alnum((unsigned char)s[i])) {
			unsigned char c = (unsigned char)s[i];
			bool upper = c >= 'A' && c <= 'Z';
			if (upper && k > 0 && i > 0 && s[i - 1] >= 'a' && s[i - 1] <= 'z')
				break; /* camelCase hump: a new word */
			if (k < WORD_MAX - 1)
				w[k++] = (char)(upper ? c + 32 : c);
			else
				too_long = true;
			i++;
		}
		if (k && !too_long)
			fn(arg, w, k);
	}
}

struct phrase_build {
	struct vocab *v;
	struct vocab_phrase *p;
	bool ok;
	const char *phrase;
};

static void phrase_word(void *arg, const char *w, size_t n)
{
	struct phrase_build *b = arg;
	/* The vocabulary keeps its own copy: the word was lowercased in a scratch buffer. */
	int idx = find_word(b->v, w, n);
	if (idx < 0) {
		char *copy = xstrndup(w, n);
		idx = add_word(b->v, copy, n);
		if (idx < 0) {
			xfree(copy);
			b->ok = false;
			if (!b->v->dropped)
				b->v->dropped = b->phrase;
			return;
		}
	}
	b->p->mask[idx / 64] |= 1ull << (idx % 64);
}

void vocab_build(struct vocab *v, const struct catalog *c)
{
	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < VOCAB_SLOTS; i++)
		v->slot[i] = -1;
	if (catalog_log_classes[LC_COUNT] != NULL || !catalog_log_classes[LC_COUNT - 1])
		BUG("enum log_class does not follow catalog_log_classes");
	for (size_t i = 0; i < catalog_count(c); i++) {
		const struct catalog_entry *e = catalog_at(c, i);
		for (size_t k = 0; k < e->nlog_evidence; k++) {
			const struct catalog_logclass *lc = &e->log_evidence[k];
			int cls = -1;
			for (int j = 0; j < LC_COUNT && cls < 0; j++)
				if (!strcmp(catalog_log_classes[j], lc->name))
					cls = j;
			if (cls < 0)
				continue;
			for (size_t w = 0; w < lc->words.len; w++) {
				struct vocab_phrase ph = { (enum log_class)cls, { 0 } };
				struct phrase_build b = { v, &ph, true, lc->words.items[w] };
				each_word(lc->words.items[w], strlen(lc->words.items[w]), phrase_word, &b);
				bool empty = true;
				for (size_t m = 0; m < VOCAB_MAX_WORDS / 64; m++)
					empty &= !ph.mask[m];
				if (b.ok && !empty)
					VEC_APPEND(&v->phrases, ph);
			}
		}
	}
}

void vocab_release(struct vocab *v)
{
	for (uint32_t i = 0; i < v->nwords; i++)
		xfree((char *)v->words[i]);
	VEC_FREE(&v->phrases);
	memset(v, 0, sizeof(*v));
}

struct line_words {
	const struct vocab *v;
	uint64_t mask[VOCAB_MAX_WORDS / 64];
};

static void line_word(void *arg, const char *w, size_t n)
{
	struct line_words *lw = arg;
	int idx = find_word(lw->v, w, n);
	if (idx >= 0)
		lw->mask[idx / 64] |= 1ull << (idx % 64);
}

static unsigned match_phrases(const struct vocab *v, const struct line_words *lw)
{
	unsigned classes = 0;
	bool any = false;
	for (size_t m = 0; m < VOCAB_MAX_WORDS / 64; m++)
		any |= lw->mask[m] != 0;
	if (!any)
		return 0;
	for (size_t i = 0; i < v->phrases.len; i++) {
		const struct vocab_phrase *p = &v->phrases.items[i];
		if (classes & LC_BIT(p->cls))
			continue;
		bool all = true;
		for (size_t m = 0; m < VOCAB_MAX_WORDS / 64 && all; m++)
			all = (p->mask[m] & lw->mask[m]) == p->mask[m];
		if (all)
			classes |= LC_BIT(p->cls);
	}
	return classes;
}

unsigned vocab_classify_text(const struct vocab *v, const char *s, size_t n)
{
	struct line_words lw = { v, { 0 } };
	each_word(s, n, line_word, &lw);
	return match_phrases(v, &lw);
}

unsigned vocab_classify(const struct vocab *v, const struct log_record *r)
{
	struct line_words lw = { v, { 0 } };
	static const enum log_field fields[] = { LF_EVENT, LF_MSG, LF_ERROR };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (r->f[fields[i]].p)
			each_word(r->f[fields[i]].p, r->f[fields[i]].n, line_word, &lw);
	return match_phrases(v, &lw);
}
