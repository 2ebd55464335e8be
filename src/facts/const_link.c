/*
 * State values written or compared by name, resolved to the string the name
 * stands for (index.h: index_link_consts). A Go worker sends
 * `Status: StatusIdle` with `const StatusIdle = "idle"` in another file of
 * its package; a TypeScript dispatcher selects `w.status === 'idle'`: after
 * linking, both facts carry the value "idle" and compare equal.
 *
 * A name resolves when every constant of that name in files of the same
 * language family (JavaScript, TypeScript and TSX are one) agrees on the
 * string; a constant held by a scope (enum, class, object) matches only a
 * value qualified by that scope (`WorkerStatus.Idle`), or a bare name in
 * its own file (Java's `AVAILABLE` in its class); a package-level one
 * matches with or without a qualifier (`StatusIdle`, `worker.StatusIdle`).
 * Call arguments given by name (`setStatus(protocol.RunnerIdle)`) are
 * linked the same way. Ambiguous names stay as written. A value whose last
 * segment already says the string (`Status.IDLE` for "idle") is left
 * alone, so enum spellings keep their vocabulary; otherwise the last
 * segment is replaced by the string (`WorkerStatus.Available` = 'idle' ->
 * `WorkerStatus.idle`).
 */
#include "index.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../base/alloc.h"
#include "../base/ptrcache.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

static int lang_family(enum lang l)
{
	return (l == LANG_TYPESCRIPT || l == LANG_TSX) ? LANG_JAVASCRIPT : (int)l;
}

/* An identifier or a dotted name (`StatusIdle`, `pkg.Status.Idle`), not a literal. */
static bool is_name(const char *v)
{
	if (!v || !(isalpha((unsigned char)*v) || *v == '_'))
		return false;
	for (const char *p = v; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '$'))
			return false;
	/* the literals, by their first byte: every call argument of the repository comes here */
	switch (*v) {
	case 't': return strcmp(v, "true") != 0;
	case 'f': return strcmp(v, "false") != 0;
	case 'T': return strcmp(v, "True") != 0;
	case 'F': return strcmp(v, "False") != 0;
	case 'n': return strcmp(v, "nil") && strcmp(v, "null");
	case 'N': return strcmp(v, "None") != 0;
	case 'u': return strcmp(v, "undefined") != 0;
	default: return true;
	}
}

/* resolve's work: `last` the name's last segment, `qual` (qn bytes) the segment before it or NULL. */
static const char *resolve_name(const struct strmap *consts, const struct file_facts *at, const char *last,
				const char *qual, size_t qn, bool *scoped)
{
	const fact_refs *refs = strmap_get(consts, last);
	const char *found = NULL;
	for (size_t i = 0; refs && i < refs->len; i++) {
		const struct file_facts *ff = refs->items[i].ff;
		const struct fact_const *c = &ff->consts.items[refs->items[i].idx];
		if (lang_family(ff->lang) != lang_family(at->lang))
			continue;
		/* a scoped constant by its bare name only inside its own file (Java's own class) */
		if (c->scope && !(qual ? strlen(c->scope) == qn && !strncmp(c->scope, qual, qn) : ff == at))
			continue;
		if (found && strcmp(found, c->value))
			return NULL; /* two constants of that name disagree */
		found = c->value;
		*scoped = c->scope != NULL;
	}
	if (!found || !*found || !strcasecmp(found, last))
		return NULL;
	return found;
}

/*
 * The string `name` (as written in a file of `lang`) stands for, or NULL.
 * `pc` memoises the answer by the value's address and the file (a file's
 * facts hold one copy of each name: `ctx`, `err` recur); the constants do
 * not change while they are linked.
 */
static const char *resolve(const struct fact_index *ix, const struct strmap *consts, struct ptrcache *pc,
			   const struct file_facts *at, const char *value, bool *scoped)
{
	const char *last = strrchr(value, '.'), *qual = NULL;
	size_t qn = 0;
	if (last) {
		qual = last;
		while (qual > value && qual[-1] != '.')
			qual--;
		qn = (size_t)(last - qual);
		last++;
	} else {
		last = value;
	}
	dep_note(ix->rec, DEP_CONST, last);
	struct ptrcache_slot *s = ptrcache_slot(pc, value, at);
	if (!ptrcache_hit(s, value, at)) {
		bool sc = false;
		s->value = (void *)resolve_name(consts, at, last, qual, qn, &sc);
		s->aux = sc;
		ptrcache_set(s, value, at);
	}
	if (s->value)
		*scoped = s->aux != 0;
	return s->value;
}

/*
 * `value` with its last segment replaced by `lit`, in ff's arena; a package
 * qualifier (`protocol.StatusIdle`) goes, an enum's type stays.
 */
static const char *relink(struct file_facts *ff, const char *value, const char *lit, bool scoped)
{
	const char *last = strrchr(value, '.');
	struct strbuf sb = STRBUF_INIT;
	if (last && scoped && !strpbrk(lit, ".:'\"`"))
		strbuf_add(&sb, value, (size_t)(last - value + 1));
	strbuf_addstr(&sb, lit);
	const char *out = facts_str(ff, sb.buf, sb.len);
	strbuf_release(&sb);
	return out;
}

/*
 * Every value linking may rewrite: each write's value and read's values,
 * the call arguments given by name; `fn` gets the slot. Linking and
 * index_const_keys walk the same values, so the keys a file's linking
 * looks up are known before it runs.
 */
typedef void (*linkable_fn)(const char **value, void *ctx);

static void for_each_linkable(struct file_facts *ff, linkable_fn fn, void *ctx)
{
	for (size_t i = 0; i < ff->writes.len; i++) {
		struct fact_write *w = &ff->writes.items[i];
		/* value_text says whether it was written as a literal ('"idle"') or a name */
		if (is_name(w->value) && !(w->value_text && !is_name(w->value_text)))
			fn(&w->value, ctx);
	}
	/* `setStatus(protocol.RunnerIdle)`: a state value passed by name */
	for (size_t i = 0; i < ff->calls.len; i++) {
		struct fact_call *c = &ff->calls.items[i];
		for (size_t k = 0; k < c->nargs; k++) {
			struct fact_arg *ar = &c->args[k];
			if (!ar->is_string && is_name(ar->value) && !(ar->text && !is_name(ar->text)))
				fn(&ar->value, ctx);
		}
	}
	for (size_t i = 0; i < ff->reads.len; i++) {
		struct fact_read *r = &ff->reads.items[i];
		for (size_t v = 0; v < r->values.len; v++)
			if (is_name(r->values.items[v]))
				fn(&r->values.items[v], ctx);
	}
}

struct linking {
	const struct fact_index *ix;
	const struct strmap *consts;
	struct ptrcache *pc;
	struct file_facts *ff;
};

static void link_value(const char **value, void *ctx)
{
	struct linking *l = ctx;
	const char *lit;
	bool scoped = false;
	if ((lit = resolve(l->ix, l->consts, l->pc, l->ff, *value, &scoped)))
		*value = relink(l->ff, *value, lit, scoped);
}

static void link_file(const struct fact_index *ix, const struct strmap *consts, struct ptrcache *pc,
		      struct file_facts *ff)
{
	struct linking l = { ix, consts, pc, ff };
	for_each_linkable(ff, link_value, &l);
	ff->linked = true;
}

/* The name's last segment: the constant's name linking looks up (resolve). */
static const char *last_segment(const char *value)
{
	const char *last = strrchr(value, '.');
	return last ? last + 1 : value;
}

static void note_key(const char **value, void *ctx)
{
	VEC_APPEND((depkeys *)ctx, dep_key(DEP_CONST, last_segment(*value)));
}

void index_const_keys(const struct file_facts *ff, depkeys *out)
{
	/* the walk only reads: the slots it hands out are not written through */
	for_each_linkable((struct file_facts *)ff, note_key, out);
}

void index_link_consts(struct fact_index *ix)
{
	struct strmap consts = STRMAP_INIT;
	size_t total = 0;
	for (size_t f = 0; f < ix->files.len; f++) {
		const struct file_facts *ff = ix->files.items[f];
		for (size_t i = 0; i < ff->consts.len; i++) {
			void **refs = strmap_slot(&consts, ff->consts.items[i].name);
			if (!*refs)
				*refs = xcalloc(1, sizeof(fact_refs));
			VEC_APPEND((fact_refs *)*refs, ((struct fact_ref){ ff, i }));
			total++;
		}
	}
	/* recording, every file is linked: a constant added later must find who names it */
	struct ptrcache *pc = ptrcache_new();
	for (size_t f = 0; (total || ix->rec) && f < ix->files.len; f++) {
		struct file_facts *ff = ix->files.items[f];
		if (ff->linked || ff->unloaded) /* once: a name linked is a string, not a name again */
			continue;
		if (ix->rec)
			ix->rec->linking = f;
		link_file(ix, &consts, pc, ff);
	}
	xfree(pc);
	if (ix->rec)
		ix->rec->linking = DEP_NONE;
	for (size_t i = 0; i < consts.len; i++) {
		fact_refs *refs = consts.entries[i].value;
		VEC_FREE(refs);
		xfree(refs);
	}
	strmap_release(&consts);
}
