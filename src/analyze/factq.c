#include "factq.h"

#include <ctype.h>
#include <string.h>

#include "../base/banned.h"

size_t ident_tokens(const char *name, char tok[][IDENT_TOKEN_LEN], size_t max)
{
	size_t n = 0, len = 0;
	for (const char *p = name;; p++) {
		char ch = *p;
		bool upper = ch >= 'A' && ch <= 'Z';
		bool alnum = upper || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
		/* A word ends at a non-alphanumeric byte or where camelCase starts one. */
		if (!alnum || (upper && len && !(p[-1] >= 'A' && p[-1] <= 'Z'))) {
			if (len && n < max) {
				tok[n][len] = '\0';
				n++;
			}
			len = 0;
		}
		if (!ch || n == max)
			break; /* full: the rest would write nothing */
		if (alnum && n < max && len < IDENT_TOKEN_LEN - 1)
			tok[n][len++] = (char)(upper ? ch - 'A' + 'a' : ch);
	}
	return n;
}

bool ident_word_in(const char *t, const char *const *words, size_t nwords)
{
	for (size_t k = 0; k < nwords; k++)
		if (t[0] == words[k][0] && !strcmp(t, words[k]))
			return true;
	return false;
}

bool ident_has_word(const char *name, const char *const *words, size_t nwords)
{
	char tok[IDENT_MAX_TOKENS][IDENT_TOKEN_LEN];
	size_t n = name ? ident_tokens(name, tok, IDENT_MAX_TOKENS) : 0;
	for (size_t i = 0; i < n; i++)
		if (ident_word_in(tok[i], words, nwords))
			return true;
	return false;
}

bool ident_first_word(const char *name, const char *const *words, size_t nwords)
{
	char tok[1][IDENT_TOKEN_LEN];
	size_t n = name ? ident_tokens(name, tok, 1) : 0;
	return n && ident_word_in(tok[0], words, nwords);
}

bool call_checks_health(const struct fact_call *c)
{
	static const char *const words[] = { "health", "healthy", "healthcheck", "alive",
					     "ping", "probe", "heartbeat" };
	if (c->op && !strcmp(c->op, "health.check"))
		return true;
	return ident_has_word(c->method, words, sizeof(words) / sizeof(*words));
}

size_t facts_first_call_at(const struct file_facts *ff, uint32_t line)
{
	size_t lo = 0, hi = ff->calls.len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ff->calls.items[mid].span.line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool facts_func_within(const struct file_facts *ff, int f, int outer)
{
	/* Bounded: parent links come from a parse tree, but a bug must not loop. */
	for (int i = 0; f >= 0 && i < 64; i++, f = ff->functions.items[f].parent)
		if (f == outer)
			return true;
	return false;
}

bool call_receiver_names_class(const struct fact_call *c, const char *cls)
{
	const char *dot = strrchr(c->callee, '.');
	size_t rl = dot ? (size_t)(dot - c->callee) : 0, s = rl, n = 0, m = 0;
	char seg[64], name[64];

	while (s && c->callee[s - 1] != '.')
		s--;
	for (size_t i = s; i < rl && n + 1 < sizeof(seg); i++)
		if (c->callee[i] != '_')
			seg[n++] = (char)tolower((unsigned char)c->callee[i]);
	seg[n] = '\0';
	for (const char *q = cls; *q && m + 1 < sizeof(name); q++)
		if (*q != '_')
			name[m++] = (char)tolower((unsigned char)*q);
	name[m] = '\0';
	if (n < 3 || m < 3)
		return false;
	return strstr(name, seg) != NULL || strstr(seg, name) != NULL;
}
