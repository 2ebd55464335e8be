/*
 * Schema checks over a YAML tree for the catalog and module loaders (see
 * schema.h). Messages follow one shape: what is wrong, then in parentheses
 * what was expected.
 */
#include "schema.h"

#include <stdarg.h>
#include <string.h>

#include "../base/diag.h"
#include "../base/utf8.h"
#include "../base/banned.h"

int ys_error(struct yschema *S, const struct ynode *at, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	S->errors++;
	error_at(S->name, at ? at->line : 1, at ? at->col : 1, "%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

bool ys_utf8_valid(const char *s, size_t n)
{
	return utf8_valid(s, n);
}

void ys_join(struct strbuf *sb, const char *const *items)
{
	for (size_t i = 0; items[i]; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", items[i]);
}

void ys_fields(struct yschema *S, const struct ynode *map, const char *what,
	       const char *const *keys, const struct ynode **vals)
{
	size_t nkeys = 0;

	while (keys[nkeys])
		nkeys++;
	memset(vals, 0, nkeys * sizeof(*vals));
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = map->items[2 * i], *v = map->items[2 * i + 1];
		size_t j;

		if (k->kind != YNODE_SCALAR) {
			ys_error(S, k, "%s as a key in %s (expected a key name)",
				 ynode_kind_name(k), what);
			continue;
		}
		for (j = 0; j < nkeys; j++)
			if (!strcmp(keys[j], k->value))
				break;
		if (j == nkeys) {
			struct strbuf sb = STRBUF_INIT;
			ys_join(&sb, keys);
			ys_error(S, k, "unknown key '%s' in %s (expected one of: %s)",
				 k->value, what, sb.buf);
			strbuf_release(&sb);
			continue;
		}
		if (vals[j]) {
			ys_error(S, k, "duplicate key '%s' in %s (expected each key once)",
				 k->value, what);
			continue;
		}
		vals[j] = v;
	}
}

bool ys_require(struct yschema *S, const struct ynode *map, const struct ynode *v,
		const char *key, const char *what, const char *hint)
{
	if (v)
		return true;
	ys_error(S, map, "missing '%s' in %s (expected %s)", key, what, hint);
	return false;
}

bool ys_is_map(struct yschema *S, const struct ynode *v, const char *key)
{
	if (v && v->kind == YNODE_MAP)
		return true;
	ys_error(S, v, "'%s' is %s (expected a mapping)", key, v ? ynode_kind_name(v) : "missing");
	return false;
}

const char *ys_str(struct yschema *S, const struct ynode *v, const char *key, bool one_line)
{
	size_t len;

	if (!v)
		return NULL;
	if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
		ys_error(S, v, "'%s' is %s (expected a non-empty string)", key, ynode_kind_name(v));
		return NULL;
	}
	if (memchr(v->value, '\0', v->len) || !ys_utf8_valid(v->value, v->len)) {
		ys_error(S, v, "'%s' holds a NUL byte or invalid UTF-8 (expected text)", key);
		return NULL;
	}
	len = v->len;
	while (len && strchr(" \t\r\n", v->value[len - 1]))
		len--;
	if (!len) {
		ys_error(S, v, "'%s' is blank (expected a non-empty string)", key);
		return NULL;
	}
	if (one_line && memchr(v->value, '\n', len)) {
		ys_error(S, v, "'%s' spans several lines (expected one line)", key);
		return NULL;
	}
	return arena_strndup(S->arena, v->value, len);
}

static bool allowed_has(const char *const *allowed, const char *s)
{
	for (size_t i = 0; allowed[i]; i++)
		if (!strcmp(allowed[i], s))
			return true;
	return false;
}

struct textlist ys_strlist(struct yschema *S, const struct ynode *v, const char *key,
			   const char *const *allowed, size_t min)
{
	struct textlist out = { NULL, 0 };
	const struct ynode *const *items;
	size_t n;

	if (!v)
		return out;
	if (v->kind == YNODE_SCALAR && !ynode_is_null(v)) {
		items = (const struct ynode *const *)&v;
		n = 1;
	} else if (v->kind == YNODE_SEQ) {
		items = (const struct ynode *const *)v->items;
		n = v->n;
	} else {
		ys_error(S, v, "'%s' is %s (expected a list of strings)", key, ynode_kind_name(v));
		return out;
	}
	if (n < min) {
		ys_error(S, v, "'%s' has %zu item%s (expected at least %zu)", key, n,
			 n == 1 ? "" : "s", min);
		return out;
	}
	out.items = arena_alloc(S->arena, (n ? n : 1) * sizeof(*out.items));
	for (size_t i = 0; i < n; i++) {
		const char *s = ys_str(S, items[i], key, true);
		if (!s)
			continue;
		if (allowed && !allowed_has(allowed, s)) {
			struct strbuf sb = STRBUF_INIT;
			ys_join(&sb, allowed);
			ys_error(S, items[i], "unknown value '%s' in '%s' (expected one of: %s)",
				 s, key, sb.buf);
			strbuf_release(&sb);
			continue;
		}
		out.items[out.len++] = s;
	}
	return out;
}
