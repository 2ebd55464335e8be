/*
 * Loading API model files (format: docs/models.md) into a model_set.
 *
 * The YAML is read into a small tree (src/base/ytree.c) and validated against a
 * fixed schema: every unknown key, unknown operation, unknown failure
 * class, wrong type or missing field is reported with file:line:column and
 * what was expected, and a file with any error contributes nothing.
 */
#include "models.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../base/diag.h"
#include "../base/embedded.h"
#include "../base/fileio.h"
#include "../base/strbuf.h"
#include "../source/langreg.h"
#include "../base/ytree.h"
#include "../base/banned.h"

/* Model files are small; anything bigger is not a model. */
#define MODEL_MAX_BYTES (1u << 20)

const char *const model_ops[] = {
	"queue.consume", "queue.ack", "queue.nack", "queue.reject", "queue.requeue",
	"queue.publish", "queue.redeliver", "queue.delete", "queue.commit",
	"stream.connect", "stream.recv", "stream.send", "stream.close",
	"http.request", "http.route", "rpc.call",
	"storage.write", "storage.read", "storage.delete",
	"db.execute", "db.transaction",
	"kv.write", "kv.read", "kv.delete",
	"retry.layer", "client.new", "health.check", "serialize", "deserialize",
	NULL
};

bool model_op_known(const char *op)
{
	for (const char *const *p = model_ops; *p; p++)
		if (!strcmp(*p, op))
			return true;
	return false;
}

void model_set_init(struct model_set *ms)
{
	memset(ms, 0, sizeof(*ms));
}

static void model_release(struct api_model *m)
{
	VEC_FREE(&m->calls);
	VEC_FREE(&m->exceptions);
	VEC_FREE(&m->retries);
}

void model_set_release(struct model_set *ms)
{
	for (size_t i = 0; i < ms->models.len; i++)
		model_release(&ms->models.items[i]);
	VEC_FREE(&ms->models);
	arena_release(&ms->arena);
	memset(ms, 0, sizeof(*ms));
}

struct loader {
	struct model_set *ms;
	const char *name;
	int errors;
};

#define ERR(L, node, ...) \
	((L)->errors++, error_at((L)->name, (node)->line, (node)->col, __VA_ARGS__))

/*
 * Fetch the values of a mapping's keys into `vals` (indexed like `keys`),
 * reporting unknown and duplicate keys. `what` names the mapping in errors.
 */
static void map_fields(struct loader *L, const struct ynode *map, const char *what,
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
			ERR(L, k, "a non-scalar key in %s (expected a key name)", what);
			continue;
		}
		for (j = 0; j < nkeys; j++)
			if (!strcmp(keys[j], k->value))
				break;
		if (j == nkeys) {
			struct strbuf sb = STRBUF_INIT;
			for (size_t t = 0; t < nkeys; t++)
				strbuf_addf(&sb, "%s%s", t ? ", " : "", keys[t]);
			ERR(L, k, "unknown key '%s' in %s (expected one of: %s)", k->value, what, sb.buf);
			strbuf_release(&sb);
			continue;
		}
		if (vals[j]) {
			ERR(L, k, "duplicate key '%s' in %s (expected each key once)", k->value, what);
			continue;
		}
		vals[j] = v;
	}
}

/* A non-empty string scalar copied into the set's arena, or NULL (reported). */
static const char *get_str(struct loader *L, const struct ynode *v, const char *key)
{
	if (!v)
		return NULL;
	if (v->kind != YNODE_SCALAR || !v->len) {
		ERR(L, v, "'%s' must be a non-empty string (expected a string)", key);
		return NULL;
	}
	return arena_strndup(&L->ms->arena, v->value, v->len);
}

static bool get_bool(struct loader *L, const struct ynode *v, const char *key, bool dflt)
{
	if (!v)
		return dflt;
	if (v->kind == YNODE_SCALAR && !v->quoted) {
		if (!strcmp(v->value, "true") || !strcmp(v->value, "True"))
			return true;
		if (!strcmp(v->value, "false") || !strcmp(v->value, "False"))
			return false;
	}
	ERR(L, v, "'%s' must be a boolean (expected true or false)", key);
	return dflt;
}

static int get_int(struct loader *L, const struct ynode *v, const char *key, int min, int dflt)
{
	char *end;
	long n;
	if (!v)
		return dflt;
	if (v->kind != YNODE_SCALAR || v->quoted || !v->len)
		goto bad;
	errno = 0;
	n = strtol(v->value, &end, 10);
	if (*end || errno || n < min || n > 1000000)
		goto bad;
	return (int)n;
bad:
	ERR(L, v, "'%s' must be an integer (expected a whole number from %d to 1000000)", key, min);
	return dflt;
}

/* A list of strings; a single string is a list of one. */
static struct strlist get_strlist(struct loader *L, const struct ynode *v, const char *key)
{
	struct strlist out = { NULL, 0 };
	if (!v)
		return out;
	if (v->kind == YNODE_SCALAR) {
		const char *s = get_str(L, v, key);
		if (s) {
			out.items = arena_alloc(&L->ms->arena, sizeof(*out.items));
			out.items[out.len++] = s;
		}
		return out;
	}
	if (v->kind != YNODE_SEQ) {
		ERR(L, v, "'%s' must be a list (expected a list of strings)", key);
		return out;
	}
	out.items = arena_alloc(&L->ms->arena, (v->n ? v->n : 1) * sizeof(*out.items));
	for (size_t i = 0; i < v->n; i++) {
		const char *s = get_str(L, v->items[i], key);
		if (s)
			out.items[out.len++] = s;
	}
	return out;
}

static const struct ynode *get_seq(struct loader *L, const struct ynode *v, const char *key)
{
	if (!v)
		return NULL;
	if (v->kind != YNODE_SEQ) {
		ERR(L, v, "'%s' must be a list (expected a list of mappings)", key);
		return NULL;
	}
	return v;
}

static bool is_map(struct loader *L, const struct ynode *v, const char *what)
{
	if (v->kind == YNODE_MAP)
		return true;
	ERR(L, v, "%s must be a mapping (expected {key: value, ...})", what);
	return false;
}

static void load_call(struct loader *L, struct api_model *m, const struct ynode *e)
{
	static const char *const keys[] = {
		"method", "callee", "op", "receiver", "decorator", "notes", NULL
	};
	const struct ynode *v[6];
	struct model_call c = { 0 };

	if (!is_map(L, e, "a call entry"))
		return;
	map_fields(L, e, "a call entry", keys, v);
	c.method = get_str(L, v[0], "method");
	c.callee = get_str(L, v[1], "callee");
	c.op = get_str(L, v[2], "op");
	c.receiver = get_str(L, v[3], "receiver");
	c.decorator = get_bool(L, v[4], "decorator", false);
	get_str(L, v[5], "notes");
	c.line = (int)e->line;
	if (!v[0] && !v[1])
		ERR(L, e, "a call entry names no call (expected 'method' or 'callee')");
	else if (v[0] && v[1])
		ERR(L, e, "a call entry has both 'method' and 'callee' (expected one of them)");
	if (!v[2])
		ERR(L, e, "a call entry has no 'op' (expected an operation such as queue.ack)");
	else if (c.op && !model_op_known(c.op))
		ERR(L, v[2], "unknown operation '%s' (expected one of the operations in docs/models.md, e.g. queue.ack, http.request)",
		    c.op);
	if (v[3] && !v[0])
		ERR(L, v[3], "'receiver' without 'method' (expected it only on a method entry)");
	VEC_APPEND(&m->calls, c);
}

static bool parse_class(const char *s, enum failure_class *out)
{
	static const struct { const char *name; enum failure_class cls; } tab[] = {
		{ "infrastructure", FAIL_INFRASTRUCTURE }, { "logic", FAIL_LOGIC },
		{ "observation", FAIL_OBSERVATION }, { "unknown", FAIL_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(tab[i].name, s)) {
			*out = tab[i].cls;
			return true;
		}
	return false;
}

static void load_exception(struct loader *L, struct api_model *m, const struct ynode *e)
{
	static const char *const keys[] = { "type", "class", "notes", NULL };
	const struct ynode *v[3];
	struct model_exception x = { 0 };
	const char *cls;

	if (!is_map(L, e, "an exception entry"))
		return;
	map_fields(L, e, "an exception entry", keys, v);
	x.type = get_str(L, v[0], "type");
	cls = get_str(L, v[1], "class");
	get_str(L, v[2], "notes");
	x.line = (int)e->line;
	if (!v[0])
		ERR(L, e, "an exception entry has no 'type' (expected a type name)");
	if (!v[1])
		ERR(L, e, "an exception entry has no 'class' (expected infrastructure, logic, observation or unknown)");
	else if (cls && !parse_class(cls, &x.cls))
		ERR(L, v[1], "unknown failure class '%s' (expected infrastructure, logic, observation or unknown)",
		    cls);
	VEC_APPEND(&m->exceptions, x);
}

static bool parse_retry_kind(const char *s, enum retry_kind *out)
{
	static const struct { const char *name; enum retry_kind kind; } tab[] = {
		{ "decorator", RETRY_DECORATOR }, { "client", RETRY_CLIENT },
		{ "loop", RETRY_LOOP }, { "redelivery", RETRY_REDELIVERY },
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(tab[i].name, s)) {
			*out = tab[i].kind;
			return true;
		}
	return false;
}

static void load_retry(struct loader *L, struct api_model *m, const struct ynode *e)
{
	static const char *const keys[] = {
		"kind", "match", "method", "receiver", "when_arg", "unless_arg",
		"attempts_arg", "attempts_pos", "attempts_call", "attempts_key",
		"counts_retries", "default_attempts", "default", "notes", NULL
	};
	const struct ynode *v[14];
	struct model_retry r = { 0 };
	const char *kind;

	if (!is_map(L, e, "a retry entry"))
		return;
	map_fields(L, e, "a retry entry", keys, v);
	kind = get_str(L, v[0], "kind");
	r.match = get_str(L, v[1], "match");
	r.method = get_str(L, v[2], "method");
	r.receiver = get_str(L, v[3], "receiver");
	r.when_arg = get_str(L, v[4], "when_arg");
	r.unless_arg = get_str(L, v[5], "unless_arg");
	r.attempts_arg = get_str(L, v[6], "attempts_arg");
	r.attempts_pos = get_int(L, v[7], "attempts_pos", 0, -1);
	r.attempts_call = get_str(L, v[8], "attempts_call");
	r.attempts_key = get_str(L, v[9], "attempts_key");
	r.arg_counts_retries = get_bool(L, v[10], "counts_retries", false);
	r.default_attempts = get_int(L, v[11], "default_attempts", -1, -1);
	r.is_default = get_bool(L, v[12], "default", false);
	get_str(L, v[13], "notes");
	r.line = (int)e->line;
	if (!v[0])
		ERR(L, e, "a retry entry has no 'kind' (expected decorator, client, loop or redelivery)");
	else if (kind && !parse_retry_kind(kind, &r.kind))
		ERR(L, v[0], "unknown retry kind '%s' (expected decorator, client, loop or redelivery)", kind);
	if (!v[1] && !v[2])
		ERR(L, e, "a retry entry names nothing to match (expected 'match' or 'method')");
	else if (v[1] && v[2])
		ERR(L, e, "a retry entry has both 'match' and 'method' (expected one of them)");
	if (v[3] && !v[2])
		ERR(L, v[3], "'receiver' without 'method' (expected it only with 'method')");
	if (r.is_default && r.default_attempts == 0)
		ERR(L, v[12], "a default layer with 0 attempts (expected default_attempts >= 1 or -1)");
	VEC_APPEND(&m->retries, r);
}

static bool parse_lang(const char *s, enum lang *out)
{
	for (int l = LANG_NONE + 1; l < LANG__COUNT; l++)
		if (!strcmp(lang_name((enum lang)l), s)) {
			*out = (enum lang)l;
			return true;
		}
	return false;
}

static void load_model(struct loader *L, struct api_model *m, const struct ynode *root)
{
	static const char *const keys[] = {
		"library", "language", "docs", "imports", "always", "notes",
		"calls", "exceptions", "retries", "system", NULL
	};
	const struct ynode *v[10], *seq;
	const char *lang;

	map_fields(L, root, "the model", keys, v);
	m->library = get_str(L, v[0], "library");
	lang = get_str(L, v[1], "language");
	m->docs = get_str(L, v[2], "docs");
	m->imports = get_strlist(L, v[3], "imports");
	m->always = get_bool(L, v[4], "always", false);
	get_str(L, v[5], "notes");
	m->system = get_str(L, v[9], "system");
	if (!v[0])
		ERR(L, root, "missing 'library' (expected the library's name, e.g. library: redis-py)");
	if (!v[1])
		ERR(L, root, "missing 'language' (expected e.g. language: python)");
	else if (lang && !parse_lang(lang, &m->lang))
		ERR(L, v[1], "unknown language '%s' (expected python, go, javascript, typescript, tsx or java)",
		    lang);
	if (!m->always && (!v[3] || (v[3]->kind == YNODE_SEQ && !v[3]->n)))
		ERR(L, v[3] ? v[3] : root,
		    "missing 'imports' (expected the modules whose import activates the model)");
	if ((seq = get_seq(L, v[6], "calls")))
		for (size_t i = 0; i < seq->n; i++)
			load_call(L, m, seq->items[i]);
	if ((seq = get_seq(L, v[7], "exceptions")))
		for (size_t i = 0; i < seq->n; i++)
			load_exception(L, m, seq->items[i]);
	if ((seq = get_seq(L, v[8], "retries")))
		for (size_t i = 0; i < seq->n; i++)
			load_retry(L, m, seq->items[i]);
}

int models_load_buffer(struct model_set *ms, const char *name, const char *text, size_t len)
{
	struct arena tmp = ARENA_INIT;
	struct ynode *root;
	struct loader L = { ms, name, 0 };
	struct api_model m = { 0 };

	if (len > MODEL_MAX_BYTES)
		return error("%s: model file too large (expected at most %u bytes)", name,
			     MODEL_MAX_BYTES);
	if (ytree_parse(&tmp, name, text, len, &root) < 0) {
		arena_release(&tmp);
		return -1;
	}
	if (!root || root->kind != YNODE_MAP) {
		unsigned line = root ? root->line : 1, col = root ? root->col : 1;
		arena_release(&tmp);
		return error_at(name, line, col,
				"not a model (expected a mapping with library, language, imports)");
	}
	load_model(&L, &m, root);
	arena_release(&tmp);
	if (L.errors) {
		model_release(&m);
		return -1;
	}
	m.path = arena_strdup(&ms->arena, name);
	for (size_t i = 0; i < ms->models.len; i++) {
		struct api_model *old = &ms->models.items[i];
		if (strcmp(old->library, m.library))
			continue;
		/* A later model of the same library (a user's) replaces the earlier one. */
		model_release(old);
		*old = m;
		return 0;
	}
	VEC_APPEND(&ms->models, m);
	return 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

int models_load_builtin(struct model_set *ms)
{
	int ret = 0;
	for (size_t i = 0; i < embedded_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (strncmp(f->path, "data/models/", 12) || !has_suffix(f->path, ".yaml"))
			continue;
		if (models_load_buffer(ms, f->path, f->data, f->len) < 0)
			ret = -1;
	}
	return ret;
}

typedef VEC(char *) pathlist;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect *.yaml / *.yml below `dir` (skipping hidden entries), depth-capped. */
static int collect(const char *dir, int depth, pathlist *out)
{
	DIR *d;
	struct dirent *e;
	int ret = 0;

	if (depth > 16)
		return 0;
	if (!(d = opendir(dir)))
		return error("cannot open model folder '%s': %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		struct strbuf p = STRBUF_INIT;
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		strbuf_addf(&p, "%s/%s", dir, e->d_name);
		if (stat(p.buf, &st) < 0) {
			strbuf_release(&p);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (collect(p.buf, depth + 1, out) < 0)
				ret = -1;
			strbuf_release(&p);
		} else if (S_ISREG(st.st_mode) &&
			   (has_suffix(e->d_name, ".yaml") || has_suffix(e->d_name, ".yml"))) {
			VEC_APPEND(out, strbuf_detach(&p, NULL));
		} else {
			strbuf_release(&p);
		}
	}
	closedir(d);
	return ret;
}

int models_load_dir(struct model_set *ms, const char *dir)
{
	pathlist files = VEC_INIT;
	int ret = collect(dir, 0, &files);

	/* Sorted, so that which of two same-library files wins is stable. */
	if (files.len)
		qsort(files.items, files.len, sizeof(*files.items), cmp_str);
	for (size_t i = 0; i < files.len; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (read_file(files.items[i], &sb, MODEL_MAX_BYTES) < 0 ||
		    models_load_buffer(ms, files.items[i], sb.buf, sb.len) < 0)
			ret = -1;
		strbuf_release(&sb);
		xfree(files.items[i]);
	}
	VEC_FREE(&files);
	return ret;
}
