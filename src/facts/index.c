#include "index.h"

#include <ctype.h>

#include "../base/alloc.h"
#include "../base/ptrcache.h"
#include "../base/banned.h"

void index_init(struct fact_index *ix)
{
	*ix = (struct fact_index){ .by_path = STRMAP_INIT, .readers = STRMAP_INIT,
				   .writers = STRMAP_INIT, .functions = STRMAP_INIT,
				   .callers = STRMAP_INIT };
}

static void release_refs(struct strmap *m)
{
	for (size_t i = 0; i < m->len; i++) {
		fact_refs *refs = m->entries[i].value;
		VEC_FREE(refs);
		xfree(refs);
	}
	strmap_release(m);
}

/* The lookups are held to the end of the run: without the vectors' spare room. */
static void shrink_refs(struct strmap *m)
{
	for (size_t i = 0; i < m->len; i++)
		VEC_SHRINK((fact_refs *)m->entries[i].value);
}

static void release_maps(struct fact_index *ix)
{
	release_refs(&ix->readers);
	release_refs(&ix->writers);
	release_refs(&ix->functions);
	release_refs(&ix->callers);
	ix->built = false;
}

void index_release(struct fact_index *ix)
{
	for (size_t i = 0; i < ix->files.len; i++) {
		file_facts_release(ix->files.items[i]);
		xfree(ix->files.items[i]);
	}
	VEC_FREE(&ix->files);
	strmap_release(&ix->by_path);
	release_maps(ix);
}

struct file_facts *index_add(struct fact_index *ix, const char *path, enum lang lang)
{
	struct file_facts *ff = xmalloc(sizeof(*ff));
	file_facts_init(ff, path, lang);
	VEC_APPEND(&ix->files, ff);
	strmap_put(&ix->by_path, path, ff);
	return ff;
}

void index_adopt(struct fact_index *ix, struct file_facts *ff)
{
	file_facts_trim(ff); /* complete: held until the end, so held small */
	VEC_APPEND(&ix->files, ff);
	strmap_put(&ix->by_path, ff->path, ff);
}

void index_drop_facts(struct fact_index *ix)
{
	release_maps(ix);
	for (size_t i = 0; i < ix->files.len; i++)
		file_facts_drop(ix->files.items[i]);
}

struct file_facts *index_get(const struct fact_index *ix, const char *path)
{
	return strmap_get(&ix->by_path, path);
}

/* The refs of `key` in `m`, made on first use. */
static fact_refs *refs_of(struct strmap *m, const char *key)
{
	void **refs = strmap_slot(m, key);
	if (!*refs)
		*refs = xcalloc(1, sizeof(fact_refs));
	return *refs;
}

/*
 * `pc` memoises the refs by the name's address (ptrcache.h), with the map
 * as owner: a name recurs at one address in a file's facts, and the maps'
 * values stay put while the index is built.
 */
static void add_ref(struct strmap *m, struct ptrcache *pc, const char *key, const struct file_facts *ff,
		    size_t idx)
{
	if (!key || !*key)
		return;
	struct ptrcache_slot *s = ptrcache_slot(pc, key, m);
	if (!ptrcache_hit(s, key, m)) {
		s->value = refs_of(m, key);
		ptrcache_set(s, key, m);
	}
	VEC_APPEND((fact_refs *)s->value, ((struct fact_ref){ ff, idx }));
}

void index_field_key(const char *field, char *out, size_t n)
{
	size_t k = 0;
	if (!n)
		return;
	for (const char *p = field ? field : ""; *p && k + 1 < n; p++)
		if (*p != '_' && *p != '-')
			out[k++] = (char)tolower((unsigned char)*p);
	out[k] = '\0';
}

/* Likewise by the field as written: its key (index_field_key) is worked out once per address. */
static void add_field_ref(struct strmap *m, struct ptrcache *pc, const char *field, const struct file_facts *ff,
			  size_t idx)
{
	char key[128];
	if (!field)
		return;
	struct ptrcache_slot *s = ptrcache_slot(pc, field, m);
	if (!ptrcache_hit(s, field, m)) {
		index_field_key(field, key, sizeof(key));
		if (!*key)
			return;
		s->value = refs_of(m, key);
		ptrcache_set(s, field, m);
	}
	VEC_APPEND((fact_refs *)s->value, ((struct fact_ref){ ff, idx }));
}

static const fact_refs *field_refs(const struct strmap *m, const char *field)
{
	char key[128];
	if (!field)
		return NULL;
	index_field_key(field, key, sizeof(key));
	return strmap_get(m, key);
}

void index_build(struct fact_index *ix)
{
	release_maps(ix);
	index_link_consts(ix);
	for (size_t f = 0; f < ix->files.len; f++)
		file_facts_trim(ix->files.items[f]);
	struct ptrcache *pc = ptrcache_new();
	for (size_t f = 0; f < ix->files.len; f++) {
		const struct file_facts *ff = ix->files.items[f];
		for (size_t i = 0; i < ff->reads.len; i++)
			add_field_ref(&ix->readers, pc, ff->reads.items[i].field, ff, i);
		for (size_t i = 0; i < ff->writes.len; i++)
			add_field_ref(&ix->writers, pc, ff->writes.items[i].field, ff, i);
		for (size_t i = 0; i < ff->functions.len; i++)
			add_ref(&ix->functions, pc, ff->functions.items[i].name, ff, i);
		for (size_t i = 0; i < ff->calls.len; i++)
			add_ref(&ix->callers, pc, ff->calls.items[i].method, ff, i);
	}
	xfree(pc);
	shrink_refs(&ix->readers);
	shrink_refs(&ix->writers);
	shrink_refs(&ix->functions);
	shrink_refs(&ix->callers);
	ix->built = true;
}

const fact_refs *index_readers(const struct fact_index *ix, const char *field)
{
	dep_note(ix->rec, DEP_READERS, field);
	return field_refs(&ix->readers, field);
}

const fact_refs *index_writers(const struct fact_index *ix, const char *field)
{
	dep_note(ix->rec, DEP_WRITERS, field);
	return field_refs(&ix->writers, field);
}

const fact_refs *index_functions(const struct fact_index *ix, const char *name)
{
	dep_note(ix->rec, DEP_FUNCTIONS, name);
	return name ? strmap_get(&ix->functions, name) : NULL;
}

const fact_refs *index_functions_upto(const struct fact_index *ix, const char *name, size_t max)
{
	if (!name)
		return NULL;
	const fact_refs *defs = NULL;
	/* a wide name has more than DEP_WIDE definitions: refused unseen under any bound up to that */
	bool many = max <= DEP_WIDE && ix->wide && u64set_find(ix->wide, dep_key(DEP_FUNCTIONS, name)) != (size_t)-1;
	if (!many) {
		defs = strmap_get(&ix->functions, name);
		many = defs && defs->len > max;
	}
	dep_note(ix->rec, many ? DEP_FUNCTIONS_MANY : DEP_FUNCTIONS, name);
	return many ? NULL : defs;
}

const fact_refs *index_callers(const struct fact_index *ix, const char *method)
{
	dep_note(ix->rec, DEP_CALLERS, method);
	return method ? strmap_get(&ix->callers, method) : NULL;
}
