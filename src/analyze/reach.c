/* The targets a change can reach (reach.h). */
#include "reach.h"

#include <string.h>

#include "../base/alloc.h"
#include "factq.h"

#include "../base/banned.h"

static void add_keys(depkeys *to, const depkeys *from)
{
	for (size_t i = 0; i < from->len; i++)
		VEC_APPEND(to, from->items[i]);
}

/* The record's entry of index file `i`, or NULL. */
static const struct dep_file *record_of(const struct fact_index *ix, const struct dep_cache *dc, size_t i)
{
	return dc->at ? dc->at[i] : dep_cache_find(dc, ix->files.items[i]->path);
}

/* Is record entry `f` a file the index no longer has? */
static bool gone(const struct fact_index *ix, const struct dep_cache *dc, size_t f)
{
	return dc->seen ? !dc->seen[f] : !index_get(ix, dc->files.items[f].path);
}

/* Is index file `i`'s content the one recorded? Its entry, or NULL. */
static const struct dep_file *same_file(const struct fact_index *ix, const struct dep_cache *dc, size_t i)
{
	const struct dep_file *df = record_of(ix, dc, i);
	uint64_t id = deps_identity(ix->files.items[i]);
	return df && id && df->content == id ? df : NULL;
}

bool *reach_known(const struct fact_index *ix, struct dep_cache *dc)
{
	size_t n = ix->files.len;
	bool *known = xcalloc(n + 1, sizeof(*known));
	xfree(dc->at);
	xfree(dc->seen);
	dc->at = NULL;
	dc->seen = NULL;
	const struct dep_file **at = xcalloc(n + 1, sizeof(*at));
	bool *seen = xcalloc(dc->files.len + 1, sizeof(*seen));
	for (size_t i = 0; i < n; i++)
		if ((at[i] = dep_cache_find(dc, ix->files.items[i]->path)))
			seen[at[i] - dc->files.items] = true;
	dc->at = at;
	dc->seen = seen;
	for (size_t i = 0; i < n; i++)
		known[i] = same_file(ix, dc, i) != NULL;
	return known;
}

size_t reach_targets(const struct fact_index *ix, const struct dep_cache *dc, const char *const *changed,
		     size_t nchanged, bool *pick, size_t *stale)
{
	size_t n = ix->files.len, npick = 0;
	bool *touched = xcalloc(n + 1, sizeof(*touched));
	depkeys keys = VEC_INIT;
	VEC(size_t) relinked = VEC_INIT; /* files touched through their constants' linking */
	u64set named = VEC_INIT; /* the index files the change names, by address */

	for (size_t k = 0; k < nchanged; k++) {
		const struct file_facts *ff = index_get(ix, changed[k]);
		if (ff)
			VEC_APPEND(&named, (uint64_t)(uintptr_t)ff);
	}
	u64set_seal(&named);
	for (size_t i = 0; i < n; i++) {
		touched[i] = !same_file(ix, dc, i);
		*stale += touched[i];
		touched[i] = touched[i] || u64set_find(&named, (uint64_t)(uintptr_t)ix->files.items[i]) != (size_t)-1;
	}
	/* the keys of what changed: before (the record) and after (the facts) */
	for (size_t i = 0; i < n; i++) {
		if (!touched[i])
			continue;
		const struct dep_file *df = record_of(ix, dc, i);
		if (df)
			add_keys(&keys, &df->provides);
		deps_provides(ix->files.items[i], call_checks_health, &keys);
	}
	for (size_t f = 0; f < dc->files.len; f++) /* files gone since */
		if (gone(ix, dc, f)) {
			add_keys(&keys, &dc->files.items[f].provides);
			++*stale;
		}
	u64set_seal(&keys);
	/*
	 * A constant of the change renames what other files' linking resolved:
	 * their facts changed too. (An untouched file has the record's bytes,
	 * so the record's link keys are its own.)
	 */
	struct u64probe probe;
	u64probe_init(&probe, &keys);
	for (size_t i = 0; i < n; i++) {
		const struct dep_file *df = touched[i] ? NULL : record_of(ix, dc, i);
		if (df && u64probe_meet(&probe, df->link.items, df->link.len)) {
			touched[i] = true;
			VEC_APPEND(&relinked, i);
		}
	}
	u64probe_release(&probe);
	/* their bytes are the record's, and linking renames values, never a key: the record's keys are theirs */
	for (size_t k = 0; k < relinked.len; k++)
		add_keys(&keys, &record_of(ix, dc, relinked.items[k])->provides);
	/* a function name's files provide its refusals too (DEP_FUNCTIONS_MANY: the same key, bit 0 set) */
	for (size_t k = 0, len = keys.len; k < len; k++) {
		uint64_t many = keys.items[k] | DEP_MANY_BIT;
		VEC_APPEND(&keys, many);
	}
	u64set_seal(&keys);

	u64probe_init(&probe, &keys);
	for (size_t i = 0; i < n; i++) {
		const struct dep_file *df = record_of(ix, dc, i);
		pick[i] = touched[i] || !df || df->any || u64probe_meet(&probe, df->trail.items, df->trail.len);
		npick += pick[i];
	}
	u64probe_release(&probe);
	VEC_FREE(&keys);
	VEC_FREE(&relinked);
	VEC_FREE(&named);
	xfree(touched);
	return npick;
}

bool reach_primaries(const struct fact_index *ix, const struct dep_rec *rec, const struct dep_cache *dc,
		     bool *pick)
{
	size_t n = ix->files.len;
	bool more = false, grew = true;
	while (grew) {
		depkeys shared = VEC_INIT;
		grew = false;
		for (size_t i = 0; i < n; i++) {
			if (!pick[i])
				continue;
			const struct dep_file *df = record_of(ix, dc, i);
			if (df)
				add_keys(&shared, &df->primary);
			for (size_t k = 0; k < rec->primary[i].len; k++)
				VEC_APPEND(&shared, rec->primary[i].items[k]);
		}
		u64set_seal(&shared);
		for (size_t i = 0; i < n && shared.len; i++) {
			if (pick[i])
				continue;
			const struct dep_file *df = record_of(ix, dc, i);
			if (df && u64set_meet(df->primary.items, df->primary.len, shared.items, shared.len))
				pick[i] = grew = more = true;
		}
		VEC_FREE(&shared);
	}
	return more;
}

bool reach_record(const struct fact_index *ix, struct dep_rec *rec, const struct dep_cache *old,
		  const bool *ran, struct dep_cache *out)
{
	dep_rec_finish(rec);
	for (size_t i = 0; i < ix->files.len; i++) {
		const struct file_facts *ff = ix->files.items[i];
		uint64_t id = deps_identity(ff);
		if (!id)
			return false;
		const struct dep_file *od = old ? record_of(ix, old, i) : NULL;
		const struct dep_file *same = od && od->content == id ? od : NULL;
		struct dep_file *df = dep_cache_add(out, ff->path, id);
		if (same) {
			add_keys(&df->provides, &same->provides);
			add_keys(&df->link, &same->link);
		} else {
			deps_provides(ff, call_checks_health, &df->provides);
			add_keys(&df->link, &rec->link[i]);
		}
		if (!ran || ran[i] || !od) {
			df->any = rec->any[i];
			add_keys(&df->trail, &rec->trail[i]);
			add_keys(&df->primary, &rec->primary[i]);
		} else {
			df->any = od->any;
			add_keys(&df->trail, &od->trail);
			add_keys(&df->primary, &od->primary);
		}
	}
	dep_cache_count_wide(out);
	return true;
}

/* Each wide key of `keys` counts one file less in `left`. */
static void uncount(const struct dep_cache *dc, const depkeys *keys, uint32_t *left)
{
	for (size_t k = 0; k < keys->len; k++) {
		size_t at = u64set_find(&dc->wide, keys->items[k]);
		if (at != (size_t)-1)
			left[at]--;
	}
}

void reach_wide(const struct fact_index *ix, const struct dep_cache *dc, const bool *known, u64set *out)
{
	size_t nw = dc->wide.len;
	uint32_t *left = xcalloc(nw + 1, sizeof(*left));
	if (nw)
		memcpy(left, dc->wide_files.items, nw * sizeof(*left));
	/* a file whose bytes changed, or that is gone, may not provide what it did: counted without it */
	for (size_t i = 0; i < ix->files.len; i++) {
		const struct dep_file *df = known[i] ? NULL : record_of(ix, dc, i);
		if (df)
			uncount(dc, &df->provides, left);
	}
	for (size_t f = 0; f < dc->files.len; f++)
		if (gone(ix, dc, f))
			uncount(dc, &dc->files.items[f].provides, left);
	out->len = 0;
	for (size_t k = 0; k < nw; k++)
		if (left[k] > DEP_WIDE)
			VEC_APPEND(out, dc->wide.items[k]);
	xfree(left);
}

/* The constants the linking of loaded file `i` looks up (or looked up): the record's, this run's, or from its facts. */
static void add_link_keys(const struct fact_index *ix, const struct dep_rec *rec, const struct dep_file *same,
			  size_t i, depkeys *keys)
{
	const struct file_facts *ff = ix->files.items[i];
	if (same)
		add_keys(keys, &same->link);
	else if (ff->linked)
		add_keys(keys, &rec->link[i]);
	else
		index_const_keys(ff, keys);
}

/* A target's trail keys into `keys`: a refusal of a wide name needs no file; another, its name's files. */
static void add_trail(depkeys *keys, const depkeys *trail, const u64set *wide)
{
	for (size_t k = 0; k < trail->len; k++) {
		uint64_t v = trail->items[k];
		if (!(v & DEP_MANY_BIT))
			VEC_APPEND(keys, v);
		else if (!wide || u64set_find(wide, v & ~DEP_MANY_BIT) == (size_t)-1)
			VEC_APPEND(keys, v & ~DEP_MANY_BIT);
	}
}

size_t reach_needs(const struct fact_index *ix, const struct dep_cache *dc, const struct dep_rec *rec,
		   const u64set *wide, const bool *pick, bool *need)
{
	size_t n = ix->files.len, nload = 0;
	const struct dep_file **same = xcalloc(n + 1, sizeof(*same));
	depkeys keys = VEC_INIT;
	bool all = false;

	for (size_t i = 0; i < n; i++) {
		const struct file_facts *ff = ix->files.items[i];
		same[i] = same_file(ix, dc, i);
		need[i] = pick[i] || !ff->unloaded || !same[i];
		if (pick[i]) {
			const struct dep_file *od = record_of(ix, dc, i);
			if (od) {
				add_trail(&keys, &od->trail, wide);
				all = all || od->any;
			}
			add_trail(&keys, &rec->trail[i], wide);
			all = all || rec->any[i];
		}
		if (need[i])
			add_link_keys(ix, rec, same[i], i, &keys);
	}
	/* to a fixpoint: each round asks the files not needed yet about the keys the last one added */
	while (keys.len || all) {
		u64set_seal(&keys);
		struct u64probe probe;
		u64probe_init(&probe, &keys);
		depkeys more = VEC_INIT;
		for (size_t i = 0; i < n; i++) {
			if (need[i] || !(all || u64probe_meet(&probe, same[i]->provides.items, same[i]->provides.len)))
				continue;
			need[i] = true;
			add_keys(&more, &same[i]->link);
		}
		u64probe_release(&probe);
		VEC_FREE(&keys);
		keys = more;
		all = false;
	}
	for (size_t i = 0; i < n; i++)
		nload += need[i] && ix->files.items[i]->unloaded;
	VEC_FREE(&keys);
	xfree(same);
	return nload;
}
