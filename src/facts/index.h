#ifndef DISTARCH_INDEX_H
#define DISTARCH_INDEX_H
/*
 * The repository index: the facts of every scanned file, by path.
 *
 * Ownership: the index owns each file_facts (allocated by index_add) and
 * frees them in index_release. Files keep the order they were added in;
 * the scanner adds them sorted by path, so output is deterministic.
 */
#include "../base/strmap.h"
#include "facts.h"

struct fact_index {
	VEC(struct file_facts *) files;
	struct strmap by_path; /* path -> struct file_facts * */
};

void index_init(struct fact_index *ix);
void index_release(struct fact_index *ix);
/* A new, initialised file_facts owned by the index. */
struct file_facts *index_add(struct fact_index *ix, const char *path, enum lang lang);
struct file_facts *index_get(const struct fact_index *ix, const char *path);

#endif
