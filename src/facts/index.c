#include "index.h"

#include "../base/alloc.h"
#include "../base/banned.h"

void index_init(struct fact_index *ix)
{
	ix->files.items = NULL;
	ix->files.len = ix->files.cap = 0;
	ix->by_path = (struct strmap)STRMAP_INIT;
}

void index_release(struct fact_index *ix)
{
	for (size_t i = 0; i < ix->files.len; i++) {
		file_facts_release(ix->files.items[i]);
		xfree(ix->files.items[i]);
	}
	VEC_FREE(&ix->files);
	strmap_release(&ix->by_path);
}

struct file_facts *index_add(struct fact_index *ix, const char *path, enum lang lang)
{
	struct file_facts *ff = xmalloc(sizeof(*ff));
	file_facts_init(ff, path, lang);
	VEC_APPEND(&ix->files, ff);
	strmap_put(&ix->by_path, path, ff);
	return ff;
}

struct file_facts *index_get(const struct fact_index *ix, const char *path)
{
	return strmap_get(&ix->by_path, path);
}
