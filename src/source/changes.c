/*
 * The changeset model: files with the line ranges that changed.
 */
#include "changes.h"

#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/banned.h"

void changeset_init(struct changeset *cs)
{
	memset(cs, 0, sizeof(*cs));
}

static void changed_file_release(struct changed_file *f)
{
	xfree(f->path);
	xfree(f->old_path);
	VEC_FREE(&f->hunks);
}

void changeset_release(struct changeset *cs)
{
	for (size_t i = 0; i < cs->files.len; i++)
		changed_file_release(&cs->files.items[i]);
	VEC_FREE(&cs->files);
	cs->fell_back_to_all = false;
}

size_t changeset_drop_if(struct changeset *cs, bool (*drop)(const char *path, const void *arg),
			 const void *arg)
{
	size_t keep = 0, n = cs->files.len;
	for (size_t i = 0; i < n; i++) {
		if (drop(cs->files.items[i].path, arg))
			changed_file_release(&cs->files.items[i]);
		else
			cs->files.items[keep++] = cs->files.items[i];
	}
	cs->files.len = keep;
	return n - keep;
}

struct changed_file *changeset_add(struct changeset *cs, const char *path, enum change_status st)
{
	struct changed_file *f = VEC_PUSH(&cs->files);
	f->path = xstrdup(path);
	f->status = st;
	return f;
}

static int cmp_file(const void *a, const void *b)
{
	const struct changed_file *x = a, *y = b;
	return strcmp(x->path, y->path);
}

void changeset_sort(struct changeset *cs)
{
	if (cs->files.len > 1)
		qsort(cs->files.items, cs->files.len, sizeof(*cs->files.items), cmp_file);
}

/*
 * Linear over the hunks: a file rarely has more than a few dozen, and the
 * callers do not promise that hunks from several sources are sorted.
 */
bool changed_file_touches(const struct changed_file *f, uint32_t first, uint32_t last)
{
	switch (f->status) {
	case CHANGE_WHOLE:
	case CHANGE_ADDED:
		return true;
	case CHANGE_DELETED:
		return false;
	case CHANGE_MODIFIED:
	case CHANGE_RENAMED:
		break;
	}
	if (last < first)
		return false;
	for (size_t i = 0; i < f->hunks.len; i++) {
		const struct hunk *h = &f->hunks.items[i];
		uint64_t lo = h->start, hi;
		if (h->count)
			hi = (uint64_t)h->start + h->count - 1;
		else
			hi = (uint64_t)h->start + 1; /* the lines on both sides of the gap */
		if (lo <= last && hi >= first)
			return true;
	}
	return false;
}
