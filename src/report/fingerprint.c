/* Finding contexts for fingerprints and baselines (see fingerprint.h). */
#include "fingerprint.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "../base/strmap.h"
#include "../base/banned.h"

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= FNV_PRIME;
	}
	return h;
}

uint64_t context_hash(const char *rule, const char *path, const char *line, size_t n)
{
	/* The NUL after each part keeps ("ab","c") and ("a","bc") apart. */
	uint64_t h = fnv(FNV_OFFSET, rule, strlen(rule) + 1);
	h = fnv(h, path, strlen(path) + 1);
	return fnv(h, line, n);
}

void finding_context(struct srclines *src, const struct finding *f, char out[CONTEXT_HEX])
{
	struct strbuf norm = STRBUF_INIT;
	size_t n;
	const char *line = srcfile_line(srclines_get(src, f->path), f->line, &n);
	srcline_normalize(line, n, &norm);
	snprintf(out, CONTEXT_HEX, "%016" PRIx64, context_hash(f->rule, f->path, norm.buf, norm.len));
	strbuf_release(&norm);
}

/* --- GitHub's line hash (codeql-action src/fingerprints.ts), step for step --- */

#define GH_BLOCK 100
#define GH_MOD 37u
#define GH_EOF 65535u

struct gh_hasher {
	uint64_t window[GH_BLOCK], hash, first_mod;
	int64_t line_of[GH_BLOCK]; /* the line that starts at this window slot, or -1 */
	size_t index;
	int64_t line;
	bool line_start, prev_cr;
	struct strmap counts; /* hex -> times seen */
	char **out;
	uint32_t n;
};

static void gh_output(struct gh_hasher *g)
{
	char hex[24], buf[48];
	snprintf(hex, sizeof(hex), "%" PRIx64, g->hash);
	uintptr_t seen = (uintptr_t)strmap_get(&g->counts, hex) + 1;
	strmap_put(&g->counts, hex, (void *)seen);
	snprintf(buf, sizeof(buf), "%s:%lu", hex, (unsigned long)seen);
	int64_t line = g->line_of[g->index];
	if (line >= 1 && (uint64_t)line <= g->n && !g->out[line - 1])
		g->out[line - 1] = xstrdup(buf);
	g->line_of[g->index] = -1;
}

static void gh_update(struct gh_hasher *g, uint32_t c)
{
	uint64_t begin = g->window[g->index];
	g->window[g->index] = c;
	g->hash = GH_MOD * g->hash + c - g->first_mod * begin; /* mod 2^64, as Long wraps */
	g->index = (g->index + 1) % GH_BLOCK;
}

static void gh_char(struct gh_hasher *g, uint32_t c)
{
	if (c == ' ' || c == '\t' || (g->prev_cr && c == '\n')) {
		g->prev_cr = false;
		return;
	}
	g->prev_cr = c == '\r';
	if (c == '\r')
		c = '\n';
	if (g->line_of[g->index] != -1)
		gh_output(g);
	if (g->line_start) {
		g->line_start = false;
		g->line_of[g->index] = ++g->line;
	}
	if (c == '\n')
		g->line_start = true;
	gh_update(g, c);
}

/* One UTF-8 sequence at s[*i] as UTF-16 code units (U+FFFD for a bad byte, as Node decodes). */
static void gh_utf8(struct gh_hasher *g, const unsigned char *s, size_t len, size_t *i)
{
	unsigned c = s[*i], need = 0;
	uint32_t cp;
	if (c < 0x80) {
		(*i)++;
		gh_char(g, c);
		return;
	}
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, cp = c & 0x07;
	else
		cp = 0;
	size_t k = 1;
	for (; need && k <= need && *i + k < len && (s[*i + k] & 0xc0) == 0x80; k++)
		cp = (cp << 6) | (s[*i + k] & 0x3f);
	if (!need || k != need + 1 || (need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		*i += 1;
		gh_char(g, 0xfffd);
		return;
	}
	*i += k;
	if (cp >= 0x10000) {
		cp -= 0x10000;
		gh_char(g, 0xd800 + (cp >> 10));
		gh_char(g, 0xdc00 + (cp & 0x3ff));
	} else {
		gh_char(g, cp);
	}
}

char **github_line_hashes(const struct srcfile *f, uint32_t *n)
{
	struct gh_hasher g;
	memset(&g, 0, sizeof(g));
	g.first_mod = 1;
	for (int i = 0; i < GH_BLOCK; i++) {
		g.first_mod *= GH_MOD;
		g.line_of[i] = -1;
	}
	g.line_start = true;
	g.n = 1; /* lines are numbered up to the last '\n' + 1 (the end of the file counts as one) */
	for (size_t i = 0; i < f->len; i++)
		g.n += f->text[i] == '\n' || (f->text[i] == '\r' && (i + 1 >= f->len || f->text[i + 1] != '\n'));
	g.out = xcalloc(g.n, sizeof(*g.out));
	const unsigned char *s = (const unsigned char *)f->text;
	for (size_t i = 0; i < f->len;)
		gh_utf8(&g, s, f->len, &i);
	gh_char(&g, GH_EOF);
	for (int i = 0; i < GH_BLOCK; i++) {
		if (g.line_of[g.index] != -1)
			gh_output(&g);
		gh_update(&g, 0);
	}
	strmap_release(&g.counts);
	*n = g.n;
	return g.out;
}

void line_hashes_free(char **h, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		xfree(h[i]);
	xfree(h);
}
