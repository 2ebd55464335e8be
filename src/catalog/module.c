/*
 * Loading the reasoning-module checklists (see module.h; format in
 * docs/catalog.md).
 */
#include "module.h"

#include <string.h>

#include "catalog.h"
#include "../base/diag.h"
#include "../base/embedded.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

/* Same bound as the id-like names elsewhere: checklists are short. */
#define MODULE_MAX_QUESTIONS 64

static const char *const answer_names[MODULE_ANSWER_COUNT + 1] = {
	[MODULE_ANSWER_OBSERVERS] = "observers",
	[MODULE_ANSWER_WRITERS] = "writers",
	[MODULE_ANSWER_TICK_TRACE] = "tick-trace",
	[MODULE_ANSWER_FAILURE_CLASS] = "failure-class",
	[MODULE_ANSWER_PAYLOAD_LIFECYCLE] = "payload-lifecycle",
	[MODULE_ANSWER_RETRY_PRODUCT] = "retry-product",
	[MODULE_ANSWER_EDGE_CARDINALITY] = "edge-cardinality",
	[MODULE_ANSWER_COMPONENT] = "component",
	[MODULE_ANSWER_NONE] = "none",
	[MODULE_ANSWER_COUNT] = NULL,
};

const char *const module_triggers[] = {
	"state-mutation", "data-lifecycle", "failure-mode", "interaction",
	MODULE_TRIGGER_PASS2, NULL
};

const char *module_answer_name(enum module_answer a)
{
	if ((unsigned)a >= MODULE_ANSWER_COUNT)
		BUG("bad module answer %d", (int)a);
	return answer_names[a];
}

int module_answer_parse(const char *s)
{
	for (int i = 0; i < MODULE_ANSWER_COUNT; i++)
		if (!strcmp(answer_names[i], s))
			return i;
	return -1;
}

void module_set_init(struct module_set *ms)
{
	memset(ms, 0, sizeof(*ms));
}

void module_set_release(struct module_set *ms)
{
	VEC_FREE(&ms->modules);
	arena_release(&ms->arena);
	memset(ms, 0, sizeof(*ms));
}

const struct module *module_find(const struct module_set *ms, const char *name)
{
	for (size_t i = 0; i < ms->modules.len; i++)
		if (!strcmp(ms->modules.items[i]->name, name))
			return ms->modules.items[i];
	return NULL;
}

const struct module *module_for_trigger(const struct module_set *ms, const char *trigger)
{
	for (size_t i = 0; i < ms->modules.len; i++)
		if (!strcmp(ms->modules.items[i]->trigger, trigger))
			return ms->modules.items[i];
	return NULL;
}

const struct module_question *module_question_find(const struct module_set *ms, const char *id,
						   const struct module **owner)
{
	for (size_t i = 0; i < ms->modules.len; i++) {
		const struct module *m = ms->modules.items[i];
		for (size_t q = 0; q < m->nquestions; q++) {
			if (strcmp(m->questions[q].id, id))
				continue;
			if (owner)
				*owner = m;
			return &m->questions[q];
		}
	}
	return NULL;
}

size_t module_count(const struct module_set *ms)
{
	return ms->modules.len;
}

const struct module *module_at(const struct module_set *ms, size_t i)
{
	if (i >= ms->modules.len)
		BUG("module_at(%zu) past %zu modules", i, ms->modules.len);
	return ms->modules.items[i];
}

/* --- loading --- */

enum { M_MODULE, M_TITLE, M_TRIGGER, M_PURPOSE, M_QUESTIONS, M_QUICK, M_COUNT };
static const char *const module_keys[] = {
	"module", "title", "trigger", "purpose", "questions", "quick_validation", NULL
};

enum { Q_ID, Q_ASK, Q_ANSWER, Q_WHY, Q_COUNT };
static const char *const question_keys[] = { "id", "ask", "answer", "why", NULL };

/* A module name: lowercase words joined by hyphens ("state-mutation"). */
static bool name_valid(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      (*s == '-' && s[1] && s[1] != '-')))
			return false;
	return true;
}

static size_t trigger_rank(const char *t)
{
	size_t i;
	for (i = 0; module_triggers[i]; i++)
		if (!strcmp(module_triggers[i], t))
			break;
	return i;
}

static int module_cmp(const struct module *a, const struct module *b)
{
	size_t ra = trigger_rank(a->trigger), rb = trigger_rank(b->trigger);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return strcmp(a->name, b->name);
}

/*
 * Question `i` of `m` into m->questions[i]. A file with any error is dropped
 * whole, so slots of bad questions need no compaction; their ids still take
 * part in the duplicate check.
 */
static void load_question(struct yschema *S, const struct module_set *ms, struct module *m,
			  const struct ynode *v, size_t i)
{
	const struct ynode *f[Q_COUNT];
	struct module_question *q = &m->questions[i];
	static const char what[] = "a question";

	if (!ys_is_map(S, v, "questions"))
		return;
	ys_fields(S, v, what, question_keys, f);
	ys_require(S, v, f[Q_ID], "id", what, "an id like SM-1");
	ys_require(S, v, f[Q_ASK], "ask", what, "the question");
	ys_require(S, v, f[Q_ANSWER], "answer", what,
		   "what the engine answers from facts, or none");
	ys_require(S, v, f[Q_WHY], "why", what, "one line on why it matters");
	q->line = v->line;
	q->id = ys_str(S, f[Q_ID], "id", true);
	if (q->id && !catalog_id_valid(q->id)) {
		ys_error(S, f[Q_ID], "bad question id '%s' (expected a prefix, a hyphen and a "
			 "number, like SM-1)", q->id);
	} else if (q->id) {
		const struct module *owner = NULL;
		bool dup = module_question_find(ms, q->id, &owner) != NULL;
		for (size_t k = 0; !dup && k < i; k++)
			dup = m->questions[k].id && !strcmp(m->questions[k].id, q->id);
		if (dup)
			ys_error(S, f[Q_ID], "duplicate question id '%s' (already in %s; expected "
				 "each id once)", q->id, owner ? owner->path : "this module");
	}
	q->ask = ys_str(S, f[Q_ASK], "ask", false);
	q->why = ys_str(S, f[Q_WHY], "why", false);
	q->answer = MODULE_ANSWER_NONE;
	if (f[Q_ANSWER]) {
		const char *a = ys_str(S, f[Q_ANSWER], "answer", true);
		int k = a ? module_answer_parse(a) : -1;
		if (a && k < 0) {
			struct strbuf sb = STRBUF_INIT;
			ys_join(&sb, answer_names);
			ys_error(S, f[Q_ANSWER], "unknown answer kind '%s' (expected one of: %s)",
				 a, sb.buf);
			strbuf_release(&sb);
		}
		if (k >= 0)
			q->answer = (enum module_answer)k;
	}
}

static void load_module(struct yschema *S, const struct module_set *ms,
			const struct ynode *root, struct module *m)
{
	const struct ynode *f[M_COUNT];
	static const char what[] = "the module";

	ys_fields(S, root, what, module_keys, f);
	ys_require(S, root, f[M_MODULE], "module", what, "the module's name, like state-mutation");
	ys_require(S, root, f[M_TITLE], "title", what, "a title");
	ys_require(S, root, f[M_TRIGGER], "trigger", what, "a boundary signal or pass-2");
	ys_require(S, root, f[M_PURPOSE], "purpose", what, "a paragraph on what it checks");
	ys_require(S, root, f[M_QUESTIONS], "questions", what, "a list of questions");
	ys_require(S, root, f[M_QUICK], "quick_validation", what, "a list of closing questions");

	m->name = ys_str(S, f[M_MODULE], "module", true);
	if (m->name && !name_valid(m->name)) {
		ys_error(S, f[M_MODULE], "bad module name '%s' (expected lowercase words joined "
			 "by hyphens)", m->name);
		m->name = NULL;
	} else if (m->name && module_find(ms, m->name)) {
		ys_error(S, f[M_MODULE], "duplicate module '%s' (first defined in %s; expected "
			 "each module once)", m->name, module_find(ms, m->name)->path);
	}
	m->title = ys_str(S, f[M_TITLE], "title", true);
	m->trigger = ys_str(S, f[M_TRIGGER], "trigger", true);
	if (m->trigger && !module_triggers[trigger_rank(m->trigger)]) {
		struct strbuf sb = STRBUF_INIT;
		ys_join(&sb, module_triggers);
		ys_error(S, f[M_TRIGGER], "unknown trigger '%s' (expected one of: %s)",
			 m->trigger, sb.buf);
		strbuf_release(&sb);
		m->trigger = NULL;
	}
	m->pass2 = m->trigger && !strcmp(m->trigger, MODULE_TRIGGER_PASS2);
	m->purpose = ys_str(S, f[M_PURPOSE], "purpose", false);
	if (f[M_QUESTIONS]) {
		const struct ynode *qs = f[M_QUESTIONS];
		if (qs->kind != YNODE_SEQ) {
			ys_error(S, qs, "'questions' is %s (expected a list of questions)",
				 ynode_kind_name(qs));
		} else if (!qs->n || qs->n > MODULE_MAX_QUESTIONS) {
			ys_error(S, qs, "'questions' has %zu items (expected 1 to %d)", qs->n,
				 MODULE_MAX_QUESTIONS);
		} else {
			m->questions = arena_alloc(S->arena, qs->n * sizeof(*m->questions));
			for (size_t i = 0; i < qs->n; i++)
				load_question(S, ms, m, qs->items[i], i);
			m->nquestions = qs->n;
		}
	}
	m->quick_validation = ys_strlist(S, f[M_QUICK], "quick_validation", NULL, 1);
}

int modules_load_buffer(struct module_set *ms, const char *name, const char *text, size_t len)
{
	struct yschema S = { &ms->arena, name, 0 };
	struct arena tree = ARENA_INIT;
	struct ynode *root = NULL;
	struct module *m;
	size_t i;

	if (ytree_parse(&tree, name, text, len, &root) < 0) {
		arena_release(&tree);
		return -1;
	}
	m = arena_alloc(&ms->arena, sizeof(*m));
	if (!root || root->kind != YNODE_MAP) {
		struct ynode pos = { .line = root ? root->line : 1, .col = root ? root->col : 1 };
		ys_error(&S, &pos, "the module file is %s (expected a mapping with module, title, "
			 "trigger, purpose, questions and quick_validation)",
			 root && !ynode_is_null(root) ? ynode_kind_name(root) : "empty");
	} else {
		load_module(&S, ms, root, m);
	}
	arena_release(&tree);
	if (S.errors)
		return -1;
	m->path = arena_strdup(&ms->arena, name);
	i = ms->modules.len;
	VEC_PUSH(&ms->modules);
	while (i > 0 && module_cmp(ms->modules.items[i - 1], m) > 0) {
		ms->modules.items[i] = ms->modules.items[i - 1];
		i--;
	}
	ms->modules.items[i] = m;
	return 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

int modules_builtin_load(struct module_set *ms)
{
	int ret = 0;

	for (size_t i = 0; i < embedded_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (strncmp(f->path, "data/modules/", 13) || !has_suffix(f->path, ".yaml"))
			continue;
		if (modules_load_buffer(ms, f->path, f->data, f->len) < 0)
			ret = -1;
	}
	return ret;
}
