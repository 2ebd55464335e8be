/* Baselines: load, write, filter (see baseline.h). */
#include "baseline.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/strmap.h"
#include "../base/ytree.h"
#include "../catalog/schema.h"
#include "fingerprint.h"
#include "../base/banned.h"

#define BASELINE_MAX_BYTES (64u << 20)

void baseline_init(struct baseline *b)
{
	memset(b, 0, sizeof(*b));
}

void baseline_release(struct baseline *b)
{
	VEC_FREE(&b->entries);
	arena_release(&b->arena);
}

enum { B_VERSION, B_TOOL, B_FINDINGS, B_COUNT };
static const char *const baseline_keys[] = { "version", "tool", "findings", NULL };
enum { E_RULE, E_PATH, E_CONTEXT, E_LINE, E_MESSAGE, E_COUNT };
static const char *const entry_keys[] = { "rule", "path", "context", "line", "message", NULL };

static bool is_hex16(const char *s)
{
	if (strlen(s) != CONTEXT_HEX - 1)
		return false;
	for (; *s; s++)
		if (!strchr("0123456789abcdef", *s))
			return false;
	return true;
}

static void load_entry(struct yschema *S, const struct ynode *m, struct baseline *b)
{
	const struct ynode *f[E_COUNT];
	static const char what[] = "a baseline finding";

	if (m->kind != YNODE_MAP) {
		ys_error(S, m, "a finding is %s (expected an object with rule, path and context)",
			 ynode_kind_name(m));
		return;
	}
	ys_fields(S, m, what, entry_keys, f);
	ys_require(S, m, f[E_RULE], "rule", what, "a rule id like AP-1");
	ys_require(S, m, f[E_PATH], "path", what, "the file's path");
	ys_require(S, m, f[E_CONTEXT], "context", what, "16 hex digits");
	struct baseline_entry e = {
		ys_str(S, f[E_RULE], "rule", true),
		ys_str(S, f[E_PATH], "path", true),
		ys_str(S, f[E_CONTEXT], "context", true),
	};
	if (e.context && !is_hex16(e.context)) {
		ys_error(S, f[E_CONTEXT], "bad context '%s' (expected 16 lowercase hex digits, as "
			 "--write-baseline writes them)", e.context);
		e.context = NULL;
	}
	if (f[E_LINE] && (f[E_LINE]->kind != YNODE_SCALAR || f[E_LINE]->quoted ||
			  strspn(f[E_LINE]->value, "0123456789") != f[E_LINE]->len || !f[E_LINE]->len))
		ys_error(S, f[E_LINE], "'line' is not a line number (expected a whole number)");
	if (f[E_MESSAGE])
		ys_str(S, f[E_MESSAGE], "message", false);
	if (e.rule && e.path && e.context)
		VEC_APPEND(&b->entries, e);
}

static void load_root(struct yschema *S, const struct ynode *root, struct baseline *b)
{
	const struct ynode *f[B_COUNT];
	static const char what[] = "the baseline";

	ys_fields(S, root, what, baseline_keys, f);
	ys_require(S, root, f[B_VERSION], "version", what, "\"version\": 1");
	ys_require(S, root, f[B_FINDINGS], "findings", what, "a list of findings");
	const struct ynode *v = f[B_VERSION];
	if (v && (v->kind != YNODE_SCALAR || v->quoted || strcmp(v->value, "1")))
		ys_error(S, v, "unsupported baseline version %s%s%s (this distarch reads version %d, "
			 "a number; write the baseline again with --write-baseline)",
			 v->quoted ? "\"" : "'", v->kind == YNODE_SCALAR ? v->value : ynode_kind_name(v),
			 v->quoted ? "\"" : "'", BASELINE_VERSION);
	const char *tool = ys_str(S, f[B_TOOL], "tool", true);
	if (tool && strcmp(tool, "distarch"))
		ys_error(S, f[B_TOOL], "a baseline of '%s' (expected one distarch wrote)", tool);
	const struct ynode *list = f[B_FINDINGS];
	if (!list)
		return;
	if (list->kind != YNODE_SEQ) {
		ys_error(S, list, "'findings' is %s (expected a list)", ynode_kind_name(list));
		return;
	}
	for (size_t i = 0; i < list->n; i++)
		load_entry(S, list->items[i], b);
}

int baseline_load_buffer(struct baseline *b, const char *name, const char *text, size_t len)
{
	struct arena tree = ARENA_INIT;
	struct ynode *root;
	struct yschema S = { &b->arena, name, 0 };
	size_t before = b->entries.len;

	if (ytree_parse(&tree, name, text, len, &root) < 0) {
		arena_release(&tree);
		return -1;
	}
	if (!root || root->kind != YNODE_MAP) {
		struct ynode pos = { .line = root ? root->line : 1, .col = root ? root->col : 1 };
		ys_error(&S, &pos, "the baseline is %s (expected a JSON object with version and findings, "
			 "as --write-baseline writes it)",
			 root && !ynode_is_null(root) ? ynode_kind_name(root) : "empty");
	} else {
		load_root(&S, root, b);
	}
	arena_release(&tree);
	if (S.errors) {
		b->entries.len = before;
		return -1;
	}
	return 0;
}

int baseline_load_file(struct baseline *b, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = read_file(path, &sb, BASELINE_MAX_BYTES);
	if (rc == 0)
		rc = baseline_load_buffer(b, path, sb.buf, sb.len);
	strbuf_release(&sb);
	return rc;
}

int baseline_write_file(const char *path, const finding_vec *findings, struct srclines *src)
{
	json_t *list = json_array();
	for (size_t i = 0; i < findings->len; i++) {
		const struct finding *f = &findings->items[i];
		char ctx[CONTEXT_HEX];
		finding_context(src, f, ctx);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:I, s:s}", "rule", f->rule,
						      "path", f->path, "context", ctx, "line",
						      (json_int_t)f->line, "message", f->message));
	}
	json_t *root = json_pack("{s:i, s:s, s:o}", "version", BASELINE_VERSION, "tool", "distarch",
				 "findings", list);
	char *text = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII) : NULL;
	json_decref(root);
	if (!text)
		return error("%s: cannot encode the baseline (a message that is not UTF-8?)", path);
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, text);
	strbuf_addch(&sb, '\n');
	free(text);
	/* A path inside the project may not lead out of it through a symlink. */
	int rc = write_file_in(src ? src->root : NULL, path, sb.buf, sb.len, 0);
	strbuf_release(&sb);
	return rc;
}

static void entry_key(struct strbuf *sb, const char *rule, const char *path, const char *ctx)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s\n%s\n%s", rule, path, ctx);
}

size_t baseline_filter(const struct baseline *b, finding_vec *findings, struct srclines *src)
{
	struct strmap left = STRMAP_INIT; /* key -> how many entries are still unmatched */
	struct strbuf key = STRBUF_INIT;
	size_t keep = 0, dropped = 0;

	for (size_t i = 0; i < b->entries.len; i++) {
		const struct baseline_entry *e = &b->entries.items[i];
		entry_key(&key, e->rule, e->path, e->context);
		uintptr_t n = (uintptr_t)strmap_get(&left, key.buf);
		strmap_put(&left, key.buf, (void *)(n + 1));
	}
	for (size_t i = 0; i < findings->len; i++) {
		struct finding *f = &findings->items[i];
		char ctx[CONTEXT_HEX];
		finding_context(src, f, ctx);
		entry_key(&key, f->rule, f->path, ctx);
		uintptr_t n = (uintptr_t)strmap_get(&left, key.buf);
		if (n) {
			strmap_put(&left, key.buf, (void *)(n - 1));
			finding_release(f);
			dropped++;
		} else {
			findings->items[keep++] = *f;
		}
	}
	findings->len = keep;
	strbuf_release(&key);
	strmap_release(&left);
	return dropped;
}
