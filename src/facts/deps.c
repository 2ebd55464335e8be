/* The dependency record of an analysis (deps.h). */
#include "deps.h"

#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/hash.h"
#include "index.h"

#include "../base/banned.h"

void dep_rec_init(struct dep_rec *r, size_t nfiles)
{
	memset(r, 0, sizeof(*r));
	r->nfiles = nfiles;
	r->cur = r->linking = DEP_NONE;
	r->trail = xcalloc(nfiles + 1, sizeof(*r->trail));
	r->any = xcalloc(nfiles + 1, sizeof(*r->any));
	r->link = xcalloc(nfiles + 1, sizeof(*r->link));
	r->primary = xcalloc(nfiles + 1, sizeof(*r->primary));
}

void dep_rec_release(struct dep_rec *r)
{
	for (size_t i = 0; i < r->nfiles; i++) {
		VEC_FREE(&r->trail[i]);
		VEC_FREE(&r->link[i]);
		VEC_FREE(&r->primary[i]);
	}
	xfree(r->trail);
	xfree(r->any);
	xfree(r->link);
	xfree(r->primary);
	VEC_FREE(&r->pool);
	memset(r, 0, sizeof(*r));
}

uint64_t dep_key(enum dep_kind kind, const char *name)
{
	if (kind == DEP_FUNCTIONS_MANY)
		return dep_key(DEP_FUNCTIONS, name) | DEP_MANY_BIT;
	return hash64_str(name, hash64_u64((uint64_t)kind, 0x64657073ull)) & ~DEP_MANY_BIT;
}

void dep_note(struct dep_rec *r, enum dep_kind kind, const char *name)
{
	if (!r || !name)
		return;
	if (kind == DEP_CONST && r->linking != DEP_NONE) {
		if (!r->link_known || !r->link_known[r->linking])
			VEC_APPEND(&r->link[r->linking], dep_key(kind, name));
		return;
	}
	if (r->cur == DEP_NONE)
		return;
	char key[128];
	if (kind == DEP_READERS || kind == DEP_WRITERS) {
		index_field_key(name, key, sizeof(key));
		name = key;
	}
	VEC_APPEND(&r->trail[r->cur], dep_key(kind, name));
}

void dep_note_primary(struct dep_rec *r, const char *primary)
{
	if (!r || r->cur == DEP_NONE)
		return;
	uint64_t k = dep_key(DEP_PRIMARY, primary);
	VEC_APPEND(&r->primary[r->cur], k);
	VEC_APPEND(&r->trail[r->cur], k);
}

size_t dep_mark(const struct dep_rec *r)
{
	return r && r->cur != DEP_NONE ? r->trail[r->cur].len : 0;
}

struct dep_slice dep_keep(struct dep_rec *r, size_t mark)
{
	if (!r)
		return (struct dep_slice){ 0, 0 };
	if (r->cur == DEP_NONE)
		return (struct dep_slice){ 0, DEP_ANY }; /* made outside a target: keys unknown */
	const depkeys *t = &r->trail[r->cur];
	struct dep_slice s = { (uint32_t)r->pool.len, (uint32_t)(t->len - mark) };
	if (r->any[r->cur] || r->pool.len + s.len >= DEP_ANY)
		return (struct dep_slice){ 0, DEP_ANY };
	for (size_t i = mark; i < t->len; i++)
		VEC_APPEND(&r->pool, t->items[i]);
	return s;
}

void dep_replay(struct dep_rec *r, struct dep_slice s)
{
	if (!r || r->cur == DEP_NONE)
		return;
	if (s.len == DEP_ANY) {
		r->any[r->cur] = true;
		return;
	}
	for (uint32_t i = 0; i < s.len; i++)
		VEC_APPEND(&r->trail[r->cur], r->pool.items[s.off + i]);
}

uint64_t deps_identity(const struct file_facts *ff)
{
	if (!ff->content_hash)
		return 0;
	return hash64_u64((uint64_t)ff->prefiltered | (uint64_t)ff->extract_failed << 1, ff->content_hash);
}

void dep_rec_finish(struct dep_rec *r)
{
	for (size_t i = 0; i < r->nfiles; i++) {
		u64set_seal(&r->trail[i]);
		u64set_seal(&r->link[i]);
		u64set_seal(&r->primary[i]);
		VEC_SHRINK(&r->trail[i]);
	}
}

void deps_provides(const struct file_facts *ff, bool (*is_health)(const struct fact_call *), depkeys *out)
{
	char key[128];
	for (size_t i = 0; i < ff->reads.len; i++) {
		index_field_key(ff->reads.items[i].field, key, sizeof(key));
		if (*key)
			VEC_APPEND(out, dep_key(DEP_READERS, key));
	}
	for (size_t i = 0; i < ff->writes.len; i++) {
		index_field_key(ff->writes.items[i].field, key, sizeof(key));
		if (*key)
			VEC_APPEND(out, dep_key(DEP_WRITERS, key));
	}
	for (size_t i = 0; i < ff->functions.len; i++)
		if (ff->functions.items[i].name && *ff->functions.items[i].name)
			VEC_APPEND(out, dep_key(DEP_FUNCTIONS, ff->functions.items[i].name));
	bool health = false;
	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (c->method && *c->method)
			VEC_APPEND(out, dep_key(DEP_CALLERS, c->method));
		health = health || (is_health && is_health(c));
	}
	if (health)
		VEC_APPEND(out, dep_key(DEP_HEALTH, ""));
	for (size_t i = 0; i < ff->consts.len; i++)
		if (ff->consts.items[i].name)
			VEC_APPEND(out, dep_key(DEP_CONST, ff->consts.items[i].name));
	u64set_seal(out);
}
