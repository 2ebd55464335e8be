#include "state_words.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../base/banned.h"

/*
 * Field names that hold lifecycle state in the systems we analyse. Kept
 * short on purpose: a missed name costs a fact, a wrong one costs every
 * analysis downstream a false observer. Matched on the name without
 * leading underscores, case-insensitively; see lang_is_state_field().
 */
static const char *const state_exact[] = {
	"status", "state", "phase", "stage", "health", "healthy", "ready",
	"available", "busy", "idle", "alive", "dead", "mode", "condition",
	"lifecycle", "role", "leader", "active", "running", "paused",
	"stopped", "closed", "connected", "online",
};
static const char *const state_suffix[] = {
	"_status", "_state", "_phase", "_stage",
};
static const char *const state_prefix[] = { "is_" };

/* Keys whose value names what a message is. */
static const char *const message_keys[] = {
	"type", "event", "event_type", "msg_type", "message_type",
};

/* Substrings of loop counters that count attempts. */
static const char *const retry_counters[] = { "attempt", "retr", "tries", "tried" };

static bool word_in(const char *s, size_t n, const char *const *list, size_t nlist)
{
	for (size_t i = 0; i < nlist; i++)
		if (strlen(list[i]) == n && !strncasecmp(s, list[i], n))
			return true;
	return false;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

bool lang_is_state_field(const char *s, size_t n)
{
	while (n && *s == '_') {
		s++;
		n--;
	}
	if (!n)
		return false;
	if (word_in(s, n, state_exact, ARRAY_LEN(state_exact)))
		return true;
	for (size_t i = 0; i < ARRAY_LEN(state_suffix); i++) {
		size_t k = strlen(state_suffix[i]);
		if (n > k && !strncasecmp(s + n - k, state_suffix[i], k))
			return true;
	}
	for (size_t i = 0; i < ARRAY_LEN(state_prefix); i++) {
		size_t k = strlen(state_prefix[i]);
		if (n > k && !strncasecmp(s, state_prefix[i], k))
			return true;
	}
	return false;
}

/*
 * Keyword arguments name configuration far more often than state
 * (`open(mode="rb")`, `click.option(is_flag=True)`, `Thread(daemon=...)`):
 * only the unambiguous state words count there.
 */
static const char *const state_keyword_exact[] = {
	"status", "state", "phase", "stage", "health", "healthy", "ready", "available",
	"busy", "idle", "alive", "dead", "leader", "online",
};

bool lang_is_state_keyword(const char *s, size_t n)
{
	while (n && *s == '_') {
		s++;
		n--;
	}
	if (!n)
		return false;
	if (word_in(s, n, state_keyword_exact, ARRAY_LEN(state_keyword_exact)))
		return true;
	for (size_t i = 0; i < ARRAY_LEN(state_suffix); i++) {
		size_t k = strlen(state_suffix[i]);
		if (n > k && !strncasecmp(s + n - k, state_suffix[i], k))
			return true;
	}
	return false;
}

bool lang_is_message_key(const char *s, size_t n)
{
	return word_in(s, n, message_keys, ARRAY_LEN(message_keys));
}

static bool has_sub_ci(const char *s, size_t n, const char *sub)
{
	size_t k = strlen(sub);
	for (size_t i = 0; i + k <= n; i++)
		if (!strncasecmp(s + i, sub, k))
			return true;
	return false;
}

bool lang_is_retry_counter(const char *s, size_t n)
{
	for (size_t i = 0; i < ARRAY_LEN(retry_counters); i++)
		if (has_sub_ci(s, n, retry_counters[i]))
			return true;
	return false;
}

void lang_state_needles(void (*fn)(void *data, const char *word, bool message_key), void *data)
{
	/* state_keyword_exact is a subset of state_exact; a suffix without its '_' */
	for (size_t i = 0; i < ARRAY_LEN(state_exact); i++)
		fn(data, state_exact[i], false);
	for (size_t i = 0; i < ARRAY_LEN(state_suffix); i++)
		fn(data, state_suffix[i] + 1, false);
	for (size_t i = 0; i < ARRAY_LEN(state_prefix); i++)
		fn(data, state_prefix[i], false);
	for (size_t i = 0; i < ARRAY_LEN(message_keys); i++)
		fn(data, message_keys[i], true);
	for (size_t i = 0; i < ARRAY_LEN(retry_counters); i++)
		fn(data, retry_counters[i], false);
}

/* --- SQL --- */

enum tok_kind { T_IDENT, T_STR, T_PH, T_NUM, T_OP, T_COMMA, T_LP, T_RP, T_OTHER };

struct tok {
	enum tok_kind kind;
	const char *p; /* for T_STR: the content without quotes */
	size_t n;
};

#define SQL_SCAN_MAX (16 * 1024)
#define SQL_TOK_MAX 2048

static bool is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static bool is_ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '.';
}

static size_t sql_tokenize(const char *s, size_t n, struct tok *t, size_t max)
{
	size_t i = 0, nt = 0;

	while (i < n && nt < max) {
		unsigned char c = (unsigned char)s[i];
		struct tok *k = &t[nt];

		if (isspace(c)) {
			i++;
			continue;
		}
		k->p = s + i;
		k->n = 1;
		if (is_ident_start(c)) {
			size_t j = i + 1;
			while (j < n && is_ident_char((unsigned char)s[j]))
				j++;
			k->kind = T_IDENT;
			k->n = j - i;
			i = j;
		} else if (c == '\'' || c == '"' || c == '`') {
			size_t j = i + 1;
			while (j < n && s[j] != (char)c)
				j++;
			/* "quoted" and `quoted` are identifiers in SQL; 'x' is a string */
			k->kind = c == '\'' ? T_STR : T_IDENT;
			k->p = s + i + 1;
			k->n = j - i - 1;
			i = j < n ? j + 1 : j;
		} else if (isdigit(c)) {
			size_t j = i + 1;
			while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '.'))
				j++;
			k->kind = T_NUM;
			k->n = j - i;
			i = j;
		} else if (c == '$' || c == '?' || c == '%' || c == ':' || c == '{') {
			/* $1, ?, %s, %(name)s, :name, and an f-string's {expr} */
			size_t j = i + 1;
			if (c == '{') {
				while (j < n && s[j] != '}')
					j++;
				j = j < n ? j + 1 : j;
			} else if (c == '%' && j < n && s[j] == '(') {
				while (j < n && s[j] != ')')
					j++;
				j = j < n ? j + 2 : j;
			} else {
				while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_'))
					j++;
			}
			k->kind = T_PH;
			k->n = (j > n ? n : j) - i;
			i = j > n ? n : j;
		} else if (c == '=' || c == '!' || c == '<' || c == '>') {
			size_t j = i + 1;
			while (j < n && j < i + 2 && (s[j] == '=' || s[j] == '>'))
				j++;
			k->kind = T_OP;
			k->n = j - i;
			i = j;
		} else {
			k->kind = c == ',' ? T_COMMA : c == '(' ? T_LP : c == ')' ? T_RP : T_OTHER;
			i++;
		}
		nt++;
	}
	return nt;
}

static bool kw(const struct tok *t, const char *w)
{
	return t->kind == T_IDENT && t->n == strlen(w) && !strncasecmp(t->p, w, t->n);
}

static bool is_clause_end(const struct tok *t)
{
	static const char *const ends[] = {
		"WHERE", "FROM", "RETURNING", "ORDER", "GROUP", "LIMIT", "HAVING",
		"UNION", "ON", "JOIN", "SET", "VALUES",
	};
	for (size_t i = 0; i < ARRAY_LEN(ends); i++)
		if (kw(t, ends[i]))
			return true;
	return false;
}

static void add_value(struct sql_item *it, const struct tok *t)
{
	if (it->nvalues >= SQL_MAX_VALUES)
		return;
	if (t->kind == T_STR || t->kind == T_NUM || (t->kind == T_IDENT &&
	    (kw(t, "TRUE") || kw(t, "FALSE")))) {
		it->values[it->nvalues] = t->p;
		it->value_lens[it->nvalues++] = t->n;
	}
}

static void set_col(struct sql_item *it, const struct tok *col, const struct tok *val)
{
	it->col = col->p;
	it->col_len = col->n;
	if (val) {
		it->text = val->p;
		it->text_len = val->n;
	}
}

/* SET a = 'x', b = $1 ... starting at t[i]; returns the index after the list. */
static size_t scan_set(const struct tok *t, size_t nt, size_t i, const struct tok *table,
		       sql_item_fn fn, void *data, size_t *count)
{
	while (i + 2 < nt && t[i].kind == T_IDENT && t[i + 1].kind == T_OP &&
	       t[i + 1].n == 1 && t[i + 1].p[0] == '=') {
		struct sql_item it = { .is_write = true };
		size_t j = i + 2, depth = 0;

		set_col(&it, &t[i], &t[j]);
		if (table) {
			it.table = table->p;
			it.table_len = table->n;
		}
		/* one literal token is a value; anything longer is an expression */
		if (j + 1 >= nt || t[j + 1].kind == T_COMMA || is_clause_end(&t[j + 1]))
			add_value(&it, &t[j]);
		for (; j < nt; j++) {
			if (t[j].kind == T_LP)
				depth++;
			else if (t[j].kind == T_RP && depth)
				depth--;
			else if (!depth && (t[j].kind == T_COMMA || is_clause_end(&t[j])))
				break;
		}
		fn(data, &it);
		(*count)++;
		if (j < nt && t[j].kind == T_COMMA)
			i = j + 1;
		else
			return j;
	}
	return i;
}

/* One WHERE test at t[i] (an identifier); returns the index after it. */
static size_t scan_test(const struct tok *t, size_t nt, size_t i, sql_item_fn fn, void *data,
			size_t *count)
{
	struct sql_item it = { .is_write = false };
	size_t j = i + 1;

	if (j < nt && kw(&t[j], "NOT") && j + 1 < nt && kw(&t[j + 1], "IN")) {
		it.negated = true;
		j++;
	}
	if (j < nt && kw(&t[j], "IN")) {
		it.membership = true;
		if (j + 1 >= nt || t[j + 1].kind != T_LP)
			return j;
		set_col(&it, &t[i], &t[j + 2 < nt ? j + 2 : j + 1]);
		for (j += 2; j < nt && t[j].kind != T_RP; j++)
			add_value(&it, &t[j]);
	} else if (j + 1 < nt && t[j].kind == T_OP) {
		const struct tok *op = &t[j];
		bool eq = (op->n == 1 && op->p[0] == '=') || (op->n == 2 && !memcmp(op->p, "==", 2));
		bool ne = op->n == 2 && (!memcmp(op->p, "!=", 2) || !memcmp(op->p, "<>", 2));
		if (!eq && !ne)
			return j;
		it.negated = ne;
		set_col(&it, &t[i], &t[j + 1]);
		add_value(&it, &t[j + 1]);
		j++;
	} else {
		return j;
	}
	fn(data, &it);
	(*count)++;
	return j;
}

size_t sql_scan(const char *s, size_t n, sql_item_fn fn, void *data)
{
	static const char *const starts[] = { "SELECT", "UPDATE", "DELETE", "INSERT", "WITH" };
	struct tok t[SQL_TOK_MAX];
	size_t nt, count = 0;
	bool where = false;

	if (n > SQL_SCAN_MAX)
		n = SQL_SCAN_MAX;
	/* most strings are not SQL: look at the first word before tokenizing */
	nt = sql_tokenize(s, n, t, 1);
	if (!nt)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(starts); i++)
		if (kw(&t[0], starts[i]))
			goto dml;
	return 0;
dml:
	nt = sql_tokenize(s, n, t, SQL_TOK_MAX);
	for (size_t i = 0; i < nt;) {
		if (kw(&t[i], "UPDATE") && i + 2 < nt && t[i + 1].kind == T_IDENT &&
		    kw(&t[i + 2], "SET")) {
			where = false;
			i = scan_set(t, nt, i + 3, &t[i + 1], fn, data, &count);
		} else if (kw(&t[i], "SET") && i + 1 < nt) {
			/* ON CONFLICT ... DO UPDATE SET */
			i = scan_set(t, nt, i + 1, NULL, fn, data, &count);
		} else if (kw(&t[i], "WHERE") || kw(&t[i], "AND") || kw(&t[i], "OR")) {
			where = kw(&t[i], "WHERE") || where;
			i++;
		} else if (kw(&t[i], "ORDER") || kw(&t[i], "GROUP") || kw(&t[i], "LIMIT") ||
			   kw(&t[i], "RETURNING") || kw(&t[i], "SELECT")) {
			where = false;
			i++;
		} else if (where && t[i].kind == T_IDENT && !kw(&t[i], "NOT")) {
			size_t next = scan_test(t, nt, i, fn, data, &count);
			i = next > i ? next : i + 1;
		} else {
			i++;
		}
	}
	return count;
}
