/*
 * Parsing the free-text `count:` of a component.
 *
 * The grammar (case-insensitive words, any spacing):
 *
 *   count     := quantity [unit] [per] [replicas] [paren] END
 *   quantity  := NUM ['+'] | MANY | ONE | NUM range-op (NUM | MANY)
 *   range-op  := '-' | '..' | '–' (en dash) | 'to'
 *   MANY      := 'N' | 'M' | 'many' | '*'      ONE := 'one' | 'single'
 *   unit      := a word ("nodes", "instances", "pods")
 *   per       := 'per' word                    ("1 per worker")
 *   replicas  := ',' (NUM | MANY) ('replica' | 'replicas' | 'copies')
 *   paren     := '(' text ')'  -- "fixed"/"static" or "dynamic"/"autoscaled"
 *                                 anywhere inside set the mode; the rest is a note
 *
 * Generous with the forms people write, strict with anything else: a word
 * glued to the quantity ("many-ish", "3x"), an empty count, 0 instances and
 * trailing text are errors, so a typo never silently becomes a default.
 */
#include "topology.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../base/banned.h"

#define COUNT_MAX 1000000000L

#define MANY (-1L)

struct cursor {
	const char *p;
};

static void skip_ws(struct cursor *c)
{
	while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')
		c->p++;
}

/* Length of the alphabetic word at p (letters, then letters, '_' or '-'). */
static size_t word_len(const char *p)
{
	size_t n = 0;
	if (!isalpha((unsigned char)p[0]))
		return 0;
	while (isalpha((unsigned char)p[n]) || ((p[n] == '-' || p[n] == '_') && isalpha((unsigned char)p[n + 1])))
		n++;
	return n;
}

static bool word_is(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && !strncasecmp(p, w, n);
}

/* Is the character after a token a boundary (not part of a longer word)? */
static bool boundary(char ch)
{
	return !isalnum((unsigned char)ch) && ch != '_';
}

/*
 * A number or a MANY/ONE word at the cursor. Returns 1 and sets *v (MANY for
 * N), 0 when there is none, -1 on an error (with *why).
 */
static int quantity_atom(struct cursor *c, long *v, const char **why)
{
	const char *p = c->p;
	if (isdigit((unsigned char)*p)) {
		long n = 0;
		while (isdigit((unsigned char)*p)) {
			n = n * 10 + (*p - '0');
			if (n > COUNT_MAX) {
				*why = "number too large";
				return -1;
			}
			p++;
		}
		if (isalpha((unsigned char)*p) || *p == '_') {
			*why = "a word is glued to the number (write \"3 nodes\")";
			return -1;
		}
		if (*p == '.' && isdigit((unsigned char)p[1])) {
			*why = "instance counts are whole numbers";
			return -1;
		}
		c->p = p;
		*v = n;
		return 1;
	}
	if (*p == '*') {
		c->p = p + 1;
		*v = MANY;
		return 1;
	}
	size_t n = 0;
	while (isalpha((unsigned char)p[n]))
		n++;
	if (!n || !boundary(p[n]) || p[n] == '-')
		return 0;
	if (word_is(p, n, "n") || word_is(p, n, "m") || word_is(p, n, "many")) {
		*v = MANY;
	} else if (word_is(p, n, "one") || word_is(p, n, "single")) {
		*v = 1;
	} else {
		return 0;
	}
	c->p = p + n;
	return 1;
}

/* A range operator at the cursor ("-", "..", en dash, "to"); advances past it. */
static bool range_op(struct cursor *c)
{
	struct cursor save = *c;
	skip_ws(c);
	if (c->p[0] == '.' && c->p[1] == '.') {
		c->p += 2;
	} else if (c->p[0] == '-') {
		c->p += 1;
	} else if (!strncmp(c->p, "\xe2\x80\x93", 3)) {
		c->p += 3;
	} else if (!strncasecmp(c->p, "to", 2) && (c->p[2] == ' ' || c->p[2] == '\t')) {
		c->p += 2;
	} else {
		*c = save;
		return false;
	}
	skip_ws(c);
	return true;
}

static bool is_fixed_word(const char *p, size_t n)
{
	return word_is(p, n, "fixed") || word_is(p, n, "static");
}

static bool is_dynamic_word(const char *p, size_t n)
{
	return word_is(p, n, "dynamic") || word_is(p, n, "autoscaled") ||
	       word_is(p, n, "autoscaling") || word_is(p, n, "auto-scaled") ||
	       word_is(p, n, "auto-scaling") || word_is(p, n, "elastic") ||
	       word_is(p, n, "scalable");
}

/* Apply a mode word; false when it contradicts the one already seen. */
static bool set_mode(bool fixed, bool *seen_fixed, bool *seen_dynamic)
{
	if (fixed)
		*seen_fixed = true;
	else
		*seen_dynamic = true;
	return !(*seen_fixed && *seen_dynamic);
}

int topo_count_parse(const char *text, struct topo_count *out, const char **why)
{
	struct cursor c = { text ? text : "" };
	long lo, hi;
	bool range = false, plus = false, per = false;
	bool seen_fixed = false, seen_dynamic = false;
	const char *dummy;
	int r;

	if (!why)
		why = &dummy;
	memset(out, 0, sizeof(*out));
	out->text = text;
	out->n = MANY;
	out->replicas = -1;

	skip_ws(&c);
	if (!*c.p) {
		*why = "empty count";
		return -1;
	}
	r = quantity_atom(&c, &lo, why);
	if (r < 0)
		return -1;
	if (!r) {
		*why = "it does not start with a number, N or a range";
		return -1;
	}
	hi = lo;
	if (*c.p == '+') {
		if (lo == MANY) {
			*why = "'+' cannot follow N";
			return -1;
		}
		plus = true;
		c.p++;
	} else {
		if (range_op(&c)) {
			r = quantity_atom(&c, &hi, why);
			if (r < 0)
				return -1;
			if (!r) {
				/* "N-ish", "3-node": not a range. */
				*why = "unexpected text after the count";
				return -1;
			}
			range = true;
		}
	}

	/* Unit, "per X", and a bare mode word, in that order. */
	for (int words = 0; words < 3; words++) {
		skip_ws(&c);
		size_t n = word_len(c.p);
		if (!n)
			break;
		if (is_fixed_word(c.p, n) || is_dynamic_word(c.p, n)) {
			if (!set_mode(is_fixed_word(c.p, n), &seen_fixed, &seen_dynamic)) {
				*why = "both fixed and dynamic";
				return -1;
			}
		} else if (word_is(c.p, n, "per") && !per) {
			c.p += n;
			skip_ws(&c);
			n = word_len(c.p);
			if (!n) {
				*why = "'per' needs a component after it";
				return -1;
			}
			per = true;
		} else if (words > 0) {
			break; /* a second free word: let the trailing-text check report it */
		}
		c.p += n;
	}

	skip_ws(&c);
	if (*c.p == ',') {
		long rep;
		c.p++;
		skip_ws(&c);
		r = quantity_atom(&c, &rep, why);
		if (r < 0)
			return -1;
		skip_ws(&c);
		size_t n = word_len(c.p);
		if (!r || !(word_is(c.p, n, "replicas") || word_is(c.p, n, "replica") ||
			    word_is(c.p, n, "copies"))) {
			*why = "',' must be followed by \"<number> replicas\"";
			return -1;
		}
		if (rep == 0) {
			*why = "0 replicas";
			return -1;
		}
		out->replicas = rep == MANY ? -1 : rep;
		if (rep == MANY)
			seen_dynamic = true;
		c.p += n;
		skip_ws(&c);
	}

	if (*c.p == '(') {
		const char *close = strchr(c.p, ')');
		if (!close) {
			*why = "unclosed '('";
			return -1;
		}
		for (const char *p = c.p + 1; p < close;) {
			size_t n = word_len(p);
			if (!n) {
				p++;
				continue;
			}
			if (is_fixed_word(p, n) || is_dynamic_word(p, n)) {
				if (!set_mode(is_fixed_word(p, n), &seen_fixed, &seen_dynamic)) {
					*why = "both fixed and dynamic";
					return -1;
				}
			}
			p += n;
		}
		c.p = close + 1;
		skip_ws(&c);
	}
	if (*c.p) {
		*why = "unexpected text after the count";
		return -1;
	}

	if (range) {
		if (hi != MANY && (lo == MANY || hi < lo)) {
			*why = "range goes downwards";
			return -1;
		}
		if (hi == 0) {
			*why = "a range of 0 instances";
			return -1;
		}
		out->n = (lo == hi || hi == 1) ? hi : MANY;
		if (lo != hi)
			seen_dynamic = true;
	} else {
		if (lo == 0) {
			*why = "0 instances";
			return -1;
		}
		out->n = plus ? MANY : lo;
		if (lo == MANY || plus)
			seen_dynamic = true;
	}
	if (per)
		out->n = MANY; /* one per instance of another component: many */
	out->fixed = seen_fixed;
	/* "N (fixed)": many, but fixed at deploy time. */
	out->dynamic = seen_dynamic && !seen_fixed;
	return 0;
}

bool topo_count_is_one(const struct topo_count *c)
{
	return c->n == 1 && c->replicas <= 1;
}
